"""Times, dates, numbers and percentages as the reader's language and time zone write them.

Times are stored in UTC; every page shows them on the reader's clocks (the signed-in
user's zone, else the organization's: `select_timezone`, Flask-Babel's time zone
selector). Babel writes them in the reader's locale from CLDR skeletons, so
English reads "Dec 7, 2026, 21:30" and Chinese "2026年12月7日 21:30", both on a
24-hour clock. Template filters (`install_formatting_filters`):

    moment|when          date and time           Dec 7, 2026, 21:30
    moment|day           the date                Dec 7, 2026
    moment|day_month     the date, no year       Dec 7
    moment|long_day      the date, month named   December 7, 2026
    moment|clock         the time                21:30
    moment|deadline      the date, and the time unless it ends the day
    count|number         a number                12,345
    share|pct(digits)    a fraction as percent   0.734 → 73% (pct(1) → 73.4%)

A datetime is converted to the reader's zone first (a naive one is taken as UTC); a
date is shown as it is. Missing values (None, NaN, NaT) show as an en dash.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_skeleton
from babel.numbers import format_decimal, format_percent
from flask import Flask, has_app_context, has_request_context
from flask_babel import get_locale, get_timezone
from flask_login import current_user

from app.domain import time_zones
from app.models.base import utcnow

DASH = "–"
SOURCE_LOCALE = Locale.parse("en")


def select_timezone() -> str | None:
    """Flask-Babel's time zone selector: the signed-in user's zone, else the
    organization's (UTC outside a request)."""
    from app.services.time_zones import organization_zone

    if not has_request_context():
        return None  # CLI and services outside a request work in UTC
    if (
        current_user
        and current_user.is_authenticated
        and time_zones.is_zone(current_user.time_zone)
    ):
        return current_user.time_zone
    return organization_zone()


def reader_locale() -> Locale:
    """The reader's locale (English outside a request)."""
    found = get_locale() if has_app_context() else None
    return found or SOURCE_LOCALE


def reader_zone_name() -> str:
    """The IANA name of the reader's time zone (UTC outside an app context)."""
    if not has_app_context():
        return time_zones.DEFAULT
    name = str(get_timezone())
    return name if time_zones.is_zone(name) else time_zones.DEFAULT


def reader_zone() -> ZoneInfo:
    """The reader's time zone."""
    return time_zones.zone(reader_zone_name())


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return str(value) == "NaT"  # pandas' missing time (pd.NaT is no datetime subclass)


def local(moment: datetime) -> datetime:
    """`moment` on the reader's clocks; a naive datetime is taken as UTC."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(reader_zone())


def _as_local(value: date) -> date:
    """A datetime moved to the reader's zone; a date as it is."""
    if isinstance(value, datetime):
        return local(value)
    return value


def _skeleton(value: date, skeleton: str) -> str:
    return format_skeleton(skeleton, value, locale=reader_locale())


def when(value: datetime | None) -> str:
    """Date and time on the reader's clocks: "Dec 7, 2026, 21:30"."""
    if _missing(value):
        return DASH
    assert value is not None
    shown = local(value)
    locale = reader_locale()
    # The locale's own way of joining a date and a time ("{1}, {0}" in English).
    joined = str(locale.datetime_formats["medium"]).replace("'", "")
    return joined.replace("{1}", _skeleton(shown, "yMMMd")).replace("{0}", _clock(shown))


def _clock(value: date) -> str:
    return _skeleton(value, "Hm")


def day(value: date | None) -> str:
    """The date (of a moment, on the reader's clocks): "Dec 7, 2026"."""
    return DASH if _missing(value) else _skeleton(_as_local(value), "yMMMd")  # type: ignore[arg-type]


def day_month(value: date | None) -> str:
    """The date without the year: "Dec 7"."""
    return DASH if _missing(value) else _skeleton(_as_local(value), "MMMd")  # type: ignore[arg-type]


def long_day(value: date | None) -> str:
    """The date with the month in full: "December 7, 2026"."""
    return DASH if _missing(value) else _skeleton(_as_local(value), "yMMMMd")  # type: ignore[arg-type]


def clock(value: datetime | None) -> str:
    """The time of a moment on the reader's clocks: "21:30"."""
    return DASH if _missing(value) else _clock(local(value))  # type: ignore[arg-type]


def deadline(value: datetime | None) -> str:
    """A deadline: the day when it ends that day on the reader's clocks (23:59), else the
    day and the time (a deadline set by someone in another zone)."""
    if _missing(value):
        return DASH
    assert value is not None
    if time_zones.ends_the_day(value, reader_zone_name()):
        return day(value)
    return when(value)


def number(value: float | None, digits: int | None = None) -> str:
    """A number in the reader's locale: 12345 → "12,345"; `digits` fixes the decimals."""
    if _missing(value):
        return DASH
    assert value is not None
    pattern = None if digits is None else "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=reader_locale())


def pct(value: float | None, digits: int = 0) -> str:
    """A fraction as a percentage in the reader's locale: 0.734 → "73%" (digits=1: "73.4%")."""
    if _missing(value):
        return DASH
    assert value is not None
    locale = reader_locale()
    pattern = str(locale.percent_formats[None].pattern)
    if digits:  # the last zero before the sign takes the decimals: "#,##0%" → "#,##0.0%"
        pattern = re.sub(r"0(?=[^0#,.]*$)", "0." + "0" * digits, pattern.split(";")[0], count=1)
    return format_percent(float(value), format=pattern, locale=locale)


def install_formatting_filters(app: Flask) -> None:
    """Make the filters of the module docstring available to every template."""
    app.jinja_env.filters.update(
        when=when,
        day=day,
        day_month=day_month,
        long_day=long_day,
        clock=clock,
        deadline=deadline,
        number=number,
        pct=pct,
    )
    app.jinja_env.globals.update(reader_zone_name=reader_zone_name, now_utc=utcnow)
