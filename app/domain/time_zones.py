"""Time zones: which IANA names a person may choose, and local wall-clock times in UTC.

Times are stored in UTC (`app.models.base.UTCDateTime`) and shown in the reader's zone.
A zone is an IANA name ("Asia/Shanghai"); Clausewise offers the zones the time zone
database lists for the countries of the world (its zone.tab: no old aliases such as
Asia/Calcutta or US/Eastern), and UTC, with the zones its first organizations work in
at the top (`COMMON`). Deadlines typed into forms are wall-clock times in the
typist's zone: `deadline_at` turns one into the UTC moment to store.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TypeGuard
from zoneinfo import TZPATH, ZoneInfo, available_timezones

DEFAULT = "UTC"
# Offered first, in this order: where Clausewise's first organizations work.
COMMON = (
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Singapore",
    "Europe/London",
    "UTC",
)
# The top-level regions of the IANA database, in the order a list shows them.
REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)
# A deadline given as a day alone ends at this minute of that day, in the typist's zone.
END_OF_DAY = time(23, 59)


@cache
def zone_names() -> tuple[str, ...]:
    """Every zone a person may choose, sorted by name: the countries' zones and UTC."""
    available = available_timezones()
    found = {n for n in _listed_zones() if n in available and region_of(n) in REGIONS}
    return tuple(sorted(found | set(COMMON) | {DEFAULT}))


def _listed_zones() -> set[str]:
    """The zones of the database's zone.tab (tzdata's copy, else the system's); without
    either, every zone of a region (aliases included)."""
    for read in (_tzdata_table, _system_table):
        try:
            text = read()
        except (OSError, ModuleNotFoundError):
            continue
        lines = (line.split("\t") for line in text.splitlines() if not line.startswith("#"))
        return {parts[2].strip() for parts in lines if len(parts) >= 3}
    return set(available_timezones())


def _tzdata_table() -> str:
    return files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")


def _system_table() -> str:
    for root in TZPATH:
        path = Path(root) / "zone.tab"
        if path.exists():
            return path.read_text(encoding="utf-8")
    raise FileNotFoundError("zone.tab")


def is_zone(name: object) -> TypeGuard[str]:
    """True when `name` is a zone a person may choose (see `zone_names`)."""
    return isinstance(name, str) and name in _known()


@cache
def _known() -> frozenset[str]:
    return frozenset(zone_names())


def zone(name: str | None) -> ZoneInfo:
    """The zone called `name`; UTC for None or a name Clausewise does not offer."""
    return ZoneInfo(name if is_zone(name) else DEFAULT)


def region_of(name: str) -> str:
    """The region a zone is listed under ("Asia" for Asia/Shanghai, "UTC" for UTC)."""
    return name.split("/", 1)[0] if "/" in name else DEFAULT


def grouped_zones() -> list[tuple[str, tuple[str, ...]]]:
    """(group, zones) in the order a list shows them: the common zones under "common",
    then each region's zones (UTC last, under "UTC")."""
    groups: list[tuple[str, tuple[str, ...]]] = [("common", COMMON)]
    for region in (*REGIONS, DEFAULT):
        names = tuple(n for n in zone_names() if region_of(n) == region)
        if names:
            groups.append((region, names))
    return groups


def utc_offset(name: str, moment: datetime) -> str:
    """The zone's offset from UTC at `moment`, as "UTC+08:00"."""
    offset = moment.astimezone(zone(name)).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def deadline_at(day: date, at: time | None, zone_name: str) -> datetime:
    """The UTC moment of `day` at `at` (END_OF_DAY when None) on the clocks of `zone_name`.

    A wall-clock time that a change to summer time skips is read with the offset in force
    just before the change (so it lands an hour later on the clock); one that occurs twice
    when clocks go back is the first of the two.
    """
    local = datetime.combine(day, at or END_OF_DAY, tzinfo=zone(zone_name))
    return local.astimezone(UTC)


def local_time(moment: datetime, zone_name: str) -> datetime:
    """`moment` (timezone-aware) on the clocks of `zone_name`."""
    return moment.astimezone(zone(zone_name))


def ends_the_day(moment: datetime, zone_name: str) -> bool:
    """True when `moment` falls at END_OF_DAY on the clocks of `zone_name` (a deadline
    given as a day alone), so that showing the day says it all."""
    local = local_time(moment, zone_name)
    return (local.hour, local.minute) == (END_OF_DAY.hour, END_OF_DAY.minute)
