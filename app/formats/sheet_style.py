"""Readable worksheets for every XLSX the app writes: a bold, frozen header row with a
filter, column widths from the content, numbers with a number format and dates as dates.

Cells keep their types: an int is written with the format "0", a float with "0.00"
(or the format the caller gives for its column), a date-time as a date-time with
"yyyy-mm-dd hh:mm" and a date with "yyyy-mm-dd", so that a spreadsheet sorts, sums and
filters them as what they are. Text is never touched here (callers neutralise it).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

INTEGER = "0"
DECIMAL = "0.00"
DATE_TIME = "yyyy-mm-dd hh:mm"
DATE = "yyyy-mm-dd"
MIN_WIDTH, MAX_WIDTH = 8, 60
_HEADER_FILL = PatternFill("solid", start_color="E8ECF3", end_color="E8ECF3")
# Characters a formatted value takes on screen, for the widths.
_SHOWN = {INTEGER: 0, DECIMAL: 6, DATE_TIME: 16, DATE: 10}


def number_format(value: object, column_format: str | None = None) -> str | None:
    """The format for a cell value, or None for text and blanks."""
    if isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return DATE_TIME
    if isinstance(value, date):
        return DATE
    if isinstance(value, int):
        return column_format or INTEGER
    if isinstance(value, float):
        return column_format or DECIMAL
    return None


def style_sheet(
    sheet: Worksheet,
    formats: Mapping[str, str] | None = None,
    widths: Mapping[str, int] | None = None,
) -> None:
    """Style a sheet whose first row is the header (module docstring).

    `formats`: header → number format for that column's numbers (e.g. "0%");
    `widths`: header → a fixed width, for long text columns best wrapped.
    """
    if sheet.max_row < 1 or sheet.max_column < 1:
        return
    formats, widths = formats or {}, widths or {}
    header = [cell.value for cell in sheet[1]]
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for position, name in enumerate(header, start=1):
        letter = get_column_letter(position)
        given = formats.get(str(name))
        longest = len(str(name)) if name is not None else 0
        for (cell,) in sheet.iter_rows(min_row=2, min_col=position, max_col=position):
            fmt = number_format(cell.value, given)
            if fmt is not None:
                cell.number_format = fmt
                shown = _SHOWN.get(fmt, len(fmt)) or len(str(cell.value))
            else:
                shown = len(str(cell.value)) if cell.value is not None else 0
            longest = max(longest, shown)
        fixed = widths.get(str(name))
        width = fixed if fixed else min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
