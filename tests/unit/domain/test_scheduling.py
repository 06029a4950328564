"""Review scheduling: FSRS replayed from a learner's answers to one item."""

from datetime import UTC, date, datetime, timedelta

import pytest
from fsrs import Rating

from app.domain.scheduling import Answer, due_within, is_due, rating, schedule

START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _on_time(fractions: list[float], **given) -> list[Answer]:
    """Answers given each time the item came due, one per fraction."""
    answers: list[Answer] = []
    at = START
    for fraction in fractions:
        answers.append(Answer(at, fraction, **given))
        review = schedule(answers)
        assert review is not None
        at = review.due_at
    return answers


def test_an_item_never_answered_has_no_schedule():
    assert schedule([]) is None
    assert not is_due(None, START)


def test_each_right_answer_on_time_sends_the_item_further_away():
    intervals = []
    for n in range(1, 6):
        review = schedule(_on_time([1.0] * n))
        assert review is not None
        intervals.append(review.interval_days)
    assert intervals == sorted(intervals) and len(set(intervals)) == 5
    assert intervals[0] >= 1 and intervals[-1] > 60


def test_a_wrong_answer_brings_a_well_known_item_back_the_same_day():
    answers = _on_time([1.0] * 4)
    before = schedule(answers)
    assert before is not None and before.interval_days > 20
    answers.append(Answer(before.due_at, 0.0))
    after = schedule(answers)
    assert after is not None
    assert after.interval_days < 1 and after.stability < before.stability
    assert is_due(after, before.due_at)


@pytest.mark.parametrize("history", [[], [1.0], [1.0, 1.0, 1.0]])
def test_easy_sends_an_item_further_than_good_and_good_further_than_hard(history):
    answers = _on_time(history) if history else []
    at = schedule(answers).due_at if answers else START
    intervals = {
        recall: schedule([*answers, Answer(at, 1.0, recall=recall)]).interval_days
        for recall in (Rating.Hard, Rating.Good, Rating.Easy)
    }
    assert intervals[Rating.Easy] > intervals[Rating.Good] > intervals[Rating.Hard]


def test_marks_and_certainty_give_the_rating():
    assert rating(Answer(START, 0.0)) == Rating.Again
    assert rating(Answer(START, 0.4)) == Rating.Again
    assert rating(Answer(START, 0.5)) == Rating.Hard  # partly right
    assert rating(Answer(START, 1.0)) == Rating.Good
    assert rating(Answer(START, 1.0, confidence=3)) == Rating.Easy  # right and very sure
    assert rating(Answer(START, 1.0, confidence=2)) == Rating.Good
    assert rating(Answer(START, 1.0, confidence=1)) == Rating.Hard  # right but not sure
    assert rating(Answer(START, 0.0, confidence=3)) == Rating.Again  # sure and wrong


def test_the_learners_own_rating_overrides_the_marks():
    assert rating(Answer(START, 0.0, recall=4)) == Rating.Easy
    assert rating(Answer(START, 1.0, confidence=3, recall=1)) == Rating.Again
    derived = schedule([Answer(START, 1.0)])
    rated = schedule([Answer(START, 1.0, recall=1)])
    assert derived is not None and rated is not None and rated.due_at < derived.due_at


def test_answers_are_replayed_in_time_order_whatever_order_they_come_in():
    answers = _on_time([1.0, 0.0, 1.0, 1.0])
    assert schedule(reversed(answers)) == schedule(answers)


def test_the_replay_is_the_same_every_time():
    answers = _on_time([1.0] * 6)
    assert len({schedule(answers) for _ in range(5)}) == 1


def test_due_means_due_today_or_earlier_by_the_utc_calendar():
    review = schedule([Answer(START, 1.0)])  # Good: two days later, at 09:30
    assert review is not None and review.due_on == date(2026, 3, 4)
    assert not is_due(review, datetime(2026, 3, 3, 23, 59, tzinfo=UTC))
    assert is_due(review, datetime(2026, 3, 4, 0, 0, tzinfo=UTC))  # before 09:30, same day
    assert is_due(review, datetime(2026, 3, 20, tzinfo=UTC))
    assert due_within(review, datetime(2026, 3, 3, 12, tzinfo=UTC), 7)
    assert not due_within(review, datetime(2026, 3, 4, 12, tzinfo=UTC), 7)  # due, not coming
    assert not due_within(review, datetime(2026, 2, 20, tzinfo=UTC), 7)  # beyond the week


def test_a_time_in_another_zone_is_read_as_the_same_moment():
    from zoneinfo import ZoneInfo

    local = START.astimezone(ZoneInfo("Asia/Shanghai"))
    assert schedule([Answer(local, 1.0)]) == schedule([Answer(START, 1.0)])
    assert schedule([Answer(START, 1.0)]).due_at - START == timedelta(days=2)
