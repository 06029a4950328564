"""Scoring an attempt: the total, each blueprint section with its minimum, clause subscores.

Conventions:
- An item earns marks × fraction. An item awaiting a trainer (fraction None, such as an
  essay) counts 0 for now, keeps its marks in the maximum and is reported as pending.
- `pass_mark` and a section's `min_score` are fractions (0.65 means 65 %), as in the
  scheme files; every `percent` in a result runs from 0 to 100.
- A mark is reached when score ≥ fraction × maximum, allowing for rounding
  (13 of 20 reaches 0.65). Nothing can reach a mark with a maximum of 0.
- Clause subscores count an item's full marks under each clause it is tagged with and
  under their parents down to the second level, once per clause even when two tags
  share a parent; clause maxima therefore do not add up to the total.
- While an exam's review is closed, its clause subscores are pooled instead
  (`pooled_clause_scores`): nested or overlapping rows could be subtracted from one
  another, and a row of one item would say whether that item was right.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from app.domain.blueprint import Blueprint

_TOLERANCE = 1e-9
_CBM_WRONG = {1: 0.0, 2: -2.0, 3: -6.0}  # right earns the certainty itself: +1, +2, +3


@dataclass
class ItemScore:
    """One graded slot of an attempt: its marks and the fraction earned (None = pending)."""

    item_id: str
    section: str
    clauses: tuple[str, ...]
    marks: float
    fraction: float | None

    @property
    def earned(self) -> float:
        """Marks earned so far; a pending item earns nothing yet."""
        return self.marks * (self.fraction or 0.0)


class SectionScore(NamedTuple):
    """A blueprint section's score; `met` is None while pending items could still meet it."""

    id: str
    title: str
    score: float
    max: float
    percent: float
    min_score: float | None
    met: bool | None


class ClauseScore(NamedTuple):
    """Marks earned and available under one clause."""

    score: float
    max: float
    percent: float


@dataclass
class Result:
    """The outcome of an attempt; `passed` is None while marking is pending or with no mark."""

    score: float
    max_score: float
    percent: float
    pending: int
    passed: bool | None
    sections: list[SectionScore] = field(default_factory=list)
    clauses: dict[str, ClauseScore] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data, marks to 4 decimals and percentages to 2."""
        return {
            "score": round(self.score, 4),
            "max_score": round(self.max_score, 4),
            "percent": round(self.percent, 2),
            "pending": self.pending,
            "passed": self.passed,
            "sections": [
                {
                    **s._asdict(),
                    "score": round(s.score, 4),
                    "max": round(s.max, 4),
                    "percent": round(s.percent, 2),
                }
                for s in self.sections
            ],
            "clauses": {
                clause: {
                    "score": round(c.score, 4),
                    "max": round(c.max, 4),
                    "percent": round(c.percent, 2),
                }
                for clause, c in self.clauses.items()
            },
        }


def score_attempt(
    items: list[ItemScore], blueprint: Blueprint | None, pass_mark: float | None
) -> Result:
    """Total, sections and clause subscores of an attempt, and whether it passed."""
    if pass_mark is not None and not 0 < pass_mark <= 1:
        raise ValueError(f"the pass mark is a fraction between 0 and 1; got {pass_mark}")
    score = sum(item.earned for item in items)
    max_score = sum(item.marks for item in items)
    pending = sum(1 for item in items if item.fraction is None)
    sections = _section_scores(items, blueprint)
    passed = None
    if pass_mark is not None and not pending:
        passed = _reaches(score, max_score, pass_mark) and all(s.met for s in sections)
    return Result(
        score=score,
        max_score=max_score,
        percent=_percent(score, max_score),
        pending=pending,
        passed=passed,
        sections=sections,
        clauses=_clause_scores(items),
    )


def certainty_based(fraction: float | None, certainty: int | None) -> float | None:
    """Certainty-based marks for one item: +1/+2/+3 when right, 0/−2/−6 when wrong.

    Only a full answer (fraction ≥ 0.999) is right; a partly right answer counts as wrong.
    No certainty given counts as certainty 1; None while the item awaits marking.
    """
    if fraction is None:
        return None
    level = 1 if certainty is None else certainty
    if level not in _CBM_WRONG:
        raise ValueError(f"certainty must be 1, 2 or 3; got {certainty}")
    return float(level) if fraction >= 0.999 else _CBM_WRONG[level]


def rolled_up_clauses(clauses: tuple[str, ...]) -> set[str]:
    """An item's clauses and their parents to the second level: 8.5.1.3 → 8.5.1.3, 8.5.1, 8.5."""
    found: set[str] = set()
    for clause in clauses:
        parts = clause.split(".")
        found.update(".".join(parts[:n]) for n in range(min(2, len(parts)), len(parts) + 1))
    return found


def _percent(score: float, maximum: float) -> float:
    """Score as a percentage of the maximum; 0 when there is nothing to earn."""
    return 100.0 * score / maximum if maximum else 0.0


def _reaches(score: float, maximum: float, fraction: float) -> bool:
    """Whether score reaches a fraction of the maximum, forgiving float rounding."""
    return maximum > 0 and score >= fraction * maximum - _TOLERANCE * max(1.0, maximum)


def _section_scores(items: list[ItemScore], blueprint: Blueprint | None) -> list[SectionScore]:
    """Per blueprint section (or per section named by the items, without one), its score."""
    if blueprint is not None:
        plan = [(s.id, s.title, s.min_score) for s in blueprint.sections]
    else:
        named = dict.fromkeys(item.section for item in items if item.section)
        plan = [(sid, sid, None) for sid in named]
    return [_section_score(sid, title, minimum, items) for sid, title, minimum in plan]


def _section_score(
    sid: str, title: str, minimum: float | None, items: list[ItemScore]
) -> SectionScore:
    """One section's figures and whether its minimum is met (None: pending items decide)."""
    mine = [item for item in items if item.section == sid]
    score = sum(item.earned for item in mine)
    maximum = sum(item.marks for item in mine)
    met: bool | None = True
    if minimum is not None and not _reaches(score, maximum, float(minimum)):
        # Marking only adds marks, so a pending item can still lift the section.
        met = None if any(item.fraction is None for item in mine) else False
    return SectionScore(
        sid,
        title,
        score,
        maximum,
        _percent(score, maximum),
        None if minimum is None else float(minimum),
        met,
    )


def _clause_scores(items: list[ItemScore]) -> dict[str, ClauseScore]:
    """Clause subscores, ordered by clause number."""
    earned: dict[str, float] = {}
    available: dict[str, float] = {}
    for item in items:
        for clause in rolled_up_clauses(item.clauses):
            earned[clause] = earned.get(clause, 0.0) + item.earned
            available[clause] = available.get(clause, 0.0) + item.marks
    return {
        clause: ClauseScore(
            earned[clause], available[clause], _percent(earned[clause], available[clause])
        )
        for clause in sorted(available, key=_clause_order)
    }


def _clause_order(clause: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key comparing clause numbers segment by segment: 8.2 before 8.10 before 9."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in clause.split("."))


class PooledClauses(NamedTuple):
    """Marks of a section's items whose main clause falls under `clauses` (top level)."""

    section: str
    clauses: tuple[str, ...]
    items: int
    score: float
    max: float
    percent: float


OTHER = "other"  # the pooled row of items without a clause, or of clauses too thin alone


def pooled_clause_scores(items: list[ItemScore], min_items: int = 3) -> list[PooledClauses]:
    """Clause results that give no single item away, for exams whose review is closed.

    Rows never nest or overlap, and each lies inside one section: every item counts
    once, under its section and the top-level clause of its first clause. Rows,
    sections and the total are then sums of disjoint groups of at least `min_items`
    items (or a whole section), so no item's score is a difference of figures shown.
    Within a section, a clause with fewer than `min_items` items joins an "other" row;
    if that row is still too thin, it joins the section's smallest row.
    """
    sections: dict[str, list[ItemScore]] = {}
    for item in items:
        sections.setdefault(item.section, []).append(item)
    return [
        _pooled(section, clauses, group)
        for section, members in sections.items()
        for clauses, group in _pool(members, min_items)
    ]


def _pool(items: list[ItemScore], min_items: int) -> list[tuple[tuple[str, ...], list[Any]]]:
    """One section's items pooled by top-level clause, in clause order."""
    groups: dict[str, list[ItemScore]] = {}
    for item in items:
        first = min(item.clauses, key=_clause_order) if item.clauses else OTHER
        groups.setdefault(first.split(".")[0], []).append(item)
    rows: dict[tuple[str, ...], list[ItemScore]] = {
        (c,): g for c, g in groups.items() if len(g) >= min_items and c != OTHER
    }
    thin = [i for c, g in groups.items() if (c,) not in rows for i in g]
    if thin and len(thin) < min_items and rows:
        smallest = min(rows, key=lambda key: (len(rows[key]), _clause_order(key[0])))
        rows[(*smallest, OTHER)] = rows.pop(smallest) + thin
    elif thin:
        rows[(OTHER,)] = thin
    ordered_keys = sorted(rows, key=lambda key: (key[0] == OTHER, _clause_order(key[0])))
    return [(key, rows[key]) for key in ordered_keys]


def _pooled(section: str, clauses: tuple[str, ...], items: list[ItemScore]) -> PooledClauses:
    score = sum(item.earned for item in items)
    maximum = sum(item.marks for item in items)
    return PooledClauses(section, clauses, len(items), score, maximum, _percent(score, maximum))
