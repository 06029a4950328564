"""Reading a user-import CSV into rows, each problem located by row and column.

UTF-8 with or without a byte-order mark, comma or semicolon separated; see
app/services/user_import.py for what the columns mean.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from flask_babel import gettext as _

from app import languages
from app.models import Role

# (row, column, why); row 0 is the file as a whole, row 1 its header.
Errors = list[tuple[int, str, str]]
MAX_ROWS = 5000
REQUIRED = ("email", "name", "roles")
OPTIONAL = ("language", "teams", "team")
_SPLIT = re.compile(r"[;|]")
_ROLE_SPLIT = re.compile(r"[;|,\s]+")


@dataclass
class CsvRow:
    """One row as read: its cells, by column."""

    number: int
    email: str
    name: str
    roles: str
    language: str
    teams: list[str]


def decode(content: bytes, errors: Errors) -> str | None:
    """The file's text, or None with a located error when it is not UTF-8."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = content[: error.start].count(b"\n") + 1
        errors.append((row, "", _("the file is not UTF-8 text (save it as CSV UTF-8)")))
        return None


def _header(cells: list[str], errors: Errors) -> list[str] | None:
    """The header's column names, lower-cased; None when a required one is missing."""
    names = [cell.strip().lower() for cell in cells]
    for column, name in enumerate(names, start=1):
        if name not in REQUIRED + OPTIONAL:
            errors.append(
                (
                    1,
                    name or str(column),
                    _("unknown column; the columns are email, name, roles, language and teams"),
                )
            )
    for name in REQUIRED:
        if name not in names:
            errors.append((1, name, _("the header row must name this column")))
    return None if errors else names


def read_rows(text: str, errors: Errors) -> list[CsvRow]:
    """The rows under the header; located errors for unreadable or overlong ones."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[CsvRow] = []
    try:
        names = _header(next(reader, []), errors)
        if names is None:
            return []
        for cells in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                errors.append((number, "", _("at most %(n)d rows", n=MAX_ROWS)))
                break
            if len(cells) > len(names):
                errors.append((number, "", _("more cells than the header has columns")))
                continue
            values: dict[str, str] = {}
            teams: list[str] = []
            for name, cell in zip(names, cells, strict=False):
                if name in ("teams", "team"):
                    teams.extend(t.strip() for t in _SPLIT.split(cell) if t.strip())
                else:
                    values[name] = cell.strip()
            rows.append(
                CsvRow(
                    number,
                    values.get("email", ""),
                    " ".join(values.get("name", "").split()),
                    values.get("roles", ""),
                    languages.from_tag(values.get("language", "")),
                    teams,
                )
            )
    except csv.Error as error:
        errors.append((reader.line_num, "", _("unreadable CSV: %(e)s", e=str(error))))
    return rows


def parse_roles(cell: str, row: int, errors: Errors) -> set[Role] | None:
    """The roles a cell names (None when it is empty); errors for unknown ones."""
    words = [w.lower() for w in _ROLE_SPLIT.split(cell) if w]
    if not words:
        return None
    known = {r.value for r in Role}
    unknown = [w for w in words if w not in known]
    if unknown:
        errors.append(
            (
                row,
                "roles",
                _(
                    "unknown role %(roles)s; roles are learner, trainer, manager and admin",
                    roles=", ".join(unknown),
                ),
            )
        )
        return None
    return {Role(w) for w in words}
