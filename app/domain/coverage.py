"""How well a pool of published items covers the clause tree and an exam blueprint.

Two questions trainers ask before they publish a scheme: how many items of each level
sit under each clause, and can the blueprint actually be drawn from the pool? The
second is an assignment problem, because one item may suit several sections (an item
tagged 5.1 and 6.2 fits both "Context and leadership" and "Planning and support"), and
counting each section's pool separately says yes where no real draw could succeed.
We answer it with a maximum flow over *item classes*: items with the same set of
eligible sections are interchangeable, so 50,000 items collapse to a few dozen nodes.

Simplification: exam assembly draws the items of one scenario together, but here every
item counts on its own. Figures for scenario-heavy pools are therefore an upper bound.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app.domain.blueprint import Blueprint
from app.domain.messages import Message
from app.domain.records import LEVELS
from app.domain.wording import listed


@dataclass(frozen=True)
class Item:
    """A published item as exam assembly sees it."""

    id: str
    clauses: tuple[str, ...]
    level: str
    type: str
    scenario: str | None = None


@dataclass(frozen=True)
class SectionFill:
    """One blueprint section: items needed, items that could serve it, and the gap."""

    id: str
    title: str
    needed: int
    available: int
    shortfall: int  # missing even if this section had its whole pool to itself


@dataclass(frozen=True)
class FillReport:
    """Whether a blueprint can be drawn from a pool, and how many times over.

    `missing` is how many items a single form lacks when all sections draw at once;
    `contested` names the sections that together need more items than they can share.
    """

    sections: list[SectionFill]
    can_fill: bool
    distinct_forms: int
    short_sections: list[str]
    missing: int = 0
    contested: list[str] = field(default_factory=list)

    def describe(self) -> list[Message]:
        """Lines for a trainer (message codes): one per section, then the verdict."""
        lines = [_section_line(s) for s in self.sections]
        if self.missing > sum(s.shortfall for s in self.sections):
            titles = listed([s.title for s in self.sections if s.id in self.contested])
            lines.append(
                Message("coverage.contested", {"sections": titles, "missing": self.missing})
            )
        if self.distinct_forms == 0:
            lines.append(Message("coverage.no_form"))
        elif self.distinct_forms == 1:
            lines.append(Message("coverage.one_form"))
        else:
            lines.append(Message("coverage.forms", {"forms": self.distinct_forms}))
        return lines


def _section_line(section: SectionFill) -> Message:
    """One section's figures, with its shortfall when there is one."""
    if section.shortfall:
        return Message(
            "coverage.section_short",
            {
                "section": section.title,
                "needed": section.needed,
                "available": section.available,
                "short": section.shortfall,
            },
        )
    return Message(
        "coverage.section",
        {"section": section.title, "needed": section.needed, "available": section.available},
    )


def clause_ancestors(clause: str) -> list[str]:
    """A clause number and every clause above it: 8.5.1 gives 8, 8.5 and 8.5.1."""
    parts = clause.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def clause_level_counts(
    items: Iterable[Item], clause_numbers: list[str]
) -> dict[str, dict[str, int]]:
    """Per taxonomy clause and level, the items tagged with that clause or one below it."""
    taxonomy = set(clause_numbers)
    tagged = Counter((item.clauses, item.level) for item in items)
    above: dict[str, set[str]] = {}
    counts: Counter[tuple[str, str]] = Counter()
    for (clauses, level), n in tagged.items():
        # A set, so an item tagged 8.5.1 and 8.5.2 counts once for 8.5 and once for 8.
        under: set[str] = set()
        for clause in clauses:
            if clause not in above:
                above[clause] = taxonomy.intersection(clause_ancestors(clause))
            under |= above[clause]
        for number in under:
            counts[number, level] += n
    extra = sorted({level for _, level in tagged} - set(LEVELS))
    levels = [*LEVELS, *extra]
    return {c: {lvl: counts[c, lvl] for lvl in levels} for c in clause_numbers}


def blueprint_fill(items: Iterable[Item], blueprint: Blueprint) -> FillReport:
    """Check that every section of a blueprint can be filled at once, and how often."""
    sections = blueprint.sections
    needed = [s.items for s in sections]
    classes = _item_classes(items, blueprint)
    available = [sum(n for sig, n in classes.items() if j in sig) for j in range(len(sections))]
    fills = [
        SectionFill(
            id=s.id,
            title=s.title,
            needed=needed[j],
            available=available[j],
            shortfall=max(0, needed[j] - available[j]),
        )
        for j, s in enumerate(sections)
    ]
    flow, contested = _max_flow(classes, needed)
    return FillReport(
        sections=fills,
        can_fill=flow == sum(needed),
        distinct_forms=_distinct_forms(classes, needed, available),
        short_sections=[f.id for f in fills if f.shortfall],
        missing=sum(needed) - flow,
        contested=[fills[j].id for j in contested],
    )


def _item_classes(items: Iterable[Item], blueprint: Blueprint) -> Counter[frozenset[int]]:
    """Count items by the set of sections each may serve; items serving none are dropped."""
    prefixes = [frozenset(s.clauses) for s in blueprint.sections]
    types = [s.types for s in blueprint.sections]
    kinds = Counter(
        (item.clauses, item.type) for item in items if blueprint.allows_level(item.level)
    )
    by_clause: dict[str, frozenset[int]] = {}
    classes: Counter[frozenset[int]] = Counter()
    for (clauses, type_), n in kinds.items():
        matched: set[int] = set()
        for clause in clauses:
            if clause not in by_clause:
                above = set(clause_ancestors(clause))
                by_clause[clause] = frozenset(j for j, p in enumerate(prefixes) if above & p)
            matched |= by_clause[clause]
        signature = frozenset(j for j in matched if (t := types[j]) is None or type_ in t)
        if signature:
            classes[signature] += n
    return classes


def _distinct_forms(
    classes: Counter[frozenset[int]], needed: Sequence[int], available: Sequence[int]
) -> int:
    """Largest k such that k forms can be drawn with no item in two of them."""
    demanding = [j for j, n in enumerate(needed) if n > 0]
    if not demanding:
        return 0  # a blueprint that asks for nothing makes no forms worth counting
    high = min(
        min(available[j] // needed[j] for j in demanding),
        sum(classes.values()) // sum(needed),
    )
    low = 0
    # Feasibility is monotone: dropping items from k forms' draw leaves k - 1 forms.
    while low < high:
        k = (low + high + 1) // 2
        flow, _ = _max_flow(classes, [k * n for n in needed])
        if flow == k * sum(needed):
            low = k
        else:
            high = k - 1
    return low


def _max_flow(classes: Counter[frozenset[int]], needed: Sequence[int]) -> tuple[int, list[int]]:
    """Most items assignable to sections, and the sections that block a full draw.

    Network: source → item class (capacity = items in it) → section (unbounded) →
    sink (capacity = needed). After the flow, the sections that can still reach the
    sink in the residual network form the tightest set whose combined need exceeds the
    items able to serve any of them (where Hall's condition fails): what to tell authors.
    """
    signatures = list(classes)
    net = _FlowNetwork(2 + len(signatures) + len(needed))
    source, sink, first_section = 0, 1, 2 + len(signatures)
    unbounded = sum(classes.values())
    for i, signature in enumerate(signatures):
        net.add_edge(source, 2 + i, classes[signature])
        for j in signature:
            net.add_edge(2 + i, first_section + j, unbounded)
    for j, n in enumerate(needed):
        net.add_edge(first_section + j, sink, n)
    flow = net.max_flow(source, sink)
    reaching = net.reaching(sink)
    blocked = [j for j, n in enumerate(needed) if n and first_section + j in reaching]
    return flow, blocked


class _FlowNetwork:
    """A small Dinic max-flow; the graphs here have at most a few hundred nodes."""

    def __init__(self, size: int) -> None:
        self.adjacent: list[list[int]] = [[] for _ in range(size)]
        self.head: list[int] = []  # edge i runs to head[i]; edge i ^ 1 is its reverse
        self.capacity: list[int] = []

    def add_edge(self, tail: int, head: int, capacity: int) -> None:
        """Add an edge and its zero-capacity reverse."""
        for a, b, cap in ((tail, head, capacity), (head, tail, 0)):
            self.adjacent[a].append(len(self.head))
            self.head.append(b)
            self.capacity.append(cap)

    def max_flow(self, source: int, sink: int) -> int:
        """Push as much flow as possible from source to sink."""
        total = 0
        while (depth := self._levels(source)) and sink in depth:
            cursor = [0] * len(self.adjacent)
            while pushed := self._push(source, sink, 1 << 62, depth, cursor):
                total += pushed
        return total

    def reaching(self, sink: int) -> set[int]:
        """Nodes that can still send flow to sink over edges with spare capacity."""
        found = {sink}
        queue = deque([sink])
        while queue:
            node = queue.popleft()
            for edge in self.adjacent[node]:
                tail = self.head[edge]  # edge ^ 1 runs from tail into node
                if self.capacity[edge ^ 1] > 0 and tail not in found:
                    found.add(tail)
                    queue.append(tail)
        return found

    def _levels(self, source: int) -> dict[int, int]:
        """Breadth-first distance of every node reachable in the residual network."""
        depth = {source: 0}
        queue = deque([source])
        while queue:
            node = queue.popleft()
            for edge in self.adjacent[node]:
                head = self.head[edge]
                if self.capacity[edge] > 0 and head not in depth:
                    depth[head] = depth[node] + 1
                    queue.append(head)
        return depth

    def _push(
        self, node: int, sink: int, limit: int, depth: dict[int, int], cursor: list[int]
    ) -> int:
        """Send up to limit units along one shortest augmenting path (depth ≤ 4 here)."""
        if node == sink:
            return limit
        edges = self.adjacent[node]
        while cursor[node] < len(edges):
            edge = edges[cursor[node]]
            head = self.head[edge]
            if self.capacity[edge] > 0 and depth.get(head) == depth[node] + 1:
                pushed = self._push(head, sink, min(limit, self.capacity[edge]), depth, cursor)
                if pushed:
                    self.capacity[edge] -= pushed
                    self.capacity[edge ^ 1] += pushed
                    return pushed
            cursor[node] += 1
        return 0
