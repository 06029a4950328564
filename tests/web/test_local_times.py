"""Times are stored in UTC and shown on the reader's clocks, in the reader's language;
deadlines typed in forms are read on the typist's clocks."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, date, datetime

import flask_babel
import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook

from app.extensions import db
from app.models import SYSTEM, Attempt, DrillAssignment, Role, TeamTarget, User
from app.services import time_zones
from app.web import formatting
from tests.factories import PASSWORD, make_team, sit_exam

LATE_EVENING_UTC = datetime(2026, 12, 7, 23, 30, tzinfo=UTC)  # 07:30 on 8 December in Shanghai


@pytest.fixture
def browse(make_app) -> Callable[[User], FlaskClient]:
    """A fresh browser signed in as a user, on an app whose requests each push their own
    app context (as in production), so no reader's zone is carried over in `g`."""
    web = make_app()

    def signed_in(user: User) -> FlaskClient:
        browser = web.test_client()
        data = {"email": user.email, "password": PASSWORD}
        assert browser.post("/login", data=data).status_code == 302
        return browser

    return signed_in


def _started_late(learner) -> Attempt:
    attempt = sit_exam(learner, mode="practice", count=3, submit=False)
    attempt.started_at = LATE_EVENING_UTC
    db.session.commit()
    return attempt


def test_a_learner_in_shanghai_sees_a_late_utc_start_on_the_next_local_day(
    client, login_as, make_user, banks
):
    learner = make_user(Role.LEARNER)
    time_zones.set_own_zone(learner, "Asia/Shanghai")
    _started_late(learner)
    login_as(user=learner)

    page = client.get("/learn/history").text

    assert "Dec 8, 2026, 07:30" in page
    assert "Dec 7, 2026" not in page


def test_the_same_start_shows_on_its_utc_day_to_a_learner_in_utc(
    client, login_as, make_user, banks
):
    learner = make_user(Role.LEARNER)
    _started_late(learner)
    login_as(user=learner)
    assert "Dec 7, 2026, 23:30" in client.get("/learn/history").text


def _desk(make_user, zone: str):
    manager = make_user(Role.MANAGER)
    time_zones.set_own_zone(manager, zone)
    member = make_user(Role.LEARNER)
    return manager, member, make_team(manager, "Service desk", [member])


def test_a_deadline_typed_in_shanghai_is_stored_in_utc_and_shown_on_each_readers_clocks(
    client, login_as, make_user, banks, browse
):
    manager, _member, team = _desk(make_user, "Asia/Shanghai")
    login_as(user=manager)

    client.post(
        f"/manage/teams/{team.id}/targets",
        data={"scheme": "foundation", "share": "90", "due_on": "2026-12-12", "due_time": "23:59"},
    )

    target = db.session.query(TeamTarget).one()
    assert target.due_at == datetime(2026, 12, 12, 15, 59, tzinfo=UTC)
    people = client.get(f"/manage/teams/{team.id}/people").text
    assert "by Dec 12, 2026<" in people  # the end of the manager's day: the day says it all
    assert "read in your time zone (Asia/Shanghai)" in people

    time_zones.set_own_zone(manager, "UTC")  # the same deadline on other clocks
    assert "by Dec 12, 2026, 15:59" in browse(manager).get(f"/manage/teams/{team.id}/people").text


def test_a_drill_deadline_without_a_time_ends_the_managers_day(
    client, login_as, make_user, banks, browse
):
    manager, member, team = _desk(make_user, "Asia/Shanghai")
    login_as(user=manager)
    reply = client.post(
        f"/manage/teams/{team.id}/drills",
        data={"scheme": "foundation", "clause": "8.2", "questions": "5", "due_on": "2026-12-12"},
    )
    assert reply.status_code == 302, reply.text

    drill = db.session.query(DrillAssignment).one()
    assert drill.due_at == datetime(2026, 12, 12, 15, 59, tzinfo=UTC)

    time_zones.set_own_zone(member, "Europe/London")
    home = browse(member).get("/learn/").text
    assert "by Dec 12, 2026, 15:59" in home  # the member's clocks: not the end of their day


def test_a_deadline_time_without_a_day_is_refused_and_nothing_is_written(
    client, login_as, make_user, banks
):
    manager, _member, team = _desk(make_user, "Asia/Shanghai")
    login_as(user=manager)
    reply = client.post(
        f"/manage/teams/{team.id}/drills",
        data={"scheme": "foundation", "clause": "8.2", "questions": "5", "due_time": "18:00"},
    )
    assert reply.status_code == 400
    assert "A deadline time needs a day: choose the day too." in reply.text
    assert db.session.query(DrillAssignment).count() == 0


def test_a_london_deadline_survives_summer_time_on_its_way_in_and_out(
    client, login_as, make_user, banks
):
    manager, _member, team = _desk(make_user, "Europe/London")
    login_as(user=manager)
    for day in ("2027-07-01", "2027-01-15"):
        client.post(
            f"/manage/teams/{team.id}/targets",
            data={"scheme": "foundation", "share": "50", "due_on": day, "due_time": "17:00"},
        )
    summer, winter = db.session.query(TeamTarget).order_by(TeamTarget.due_at.desc()).all()
    assert summer.due_at == datetime(2027, 7, 1, 16, 0, tzinfo=UTC)  # BST
    assert winter.due_at == datetime(2027, 1, 15, 17, 0, tzinfo=UTC)  # GMT
    people = client.get(f"/manage/teams/{team.id}/people").text
    assert "by Jul 1, 2027, 17:00" in people and "by Jan 15, 2027, 17:00" in people


def test_exports_show_local_times_with_the_offset_or_the_zone_in_the_header(
    client, login_as, make_user, banks
):
    manager, member, team = _desk(make_user, "Asia/Shanghai")
    attempt = sit_exam(member, right=True)
    attempt.submitted_at = LATE_EVENING_UTC
    db.session.commit()
    login_as(user=manager)

    book = load_workbook(io.BytesIO(client.get(f"/manage/teams/{team.id}/evidence.xlsx").data))
    sheet = book["mock exams"]
    header = [c.value for c in sheet[1]]
    assert "submitted_at (Asia/Shanghai)" in header
    row = dict(zip(header, (c.value for c in sheet[2]), strict=True))
    assert row["submitted_at (Asia/Shanghai)"] == datetime(2026, 12, 8, 7, 30)
    about = dict(book["about"].iter_rows(min_row=2, values_only=True))
    assert "Generated at (Asia/Shanghai)" in about

    csv = client.get(f"/manage/teams/{team.id}/export/members.csv").get_data(as_text=True)
    assert "+08:00" in csv  # last activity, in ISO 8601 with its offset


def test_filters_write_dates_numbers_and_percentages_in_chinese(app):
    time_zones.set_organization_zone(SYSTEM, "Asia/Shanghai")  # the zone of anonymous readers
    with app.test_request_context(), flask_babel.force_locale("zh_Hans"):
        assert formatting.when(LATE_EVENING_UTC) == "2026年12月8日 07:30"
        assert formatting.day(LATE_EVENING_UTC) == "2026年12月8日"
        assert formatting.day(date(2026, 12, 7)) == "2026年12月7日"  # a date is not moved
        assert formatting.day_month(LATE_EVENING_UTC) == "12月8日"
        assert formatting.clock(LATE_EVENING_UTC) == "07:30"
        assert formatting.pct(0.734) == "73%" and formatting.pct(0.7346, 1) == "73.5%"
        assert formatting.number(12345.678, 1) == "12,345.7"
        assert formatting.pct(float("nan")) == "–" and formatting.when(None) == "–"


def test_english_pages_keep_short_dates_on_a_24_hour_clock(app):
    with app.test_request_context():
        assert formatting.when(LATE_EVENING_UTC) == "Dec 7, 2026, 23:30"
        assert formatting.long_day(LATE_EVENING_UTC) == "December 7, 2026"
        assert formatting.pct(0.5) == "50%" and formatting.number(1234) == "1,234"
