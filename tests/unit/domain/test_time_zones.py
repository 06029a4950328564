"""Which zones a person may choose, and wall-clock deadlines turned into UTC moments."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from app.domain import time_zones
from app.domain.time_zones import deadline_at, ends_the_day, local_time


def test_the_common_zones_come_first_and_aliases_are_not_offered():
    groups = time_zones.grouped_zones()
    assert groups[0] == ("common", time_zones.COMMON)
    assert time_zones.COMMON[:5] == (
        "Asia/Shanghai",
        "Asia/Hong_Kong",
        "Asia/Taipei",
        "Asia/Singapore",
        "Europe/London",
    )
    assert [name for name, _zones in groups[1:4]] == ["Africa", "America", "Antarctica"]
    for name in ("UTC", "Asia/Shanghai", "America/Argentina/Buenos_Aires", "Pacific/Auckland"):
        assert time_zones.is_zone(name)
    for name in ("Asia/Calcutta", "US/Eastern", "Etc/GMT+8", "localtime", "Mars/Olympus", None):
        assert not time_zones.is_zone(name)


def test_a_shanghai_deadline_typed_as_12_december_23_59_is_15_59_utc():
    due = deadline_at(date(2026, 12, 12), time(23, 59), "Asia/Shanghai")
    assert due == datetime(2026, 12, 12, 15, 59, tzinfo=UTC)
    assert deadline_at(date(2026, 12, 12), None, "Asia/Shanghai") == due  # a day alone: 23:59
    assert ends_the_day(due, "Asia/Shanghai") and not ends_the_day(due, "UTC")


def test_london_deadlines_keep_their_wall_clock_time_across_summer_time():
    summer = deadline_at(date(2027, 7, 1), time(9, 0), "Europe/London")
    winter = deadline_at(date(2027, 1, 15), time(9, 0), "Europe/London")
    assert summer == datetime(2027, 7, 1, 8, 0, tzinfo=UTC)  # BST, UTC+1
    assert winter == datetime(2027, 1, 15, 9, 0, tzinfo=UTC)  # GMT
    for moment in (summer, winter):  # the round trip gives the typed time back
        shown = local_time(moment, "Europe/London")
        assert (shown.hour, shown.minute) == (9, 0)


def test_times_the_clocks_skip_or_repeat_are_read_without_failing():
    skipped = deadline_at(date(2027, 3, 28), time(1, 30), "Europe/London")  # clocks go 1→2
    assert skipped == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)  # 02:30 BST on the clock
    repeated = deadline_at(date(2027, 10, 31), time(1, 30), "Europe/London")  # 1:30 twice
    assert repeated == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # the first, in BST


def test_an_offset_is_written_as_utc_plus_hours_and_minutes():
    moment = datetime(2027, 7, 1, tzinfo=UTC)
    assert time_zones.utc_offset("Asia/Shanghai", moment) == "UTC+08:00"
    assert time_zones.utc_offset("Europe/London", moment) == "UTC+01:00"
    assert time_zones.utc_offset("America/St_Johns", moment) == "UTC-02:30"
    assert time_zones.utc_offset("UTC", moment) == "UTC+00:00"
