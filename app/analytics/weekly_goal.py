"""A learner's weekly goal and streak: questions answered per ISO week, on the learner's
own clock (their time zone: a week starts at Monday 00:00 where they live).

An answer counts on the learner's day it was given once it is final, as readiness counts it
(a checked practice answer, an answer of a submitted exam): answers left in an open
exam, or in a practice set discarded unchecked, do not count; nor does an empty one (a
question paged past or cleared is stored as a JSON null and scores 0 once submitted, but
was not answered).

With a goal (questions per ISO week, Monday to Sunday), the streak is the number of
consecutive weeks in which it was met, ending with this week once it is met, else with
last week; earlier weeks are measured against the goal as it is now. With no goal (0),
it is the number of consecutive days with an answer, ending today once there is one,
else yesterday. The counting is pure (`week_streak`, `day_streak`) so that it can be
checked without a database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from sqlalchemy import Text, cast, func, select

from app.analytics.answers import days_since_epoch
from app.domain import time_zones
from app.extensions import db
from app.models import Response, User

_EPOCH_UTC = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class GoalProgress:
    """This week's answers against the learner's goal, and the streak."""

    goal: int  # questions per ISO week; 0: no goal
    this_week: int  # final answers since Monday 00:00 on the learner's clock
    streak: int  # weeks in a row with the goal met, or (no goal) days in a row with answers
    week_start: date  # the Monday of this ISO week

    @property
    def met(self) -> bool:
        """The goal is set and already met this week."""
        return self.goal > 0 and self.this_week >= self.goal

    @property
    def percent(self) -> float:
        """This week's answers as a percentage of the goal, at most 100 (0 with no goal)."""
        return min(100.0, 100.0 * self.this_week / self.goal) if self.goal else 0.0

    @property
    def still_needed(self) -> int:
        """Answers still to give this week to meet the goal."""
        return max(self.goal - self.this_week, 0)


def monday_of(day: date) -> date:
    """The Monday that starts `day`'s ISO week."""
    return day - timedelta(days=day.weekday())


# Answers are counted per quarter of an hour in SQL, then each quarter is put on its day
# in the learner's zone: every zone's offset from UTC is a whole number of quarters, so a
# quarter never straddles two local days, whatever the zone or its summer time.
_QUARTERS_PER_DAY = 96


def answers_per_day(user_id: int, now: datetime, zone: tzinfo = UTC) -> dict[date, int]:
    """Day in `zone` → final answers the learner gave that day, up to `now`."""
    # Days as a float lose a little: a moment on the quarter's first millisecond must not
    # fall back into the quarter before (a local midnight, in some zone).
    quarter = func.floor(days_since_epoch(Response.answered_at) * _QUARTERS_PER_DAY + 1e-6)
    stmt = (
        select(quarter, func.count())
        .where(
            Response.user_id == user_id,
            Response.score.is_not(None),
            cast(Response.value, Text) != "null",  # paged past or cleared: not an answer
            Response.answered_at <= now,
        )
        .group_by(quarter)
    )
    days: dict[date, int] = {}
    for q, n in db.session.execute(stmt):
        moment = _EPOCH_UTC + timedelta(minutes=15 * int(q))
        day = moment.astimezone(zone).date()
        days[day] = days.get(day, 0) + int(n)
    return days


def per_week(days: Mapping[date, int]) -> dict[date, int]:
    """Answers per ISO week, keyed by the week's Monday."""
    weeks: dict[date, int] = {}
    for day, count in days.items():
        weeks[monday_of(day)] = weeks.get(monday_of(day), 0) + count
    return weeks


def week_streak(weeks: Mapping[date, int], goal: int, this_monday: date) -> int:
    """Consecutive weeks with at least `goal` answers, ending with this week when it is
    met already, else with last week (a week under way does not break a streak)."""
    if goal <= 0:
        return 0
    monday = this_monday if weeks.get(this_monday, 0) >= goal else this_monday - timedelta(7)
    streak = 0
    while weeks.get(monday, 0) >= goal:
        streak += 1
        monday -= timedelta(days=7)
    return streak


def day_streak(days: Mapping[date, int], today: date) -> int:
    """Consecutive days with an answer, ending today when there is one, else yesterday."""
    day = today if days.get(today, 0) > 0 else today - timedelta(days=1)
    streak = 0
    while days.get(day, 0) > 0:
        streak += 1
        day -= timedelta(days=1)
    return streak


def goal_progress(user_id: int, now: datetime) -> GoalProgress:
    """The learner's goal, this ISO week's answers and their streak as of `now`, in the
    learner's time zone."""
    user = db.session.get(User, user_id)
    goal = user.weekly_goal if user is not None else 0
    zone = time_zones.zone(user.time_zone if user is not None else None)
    days = answers_per_day(user_id, now, zone)
    today = now.astimezone(zone).date()
    this_monday = monday_of(today)
    weeks = per_week(days)
    streak = week_streak(weeks, goal, this_monday) if goal else day_streak(days, today)
    return GoalProgress(goal, weeks.get(this_monday, 0), streak, this_monday)
