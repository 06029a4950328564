"""Spaced repetition with FSRS, replayed from a learner's answer history.

Each final answer to an item is one FSRS review, rated from how it went (see `rating`):
the learner's own recall rating when they gave one, otherwise the marks earned and the
confidence given with certainty-based marking. Replaying an item's answers in time order
gives its difficulty, stability and the moment it is due again; nothing is kept between
replays, so a changed rating or mark reschedules the item on the next read.

The scheduler runs FSRS's published default parameters aiming at 90% recall, without the
random fuzz of intervals (a replay must give the same date every time). A new item
not answered fully right, or a known one forgotten, takes one ten-minute step and so
comes back the same day; otherwise items leave for whole days. "Due" is by calendar
day in the learner's time zone (UTC unless given): an item is due from the start of its
due date on the learner's clocks, so what is due today can all be reviewed today.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import NamedTuple

from fsrs import Card, Rating, Scheduler

DESIRED_RETENTION = 0.9
RIGHT = 0.999  # a fraction at or above this is full marks
PARTLY = 0.5  # at least half the marks: recalled with effort
VERY_SURE = 3  # the top certainty-based marking level ("Very sure")
NOT_SURE = 1  # the bottom level ("Not sure")
STEP = timedelta(minutes=10)

# One scheduler per process: it holds only its parameters.
_SCHEDULER = Scheduler(
    desired_retention=DESIRED_RETENTION,
    learning_steps=(STEP,),
    relearning_steps=(STEP,),
    enable_fuzzing=False,
)
# The recall ratings a learner may give, by the name a form posts.
RECALL_RATINGS = {r.name.lower(): int(r) for r in Rating}


class Answer(NamedTuple):
    """One final answer to an item: when, the fraction of marks earned, the certainty
    given (1–3, or None), and the learner's own recall rating (1–4, or None)."""

    answered_at: datetime
    fraction: float
    confidence: int | None = None
    recall: int | None = None


class Review(NamedTuple):
    """Where an item stands after its answers were replayed."""

    due_at: datetime
    last_answered: datetime
    stability: float
    difficulty: float
    answers: int

    @property
    def interval_days(self) -> float:
        """Days from the last answer to the due moment."""
        return (self.due_at - self.last_answered).total_seconds() / 86400

    @property
    def due_on(self) -> date:
        """The calendar day (UTC) on which the item becomes due."""
        return self.due_day(UTC)

    def due_day(self, zone: tzinfo) -> date:
        """The calendar day, on the clocks of `zone`, on which the item becomes due."""
        return self.due_at.astimezone(zone).date()


def rating(answer: Answer) -> Rating:
    """The FSRS rating of an answer: the learner's own rating wins; otherwise wrong →
    Again, partly right → Hard, right → Good, right and very sure → Easy, right but not
    sure → Hard (a lucky or shaky recall should come back sooner)."""
    if answer.recall is not None:
        return Rating(answer.recall)
    if answer.fraction < PARTLY:
        return Rating.Again
    if answer.fraction < RIGHT or answer.confidence == NOT_SURE:
        return Rating.Hard
    return Rating.Easy if answer.confidence == VERY_SURE else Rating.Good


def schedule(answers: Iterable[Answer]) -> Review | None:
    """Replay an item's answers in time order; None if there are none."""
    card: Card | None = None
    count = 0
    for answer in sorted(answers, key=_answered_at):
        at = answer.answered_at.astimezone(UTC)
        if card is None:  # a fixed id: Card() would otherwise sleep a millisecond
            card = Card(card_id=0, due=at)
        card, _log = _SCHEDULER.review_card(card, rating(answer), at)
        count += 1
    if card is None or card.last_review is None:
        return None
    return Review(card.due, card.last_review, card.stability or 0.0, card.difficulty or 0.0, count)


def _answered_at(answer: Answer) -> datetime:
    """Sort key: the answer's time."""
    return answer.answered_at


def end_of_day(now: datetime, zone: tzinfo = UTC, later: int = 0) -> datetime:
    """Midnight at the end of `now`'s day on the clocks of `zone` (`later` days on)."""
    day = now.astimezone(zone).date() + timedelta(days=1 + later)
    return datetime.combine(day, time(), tzinfo=zone)


def is_due(review: Review | None, now: datetime, zone: tzinfo = UTC) -> bool:
    """True when an answered item's due date (on the clocks of `zone`) is today or earlier."""
    return review is not None and review.due_at < end_of_day(now, zone)


def due_within(review: Review | None, now: datetime, days: int, zone: tzinfo = UTC) -> bool:
    """True when an item is not due today but will be within the next `days` days."""
    if review is None or is_due(review, now, zone):
        return False
    return review.due_at < end_of_day(now, zone, later=days)
