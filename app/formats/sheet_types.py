"""What the sheet reader and writer ask a question type, and the cell helpers types share.

A type that a sheet can hold gives `SheetHooks` in its plug-in's `formats.py` (the
`sheet` slot of `TypeFormats`): the type-specific columns it uses, how to fill its fields
from one row, the cells it writes, and why a question does not fit the columns. The
reader knows nothing of any type but through these hooks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.domain.messages import Message
from app.domain.question_types.base import number
from app.domain.records import OptionRecord, PairRecord, QuestionRecord, RubricCriterion
from app.formats.sheet_model import FEEDBACK_COLUMNS, LETTERS, OPTION_COLUMNS, PAIR_ARROW

if TYPE_CHECKING:
    from app.formats.sheet_read import SheetReader

# Columns a type uses, for `SheetHooks.columns`.
CHOICE_COLUMNS = frozenset({*OPTION_COLUMNS, *FEEDBACK_COLUMNS, "correct"})


@dataclass(frozen=True)
class SheetRow:
    """One question row as a type's hook sees it: named cells and a way to complain."""

    sheet: SheetReader
    number: int
    values: Sequence[object]

    def cell(self, name: str) -> str:
        """The text of a named cell, '' when the column or cell is absent."""
        return self.sheet.cell(self.values, name)

    def report(self, column: str, message: Message, severity: str = "error") -> None:
        """Record a problem at this row and a named column."""
        self.sheet.report(self.number, column, message, severity)

    def filled(self) -> list[tuple[str, str]]:
        """The option_a…option_h columns that hold text, with that text, left to right."""
        cells = [(name, self.cell(name)) for name in OPTION_COLUMNS]
        return [(name, text) for name, text in cells if text.strip()]


@dataclass(frozen=True)
class SheetHooks:
    """A question type in CSV/XLSX: its columns, how to read a row, what cells it writes."""

    # The type-specific columns the type reads; a cell in another type's column gets a
    # warning that the type does not use it.
    columns: frozenset[str]
    # Fill the type's fields of a question (its shared fields are already read).
    read: Callable[[SheetRow, QuestionRecord], None]
    # The type's cells of one row; "marks" here is written even when it is 1.
    write: Callable[[QuestionRecord], dict[str, object]]
    # Why a question does not fit the columns (skipped on export), or None when it does.
    cannot_write: Callable[[QuestionRecord], Message | None] = lambda q: None


# --- helpers the types share --------------------------------------------------------


def too_many(parts: int) -> Message | None:
    """The reason a question with more options, pairs or steps than columns is skipped."""
    if parts > len(LETTERS):
        return Message("sheet.too_many_parts", {"limit": len(LETTERS)})
    return None


def read_choice_options(row: SheetRow) -> list[OptionRecord]:
    """Choice options, lettered by their column, with correct flags and feedback."""
    filled = row.filled()
    letters = [name[-1] for name, _ in filled]
    correct = set()
    for token in re.split(r"[;,\s]+", row.cell("correct").strip().lower()):
        if not token:
            continue
        if len(token) != 1 or token not in LETTERS:
            row.report("correct", Message("sheet.not_a_letter", {"token": repr(token.upper())}))
        elif token not in letters:
            row.report(
                "correct", Message("sheet.correct_empty", {"letter": token.upper(), "lower": token})
            )
        correct.add(token)
    options = []
    for name, text in filled:
        letter = name[-1]
        feedback = row.cell(f"feedback_{letter}")
        options.append(OptionRecord(letter, text, letter in correct, feedback))
    for letter in LETTERS:
        if row.cell(f"feedback_{letter}").strip() and letter not in letters:
            message = Message("sheet.feedback_empty_option", {"letter": letter})
            row.report(f"feedback_{letter}", message, "warning")
    return options


def choice_cells(q: QuestionRecord) -> dict[str, object]:
    """The option, feedback and correct cells of a choice question."""
    cells: dict[str, object] = dict(zip(OPTION_COLUMNS, [o.text for o in q.options], strict=False))
    cells |= dict(zip(FEEDBACK_COLUMNS, [o.feedback for o in q.options], strict=False))
    cells["correct"] = ";".join(LETTERS[i].upper() for i, o in enumerate(q.options) if o.correct)
    return cells


def split_bars(text: str) -> list[str]:
    """Values separated by |, trimmed, without empty ones."""
    return [part.strip() for part in text.split("|") if part.strip()]


def read_pair(row: SheetRow, column: str, text: str, index: int) -> PairRecord | None:
    """One `prompt => match` cell of a matching question."""
    prompt, arrow, match = text.partition(PAIR_ARROW)
    if not arrow or not prompt.strip() or not match.strip():
        row.report(column, Message("sheet.pair_arrow", {"arrow": PAIR_ARROW, "found": repr(text)}))
        return None
    return PairRecord(f"p{index + 1}", prompt.strip(), match.strip())


def read_rubric(row: SheetRow, text: str) -> list[RubricCriterion]:
    """Rubric lines `criterion | marks | guidance`, one per line."""
    found = []
    for count, line in enumerate([ln for ln in text.splitlines() if ln.strip()], start=1):
        parts = [p.strip() for p in line.split("|", 2)]
        if len(parts) < 2 or not parts[0]:
            row.report("rubric", Message("sheet.rubric_line", {"line": count}))
            continue
        try:
            marks = float(parts[1].replace(",", "."))
        except ValueError:
            found_marks = repr(parts[1])
            row.report(
                "rubric", Message("sheet.rubric_marks", {"line": count, "found": found_marks})
            )
            continue
        found.append(RubricCriterion(parts[0], marks, parts[2] if len(parts) > 2 else ""))
    return found


def rubric_line(c: RubricCriterion) -> str:
    """One rubric entry as `criterion | marks | guidance`."""
    line = f"{c.criterion} | {number(c.marks)}"
    return f"{line} | {c.guidance}" if c.guidance else line
