"""Read-only: a bank's coverage of the clause tree and of each scheme's mock blueprint.

The pool is the bank's live questions (their approved versions, 2011 tags mapped to
2018), or every bank's when `whole_pool` is asked for (exams draw from every bank). The
figures come from `app.domain.coverage`: clause × level counts, each blueprint section's
need against the items able to serve it, and how many mock forms can be drawn with no
item in two of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.analytics.overview import schemes
from app.domain.coverage import FillReport, Item, blueprint_fill, clause_level_counts
from app.extensions import db
from app.models import Question, Scheme
from app.queries.banks import clause_numbers, clause_titles, live_pool


@dataclass(frozen=True)
class SchemeFill:
    """One scheme's blueprint against the pool."""

    scheme: Scheme
    report: FillReport


@dataclass(frozen=True)
class Coverage:
    """Clause rows (number, title, depth, count per level) and each scheme's fill."""

    live: int
    levels: list[str]
    rows: list[tuple[str, str, int, dict[str, int]]]
    schemes: list[SchemeFill]


def live_items(bank_id: int | None) -> list[Item]:
    """The live items of one bank (None: of every bank), as assembly sees them."""
    items = live_pool().items
    if bank_id is None:
        return list(items)
    keys = set(
        db.session.scalars(
            select(Question.key).where(
                Question.bank_id == bank_id, Question.live_version_id.is_not(None)
            )
        )
    )
    return [item for item in items if item.id in keys]


def bank_coverage(bank_id: int, whole_pool: bool = False, max_depth: int = 2) -> Coverage:
    """Coverage figures of a bank's live questions (or the whole pool's)."""
    items = live_items(None if whole_pool else bank_id)
    numbers = clause_numbers()
    counts = clause_level_counts(items, numbers)
    titles = clause_titles()
    levels = list(next(iter(counts.values())).keys()) if counts else []
    rows = [
        (n, titles.get(n, ""), n.count("."), counts[n]) for n in numbers if n.count(".") < max_depth
    ]
    fills = [SchemeFill(s, blueprint_fill(items, s.exam_blueprint)) for s in schemes()]
    return Coverage(len(items), levels, rows, fills)
