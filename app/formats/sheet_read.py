"""Read spreadsheet rows (from CSV or XLSX) into a bank, reporting row and column.

Rows arrive as (row number, cell values) with the number a spreadsheet shows. Rows
whose first cell starts with `#` are comments; a `#bank:` row carries the bank's
metadata as `key=value` cells. The first other row is the header. Problems say
`row N, column C (name)`. Whole-bank rules (exactly one correct option and so on)
are left to `app.domain.validation.validate_bank`, located by row.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from pathlib import PurePath

from app.domain import question_types
from app.domain.messages import Message
from app.domain.records import (
    BANK_FIELDS,
    COMBINED_FEEDBACK,
    BankRecord,
    Location,
    ParseResult,
    Problem,
    QuestionRecord,
    ScenarioRecord,
)
from app.formats import type_formats
from app.formats.languages import tag_of
from app.formats.sheet_model import BANK_KEYS, COLUMNS, column_letter, read_hints_cell, restore
from app.formats.sheet_translations import read_translations
from app.formats.sheet_types import SheetHooks, SheetRow

REQUIRED = ("id", "type", "stem")
MAX_ROWS = 20_000  # far above any real bank; stops a padded file from running for minutes
MAX_COLUMNS = 64  # the documented columns fit twice; a wider sheet is refused at its cell


def sheet_types() -> dict[str, SheetHooks]:
    """The types a sheet can hold, in the registry's order, with their hooks."""
    found = {}
    for kind in question_types.all_types():
        hooks = type_formats.hooks(kind.key).sheet
        if hooks is not None:
            found[kind.key] = hooks
    return found


def cell_text(value: object) -> str:
    """A cell as text: numbers as typed, true/false in lowercase, neutralised text restored."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return restore(str(value))


def default_bank(meta: dict[str, str], source: str) -> BankRecord:
    """The bank named by its metadata, or after the file when it has none."""
    stem = PurePath(source).stem if source else "imported"
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "imported"
    bank = BankRecord(id=meta.get("id") or slug, title=meta.get("title") or stem)
    for key in ("language", "licence", "edition", "description"):
        if meta.get(key):
            setattr(bank, key, meta[key])
    bank.given = {key for key in BANK_FIELDS if meta.get(key)}
    return bank


def read_rows(
    rows: Iterable[tuple[int, Sequence[object]]], source: str, meta: dict[str, str] | None = None
) -> ParseResult:
    """A bank from the rows of one sheet, with every problem at its row and column."""
    sheet = SheetReader(source)
    meta = dict(meta or {})
    header_read, body = False, []
    for number, values in rows:
        if number > MAX_ROWS:
            sheet.report(number, None, Message("sheet.too_many_rows", {"limit": f"{MAX_ROWS:,}"}))
            break
        beyond = _first_cell_beyond(values)
        if beyond is not None:
            sheet.report(
                number,
                column_letter(beyond),
                Message(
                    "sheet.too_many_columns",
                    {"limit": MAX_COLUMNS, "last": column_letter(MAX_COLUMNS - 1)},
                ),
            )
            break
        first = cell_text(values[0]).strip() if values else ""
        if not any(cell_text(v).strip() for v in values):
            continue
        if first.startswith("#"):
            if first.lower().startswith("#bank:"):
                meta |= sheet.meta_cells(number, values)
            continue
        if header_read:
            body.append((number, values))
        elif not sheet.read_header(number, values):
            return ParseResult(default_bank(meta, source), sheet.problems)
        header_read = True
    if not header_read:
        sheet.report(1, None, Message("sheet.no_header"))
    if "language" not in meta:
        meta |= sheet.one_language(body)
    bank = default_bank(meta, source)
    for number, values in body:
        sheet.read_row(bank, number, values)
    read_translations(sheet, bank)
    return ParseResult(bank, sheet.problems)


def _first_cell_beyond(values: Sequence[object]) -> int | None:
    """The 0-based index of the first non-blank cell past the column cap, if any."""
    for position in range(MAX_COLUMNS, len(values)):
        if cell_text(values[position]).strip():
            return position
    return None


class SheetReader:
    """Knows the header of one sheet and turns its rows into records."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.index: dict[str, int] = {}
        self.labels: dict[str, str] = {}
        self.types = sheet_types()
        # The row of each question, by id, and the translation rows, read after the rest.
        self.question_rows: dict[str, tuple[int, Sequence[object]]] = {}
        self.translation_rows: list[tuple[int, Sequence[object], str]] = []

    def report(
        self, row: int, column: str | None, message: Message, severity: str = "error"
    ) -> None:
        """Record a problem at a row and, when known, a column."""
        label = self.labels.get(column, column) if column else None
        self.problems.append(
            Problem(Location(self.source, row=row, column=label), message, severity)
        )

    def meta_cells(self, row: int, values: Sequence[object]) -> dict[str, str]:
        """Bank metadata from a `#bank: id=…, title=…` row."""
        found: dict[str, str] = {}
        for position, value in enumerate(values):
            text = cell_text(value).strip()
            text = text[len("#bank:") :].strip() if position == 0 else text
            key, sep, rest = text.partition("=")
            if not text:
                continue
            if not sep or key.strip().lower() not in BANK_KEYS:
                column = f"{column_letter(position)}"
                self.report(row, column, Message("sheet.not_meta", {"text": repr(text)}), "warning")
                continue
            found[key.strip().lower()] = rest.strip()
        return found

    def read_header(self, row: int, values: Sequence[object]) -> bool:
        """Learn the columns; False when a required one is missing or a name repeats."""
        ok = True
        for position, value in enumerate(values):
            name = cell_text(value).strip().lower()
            label = f"{column_letter(position)} ({name})"
            if not name:
                continue
            if name in self.index:
                self.report(row, label, Message("sheet.column_twice", {"column": name}))
                ok = False
            elif name not in COLUMNS:
                message = Message("sheet.unknown_column", {"column": name})
                self.report(row, label, message, "warning")
            else:
                self.index[name], self.labels[name] = position, label
        for name in REQUIRED:
            if name not in self.index:
                self.report(row, None, Message("sheet.missing_column", {"column": name}))
                ok = False
        return ok

    def one_language(self, body: list[tuple[int, Sequence[object]]]) -> dict[str, str]:
        """The bank's language when the metadata gives none and every row names the same
        one (a sheet written in one language only); else nothing."""
        if "language" not in self.index:
            return {}
        found = {tag_of(self.cell(values, "language")) for _number, values in body}
        tag = found.pop() if len(found) == 1 else None
        return {"language": tag} if tag else {}

    def cell(self, values: Sequence[object], name: str) -> str:
        """The text of a named cell, '' when the column or cell is absent."""
        position = self.index.get(name)
        return (
            cell_text(values[position]) if position is not None and position < len(values) else ""
        )

    def raw(self, values: Sequence[object], name: str) -> object:
        """The value of a named cell as the sheet gave it."""
        position = self.index.get(name)
        return values[position] if position is not None and position < len(values) else None

    def read_row(self, bank: BankRecord, row: int, values: Sequence[object]) -> None:
        """Add the scenario or question of one row to the bank (a translation's row is
        kept for later)."""
        kind = self.cell(values, "type").strip().lower()
        ident = self.cell(values, "id").strip()
        language = self.cell(values, "language").strip()
        if language:
            tag = tag_of(language)
            if tag is None:
                said = {"language": repr(language)}
                self.report(row, "language", Message("sheet.language", said))
                return
            if tag != bank.language:
                self.translation_rows.append((row, values, tag))
                return
        if kind == "scenario":
            if not ident:
                self.report(row, "id", Message("sheet.scenario_id"))
            text = (self.cell(values, "title").strip(), self.cell(values, "stem"))
            bank.scenarios.append(ScenarioRecord(ident, *text))
            return
        if not ident:
            self.report(row, "id", Message("sheet.question_id"))
            return
        known_types = list(self.types)
        if kind not in known_types:
            known = ", ".join(["scenario", *known_types])
            if kind:
                message = Message("sheet.unknown_type", {"type": repr(kind), "known": known})
            else:
                message = Message("sheet.empty_type", {"known": known})
            self.report(row, "type", message)
            return
        bank.questions.append(self.question(row, values, ident, kind, bank.edition))
        self.question_rows.setdefault(ident, (row, values))

    def question(
        self, row: int, values: Sequence[object], ident: str, kind: str, edition: str
    ) -> QuestionRecord:
        """The common fields of a question row, then those of its type."""

        def text(name: str) -> str:
            return self.cell(values, name)

        q = QuestionRecord(id=ident, type=kind, stem=text("stem"))
        q.level = text("level").strip().lower() or "foundation"
        q.edition = text("edition").strip() or edition
        q.clauses = self.clauses(row, values)
        q.difficulty = self.whole(row, text("difficulty"))
        q.cognitive = text("cognitive").strip().lower() or None
        q.title, q.explanation = text("title").strip(), text("explanation")
        q.scenario = text("scenario").strip() or None
        q.tags = [t.strip() for t in text("tags").split(";") if t.strip()]
        for name in COMBINED_FEEDBACK:
            setattr(q, name, text(name))
        q.hints = read_hints_cell(text("hints"))
        q.location = Location(self.source, row=row)
        hooks = self.types
        hooks[kind].read(SheetRow(self, row, values), q)
        # Only a type that reads the rubric column has one; its marks default to its total.
        default = sum(c.marks for c in q.rubric) if q.rubric else 1.0
        q.marks = self.decimal(row, text("marks"), default)
        others = set().union(*(h.columns for h in hooks.values())) - hooks[kind].columns
        for name in sorted(others, key=COLUMNS.index):
            if text(name).strip():
                message = Message("sheet.column_not_used", {"column": name, "type": kind})
                self.report(row, name, message, "warning")
        return q

    def clauses(self, row: int, values: Sequence[object]) -> list[str]:
        """Clause numbers separated by ; (a number typed into Excel gets a warning)."""
        raw = self.raw(values, "clauses")
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            self.report(
                row,
                "clauses",
                Message("sheet.clause_number", {"clause": cell_text(raw)}),
                "warning",
            )
        return [c for c in re.split(r"[;,\s]+", self.cell(values, "clauses")) if c]

    def whole(self, row: int, text: str) -> int:
        """The difficulty, 2 when blank."""
        if not text.strip():
            return 2
        if text.strip().isdigit():
            return int(text)
        found = repr(text.strip())
        self.report(row, "difficulty", Message("sheet.difficulty", {"found": found}))
        return 2

    def decimal(self, row: int, text: str, default: float) -> float:
        """A number such as marks; a decimal comma is accepted."""
        if not text.strip():
            return default
        try:
            return float(text.strip().replace(",", "."))
        except ValueError:
            self.report(row, "marks", Message("sheet.marks", {"found": repr(text.strip())}))
            return default
