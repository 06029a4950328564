"""The weekly goal's streak, counted in ISO weeks (Monday to Sunday) or, with no goal, days."""

from datetime import date, timedelta

from app.analytics.weekly_goal import GoalProgress, day_streak, monday_of, per_week, week_streak

THIS_MONDAY = date(2026, 12, 7)  # a Monday
WEEK = timedelta(days=7)


def weeks_back(*counts: int) -> dict[date, int]:
    """Answers per week: this week first, then each week before it."""
    return {THIS_MONDAY - k * WEEK: n for k, n in enumerate(counts)}


def test_weeks_start_on_monday_and_days_add_up_per_iso_week():
    assert monday_of(date(2026, 12, 13)) == THIS_MONDAY  # a Sunday
    assert monday_of(THIS_MONDAY) == THIS_MONDAY
    assert monday_of(date(2027, 1, 1)) == date(2026, 12, 28)  # across the year's end
    days = {date(2026, 12, 6): 3, date(2026, 12, 7): 4, date(2026, 12, 13): 5}
    assert per_week(days) == {date(2026, 11, 30): 3, THIS_MONDAY: 9}


def test_no_answers_is_no_streak():
    assert week_streak({}, 20, THIS_MONDAY) == 0
    assert day_streak({}, THIS_MONDAY) == 0


def test_a_goal_met_this_week_already_counts_this_week():
    assert week_streak(weeks_back(20), 20, THIS_MONDAY) == 1
    assert week_streak(weeks_back(25, 20, 30), 20, THIS_MONDAY) == 3


def test_a_week_under_way_does_not_break_the_streak_of_the_weeks_before():
    assert week_streak(weeks_back(5, 20, 21), 20, THIS_MONDAY) == 2
    assert week_streak(weeks_back(0, 20), 20, THIS_MONDAY) == 1


def test_a_week_short_of_the_goal_or_without_answers_breaks_the_streak():
    assert week_streak(weeks_back(20, 19, 40, 40), 20, THIS_MONDAY) == 1
    assert week_streak(weeks_back(20, 20, 0, 40), 20, THIS_MONDAY) == 2
    gap = {THIS_MONDAY: 30, THIS_MONDAY - 2 * WEEK: 30}  # last week missing altogether
    assert week_streak(gap, 20, THIS_MONDAY) == 1
    assert week_streak(weeks_back(3, 0, 50), 20, THIS_MONDAY) == 0


def test_no_goal_has_no_week_streak():
    assert week_streak(weeks_back(50, 50), 0, THIS_MONDAY) == 0


def test_days_in_a_row_end_today_or_yesterday():
    today = date(2026, 12, 9)
    days = {today - timedelta(days=k): 1 for k in range(4)}
    assert day_streak(days, today) == 4
    del days[today]
    assert day_streak(days, today) == 3  # nothing yet today: the streak still stands
    assert day_streak(days, today + timedelta(days=1)) == 0  # a whole day missed
    days[today - timedelta(days=2)] = 0
    assert day_streak(days, today) == 1


def test_progress_against_the_goal():
    week = GoalProgress(goal=40, this_week=10, streak=0, week_start=THIS_MONDAY)
    assert week.percent == 25.0 and week.still_needed == 30 and not week.met
    done = GoalProgress(goal=40, this_week=55, streak=2, week_start=THIS_MONDAY)
    assert done.percent == 100.0 and done.still_needed == 0 and done.met
    none = GoalProgress(goal=0, this_week=12, streak=3, week_start=THIS_MONDAY)
    assert none.percent == 0.0 and not none.met
