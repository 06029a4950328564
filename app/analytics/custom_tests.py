"""What a learner can build a custom test from: the clause tree of a scheme's levels with
the number of questions under each clause, and how many each question filter leaves."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.analytics.practice_filters import filter_counts
from app.domain.assembly import practice_set_supply, practice_supply
from app.domain.records import clause_sort_key
from app.models import Scheme
from app.queries import attempts as attempt_views
from app.queries import banks as bank_queries

DEPTH = 3  # clauses offered down to this depth (8.5.1)


@dataclass
class ClauseChoice:
    """A clause that can be ticked, with the questions a set on it alone could draw."""

    number: str
    title: str
    count: int
    children: list[ClauseChoice] = field(default_factory=list)


@dataclass(frozen=True)
class CustomTestMenu:
    """The tree (top-level clauses first), the total, and each filter's count."""

    tree: list[ClauseChoice]
    total: int
    filters: dict[str, int]


def menu(scheme: Scheme, user_id: int) -> CustomTestMenu:
    """The clauses with questions at the scheme's levels that the learner may practise
    now (questions of their open or unreviewed mock exams are held back)."""
    items, _versions = bank_queries.published_pool()
    embargoed = attempt_views.embargoed_questions(user_id)
    levels = scheme.practice_levels
    pool = [i for i in items if i.id not in embargoed and i.level in levels]
    titles = bank_queries.clause_titles()
    numbers = sorted(
        (n for n in titles if n.count(".") < DEPTH), key=clause_sort_key
    )  # document order: a parent always comes before its children
    counts = practice_supply(pool, numbers, None)
    nodes: dict[str, ClauseChoice] = {}
    tree: list[ClauseChoice] = []
    for number in numbers:
        if not counts[number]:
            continue
        node = nodes[number] = ClauseChoice(number, titles[number], counts[number])
        parent = nodes.get(number.rpartition(".")[0])
        (parent.children if parent is not None else tree).append(node)
    return CustomTestMenu(
        tree=tree,
        total=practice_set_supply(pool, [], None),
        filters=filter_counts(user_id, {i.id for i in pool}),
    )
