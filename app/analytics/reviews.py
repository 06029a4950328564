"""A learner's spaced reviews: how many are due today, and when each item comes back.

Only items a review set could draw are counted: published ones, outside the learner's
mock exams that are open or not yet reviewed (those are kept out of practice). Nothing
here reveals a key: an item is named by its clause and the start of its stem.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from app.analytics import history
from app.domain.coverage import Item
from app.domain.records import clause_sort_key
from app.domain.scheduling import Review, due_within, is_due
from app.extensions import db
from app.models import QuestionVersion, Scheme
from app.models.base import utcnow
from app.queries import attempts as attempt_views
from app.queries import banks as bank_queries

WEEK = 7


@dataclass(frozen=True)
class UpcomingReview:
    """One item with a schedule, as the learner's reviews page lists it."""

    clause: str
    stem: str
    due_on: date
    due: bool  # due today or earlier


@dataclass(frozen=True)
class ReviewOutlook:
    """The learner home's review figures: due today, coming over the next week, and per
    scheme the items due that a review set of that scheme can draw."""

    due_today: int
    next_week: int
    by_scheme: list[tuple[Scheme, int]]


def _reviewable(user_id: int, now: datetime) -> dict[str, tuple[Review, Item]]:
    """Question key → (its schedule, its pool item) for the items a review set may draw."""
    reviews = history.review_schedule(user_id)
    if not reviews:
        return {}
    items, _versions = bank_queries.published_pool()
    embargoed = attempt_views.embargoed_questions(user_id, now)
    return {
        item.id: (reviews[item.id], item)
        for item in items
        if item.id in reviews and item.id not in embargoed
    }


def review_outlook(
    user_id: int, schemes: list[Scheme], now: datetime | None = None
) -> ReviewOutlook:
    """How many reviews are due today, how many come due in the next seven days, and
    the due ones each scheme's review set can draw (schemes with none left out)."""
    now = now or utcnow()
    zone = history.learner_zone(user_id)
    found = _reviewable(user_id, now)
    due = [item for review, item in found.values() if is_due(review, now, zone)]
    coming = sum(due_within(review, now, WEEK, zone) for review, _item in found.values())
    by_scheme = []
    for scheme in schemes:
        levels = set(scheme.practice_levels)
        count = sum(1 for item in due if item.level in levels)
        if count:
            by_scheme.append((scheme, count))
    return ReviewOutlook(len(due), coming, by_scheme)


def upcoming_reviews(user_id: int, now: datetime | None = None) -> list[UpcomingReview]:
    """Every reviewable item with its next due date (a day of the learner's calendar),
    soonest first (then by clause)."""
    now = now or utcnow()
    zone = history.learner_zone(user_id)
    found = _reviewable(user_id, now)
    if not found:
        return []
    versions = bank_queries.published_pool()[1]
    stems = dict(
        db.session.execute(
            select(QuestionVersion.id, QuestionVersion.stem).where(
                QuestionVersion.id.in_([versions[key] for key in found])
            )
        ).all()
    )
    rows = [
        UpcomingReview(
            clause=item.clauses[0] if item.clauses else "",
            stem=stems.get(versions[key], ""),
            due_on=review.due_day(zone),
            due=is_due(review, now, zone),
        )
        for key, (review, item) in found.items()
    ]
    rows.sort(key=lambda row: (row.due_on, clause_sort_key(row.clause)))
    return rows
