"""A learner sets their own weekly goal; the page counts their final answers per ISO week."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.analytics.weekly_goal import answers_per_day, goal_progress
from app.errors import InvalidInput
from app.extensions import db
from app.models import Role
from app.services import users
from tests.factories import sit_exam

NOW = datetime(2026, 12, 9, 15, 0, tzinfo=UTC)  # a Wednesday


def _answered_on(attempt, *moments: datetime) -> None:
    """Move the attempt's answers to `moments`, one answer each, in item order."""
    responses = sorted((i.response for i in attempt.items if i.response), key=lambda r: r.id)
    assert len(responses) >= len(moments)
    for response, moment in zip(responses, moments, strict=False):
        response.answered_at = moment
    for response in responses[len(moments) :]:
        response.answered_at = NOW - timedelta(days=400)  # long before any streak
    db.session.commit()


@pytest.mark.parametrize("goal", [0, 1, 120, 500])
def test_a_learner_sets_a_weekly_goal_from_0_to_500(make_user, goal):
    learner = make_user(role=Role.LEARNER)
    users.set_weekly_goal(learner, goal)
    db.session.expire_all()
    assert db.session.get(type(learner), learner.id).weekly_goal == goal


@pytest.mark.parametrize("goal", [-1, 501, 10_000, True, 2.5, "20", None])
def test_a_goal_out_of_range_or_not_a_whole_number_is_refused_and_nothing_changes(make_user, goal):
    learner = make_user(role=Role.LEARNER)
    users.set_weekly_goal(learner, 30)
    with pytest.raises(InvalidInput, match="from 0 to 500"):
        users.set_weekly_goal(learner, goal)
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(type(learner), learner.id).weekly_goal == 30


def test_no_answers_no_goal_no_streak(make_user):
    learner = make_user(role=Role.LEARNER)
    found = goal_progress(learner.id, NOW)
    assert (found.goal, found.this_week, found.streak) == (0, 0, 0)
    assert found.week_start.isoformat() == "2026-12-07"


def test_answers_count_on_their_utc_day_and_only_the_learners_own_final_ones(banks, make_user):
    learner = make_user(role=Role.LEARNER)
    other = make_user(role=Role.LEARNER)
    sunday_night = datetime(2026, 12, 6, 23, 59, tzinfo=UTC)
    monday = datetime(2026, 12, 7, 0, 0, tzinfo=UTC)
    _answered_on(sit_exam(learner, mode="practice", count=10, right=True), sunday_night, monday)
    sit_exam(other, mode="practice", count=10, right=True)
    open_exam = sit_exam(learner, right=True, submit=False)  # answered, not final: does not count
    _answered_on(open_exam, monday, monday)
    days = answers_per_day(learner.id, NOW)
    assert days[sunday_night.date()] == 1 and days[monday.date()] == 1
    assert sum(n for d, n in days.items() if d >= monday.date()) == 1
    assert goal_progress(learner.id, NOW).this_week == 1


def test_a_later_answer_is_not_counted_as_of_an_earlier_moment(banks, make_user):
    learner = make_user(role=Role.LEARNER)
    _answered_on(sit_exam(learner, mode="practice", count=10, right=True), NOW + timedelta(hours=1))
    assert goal_progress(learner.id, NOW).this_week == 0


def test_the_streak_counts_weeks_with_the_goal_met(banks, make_user):
    learner = make_user(role=Role.LEARNER)
    users.set_weekly_goal(learner, 2)
    this_week = [NOW - timedelta(hours=h) for h in (1, 2)]  # met this week so far
    last_week = [NOW - timedelta(days=7, hours=h) for h in (1, 2, 3)]
    two_back = [NOW - timedelta(days=14)]  # one short: the streak stops here
    three_back = [NOW - timedelta(days=21, hours=h) for h in (1, 2)]
    attempt = sit_exam(learner, mode="practice", count=10, right=True)
    _answered_on(attempt, *this_week, *last_week, *two_back, *three_back)
    found = goal_progress(learner.id, NOW)
    assert (found.goal, found.this_week, found.streak, found.met) == (2, 2, 2, True)
    users.set_weekly_goal(learner, 3)
    found = goal_progress(learner.id, NOW)
    assert (found.this_week, found.streak, found.still_needed) == (2, 1, 1)  # last week alone


def test_with_no_goal_the_streak_counts_days_with_an_answer(banks, make_user):
    learner = make_user(role=Role.LEARNER)
    days = [NOW - timedelta(days=d) for d in (1, 2, 3, 5)]  # none today yet; a gap on day 4
    _answered_on(sit_exam(learner, mode="practice", count=10, right=True), *days)
    assert goal_progress(learner.id, NOW).streak == 3


def test_weeks_and_days_follow_the_learners_time_zone(banks, make_user):
    # Monday 7 December 01:30 in Shanghai is still Sunday 17:30 in UTC; Kathmandu's
    # offset (+05:45) is not a whole hour.
    learner = make_user(role=Role.LEARNER)
    sunday_evening_utc = datetime(2026, 12, 6, 17, 30, tzinfo=UTC)
    _answered_on(sit_exam(learner, mode="practice", count=10, right=True), sunday_evening_utc)
    assert goal_progress(learner.id, NOW).this_week == 0  # UTC: last week
    for zone, counted in (("Asia/Shanghai", 1), ("Asia/Kathmandu", 0), ("America/New_York", 0)):
        learner.time_zone = zone
        db.session.commit()
        found = goal_progress(learner.id, NOW)
        assert (zone, found.this_week) == (zone, counted)
    kathmandu = datetime(2026, 12, 6, 18, 15, tzinfo=UTC)  # 00:00 on Monday in Kathmandu
    _answered_on(sit_exam(learner, mode="practice", count=10, right=True), kathmandu)
    learner.time_zone = "Asia/Kathmandu"
    db.session.commit()
    assert goal_progress(learner.id, NOW).this_week == 1
    assert answers_per_day(learner.id, NOW, ZoneInfo("Asia/Kathmandu"))[date(2026, 12, 7)] == 1
