"""Write Clausewise banks as GIFT, with Clausewise-only fields in JSON comments.

Each question gets a `$CATEGORY: clausewise/<level>/<first clause>` line when that
changes, a `// clausewise: {...}` metadata comment and the GIFT question itself; its
answer block comes from its type's GIFT hook. Types without one (ordering,
classification), and texts GIFT cannot hold unambiguously, are listed as skipped. An
essay's general feedback also holds its rubric and model answer as text, for Moodle's
graders (app/formats/gift_rubric.py).
"""

from __future__ import annotations

import re

from app.domain.records import (
    BankRecord,
    ExportResult,
    Location,
    Problem,
    QuestionRecord,
    ScenarioRecord,
    Unsupported,
)
from app.formats import export_notes, gift_meta, type_formats
from app.formats.gift_answers import GiftHooks
from app.formats.gift_rubric import with_rubric
from app.formats.tags import write_tags
from app.formats.texts_cases import with_case

_SPECIAL = re.compile(r"[~=#{}:\\\n]")
_ESCAPES = {ch: "\\" + ("n" if ch == "\n" else ch) for ch in "~=#{}:\\\n"}
# Moodle's reader skips a `[tag:…]` holding one of these (PARAM_TAG refuses them).
_NOT_IN_TAG = re.compile(r"[<>`\x00-\x1f\x7f]")
# A text starting like a format marker or a weight would be read as syntax; an explicit
# format marker in front keeps it text.
_AMBIGUOUS = re.compile(r"\s*(?:\[(?:html|moodle|plain|markdown)\]|%)", re.IGNORECASE)


def write(bank: BankRecord) -> ExportResult:
    """GIFT bytes for a bank, plus the questions GIFT cannot express."""
    out = [gift_meta.comment(gift_meta.BANK, gift_meta.bank_meta(bank)), ""]
    skipped: list[Unsupported] = []
    warnings: list[Problem] = []
    scenarios = {s.id: s for s in bank.scenarios}
    cases = dict(scenarios)  # every item of a case carries it, for Moodle's random quizzes
    category = ""
    for q in bank.questions:
        gift = _expressible(q)
        if gift is None:
            skipped.append(Unsupported(q.type, q.id, Location(file="", path=q.id)))
            continue
        scenario = scenarios.pop(q.scenario, None) if q.scenario else None
        if scenario:
            out += [gift_meta.comment(gift_meta.SCENARIO, gift_meta.scenario_meta(scenario)), ""]
        if _category(q) != category:
            category = _category(q)
            out += [f"$CATEGORY: {category}", ""]
        meta = gift_meta.comment(gift_meta.QUESTION, gift_meta.question_meta(q))
        case = cases.get(q.scenario or "")
        out += [_moodle_marks(q), meta, _question(q, gift, case), ""]
        warnings += export_notes.lost_extras(q, "GIFT") + export_notes.rubric_outside_gift(q)
    # Scenarios no written question uses are kept too, so nothing of the bank is lost.
    for scenario in scenarios.values():
        out += [gift_meta.comment(gift_meta.SCENARIO, gift_meta.scenario_meta(scenario)), ""]
    return ExportResult("\n".join(out).encode("utf-8"), skipped, warnings)


def _moodle_marks(q: QuestionRecord) -> str:
    """The comment Moodle reads a question's id number and tags from (`// [id:…] [tag:…]`).

    Moodle's tags cannot hold `<`, `>` or a backquote (its reader skips such a tag): one
    travels in the Clausewise comment only.
    """
    marks = [f"[id:{q.id}]"] + [
        "[tag:" + tag.replace("]", "\\]") + "]" for tag in write_tags(q) if _moodle_tag(tag)
    ]
    return "// " + " ".join(marks)


def _moodle_tag(tag: str) -> bool:
    """Whether Moodle's GIFT reader takes `tag` from a `[tag:…]` mark."""
    return _NOT_IN_TAG.search(tag) is None


def escape(value: str) -> str:
    """Text with GIFT's special characters escaped and line breaks written as `\\n`."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _SPECIAL.sub(lambda found: _ESCAPES[found.group()], value)


def text(value: str) -> str:
    """An escaped answer, feedback or title text that cannot be mistaken for syntax."""
    return f"[markdown]{escape(value)}" if _AMBIGUOUS.match(value) else escape(value)


def _expressible(q: QuestionRecord) -> GiftHooks | None:
    """The type's GIFT hook when reading the question back would give the same record."""
    gift = type_formats.hooks(q.type).gift
    if gift is None or not q.stem.strip() or not gift.expressible(q):
        return None
    return gift


def _category(q: QuestionRecord) -> str:
    """The category path a question is filed under: clausewise/<level>/<first clause>."""
    return "/".join(["clausewise", q.level, *q.clauses[:1]])


def _question(q: QuestionRecord, gift: GiftHooks, case: ScenarioRecord | None) -> str:
    """The GIFT text of one question: title, Markdown stem (with its case on top, which
    the reader takes off again), answers, general feedback."""
    head = f"::{escape(q.title)}::" if q.title else ""  # Moodle reads no format marker here
    stem = with_case(case, q.stem) if case else q.stem
    lines = [f"{head}[markdown]{escape(stem)}{{", *gift.write(q)]
    general = with_rubric(q)  # an essay's rubric too: GIFT has no grader information
    if general:
        lines.append(f"\t####{text(general)}")
    return "\n".join([*lines, "}"])


def feedback(value: str) -> str:
    """`#feedback` after an answer, or nothing when there is none."""
    return f"#{text(value)}" if value else ""


def percent(value: float) -> str:
    """A weight as GIFT writes it between `%` signs: at most five decimals, no trailing 0."""
    return f"{value:.5f}".rstrip("0").rstrip(".")
