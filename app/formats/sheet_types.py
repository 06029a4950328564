"""The type-specific columns of a question row: options, pairs, steps, answers, rubric."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.domain.records import (
    OptionRecord,
    PairRecord,
    QuestionRecord,
    RubricCriterion,
    StepRecord,
)
from app.formats.sheet_model import LETTERS, OPTION_COLUMNS, PAIR_ARROW

if TYPE_CHECKING:
    from app.formats.sheet_read import SheetReader

_WORDS = {"true": True, "t": True, "yes": True, "false": False, "f": False, "no": False}


def fill_type_fields(
    sheet: SheetReader, row: int, values: Sequence[object], q: QuestionRecord
) -> None:
    """Fill the fields of the question's own type."""
    cells = [(name, sheet.cell(values, name)) for name in OPTION_COLUMNS]
    filled = [(name, text) for name, text in cells if text.strip()]
    if q.type in ("single_choice", "multiple_response"):
        q.options = _options(sheet, row, values, filled)
    elif q.type == "true_false":
        q.answer = _truth(sheet, row, sheet.cell(values, "correct"))
        q.feedback_true = sheet.cell(values, "feedback_a")
        q.feedback_false = sheet.cell(values, "feedback_b")
    elif q.type == "matching":
        q.pairs = [p for n, (name, t) in enumerate(filled) if (p := _pair(sheet, row, name, t, n))]
        q.extra_matches = _split_bars(sheet.cell(values, "extra_matches"))
    elif q.type == "ordering":
        q.steps = [StepRecord(f"s{n}", t) for n, (_, t) in enumerate(filled, start=1)]
    elif q.type == "short_answer":
        q.answers = _split_bars(sheet.cell(values, "answers"))
    else:
        q.rubric = _rubric(sheet, row, sheet.cell(values, "rubric"))
        q.model_answer = sheet.cell(values, "model_answer")


def _options(
    sheet: SheetReader, row: int, values: Sequence[object], filled: list[tuple[str, str]]
) -> list[OptionRecord]:
    """Choice options, lettered by their column, with correct flags and feedback."""
    letters = [name[-1] for name, _ in filled]
    correct = set()
    for token in re.split(r"[;,\s]+", sheet.cell(values, "correct").strip().lower()):
        if not token:
            continue
        if len(token) != 1 or token not in LETTERS:
            sheet.report(row, "correct", f"{token.upper()!r} is not an option letter A to H")
        elif token not in letters:
            sheet.report(
                row,
                "correct",
                f"correct names option {token.upper()}, but option_{token} is empty",
            )
        correct.add(token)
    options = []
    for name, text in filled:
        letter = name[-1]
        feedback = sheet.cell(values, f"feedback_{letter}")
        options.append(OptionRecord(letter, text, letter in correct, feedback))
    for letter in LETTERS:
        if sheet.cell(values, f"feedback_{letter}").strip() and letter not in letters:
            sheet.report(
                row, f"feedback_{letter}", f"feedback for an empty option_{letter}", "warning"
            )
    return options


def _truth(sheet: SheetReader, row: int, text: str) -> bool | None:
    """The key of a true/false question."""
    if not text.strip():
        return None
    if text.strip().lower() in _WORDS:
        return _WORDS[text.strip().lower()]
    sheet.report(
        row, "correct", f"a true/false question needs true or false; found {text.strip()!r}"
    )
    return None


def _pair(sheet: SheetReader, row: int, column: str, text: str, index: int) -> PairRecord | None:
    """One `prompt => match` cell of a matching question."""
    prompt, arrow, match = text.partition(PAIR_ARROW)
    if not arrow or not prompt.strip() or not match.strip():
        sheet.report(
            row, column, f'write a matching pair as "prompt {PAIR_ARROW} match"; found {text!r}'
        )
        return None
    return PairRecord(f"p{index + 1}", prompt.strip(), match.strip())


def _rubric(sheet: SheetReader, row: int, text: str) -> list[RubricCriterion]:
    """Rubric lines `criterion | marks | guidance`, one per line."""
    found = []
    for number, line in enumerate([ln for ln in text.splitlines() if ln.strip()], start=1):
        parts = [p.strip() for p in line.split("|", 2)]
        if len(parts) < 2 or not parts[0]:
            sheet.report(
                row, "rubric", f'rubric line {number} must read "criterion | marks | guidance"'
            )
            continue
        try:
            marks = float(parts[1].replace(",", "."))
        except ValueError:
            message = f"rubric line {number}: the marks must be a number; found {parts[1]!r}"
            sheet.report(row, "rubric", message)
            continue
        found.append(RubricCriterion(parts[0], marks, parts[2] if len(parts) > 2 else ""))
    return found


def _split_bars(text: str) -> list[str]:
    """Values separated by |, trimmed, without empty ones."""
    return [part.strip() for part in text.split("|") if part.strip()]
