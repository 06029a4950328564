"""Drawing exam forms and practice sets from a pool of published items.

A mock exam follows a blueprint: each section draws its `items` count from the items
whose clauses, level and type suit it (the same rules as `coverage`). Practice and drill
sets draw from the clauses and levels a learner picks, optionally weighted toward weak
clauses.

How a draw works:
- Weighted sampling without replacement by Efraimidis–Spirakis keys: every candidate
  gets random() ** (1 / weight) and the largest keys win. One `random.Random(seed)`
  drives the whole draw, so the same pool, blueprint and seed give the same form. An
  item keeps one key for the whole form; each section takes the best-keyed free items
  it may use, a weighted sample of what the sections before it left.
- An item seen recently weighs 1 − 0.9 × seen (seen in [0, 1], 1 = just seen): a fresh
  item is up to ten times likelier to be drawn, but a seen one is never excluded.
- Sections draw in order of scarcity (needed / eligible), so a roomy section does not
  starve a scarce one that shares its items. No item is drawn twice (ids are unique in
  the pool). If competing sections still leave one short, items are moved along
  augmenting paths, as in bipartite matching, so every blueprint that
  `coverage.blueprint_fill` finds drawable is drawn; when it is not, ShortBank carries
  that report's short (or jointly short) sections.
- Scenario rule: the unused members of one scenario that suit a section form one unit,
  weighted by the mean of its members' weights. A unit is taken whole when it fits the
  section's remaining need; a unit too big is set aside, and only if whole units cannot
  complete the section are set-aside units cut to their first members in bank order.
  Counts are therefore always exact.
- Output: sections in blueprint order; inside a section, units in the order drawn, with
  the members of a scenario together in bank order. A scenario whose items suit
  different sections is split between them. Scenario ids must be unique in the pool.
"""

from __future__ import annotations

import heapq
import random
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from operator import attrgetter, itemgetter
from typing import Any

from app.domain.coverage import FillReport, Item, blueprint_fill, clause_ancestors

RECENCY_DISCOUNT = 0.9
PRACTICE_SECTION = ""  # the section of every slot of a practice or drill set

Shortage = tuple[str, str, int, int]  # section id, title, needed, available
Fit = tuple[tuple[int, ...], float]  # the sections an item may serve, and its clause weight
Kind = tuple[str, tuple[str, ...], str]  # an item's type, clauses and level
FitRule = Callable[[Kind], Fit]
_kind_of = attrgetter("type", "clauses", "level")


class ShortBank(Exception):
    """The pool cannot supply what was asked; `.shortages` lists every short section."""

    def __init__(self, shortages: Sequence[Shortage], message: str | None = None) -> None:
        self.shortages: list[Shortage] = list(shortages)
        super().__init__(message or _shortage_message(self.shortages))

    @classmethod
    def from_report(cls, report: FillReport) -> ShortBank:
        """The sections a fill report finds short, or contested when none is short alone."""
        names = set(report.short_sections) | set(report.contested)
        shortages = [
            (s.id, s.title, s.needed, s.available)
            for s in report.sections
            if s.id in names or not names
        ]
        message = _shortage_message(shortages)
        if report.missing > sum(s.shortfall for s in report.sections):
            message += (
                f" These sections share items: drawn together they are {report.missing} short."
            )
        return cls(shortages, message)


def _shortage_message(shortages: Sequence[Shortage]) -> str:
    """One sentence naming each short section with its figures."""
    listed = "; ".join(
        f"{title} ({needed} needed, {available} available)"
        for _, title, needed, available in shortages
    )
    return f"Not enough items to draw this exam: {listed}."


@dataclass(frozen=True)
class Slot:
    """One place in a drawn form: which item, and which blueprint section it serves."""

    item_id: str
    section: str


def assemble_blueprint(
    items: Sequence[Item],
    blueprint: dict[str, Any],
    seed: int,
    recently_seen: Mapping[str, float] | None = None,
) -> list[Slot]:
    """Draw one exam form from the pool; ShortBank names the sections it cannot fill."""
    sections = blueprint.get("sections") or []
    needed = [int(s.get("items", 0)) for s in sections]
    rule = _blueprint_rule(blueprint)
    pool = _scan(items, rule, len(sections), random.Random(seed), recently_seen)
    available = [pool.available(j) for j in range(len(sections))]
    if any(a < n for a, n in zip(available, needed, strict=True)):
        raise _short_bank(items, blueprint)
    taken: dict[int, int] = {}  # item index → section index, in the order drawn
    for j in sorted(range(len(sections)), key=lambda j: -needed[j] / max(available[j], 1)):
        taken.update(dict.fromkeys(_pick(pool, j, needed[j], taken), j))
    if len(taken) < sum(needed) and not _complete(pool, needed, taken):
        raise _short_bank(items, blueprint)
    by_section: list[list[int]] = [[] for _ in sections]
    for index, j in taken.items():
        by_section[j].append(index)
    return [
        Slot(items[i].id, str(section["id"]))
        for section, drawn in zip(sections, by_section, strict=True)
        for i in _gathered(items, drawn)
    ]


def assemble_practice(
    items: Sequence[Item],
    clauses: list[str] | None,
    levels: list[str] | None,
    count: int,
    seed: int,
    recently_seen: Mapping[str, float] | None = None,
    weights: Mapping[str, float] | None = None,
) -> list[Slot]:
    """Draw up to `count` items under the chosen clauses and levels (empty or None = all).

    `weights` maps clause prefixes to weights for drills: an item weighs the largest
    weight among the prefixes it sits under (1 when none), times its recency factor.
    Items weighing 0 are left out. ShortBank only when nothing at all can be drawn.
    """
    if count < 1:
        raise ValueError(f"a practice set needs at least one item; {count} were asked for")
    if weights and min(weights.values()) < 0:
        raise ValueError("clause weights may not be negative")
    rule = _practice_rule(clauses, levels, weights)
    pool = _scan(items, rule, 1, random.Random(seed), recently_seen)
    if not pool.available(0):
        raise ShortBank(
            [("practice", "Practice set", count, 0)],
            "No published items match the chosen clauses and levels.",
        )
    drawn = _pick(pool, 0, min(count, pool.available(0)), {})
    return [Slot(items[i].id, PRACTICE_SECTION) for i in _gathered(items, drawn)]


def shuffle_order(ids: list[str], seed: int) -> list[str]:
    """The ids in a shuffled order that the same seed always reproduces."""
    shuffled = list(ids)
    random.Random(seed).shuffle(shuffled)
    return shuffled


def _short_bank(items: Sequence[Item], blueprint: dict[str, Any]) -> ShortBank:
    """The ShortBank that coverage's fill report describes for this pool and blueprint."""
    report = blueprint_fill(items, blueprint)
    if report.can_fill:
        raise RuntimeError("blueprint_fill found a form that the draw could not complete")
    return ShortBank.from_report(report)


# --- eligibility ----------------------------------------------------------------------------


def _above(clauses: tuple[str, ...]) -> set[str]:
    """Every clause an item sits under: 8.5.1 gives 8, 8.5 and 8.5.1 (never 8.50)."""
    return {a for clause in clauses for a in clause_ancestors(clause)}


def _allowed_levels(blueprint: dict[str, Any]) -> frozenset[str] | None:
    """The levels a blueprint draws from: `levels`, else its single `level`, else any."""
    if blueprint.get("levels"):
        return frozenset(blueprint["levels"])
    if blueprint.get("level"):
        return frozenset([blueprint["level"]])
    return None


def _blueprint_rule(blueprint: dict[str, Any]) -> FitRule:
    """Sections an item may serve, by level, clause prefix and type."""
    sections = blueprint.get("sections") or []
    levels = _allowed_levels(blueprint)
    default_types = blueprint.get("allowed_types")
    prefixes = [frozenset(str(c) for c in s.get("clauses", [])) for s in sections]
    types = [s.get("types") or default_types for s in sections]

    def serving(clauses: tuple[str, ...]) -> list[int]:
        above = _above(clauses)
        return [j for j, p in enumerate(prefixes) if not above.isdisjoint(p)]

    under = _Memo(serving)  # by clauses alone: far fewer distinct keys than kinds

    def fit(kind: Kind) -> Fit:
        type_, clauses, level = kind
        if levels is not None and level not in levels:
            return (), 1.0
        return tuple(j for j in under[clauses] if types[j] is None or type_ in types[j]), 1.0

    return fit


def _practice_rule(
    clauses: list[str] | None, levels: list[str] | None, weights: Mapping[str, float] | None
) -> FitRule:
    """Whether an item is at a chosen level under a chosen clause, and its drill weight."""
    chosen = frozenset(clauses) if clauses else None
    allowed = frozenset(levels) if levels else None
    weights = weights or {}

    def fit(kind: Kind) -> Fit:
        _, tags, level = kind
        above = _above(tags)
        weight = max((weights[p] for p in above if p in weights), default=1.0)
        wanted = (chosen is None or not above.isdisjoint(chosen)) and weight > 0
        return ((0,) if wanted and (allowed is None or level in allowed) else ()), weight

    return fit


class _Memo(dict):
    """A dict that computes a missing value once, so each distinct key is worked out once."""

    def __init__(self, compute: Callable[[Any], Any]) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.compute(key)
        return value


# --- drawing --------------------------------------------------------------------------------


class _Pool:
    """Candidates per section: stand-alone item indexes (`singles`) and scenario units
    (`groups`) whose ids start at `size`; `keys` holds a sampling key per index and id."""

    def __init__(self, size: int, sections: int) -> None:
        self.size = size
        self.keys = [0.0] * size
        self.singles: list[list[int]] = [[] for _ in range(sections)]
        self.groups: list[list[int]] = [[] for _ in range(sections)]
        self.units: list[dict[str, int]] = [{} for _ in range(sections)]
        self.members: list[list[int]] = []
        self.weight_sums: list[float] = []

    def add_scenario_items(self, items: Sequence[Item], rows: list[tuple[int, Fit]]) -> None:
        """Gather scenario items, given as (index, fit) in bank order, into units per section."""
        size, members, sums = self.size, self.members, self.weight_sums
        for index, (serves, weight) in rows:
            scenario = items[index].scenario
            for j in serves:
                unit = self.units[j].get(scenario)
                if unit is None:
                    unit = self.units[j][scenario] = size + len(members)
                    self.groups[j].append(unit)
                    members.append([])
                    sums.append(0.0)
                members[unit - size].append(index)
                sums[unit - size] += weight

    def key_units(self, draw: Callable[[], float]) -> None:
        """Key each scenario unit by its members' mean weight: u ** (1 / mean) = u ** (n / sum)."""
        self.keys += [
            draw() ** (len(m) / w) for m, w in zip(self.members, self.weight_sums, strict=True)
        ]

    def members_of(self, unit: int) -> list[int]:
        """The item indexes a unit stands for."""
        return [unit] if unit < self.size else self.members[unit - self.size]

    def available(self, section: int) -> int:
        """How many items may serve a section."""
        grouped = sum(len(self.members[u - self.size]) for u in self.groups[section])
        return len(self.singles[section]) + grouped

    def eligible(self, section: int) -> list[int]:
        """The item indexes that may serve a section."""
        grouped = [i for u in self.groups[section] for i in self.members[u - self.size]]
        return self.singles[section] + grouped


def _scan(
    items: Sequence[Item],
    rule: FitRule,
    sections: int,
    rng: random.Random,
    recently_seen: Mapping[str, float] | None,
) -> _Pool:
    """One pass over the pool: each eligible item's sections and Efraimidis–Spirakis key."""
    pool = _Pool(len(items), sections)
    # Looked up by C-level maps: the Python loop below only visits eligible items.
    fits = list(map(_Memo(rule).__getitem__, map(_kind_of, items)))
    draw, keys, seen = rng.random, pool.keys, recently_seen or None
    scenario_rows: list[tuple[int, Fit]] = []
    for index in compress(range(len(items)), map(itemgetter(0), fits)):
        serves, weight = fit = fits[index]
        item = items[index]
        if seen is not None and item.id in seen:
            weight *= 1.0 - RECENCY_DISCOUNT * min(max(seen[item.id], 0.0), 1.0)
            fit = (serves, weight)
        if item.scenario is not None:
            scenario_rows.append((index, fit))
            continue
        keys[index] = draw() if weight == 1.0 else draw() ** (1.0 / weight)
        for j in serves:
            pool.singles[j].append(index)
    pool.add_scenario_items(items, scenario_rows)
    pool.key_units(draw)
    return pool


def _pick(pool: _Pool, section: int, need: int, taken: Mapping[int, int]) -> list[int]:
    """The `need` best-keyed free items of a section, scenario units whole where they fit."""
    if need <= 0:
        return []
    candidates = pool.singles[section] + pool.groups[section]
    count = need + len(taken)  # enough unless scenario units are cut or set aside
    while True:
        ranked = heapq.nlargest(count, candidates, key=pool.keys.__getitem__)
        picked, too_big = _take(pool, ranked, need, taken)
        if len(picked) == need or len(ranked) == len(candidates):
            break
        count *= 4
    for free in too_big:
        if len(picked) == need:
            break
        picked.extend(free[: need - len(picked)])
    return picked


def _take(
    pool: _Pool, ranked: list[int], need: int, taken: Mapping[int, int]
) -> tuple[list[int], list[list[int]]]:
    """Walk units best first: take the free members of those that fit, set aside the rest."""
    picked: list[int] = []
    too_big: list[list[int]] = []
    for unit in ranked:
        free = [i for i in pool.members_of(unit) if i not in taken]
        if not free:
            continue
        if len(free) <= need - len(picked):
            picked.extend(free)
        else:
            too_big.append(free)
        if len(picked) == need:
            break
    return picked, too_big


def _complete(pool: _Pool, needed: list[int], taken: dict[int, int]) -> bool:
    """Fill sections the greedy draw left short by moving items along augmenting paths."""
    eligible = [pool.eligible(j) for j in range(len(needed))]
    for section, need in enumerate(needed):
        for _ in range(need - sum(1 for j in taken.values() if j == section)):
            came_from: dict[int, tuple[int, int] | None] = {section: None}
            queue = deque([section])
            while queue:
                current = queue.popleft()
                free = [i for i in eligible[current] if i not in taken]
                if free:
                    taken[max(free, key=pool.keys.__getitem__)] = current
                    break
                for i in eligible[current]:
                    if taken[i] not in came_from:
                        came_from[taken[i]] = (current, i)  # i may move from taken[i] to current
                        queue.append(taken[i])
            else:
                return False  # no augmenting path: the matching is maximal and falls short
            while (step := came_from[current]) is not None:
                current, moved = step
                taken[moved] = current
    return True


def _gathered(items: Sequence[Item], drawn: list[int]) -> list[int]:
    """Drawn indexes in draw order, with each scenario's members together in bank order."""
    units: list[list[int]] = []
    groups: dict[str, list[int]] = {}
    for index in drawn:
        scenario = items[index].scenario
        if scenario is None:
            units.append([index])
        elif scenario in groups:
            groups[scenario].append(index)
        else:
            groups[scenario] = [index]
            units.append(groups[scenario])
    return [i for unit in units for i in sorted(unit)]
