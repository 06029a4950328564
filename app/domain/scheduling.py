"""Spaced repetition with SM-2, computed from a learner's answer history.

Clausewise uses SM-2 (SuperMemo 2): each answer is a quality grade (5 for fully right,
3 for partly right, 1 for wrong). A wrong answer resets the interval to one day; each
right answer grows it — 1 day, 6 days, then the previous interval times the ease
factor, which starts at 2.5, moves with each grade and never drops below 1.3.
An item is due for review when its interval has elapsed since the last answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

MIN_EASE = 1.3


@dataclass(frozen=True)
class Review:
    """When an item should be seen again, after a run of answers."""

    interval_days: float
    ease: float
    repetitions: int
    last_answered: datetime

    @property
    def due_at(self) -> datetime:
        """The moment the item becomes due."""
        return self.last_answered + timedelta(days=self.interval_days)


def quality(fraction: float) -> int:
    """SM-2 quality grade of a score fraction."""
    if fraction >= 0.999:
        return 5
    return 3 if fraction >= 0.5 else 1


def schedule(answers: Iterable[tuple[datetime, float]]) -> Review | None:
    """Replay (time, score fraction) answers in time order; None if there are none."""
    interval, ease, reps, last = 0.0, 2.5, 0, None
    for answered_at, fraction in sorted(answers):
        q = quality(fraction)
        if q < 3:
            reps, interval = 0, 1.0
        else:
            reps += 1
            interval = 1.0 if reps == 1 else 6.0 if reps == 2 else interval * ease
        ease = max(MIN_EASE, ease + 0.1 - (5 - q) * (0.08 + (5 - q) * 0.02))
        last = answered_at
    if last is None:
        return None
    return Review(interval, ease, reps, last)


def is_due(review: Review | None, now: datetime) -> bool:
    """True when an answered item's interval has elapsed."""
    return review is not None and review.due_at <= now
