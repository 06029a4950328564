"""Write Clausewise banks as GIFT, with Clausewise-only fields in JSON comments.

Each question gets a `$CATEGORY: clausewise/<level>/<first clause>` line when that
changes, a `// clausewise: {...}` metadata comment and the GIFT question itself. Ordering
questions, and texts GIFT cannot hold unambiguously, are listed as skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from app.domain.records import BankRecord, ExportResult, Location, QuestionRecord, Unsupported
from app.formats import gift_meta

_SPECIAL = re.compile(r"[~=#{}:\\\n]")
_ESCAPES = {ch: "\\" + ("n" if ch == "\n" else ch) for ch in "~=#{}:\\\n"}
# A text starting like a format marker or a weight would be read as syntax; an explicit
# format marker in front keeps it text.
_AMBIGUOUS = re.compile(r"\s*(?:\[(?:html|moodle|plain|markdown)\]|%)", re.IGNORECASE)


def write(bank: BankRecord) -> ExportResult:
    """GIFT bytes for a bank, plus the questions GIFT cannot express."""
    out = [gift_meta.comment(gift_meta.BANK, gift_meta.bank_meta(bank)), ""]
    skipped: list[Unsupported] = []
    scenarios = {s.id: s for s in bank.scenarios}
    category = ""
    for q in bank.questions:
        if not _expressible(q):
            skipped.append(Unsupported(q.type, q.id, Location(file="", path=q.id)))
            continue
        scenario = scenarios.pop(q.scenario, None) if q.scenario else None
        if scenario:
            out += [gift_meta.comment(gift_meta.SCENARIO, gift_meta.scenario_meta(scenario)), ""]
        if _category(q) != category:
            category = _category(q)
            out += [f"$CATEGORY: {category}", ""]
        out += [gift_meta.comment(gift_meta.QUESTION, gift_meta.question_meta(q)), _question(q), ""]
    # Scenarios no written question uses are kept too, so nothing of the bank is lost.
    for scenario in scenarios.values():
        out += [gift_meta.comment(gift_meta.SCENARIO, gift_meta.scenario_meta(scenario)), ""]
    return ExportResult("\n".join(out).encode("utf-8"), skipped)


def escape(text: str) -> str:
    """Text with GIFT's special characters escaped and line breaks written as `\\n`."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _SPECIAL.sub(lambda found: _ESCAPES[found.group()], text)


def _text(text: str) -> str:
    """An escaped answer, feedback or title text that cannot be mistaken for syntax."""
    return f"[markdown]{escape(text)}" if _AMBIGUOUS.match(text) else escape(text)


def _expressible(q: QuestionRecord) -> bool:
    """Whether GIFT can carry the question so that reading it back gives the same record."""
    if not q.stem.strip():
        return False
    correct = sum(o.correct for o in q.options)
    options = len(q.options) >= 2 and all(o.text.strip() for o in q.options)
    matches = [p.match for p in q.pairs] + q.extra_matches
    checks: dict[str, Callable[[], bool]] = {
        "single_choice": lambda: options and correct == 1,
        "multiple_response": lambda: options and correct >= 2,
        "true_false": lambda: isinstance(q.answer, bool),
        # GIFT cannot escape "->", and an empty item means "a match for no item".
        "matching": lambda: (
            len(q.pairs) >= 2
            and all(p.prompt.strip() and "->" not in p.prompt for p in q.pairs)
            and all(m.strip() for m in matches)
        ),
        "short_answer": lambda: (
            bool(q.answers) and all(a.strip() and "->" not in a for a in q.answers)
        ),
        "essay": lambda: True,
    }
    check = checks.get(q.type)
    return bool(check and check())


def _category(q: QuestionRecord) -> str:
    """The category path a question is filed under: clausewise/<level>/<first clause>."""
    return "/".join(["clausewise", q.level, *q.clauses[:1]])


def _question(q: QuestionRecord) -> str:
    """The GIFT text of one question: title, Markdown stem, answers, general feedback."""
    head = f"::{_text(q.title)}::" if q.title else ""
    lines = [f"{head}[markdown]{escape(q.stem)}{{", *_BODIES[q.type](q)]
    if q.explanation:
        lines.append(f"\t####{_text(q.explanation)}")
    return "\n".join([*lines, "}"])


def _feedback(text: str) -> str:
    return f"#{_text(text)}" if text else ""


def _percent(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _choice_lines(q: QuestionRecord) -> list[str]:
    """`=right`/`~wrong` for single choice; ±weights summing to 100 for multiple response."""
    if q.type == "single_choice":
        return [
            f"\t{'=' if o.correct else '~'}{_text(o.text)}{_feedback(o.feedback)}"
            for o in q.options
        ]
    # Wrong picks cost as much as right ones earn, so ticking everything earns nothing.
    share = 100 / sum(o.correct for o in q.options)
    return [
        f"\t~%{_percent(share if o.correct else -share)}%{_text(o.text)}{_feedback(o.feedback)}"
        for o in q.options
    ]


def _true_false_lines(q: QuestionRecord) -> list[str]:
    """`TRUE#feedback if wrong#feedback if right`, leaving out empty trailing parts."""
    right, wrong = (
        (q.feedback_true, q.feedback_false) if q.answer else (q.feedback_false, q.feedback_true)
    )
    line = "\tTRUE" if q.answer else "\tFALSE"
    if wrong or right:
        line += f"#{_text(wrong)}"
    if right:
        line += f"#{_text(right)}"
    return [line]


def _matching_lines(q: QuestionRecord) -> list[str]:
    """`=item -> match` per pair and `= -> match` per extra match."""
    pairs = [f"\t={_text(p.prompt)} -> {_text(p.match)}" for p in q.pairs]
    return pairs + [f"\t= -> {_text(match)}" for match in q.extra_matches]


def _short_answer_lines(q: QuestionRecord) -> list[str]:
    return [f"\t={_text(answer)}" for answer in q.answers]


def _essay_lines(q: QuestionRecord) -> list[str]:
    return []


_BODIES: dict[str, Callable[[QuestionRecord], list[str]]] = {
    "single_choice": _choice_lines,
    "multiple_response": _choice_lines,
    "true_false": _true_false_lines,
    "matching": _matching_lines,
    "short_answer": _short_answer_lines,
    "essay": _essay_lines,
}
