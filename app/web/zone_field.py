"""The time zone select of the profile and admin forms: grouped, the common zones first.

Each option is the IANA name (what is stored), the city in the reader's language where
that says more than the name, and the zone's offset from UTC now: "Asia/Shanghai
(UTC+08:00)"; in Chinese "Asia/Shanghai · 上海 (UTC+08:00)". Browsers jump to an option
by typing its first letters, so the long list stays quick to use from the keyboard.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from babel.dates import get_timezone_location
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import ValidationError

from app.domain import time_zones
from app.models.base import utcnow
from app.services.time_zones import UnknownZone, checked_zone
from app.web.formatting import reader_locale

GROUP_LABELS = {
    "common": _l("Common time zones"),
    "Africa": _l("Africa"),
    "America": _l("Americas"),
    "Antarctica": _l("Antarctica"),
    "Asia": _l("Asia"),
    "Atlantic": _l("Atlantic Ocean"),
    "Australia": _l("Australia"),
    "Europe": _l("Europe"),
    "Indian": _l("Indian Ocean"),
    "Pacific": _l("Pacific Ocean"),
    "UTC": _l("Coordinated Universal Time"),
}


@cache
def _city(name: str, locale: str) -> str:
    """The zone's city (or "UTC") in `locale`'s words, as CLDR names it."""
    try:
        return str(get_timezone_location(name, locale=locale, return_city=True))
    except LookupError:
        return name


def option_label(name: str) -> str:
    """What the list shows for zone `name` (module docstring)."""
    offset = time_zones.utc_offset(name, utcnow())
    city = _city(name, str(reader_locale()))
    if city == name.rsplit("/", 1)[-1].replace("_", " ") or city == name:
        return _("%(zone)s (%(offset)s)", zone=name, offset=offset)
    return _("%(zone)s · %(city)s (%(offset)s)", zone=name, city=city, offset=offset)


def zone_choices() -> dict[str, list[tuple[str, str]]]:
    """The select's option groups: the common zones, then each region's others."""
    common = set(time_zones.COMMON)
    groups: dict[str, list[tuple[str, str]]] = {}
    for group, names in time_zones.grouped_zones():
        shown = names if group == "common" else [n for n in names if n not in common]
        if shown:
            groups[str(GROUP_LABELS[group])] = [(n, option_label(n)) for n in shown]
    return groups


class TimeZoneField(SelectField):
    """A select of every zone a person may choose; an unknown name gets a clear message."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = zone_choices()

    def pre_validate(self, form: Any) -> None:
        """Refuse a name that is not on the list, saying what was sent."""
        try:
            checked_zone(self.data)
        except UnknownZone as err:
            raise ValidationError(err.message) from err
