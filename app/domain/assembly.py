"""Drawing exam forms and practice sets from a pool of published items.

A mock exam follows a blueprint: each section draws its `items` count from the items
whose clauses, level and type suit it (the same rules as `coverage`). Practice and drill
sets draw from the clauses and levels a learner picks, optionally weighted toward weak
clauses.

How a draw works:
- Weighted sampling without replacement by Efraimidis–Spirakis keys: every candidate
  gets random() ** (1 / weight) and the largest keys win. One numpy generator seeded
  with `seed` drives the whole draw, so the same pool, blueprint and seed give the same
  form. An
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
- Speed: which sections each item may serve depends on the pool and blueprint only, so
  `prepare_blueprint` works it out once and a caller that keeps the result (the service
  does, per published pool) pays per draw only for the vectorised keys and a partial
  sort per section: a few milliseconds for 50,000 items.
- Output: sections in blueprint order; inside a section, units in the order drawn, with
  the members of a scenario together in bank order. A scenario whose items suit
  different sections is split between them. Scenario ids must be unique in the pool.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from operator import attrgetter, itemgetter
from typing import Any

import numpy as np

from app.domain.blueprint import Blueprint
from app.domain.coverage import FillReport, Item, blueprint_fill, clause_ancestors
from app.domain.messages import Message

RECENCY_DISCOUNT = 0.9
PRACTICE_SECTION = ""  # the section of every slot of a practice or drill set

Shortage = tuple[str, str, int, int]  # section id, title, needed, available
Fit = tuple[tuple[int, ...], float]  # the sections an item may serve, and its clause weight
Kind = tuple[str, tuple[str, ...], str]  # an item's type, clauses and level
FitRule = Callable[[Kind], Fit]
_kind_of = attrgetter("type", "clauses", "level")


class ShortBank(Exception):
    """The pool cannot supply what was asked; `.shortages` lists every short section.

    `.message` says so as a message code (`app.messages` words it); the exception's own
    text is that code, for logs.
    """

    def __init__(self, shortages: Sequence[Shortage], message: Message | None = None) -> None:
        self.shortages: list[Shortage] = list(shortages)
        self.message = message or _shortage_message(self.shortages)
        super().__init__(self.message.code)

    @classmethod
    def from_report(cls, report: FillReport) -> ShortBank:
        """The sections a fill report finds short, or contested when none is short alone."""
        names = set(report.short_sections) | set(report.contested)
        shortages = [
            (s.id, s.title, s.needed, s.available)
            for s in report.sections
            if s.id in names or not names
        ]
        if report.missing > sum(s.shortfall for s in report.sections):
            listed = _shortage_list(shortages)
            message = Message(
                "assembly.short_contested", {"sections": listed, "missing": report.missing}
            )
            return cls(shortages, message)
        return cls(shortages)


def _shortage_message(shortages: Sequence[Shortage]) -> Message:
    """One sentence naming each short section with its figures."""
    return Message("assembly.short", {"sections": _shortage_list(shortages)})


def _shortage_list(shortages: Sequence[Shortage]) -> tuple[Message, ...]:
    """Each short section with its figures, rendered as a list inside the sentence."""
    return tuple(
        Message(
            "assembly.short_section",
            {"section": title, "needed": needed, "available": available},
        )
        for _, title, needed, available in shortages
    )


BLOCKED = -1  # the "section" of an excluded item in a draw's taken map: it serves none


@dataclass(frozen=True)
class Slot:
    """One place in a drawn form: which item, and which blueprint section it serves."""

    item_id: str
    section: str


def prepare_blueprint(items: Sequence[Item], blueprint: Blueprint) -> Prepared:
    """Which sections each item of the pool may serve: reusable for every draw of the pool."""
    return Prepared(items, _blueprint_rule(blueprint), len(blueprint.sections))


def assemble_blueprint(
    items: Sequence[Item],
    blueprint: Blueprint,
    seed: int,
    recently_seen: Mapping[str, float] | None = None,
    prepared: Prepared | None = None,
    excluded: Collection[str] = (),
) -> list[Slot]:
    """Draw one exam form from the pool; ShortBank names the sections it cannot fill.

    `prepared` is `prepare_blueprint(items, blueprint)` kept from an earlier draw. Items
    whose id is in `excluded` are never drawn (the prepared pool stays as it is: they
    enter the draw as already taken, by no section).
    """
    sections = blueprint.sections
    needed = [s.items for s in sections]
    if prepared is None or prepared.items is not items:
        prepared = prepare_blueprint(items, blueprint)
    pool = prepared.draw(seed, recently_seen)
    blocked = {i: BLOCKED for i in map(prepared.index_of, excluded) if i is not None}
    available = [
        pool.available(j) - sum(1 for i in pool.eligible(j) if i in blocked)
        if blocked
        else pool.available(j)
        for j in range(len(sections))
    ]
    if any(a < n for a, n in zip(available, needed, strict=True)):
        raise _short_bank(items, blueprint, excluded)
    taken: dict[int, int] = dict(blocked)  # item index → section index, in the order drawn
    for j in sorted(range(len(sections)), key=lambda j: -needed[j] / max(available[j], 1)):
        taken.update(dict.fromkeys(_pick(pool, j, needed[j], taken), j))
    if len(taken) - len(blocked) < sum(needed) and not _complete(pool, needed, taken):
        raise _short_bank(items, blueprint, excluded)
    by_section: list[list[int]] = [[] for _ in sections]
    for index, j in taken.items():
        if j != BLOCKED:
            by_section[j].append(index)
    return [
        Slot(items[i].id, section.id)
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
    pool = Prepared(items, rule, 1).draw(seed, recently_seen)
    if not pool.available(0):
        raise ShortBank(
            [("practice", "Practice set", count, 0)],
            Message("assembly.no_practice_items"),
        )
    drawn = _pick(pool, 0, min(count, pool.available(0)), {})
    return [Slot(items[i].id, PRACTICE_SECTION) for i in _gathered(items, drawn)]


def practice_supply(
    items: Sequence[Item], clauses: Sequence[str], levels: Sequence[str] | None
) -> dict[str, int]:
    """Per clause: how many items a practice set or drill on that clause alone can draw.

    The rule of `assemble_practice` without weights (a drill's are never 0): an item counts
    under every chosen clause it sits under (8.5.1 under 8 and 8.5), at a chosen level
    (None or empty = any). One pass over the pool, however many clauses are asked about.
    """
    supply = dict.fromkeys(clauses, 0)
    wanted = frozenset(clauses)
    allowed = frozenset(levels) if levels else None
    above = _Memo(lambda tags: _above(tags) & wanted)
    for item in items:
        if allowed is None or item.level in allowed:
            for clause in above[item.clauses]:
                supply[clause] += 1
    return supply


def practice_set_supply(
    items: Sequence[Item], clauses: Sequence[str], levels: Sequence[str] | None
) -> int:
    """How many items one practice set on `clauses` together can draw (empty = all).

    The rule of `practice_supply`, with each item counted once however many of the
    chosen clauses it sits under.
    """
    wanted = frozenset(clauses)
    allowed = frozenset(levels) if levels else None
    above = _Memo(lambda tags: _above(tags) & wanted)
    return sum(
        1
        for item in items
        if (allowed is None or item.level in allowed) and (not wanted or above[item.clauses])
    )


def _short_bank(
    items: Sequence[Item], blueprint: Blueprint, excluded: Collection[str] = ()
) -> ShortBank:
    """The ShortBank that coverage's fill report describes for this pool (without the
    `excluded` items) and blueprint."""
    if excluded:
        items = [item for item in items if item.id not in excluded]
    report = blueprint_fill(items, blueprint)
    if report.can_fill:
        raise RuntimeError("blueprint_fill found a form that the draw could not complete")
    return ShortBank.from_report(report)


# --- eligibility ----------------------------------------------------------------------------


def _above(clauses: tuple[str, ...]) -> set[str]:
    """Every clause an item sits under: 8.5.1 gives 8, 8.5 and 8.5.1 (never 8.50)."""
    return {a for clause in clauses for a in clause_ancestors(clause)}


def _blueprint_rule(blueprint: Blueprint) -> FitRule:
    """Sections an item may serve, by level, clause prefix and type."""
    prefixes = [frozenset(s.clauses) for s in blueprint.sections]
    types = [s.types for s in blueprint.sections]

    def serving(clauses: tuple[str, ...]) -> list[int]:
        above = _above(clauses)
        return [j for j, p in enumerate(prefixes) if not above.isdisjoint(p)]

    under = _Memo(serving)  # by clauses alone: far fewer distinct keys than kinds

    def fit(kind: Kind) -> Fit:
        type_, clauses, level = kind
        if not blueprint.allows_level(level):
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


class _Memo(dict[Any, Any]):
    """A dict that computes a missing value once, so each distinct key is worked out once."""

    def __init__(self, compute: Callable[[Any], Any]) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.compute(key)
        return value


# --- drawing --------------------------------------------------------------------------------


class Prepared:
    """The part of a draw that depends on the pool and the rule only, worked out once.

    Per section: stand-alone item indexes (`singles`) and scenario units (`groups`) whose
    ids start at `size`; `members` lists each unit's item indexes in bank order. `weights`
    holds each item's rule weight (1 for items no section may use).
    """

    def __init__(self, items: Sequence[Item], rule: FitRule, sections: int) -> None:
        self.items = items
        self.size = size = len(items)
        # Looked up by C-level maps: the Python loop below only visits eligible items.
        fits = list(map(_Memo(rule).__getitem__, map(_kind_of, items)))
        self.eligible_set: set[int] = set()
        self.weights = np.ones(size)
        self.singles: list[list[int]] = [[] for _ in range(sections)]
        self.groups: list[list[int]] = [[] for _ in range(sections)]
        self.members: list[list[int]] = []
        units: list[dict[str, int]] = [{} for _ in range(sections)]
        for index in compress(range(size), map(itemgetter(0), fits)):
            serves, weight = fits[index]
            self.eligible_set.add(index)
            self.weights[index] = weight
            scenario = items[index].scenario
            for j in serves:
                if scenario is None:
                    self.singles[j].append(index)
                    continue
                unit = units[j].get(scenario)
                if unit is None:
                    unit = units[j][scenario] = size + len(self.members)
                    self.groups[j].append(unit)
                    self.members.append([])
                self.members[unit - size].append(index)
        self.candidates = [
            np.array(s + g, dtype=np.int64) for s, g in zip(self.singles, self.groups, strict=True)
        ]
        self.unit_lengths = np.array([len(m) for m in self.members], dtype=float)
        flat = [i for m in self.members for i in m]
        self.unit_flat = np.array(flat, dtype=np.int64)
        self.unit_starts = np.cumsum([0] + [len(m) for m in self.members[:-1]], dtype=np.int64)
        self._index_of: dict[str, int] | None = None

    def index_of(self, item_id: str) -> int | None:
        """An item's index in the pool (the map is built on first use)."""
        if self._index_of is None:
            self._index_of = {item.id: i for i, item in enumerate(self.items)}
        return self._index_of.get(item_id)

    def draw(self, seed: int, recently_seen: Mapping[str, float] | None) -> _Pool:
        """Key every eligible item and unit for one draw: u ** (1 / weight), vectorised."""
        weights = self.weights
        if recently_seen:
            weights = weights.copy()
            for item_id, seen in recently_seen.items():
                index = self.index_of(item_id)
                if index is not None and index in self.eligible_set:
                    weights[index] *= 1.0 - RECENCY_DISCOUNT * min(max(seen, 0.0), 1.0)
        uniform = np.random.default_rng(seed).random(self.size + len(self.members))
        keys = uniform[: self.size] ** (1.0 / weights)
        if self.members:
            # A unit weighs its members' mean weight: u ** (1 / mean) = u ** (n / sum).
            sums = np.add.reduceat(weights[self.unit_flat], self.unit_starts)
            keys = np.concatenate([keys, uniform[self.size :] ** (self.unit_lengths / sums)])
        return _Pool(self, keys)


class _Pool:
    """One draw's keys over a prepared pool; `keys` holds a key per item index and unit id."""

    def __init__(self, prepared: Prepared, keys: np.ndarray) -> None:
        self.prepared = prepared
        self.size = prepared.size
        self.members = prepared.members
        self.key_array = keys
        self.keys: list[float] = keys.tolist()

    def members_of(self, unit: int) -> list[int]:
        """The item indexes a unit stands for."""
        return [unit] if unit < self.size else self.members[unit - self.size]

    def available(self, section: int) -> int:
        """How many items may serve a section."""
        singles, groups = self.prepared.singles[section], self.prepared.groups[section]
        return len(singles) + sum(len(self.members[u - self.size]) for u in groups)

    def eligible(self, section: int) -> list[int]:
        """The item indexes that may serve a section."""
        groups = self.prepared.groups[section]
        grouped = [i for u in groups for i in self.members[u - self.size]]
        return self.prepared.singles[section] + grouped

    def ranked(self, section: int, count: int) -> list[int]:
        """The section's `count` best-keyed candidates (items and units), best first."""
        candidates = self.prepared.candidates[section]
        keys = self.key_array[candidates]
        if count < len(candidates):
            top = np.argpartition(-keys, count - 1)[:count]
            candidates, keys = candidates[top], keys[top]
        best: list[int] = candidates[np.argsort(-keys, kind="stable")].tolist()
        return best


def _pick(pool: _Pool, section: int, need: int, taken: Mapping[int, int]) -> list[int]:
    """The `need` best-keyed free items of a section, scenario units whole where they fit."""
    if need <= 0:
        return []
    total = len(pool.prepared.candidates[section])
    count = need + len(taken)  # enough unless scenario units are cut or set aside
    while True:
        ranked = pool.ranked(section, min(count, total))
        picked, too_big = _take(pool, ranked, need, taken)
        if len(picked) == need or len(ranked) == total:
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
                    if taken[i] != BLOCKED and taken[i] not in came_from:
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
