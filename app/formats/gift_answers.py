"""The answer block of a GIFT question: which kind it is and the fields it gives.

Texts arrive with GIFT escapes already swapped for placeholder characters (`HIDDEN`),
so `=`, `~`, `#`, `{`, `}` and `:` found here are always syntax.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from app.domain.records import OptionRecord, PairRecord, QuestionRecord
from app.formats.gift_meta import option_id, pair_id

_ESCAPABLE = "~=#{}:\\n"
# Supplementary private-use characters: nobody types these into a question.
HIDDEN = {ch: chr(0x10FF00 + i) for i, ch in enumerate(_ESCAPABLE)}
_SHOWN = str.maketrans({v: ("\n" if k == "n" else k) for k, v in HIDDEN.items()})
_FORMAT = re.compile(r"\s*\[(?:html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"\s*%([^%]*)%")
_MARKER = re.compile(r"[=~]")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


class Reporter(Protocol):
    """Where the builders send problems about the question being read."""

    def error(self, offset: int | None, message: str, severity: str = "error") -> None:
        """Report a problem at a character offset of the block."""


def leaf(raw: str) -> str:
    """Finished text of a GIFT fragment: format marker dropped, trimmed, escapes restored."""
    marker = _FORMAT.match(raw)
    if marker:
        raw = raw[marker.end() :]
    return raw.strip().translate(_SHOWN)


def classify(body: str) -> str:
    """The kind of a trimmed answer block, following Moodle's own order of tests."""
    if not body:
        return "essay"
    if body.startswith("#"):
        return "numerical"
    if "~" in body:
        return "choice"
    if "=" in body and "->" in body:
        return "matching"
    if body.partition("#")[0].strip().upper() in _TRUE_FALSE:
        return "true_false"
    if body.startswith("="):
        return "short_answer"
    return "unknown"


@dataclass
class _Answer:
    """One `=` or `~` entry of an answer block."""

    marker: str
    weight: float | None
    raw: str
    feedback: str
    offset: int

    @property
    def text(self) -> str:
        """The answer's finished text."""
        return leaf(self.raw)


def _answers(ctx: Reporter, body: str, base: int) -> list[_Answer]:
    """Split an answer block at each `=` or `~`, reading weights and feedback."""
    starts = [found.start() for found in _MARKER.finditer(body)]
    lead = body[: starts[0]] if starts else body
    if lead.strip():
        at = base + len(lead) - len(lead.lstrip())
        ctx.error(at, f"'{leaf(lead)}' comes before the first answer; answers start with = or ~")
    answers: list[_Answer] = []
    for at, end in zip(starts, [*starts[1:], len(body)], strict=True):
        chunk, weight = body[at + 1 : end], None
        found = _WEIGHT.match(chunk)
        if found:
            weight = _weight(ctx, found.group(1), base + at)
            chunk = chunk[found.end() :]
        elif chunk.lstrip().startswith("%"):
            ctx.error(base + at, "a weight starts with % but has no closing %")
        raw, _, feedback = chunk.partition("#")
        answers.append(_Answer(body[at], weight, raw, leaf(feedback), base + at))
    return answers


def _weight(ctx: Reporter, text: str, offset: int) -> float | None:
    """The number of a `%n%` weight, or None after reporting why it is unusable."""
    try:
        value = float(text)
    except ValueError:
        ctx.error(offset, f"the weight '%{text}%' is not a number")
        return None
    if not -100 <= value <= 100:
        ctx.error(offset, f"the weight {text.strip()}% is outside -100..100")
        return None
    return value


def _choice(ctx: Reporter, q: QuestionRecord, body: str, base: int) -> None:
    """Single choice (one `=`) or multiple response (no `=`, several positive weights)."""
    answers = _answers(ctx, body, base)
    if len(answers) < 2:
        ctx.error(base, "a choice question needs at least two answers")
    right = [a for a in answers if a.marker == "="]
    if len(right) > 1:
        ctx.error(
            right[1].offset,
            f"the answer block has {len(right)} right answers (=); give one =, "
            "or weights like ~%50% for a multiple-response question",
        )
    correct = right[:1] or [a for a in answers if (a.weight or 0) > 0]
    if not correct:
        ctx.error(base, "the answer block has no right answer (=)")
    for a in answers:
        if right and a.marker == "~" and (a.weight or 0) > 0:
            ctx.error(a.offset, f"partial credit on '{a.text}' is not kept", "warning")
    q.type = "multiple_response" if len(correct) > 1 else "single_choice"
    chosen = {id(a) for a in correct}
    for n, a in enumerate(answers):
        if not a.text:
            ctx.error(a.offset, f"answer {n + 1} has no text")
        q.options.append(OptionRecord(option_id(n), a.text, id(a) in chosen, a.feedback))


def _matching(ctx: Reporter, q: QuestionRecord, body: str, base: int) -> None:
    """Pairs `=item -> match`; an empty item gives a match that fits no item."""
    q.type = "matching"
    for n, a in enumerate(_answers(ctx, body, base), start=1):
        prompt, arrow, match = a.raw.partition("->")
        if not arrow:
            ctx.error(a.offset, f"pair {n} has no '->' between the item and its match")
        elif not leaf(match):
            ctx.error(a.offset, f"pair {n} has nothing after '->'")
        elif leaf(prompt):
            q.pairs.append(PairRecord(pair_id(len(q.pairs)), leaf(prompt), leaf(match)))
        else:
            q.extra_matches.append(leaf(match))
    if len(q.pairs) < 2:
        ctx.error(base, "a matching question needs at least two pairs")


def _true_false(ctx: Reporter, q: QuestionRecord, body: str, base: int) -> None:
    """`{T#wrong#right}`: GIFT gives feedback for a wrong, then for a right choice."""
    parts = body.strip().split("#")
    if len(parts) > 3:
        ctx.error(base, "a true/false answer takes at most two feedback texts (#wrong#right)")
    value = _TRUE_FALSE[parts[0].strip().upper()]
    wrong = leaf(parts[1]) if len(parts) > 1 else ""
    right = leaf(parts[2]) if len(parts) > 2 else ""
    q.type, q.answer = "true_false", value
    q.feedback_true, q.feedback_false = (right, wrong) if value else (wrong, right)


def _short_answer(ctx: Reporter, q: QuestionRecord, body: str, base: int) -> None:
    """Accepted answers `=a =b`; partly-right answers cannot be kept."""
    q.type = "short_answer"
    for a in _answers(ctx, body, base):
        if not a.text:
            ctx.error(a.offset, "an accepted answer (=) is empty")
        elif a.weight is not None and a.weight < 100:
            message = f"answer '{a.text}' is only partly right and was left out"
            ctx.error(a.offset, message, "warning")
        else:
            q.answers.append(a.text)
        if a.feedback:
            ctx.error(a.offset, f"feedback on answer '{a.text}' is not kept", "warning")
    if not q.answers:
        ctx.error(base, "the answer block has no fully right answer (=)")


def _essay(ctx: Reporter, q: QuestionRecord, body: str, base: int) -> None:
    """An empty answer block: rubric and model answer come from the metadata comment."""
    q.type = "essay"


def _unknown(ctx: Reporter, q: QuestionRecord, body: str, base: int) -> None:
    """An answer block that fits no kind."""
    ctx.error(
        base,
        "the answer block is not understood; use = and ~ answers, T or F, or {} for an essay",
    )


Builder = Callable[[Reporter, QuestionRecord, str, int], None]
BUILDERS: dict[str, Builder] = {
    "choice": _choice,
    "matching": _matching,
    "true_false": _true_false,
    "short_answer": _short_answer,
    "essay": _essay,
    "unknown": _unknown,
}
