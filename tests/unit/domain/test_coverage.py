"""Clause coverage of an item pool, and whether a blueprint can be drawn from it."""

from __future__ import annotations

import random
import time
from collections import Counter
from itertools import combinations
from pathlib import Path
from typing import Any

import yaml

from app.domain.blueprint import parse_blueprint
from app.domain.coverage import Item, blueprint_fill, clause_level_counts
from app.messages import render

SCHEMES = Path(__file__).resolve().parents[3] / "question_banks" / "schemes"


def described(report: Any) -> list[str]:
    """The report's lines for a trainer, in English."""
    return [render(line) for line in report.describe()]


def scheme(name: str) -> dict[str, Any]:
    """A bundled exam blueprint."""
    return yaml.safe_load((SCHEMES / f"{name}.yaml").read_text(encoding="utf-8"))


def item(id_: str, *clauses: str, level: str = "foundation", type_: str = "single_choice") -> Item:
    """A published item with the given clause tags."""
    return Item(id=id_, clauses=clauses, level=level, type=type_)


def many(prefix: str, count: int, *clauses: str, **kwargs: str) -> list[Item]:
    """`count` interchangeable items."""
    return [item(f"{prefix}{i}", *clauses, **kwargs) for i in range(count)]


def blueprint(*sections: tuple[str, list[str], int], **extra: Any) -> dict[str, Any]:
    """A foundation blueprint from (id, clause prefixes, items needed) triples."""
    return {
        "levels": ["foundation"],
        "allowed_types": ["single_choice", "true_false"],
        "sections": [
            {"id": sid, "title": sid.title(), "clauses": clauses, "items": needed}
            for sid, clauses, needed in sections
        ],
        **extra,
    }


# --- clause_level_counts ---------------------------------------------------------------


def test_an_item_counts_for_its_clause_and_every_clause_above_it():
    counts = clause_level_counts([item("a", "8.5.1.2")], ["4", "8", "8.5", "8.5.1", "8.5.2"])
    assert counts["8"]["foundation"] == 1
    assert counts["8.5"]["foundation"] == 1
    assert counts["8.5.1"]["foundation"] == 1
    assert counts["8.5.2"]["foundation"] == 0
    assert counts["4"] == {"foundation": 0, "practitioner": 0, "auditor": 0}


def test_two_tags_under_one_parent_count_once_for_that_parent():
    pool = [
        item("a", "8.5.1", "8.5.2", level="practitioner"),
        item("b", "8.6", level="practitioner"),
        item("c", "4.1", "8.1"),
    ]
    counts = clause_level_counts(pool, ["4", "8", "8.5", "8.5.1", "8.5.2"])
    assert counts["8.5"] == {"foundation": 0, "practitioner": 1, "auditor": 0}
    assert counts["8.5.1"]["practitioner"] == 1
    assert counts["8.5.2"]["practitioner"] == 1
    assert counts["8"] == {"foundation": 1, "practitioner": 2, "auditor": 0}
    assert counts["4"]["foundation"] == 1


def test_clause_numbers_are_compared_by_segment_not_by_text():
    counts = clause_level_counts([item("a", "8.50"), item("b", "10.1")], ["1", "8.5", "10"])
    assert counts["8.5"]["foundation"] == 0
    assert counts["1"]["foundation"] == 0
    assert counts["10"]["foundation"] == 1


def test_an_unknown_level_gets_its_own_column_everywhere():
    counts = clause_level_counts([item("a", "9.1", level="expert")], ["9", "10"])
    assert counts["9"]["expert"] == 1
    assert counts["10"]["expert"] == 0


# --- blueprint_fill: per-section figures -------------------------------------------------


def test_a_short_section_is_reported_in_plain_words():
    pool = many("op", 12, "8.2") + many("imp", 3, "10.1")
    plan = blueprint(("operation", ["8"], 16), ("improvement", ["10"], 3))
    plan["sections"][0]["title"] = "Operation of the SMS"
    report = blueprint_fill(pool, parse_blueprint(plan))
    assert [(s.id, s.needed, s.available, s.shortfall) for s in report.sections] == [
        ("operation", 16, 12, 4),
        ("improvement", 3, 3, 0),
    ]
    assert report.short_sections == ["operation"]
    assert not report.can_fill
    assert report.missing == 4
    assert report.distinct_forms == 0
    assert described(report) == [
        "Operation of the SMS: 16 needed, 12 available — 4 short",
        "Improvement: 3 needed, 3 available",
        "No complete exam form can be drawn from this pool",
    ]


def test_section_prefixes_match_whole_clause_segments():
    pool = [item("a", "8"), item("b", "8.1.2"), item("c", "8.10"), item("d", "18.1")]
    report = blueprint_fill(
        pool, parse_blueprint(blueprint(("control", ["8.1"], 1), ("all-8", ["8"], 1)))
    )
    assert [s.available for s in report.sections] == [1, 3]


def test_levels_and_types_limit_what_a_section_may_draw():
    pool = [
        item("ok", "8.1"),
        item("wrong-level", "8.1", level="auditor"),
        item("wrong-type", "8.1", type_="essay"),
        item("tf", "8.1", type_="true_false"),
    ]
    plan = blueprint(("any", ["8"], 1), ("tf-only", ["8"], 1))
    plan["sections"][1]["types"] = ["true_false"]
    report = blueprint_fill(pool, parse_blueprint(plan))
    assert [s.available for s in report.sections] == [2, 1]
    assert report.can_fill
    assert report.distinct_forms == 1


def test_a_blueprint_with_a_single_level_uses_it():
    pool = [item("a", "4.1", level="practitioner"), item("b", "4.1")]
    plan = blueprint(("context", ["4"], 1))
    del plan["levels"]
    plan["level"] = "practitioner"
    assert blueprint_fill(pool, parse_blueprint(plan)).sections[0].available == 1


# --- blueprint_fill: drawing all sections at once ------------------------------------------


def test_flow_finds_the_draw_a_first_come_greedy_pick_misses():
    # Greedy in section order gives the two-clause item x to "context" and leaves
    # "leadership" with nothing; the right draw gives y to context and x to leadership.
    pool = [item("x", "4.1", "5.1"), item("y", "4.2")]
    report = blueprint_fill(
        pool, parse_blueprint(blueprint(("context", ["4"], 1), ("leadership", ["5"], 1)))
    )
    assert [s.available for s in report.sections] == [2, 1]
    assert report.can_fill
    assert report.missing == 0
    assert report.contested == []
    assert report.distinct_forms == 1


def test_flow_threads_a_chain_of_shared_items():
    # Only one draw works: a to section a, ab to section b, bc to section c.
    pool = [item("bc", "5.1", "6.1"), item("ab", "4.1", "5.2"), item("a", "4.3")]
    plan = blueprint(("a", ["4"], 1), ("b", ["5"], 1), ("c", ["6"], 1))
    report = blueprint_fill(pool, parse_blueprint(plan))
    assert report.can_fill
    assert report.distinct_forms == 1


def test_sections_that_compete_for_one_pool_are_named_when_they_cannot_share():
    pool = many("ctx", 3, "4.1") + many("imp", 10, "10.1")
    plan = blueprint(("context", ["4"], 2), ("scope", ["4"], 2), ("improvement", ["10"], 1))
    report = blueprint_fill(pool, parse_blueprint(plan))
    assert report.short_sections == []
    assert not report.can_fill
    assert report.missing == 1
    assert report.contested == ["context", "scope"]
    assert described(report)[3] == (
        "Sections that share items (Context, Scope) cannot all be filled at once: "
        "1 short when drawn together"
    )


def test_distinct_forms_is_limited_by_sections_sharing_a_pool():
    # Every form takes two of the three clause-4 items, so only one form fits even
    # though each section alone could be drawn three times.
    pool = many("four", 3, "4.1") + many("five", 3, "5.1")
    plan = blueprint(("a", ["4"], 1), ("b", ["4"], 1), ("c", ["5"], 1))
    report = blueprint_fill(pool, parse_blueprint(plan))
    assert [s.available for s in report.sections] == [3, 3, 3]
    assert report.distinct_forms == 1


def test_distinct_forms_uses_shared_items_where_they_are_needed():
    # Forms: {z→A, x→B} and {y→A, w→B}; a third form would need a fifth item.
    pool = [item("x", "4.1", "5.1"), item("y", "4.2", "5.2"), item("z", "4.3"), item("w", "5.3")]
    report = blueprint_fill(pool, parse_blueprint(blueprint(("a", ["4"], 1), ("b", ["5"], 1))))
    assert report.distinct_forms == 2
    assert described(report)[-1] == "2 complete exam forms can be drawn without reusing an item"


def test_the_foundation_scheme_draws_as_many_forms_as_its_tightest_section_allows():
    plan = scheme("foundation")
    section_clause = {"1": "1", "4": "4.1", "6": "6.2", "8": "8.5.1.2", "9": "9.1", "10": "10.2"}
    pool: list[Item] = []
    for section in plan["sections"]:
        tag = section_clause[section["clauses"][0]]
        pool += many(section["id"], 3 * section["items"], tag)
    pool += many("extra-op", 10, "8.6")
    pool += many("wrong-type", 50, "8.6", type_="essay")
    report = blueprint_fill(pool, parse_blueprint(plan))
    assert report.can_fill
    assert report.distinct_forms == 3
    assert described(report)[3] == "Operation of the SMS: 16 needed, 58 available"


# --- agreement with Hall's theorem, small and large -----------------------------------------


def signatures(pool: list[Item], plan: dict[str, Any]) -> Counter[frozenset[int]]:
    """Items counted by the set of sections each may serve, worked out the slow way."""
    sections = plan["sections"]

    def eligible(it: Item, section: dict[str, Any]) -> bool:
        types = section.get("types") or plan["allowed_types"]
        tagged = any(
            c == p or c.startswith(p + ".") for c in it.clauses for p in section["clauses"]
        )
        return it.level in plan["levels"] and it.type in types and tagged

    return Counter(frozenset(j for j, s in enumerate(sections) if eligible(it, s)) for it in pool)


def need_and_supply(plan: dict[str, Any], sigs: Counter, subset: set[int]) -> tuple[int, int]:
    """Items a set of sections needs together, and items able to serve any of them."""
    need = sum(plan["sections"][j]["items"] for j in subset)
    return need, sum(n for sig, n in sigs.items() if sig & subset)


def hall_forms(pool: list[Item], plan: dict[str, Any]) -> int:
    """Max forms by Hall's theorem: the least floor(supply(T) / need(T)) over section sets T."""
    sigs = signatures(pool, plan)
    best = None
    for size in range(1, len(plan["sections"]) + 1):
        for subset in combinations(range(len(plan["sections"])), size):
            need, supply = need_and_supply(plan, sigs, set(subset))
            if need:
                best = supply // need if best is None else min(best, supply // need)
    return best or 0


def random_pool(rng: random.Random, size: int) -> list[Item]:
    """Items with one to three clause tags and a mix of levels and types."""
    clauses = ["4.1", "5.1", "5.2", "6.1", "7.5", "8.1", "8.2", "8.5.1", "8.7", "9.2", "10.1"]
    types = ["single_choice", "single_choice", "true_false", "essay"]
    return [
        item(
            str(i),
            *rng.sample(clauses, rng.randint(1, 3)),
            level=rng.choice(["foundation", "foundation", "practitioner"]),
            type_=rng.choice(types),
        )
        for i in range(size)
    ]


def random_plan(rng: random.Random) -> dict[str, Any]:
    """Three or four overlapping sections with small needs."""
    prefixes = ["4", "5", "6", "7", "8", "8.5", "9", "10"]
    sections = [
        (f"s{j}", rng.sample(prefixes, rng.randint(1, 3)), rng.randint(1, 3))
        for j in range(rng.randint(3, 4))
    ]
    plan = blueprint(*sections)
    if rng.random() < 0.3:
        plan["sections"][0]["types"] = ["true_false"]
    return plan


def test_small_random_pools_agree_with_halls_theorem():
    rng = random.Random(20000)
    for _ in range(300):
        pool, plan = random_pool(rng, rng.randint(0, 40)), random_plan(rng)
        report = blueprint_fill(pool, parse_blueprint(plan))
        expected = hall_forms(pool, plan)
        assert report.distinct_forms == expected
        assert report.can_fill == (expected >= 1)
        ids = [s["id"] for s in plan["sections"]]
        contested = {ids.index(sid) for sid in report.contested}
        need, supply = need_and_supply(plan, signatures(pool, plan), contested)
        assert report.missing == need - supply


def test_fifty_thousand_items_are_checked_quickly_and_exactly():
    rng = random.Random(7)
    pool = random_pool(rng, 50_000)
    plan = scheme("practitioner")
    plan["levels"] = ["foundation"]  # the random pool is mostly foundation items
    plan["allowed_types"] = ["single_choice", "true_false"]
    started = time.perf_counter()
    report = blueprint_fill(pool, parse_blueprint(plan))
    elapsed = time.perf_counter() - started
    print(f"blueprint_fill over 50,000 items: {elapsed * 1000:.1f} ms")
    assert report.can_fill
    assert report.distinct_forms == hall_forms(pool, plan)
    assert report.distinct_forms > 100


def test_items_of_one_scenario_still_count_one_by_one():
    pool = [
        Item("s1", ("8.6",), "foundation", "single_choice", scenario="outage"),
        Item("s2", ("8.6",), "foundation", "single_choice", scenario="outage"),
    ]
    report = blueprint_fill(pool, parse_blueprint(blueprint(("operation", ["8"], 1))))
    assert report.sections[0].available == 2
    assert report.distinct_forms == 2
