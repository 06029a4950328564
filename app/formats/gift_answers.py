"""The answer block of a GIFT question: which kind it is, and what a type must say about it.

Texts arrive with GIFT escapes already swapped for placeholder characters (`HIDDEN`),
so `=`, `~`, `#`, `{`, `}` and `:` found here are always syntax. Reading and writing
the answer block of each question type is the type's own GIFT hook (`GiftHooks`, in
`app/question_types/<key>/formats.py`); this module holds what the types share.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from app.domain.messages import Message
from app.domain.records import OptionRecord, QuestionRecord
from app.formats.gift_meta import option_id

_ESCAPABLE = "~=#{}:\\n"
# Supplementary private-use characters: nobody types these into a question.
HIDDEN = {ch: chr(0x10FF00 + i) for i, ch in enumerate(_ESCAPABLE)}
_SHOWN = str.maketrans({v: ("\n" if k == "n" else k) for k, v in HIDDEN.items()})
_FORMAT = re.compile(r"\s*\[(?:html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"\s*%([^%]*)%")
_MARKER = re.compile(r"[=~]")
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


class Reporter(Protocol):
    """Where the readers send problems about the question being read."""

    # How messages name the question: its title, metadata id or first words. Every
    # sentence about the question starts "question '%(question)s': ".
    label: str

    def error(self, offset: int | None, message: Message, severity: str = "error") -> None:
        """Report a problem at a character offset of the block."""


# Read an answer block into a question: (reporter, question, block, offset of the block).
BlockReader = Callable[[Reporter, QuestionRecord, str, int], None]


def _always(question: QuestionRecord) -> bool:
    return True


@dataclass(frozen=True)
class GiftHooks:
    """What GIFT's reader and writer ask a question type (its `TypeFormats.gift`)."""

    # The answer-block kinds (`classify`'s names) that read as this type; the first
    # type (in the types' sort order) claiming a kind gets its blocks.
    kinds: tuple[str, ...]
    # Fill a question of this type (its `type` already set) from its answer block,
    # reporting problems through the reporter at offsets counted from the given one.
    read: BlockReader
    # The lines between `{` and `}` (each starting with a tab) for a question.
    write: Callable[[QuestionRecord], list[str]]
    # Whether GIFT carries the question so that reading it back gives the same record
    # (the writer lists it as skipped otherwise); the stem is checked by the writer.
    expressible: Callable[[QuestionRecord], bool] = _always


def leaf(raw: str) -> str:
    """Finished text of a GIFT fragment: format marker dropped, trimmed, escapes restored."""
    marker = _FORMAT.match(raw)
    if marker:
        raw = raw[marker.end() :]
    return plain(raw)


def plain(raw: str) -> str:
    """Finished text of a fragment Moodle reads without a format marker (a question's
    name, a matching pair's match): trimmed, escapes restored, `[html]` kept as text."""
    return raw.strip().translate(_SHOWN)


def classify(body: str) -> str:
    """The kind of a trimmed answer block, following Moodle's own order of tests.

    A choice block is `choice` when it has one right answer (or none, or too many `=`,
    which its reader reports) and `weighted_choice` when its weights make two or more
    answers right. `numerical` and `unknown` are no type's.
    """
    if not body:
        return "essay"
    if body.startswith("#"):
        return "numerical"
    if body.startswith(">"):
        return "ordering"  # Moodle's ordering type (4.3+)
    if "~" in body:
        return "weighted_choice" if len(_right(answers(_QUIET, body, 0))) > 1 else "choice"
    if "=" in body and "->" in body:
        return "matching"
    if body.partition("#")[0].strip().upper() in TRUE_FALSE:
        return "true_false"
    if body.startswith("="):
        return "short_answer"
    return "unknown"


class _Quiet:
    """A reporter that keeps nothing, for looking at a block before reading it."""

    label = ""

    def error(self, offset: int | None, message: Message, severity: str = "error") -> None:
        """Forget the problem; the block's reader reports it."""


_QUIET = _Quiet()


@dataclass
class Answer:
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


def answers(ctx: Reporter, body: str, base: int) -> list[Answer]:
    """Split an answer block at each `=` or `~`, reading weights and feedback."""
    starts = [found.start() for found in _MARKER.finditer(body)]
    lead = body[: starts[0]] if starts else body
    if lead.strip():
        at = base + len(lead) - len(lead.lstrip())
        ctx.error(
            at, Message("gift.before_first_answer", {"question": ctx.label, "text": leaf(lead)})
        )
    found_answers: list[Answer] = []
    for at, end in zip(starts, [*starts[1:], len(body)], strict=True):
        chunk, weight = body[at + 1 : end], None
        found = _WEIGHT.match(chunk)
        if found:
            weight = _weight(ctx, found.group(1), base + at)
            chunk = chunk[found.end() :]
        elif chunk.lstrip().startswith("%"):
            ctx.error(base + at, Message("gift.weight_unclosed", {"question": ctx.label}))
        raw, _, feedback = chunk.partition("#")
        found_answers.append(Answer(body[at], weight, raw, leaf(feedback), base + at))
    return found_answers


def _weight(ctx: Reporter, text: str, offset: int) -> float | None:
    """The number of a `%n%` weight, or None after reporting why it is unusable."""
    try:
        value = float(text)
    except ValueError:
        ctx.error(
            offset, Message("gift.weight_not_number", {"question": ctx.label, "weight": text})
        )
        return None
    if not -100 <= value <= 100:
        ctx.error(
            offset,
            Message("gift.weight_out_of_range", {"question": ctx.label, "weight": text.strip()}),
        )
        return None
    return value


def _right(found: list[Answer]) -> list[Answer]:
    """The right answers of a choice block: its first `=`, else every positive weight."""
    return [a for a in found if a.marker == "="][:1] or [a for a in found if (a.weight or 0) > 0]


def read_choice(ctx: Reporter, q: QuestionRecord, body: str, base: int) -> None:
    """A choice block's options: one `=` right answer, or positive weights for each right one.

    Single choice and multiple response both read their blocks this way; `classify`
    tells them apart by the number of right answers.
    """
    found = answers(ctx, body, base)
    if len(found) < 2:
        ctx.error(base, Message("gift.choice_too_few", {"question": ctx.label}))
    equals = [a for a in found if a.marker == "="]
    if len(equals) > 1:
        ctx.error(
            equals[1].offset,
            Message("gift.choice_many_equals", {"question": ctx.label}, count=len(equals)),
        )
    correct = _right(found)
    if not correct:
        ctx.error(base, Message("gift.choice_no_right", {"question": ctx.label}))
    for a in found:
        if equals and a.marker == "~" and (a.weight or 0) > 0:
            ctx.error(
                a.offset,
                Message("gift.partial_credit", {"question": ctx.label, "text": a.text}),
                "warning",
            )
    chosen = {id(a) for a in correct}
    for n, a in enumerate(found):
        if not a.text:
            ctx.error(
                a.offset, Message("gift.answer_no_text", {"question": ctx.label, "number": n + 1})
            )
        q.options.append(OptionRecord(option_id(n), a.text, id(a) in chosen, a.feedback))
