"""The one row model behind CSV and XLSX banks: columns, cell safety and writing rows.

One row per question (and one per scenario, with type `scenario`), each followed by
one row per translation: the same id and type, the translation's language in
`language`, and its texts in the text columns. Choice options, matching pairs and
ordering steps share the columns option_a…option_h; the column layout is documented in
docs/formats/spreadsheet.md.
"""

from __future__ import annotations

import re

from app.domain.localized import localize_scenario
from app.domain.messages import Message
from app.domain.records import (
    COMBINED_FEEDBACK,
    BankRecord,
    HintRecord,
    Location,
    Problem,
    QuestionRecord,
    ScenarioRecord,
    Unsupported,
)
from app.formats import type_formats
from app.formats.translated import fitting, fitting_cases, question_in

LETTERS = "abcdefgh"
OPTION_COLUMNS = tuple(f"option_{c}" for c in LETTERS)
FEEDBACK_COLUMNS = tuple(f"feedback_{c}" for c in LETTERS)
COLUMNS: tuple[str, ...] = (
    *("id", "type", "level", "clauses", "edition", "difficulty", "cognitive", "marks", "title"),
    *("scenario", "stem", *OPTION_COLUMNS, "correct", *FEEDBACK_COLUMNS, "answers"),
    *("rubric", "model_answer", "extra_matches", "explanation", "tags"),
    *("correct_feedback", "partial_feedback", "incorrect_feedback", "hints", "language"),
)
# The columns that hold an item's texts: a translation row fills these (and id, type
# and language); the others come from its source's row.
TEXT_COLUMNS: tuple[str, ...] = (
    *("title", "stem", *OPTION_COLUMNS, *FEEDBACK_COLUMNS, "answers", "rubric"),
    *("model_answer", "extra_matches", "explanation", "correct_feedback"),
    *("partial_feedback", "incorrect_feedback", "hints"),
)
# Hints share one cell: a line `---` between two hints, and a hint's options on its last
# line as flags, e.g. `[show_num_correct] [clear_wrong]`.
HINT_BREAK = "---"
HINT_FLAGS = ("show_num_correct", "clear_wrong")
BANK_KEYS = ("id", "title", "language", "licence", "edition", "description")
PAIR_ARROW = "=>"

# OWASP CSV injection: a cell starting with one of these may run as a formula, so it is
# written behind an apostrophe. Cells that already start with apostrophes before such a
# character get one more, so reading strips exactly one and every text survives.
_DANGEROUS = re.compile(r"^'*[=+\-@\t\r]")
_PROTECTED = re.compile(r"^'+[=+\-@\t\r]")


def neutralise(text: str) -> str:
    """A cell text that no spreadsheet will run as a formula."""
    return "'" + text if _DANGEROUS.match(text) else text


def restore(text: str) -> str:
    """The text a neutralised cell stood for."""
    return text[1:] if _PROTECTED.match(text) else text


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def bank_meta(bank: BankRecord) -> list[tuple[str, str]]:
    """The bank's metadata as key/value pairs, leaving out empty values."""
    values = [bank.id, bank.title, bank.language, bank.licence, bank.edition, bank.description]
    return [(k, v) for k, v in zip(BANK_KEYS, values, strict=True) if v]


def bank_rows(
    bank: BankRecord,
) -> tuple[list[dict[str, object]], list[Unsupported], list[Problem]]:
    """One row per scenario and question, each followed by a row per translation; the
    questions a sheet cannot express; warnings about translations it cannot."""
    rows: list[dict[str, object]] = []
    for s in bank.scenarios:
        rows.append(_case_cells(s))
        for tag, t in fitting_cases(s, current_only=True).items():
            case = localize_scenario(s, t)
            rows.append({**_case_cells(case), "language": tag})
    skipped, warnings = [], []
    for q in bank.questions:
        reason = _cannot_write(q)
        if reason is not None:
            where = Location(path=f"question {q.id}")
            skipped.append(Unsupported(q.type, q.id, where, reason))
            continue
        rows.append(question_row(q, bank.edition))
        for tag, t in fitting(q, current_only=True).items():
            shown = question_in(q, t)
            reason = _cannot_write(shown)
            if reason is not None:
                params = {"question": q.id, "language": tag, "reason": reason}
                message = Message("export.translation_sheet", params)
                warnings.append(Problem(Location(path=q.id), message, "warning"))
                continue
            cells = question_row(shown, bank.edition)
            kept = ("id", "type", *TEXT_COLUMNS)
            rows.append({name: cells[name] for name in kept if name in cells} | {"language": tag})
    return rows, skipped, warnings


def _case_cells(case: ScenarioRecord) -> dict[str, object]:
    """The cells of a case text's row."""
    return {"id": case.id, "type": "scenario", "title": case.title, "stem": case.text}


def _cannot_write(q: QuestionRecord) -> Message | None:
    """Why a question does not fit the columns, or None when it does."""
    hooks = type_formats.hooks(q.type).sheet
    reason = type_formats.cannot_write(q.type, "sheet") if hooks is None else hooks.cannot_write(q)
    return reason or _hints_cannot_be_written(q.hints)


def question_row(q: QuestionRecord, bank_edition: str) -> dict[str, object]:
    """The cells of one question; empty and default values are left blank."""
    row: dict[str, object] = {
        "id": q.id,
        "type": q.type,
        "level": q.level,
        "clauses": "; ".join(q.clauses),
        "edition": q.edition if q.edition != bank_edition else "",
        "difficulty": q.difficulty,
        "cognitive": q.cognitive or "",
        "marks": plain(q.marks) if q.marks != 1.0 else "",
        "title": q.title,
        "scenario": q.scenario or "",
        "stem": q.stem,
        "explanation": q.explanation,
        "tags": "; ".join(q.tags),
        "hints": hints_cell(q.hints),
    }
    row |= {name: getattr(q, name) for name in COMBINED_FEEDBACK}
    hooks = type_formats.hooks(q.type).sheet
    if hooks is not None:
        row |= hooks.write(q)
    return row


def hints_cell(hints: list[HintRecord]) -> str:
    """The hints in one cell: `---` lines between them, options as flags on a last line."""
    blocks = []
    for hint in hints:
        flags = [f"[{name}]" for name in HINT_FLAGS if getattr(hint, name)]
        blocks.append("\n".join([hint.text, " ".join(flags)] if flags else [hint.text]))
    return f"\n{HINT_BREAK}\n".join(blocks)


def read_hints_cell(cell: str) -> list[HintRecord]:
    """The hints of a `hints` cell (see `hints_cell`); blank blocks are left out."""
    hints = []
    block: list[str] = []
    for line in [*cell.replace("\r\n", "\n").split("\n"), HINT_BREAK]:
        if line.strip() != HINT_BREAK:
            block.append(line)
            continue
        flags = _flags(block[-1]) if block else None
        lines = block[:-1] if flags is not None else block
        text = "\n".join(lines).strip()
        if text:
            found = flags or set()
            hints.append(HintRecord(text, *(name in found for name in HINT_FLAGS)))
        block = []
    return hints


def _flags(line: str) -> set[str] | None:
    """The option flags a line holds, or None when it is text (or no flag at all)."""
    words = line.split()
    names = {w[1:-1] for w in words if w.startswith("[") and w.endswith("]")}
    return names if words and len(names) == len(words) and names <= set(HINT_FLAGS) else None


def _hints_cannot_be_written(hints: list[HintRecord]) -> Message | None:
    """A hint whose text the cell could not hold unambiguously."""
    for hint in hints:
        lines = hint.text.replace("\r\n", "\n").split("\n")
        if any(line.strip() == HINT_BREAK for line in lines) or _flags(lines[-1]) is not None:
            return Message("sheet.hint_breaks")
    return None


def plain(value: float) -> int | float:
    """2.0 as 2."""
    return int(value) if float(value).is_integer() else value
