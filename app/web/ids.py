"""Record ids from URLs, query strings and forms, bounded to what the database can hold.

Every id column is a signed 64-bit integer (BIGINT on PostgreSQL, INTEGER on SQLite), and
a larger number makes the database driver raise instead of finding nothing. Flask's `int`
URL converter is replaced app-wide by one that stops at that maximum, so an id path
beyond it is simply not found (404); ids in query strings and form fields go through
`parse_id`, which refuses them with a message that names the field (400).
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter, Map

from app.errors import InvalidInput

MAX_ID = 2**63 - 1
MIN_ID = -(2**63)


def _digits_up_to(limit: int) -> str:
    """A regular expression matching the decimal numbers from 0 to `limit` (no sign)."""
    top = str(limit)
    shorter = rf"\d{{1,{len(top) - 1}}}"
    same_length = [
        f"{top[:i]}[0-{int(digit) - 1}]"
        + (rf"\d{{{len(top) - i - 1}}}" if i < len(top) - 1 else "")
        for i, digit in enumerate(top)
        if digit != "0"
    ]
    return "(?:" + "|".join([shorter, *same_length, top]) + ")"


class BoundedIntConverter(IntegerConverter):
    """The `int` URL converter, limited to the database's signed 64-bit range.

    The bound is in the regular expression, so a larger number matches no rule at all
    (a 404, where a refusal in `to_python` would let a rule for another method answer 405).
    """

    regex = _digits_up_to(MAX_ID)

    def __init__(
        self,
        map: Map,  # werkzeug's parameter names, so the builtins are reached through builtins
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,
        signed: bool = False,
    ) -> None:
        low = MIN_ID if min is None else builtins.max(min, MIN_ID)
        high = MAX_ID if max is None else builtins.min(max, MAX_ID)
        super().__init__(map, fixed_digits=fixed_digits, min=low, max=high, signed=signed)


def install_bounded_ids(app: Flask) -> None:
    """Use the bounded converter for every `<int:…>` rule; call before blueprints register."""
    app.url_map.converters["int"] = BoundedIntConverter


def parse_id(value: Any, field: str) -> int:
    """A record id given in a query or form field, or InvalidInput naming the field."""
    text = str(value).strip() if value is not None else ""
    if text.isascii() and text.isdigit() and len(text) <= 19 and 0 < int(text) <= MAX_ID:
        return int(text)
    raise InvalidInput(
        _(
            "The field “%(field)s” must hold a record number from 1 to %(max)d.",
            field=field,
            max=MAX_ID,
        )
    )


def optional_id(values: Mapping[str, Any], field: str) -> int | None:
    """The id in `values[field]` (request.args or request.form), None when absent or empty."""
    raw = values.get(field)
    if raw is None or str(raw).strip() == "":
        return None
    return parse_id(raw, field)
