"""An exam blueprint as a type: parsed and checked once, then passed around.

A scheme's blueprint is data (question_banks/schemes/*.yaml, stored as JSON on the
scheme). Assembly, coverage, scoring and the readiness model all read the same few
facts from it: the sections (clause prefixes, item count, allowed types, minimum
score), the levels the exam draws from and the pass mark. `parse_blueprint` reads them
once and refuses a blueprint that would make any of them guess.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.domain.wording import Translations, wording


class BlueprintError(ValueError):
    """A blueprint that cannot be used, with a message code and its parameters."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(f"{code}: {params}" if params else code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class BlueprintSection:
    """One section: the clauses it draws from, how many items, which types, its minimum."""

    id: str
    title: str  # a Wording from parse_blueprint: English, with its translations
    clauses: tuple[str, ...]
    items: int
    types: frozenset[str] | None = None  # None: any type
    min_score: float | None = None  # share of the section's marks required, if any


@dataclass(frozen=True)
class Blueprint:
    """The composition of an exam form and its pass rule."""

    sections: tuple[BlueprintSection, ...]
    levels: tuple[str, ...] | None = None  # in the blueprint's order; None: any level
    pass_mark: float | None = None
    source: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def allows_level(self, level: str | None) -> bool:
        """Whether items of `level` may be drawn."""
        return self.levels is None or level in self.levels

    @property
    def item_count(self) -> int:
        """Items in one form: the sum over the sections."""
        return sum(s.items for s in self.sections)


def parse_blueprint(
    data: Mapping[str, Any], section_translations: Mapping[str, Translations] | None = None
) -> Blueprint:
    """The blueprint in `data`; BlueprintError says what is wrong and where.

    Levels are `levels`, else the single `level`, else any. A section's types are its
    own `types`, else the blueprint's `allowed_types`, else any. A section's title
    carries its translations: `section_translations[section id]`, else the section's own
    `translations` (as the scheme file writes them).
    """
    if not isinstance(data, Mapping):
        raise BlueprintError("blueprint_not_mapping")
    default_types = _types(data.get("allowed_types"), "allowed_types")
    raw = data.get("sections") or []
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise BlueprintError("sections_not_list")
    wordings = section_translations or {}
    sections = tuple(_section(s, n, default_types, wordings) for n, s in enumerate(raw, start=1))
    ids = [s.id for s in sections]
    duplicate = next((i for i in ids if ids.count(i) > 1), None)
    if duplicate is not None:
        raise BlueprintError("duplicate_section", section=duplicate)
    return Blueprint(
        sections=sections,
        levels=_levels(data),
        pass_mark=_share(data.get("pass_mark"), "pass_mark"),
        source=dict(data),
    )


def _section(
    raw: Any,
    number: int,
    default_types: frozenset[str] | None,
    wordings: Mapping[str, Translations],
) -> BlueprintSection:
    """One section of the blueprint (`number` counts from 1, for messages)."""
    if not isinstance(raw, Mapping) or not raw.get("id"):
        raise BlueprintError("section_without_id", number=number)
    sid = str(raw["id"])
    items = raw.get("items", 0)
    if isinstance(items, bool) or not isinstance(items, int) or items < 0:
        raise BlueprintError("section_items", section=sid, value=items)
    clauses = raw.get("clauses", [])
    if isinstance(clauses, str) or not isinstance(clauses, Sequence):
        raise BlueprintError("section_clauses", section=sid)
    return BlueprintSection(
        id=sid,
        title=wording(str(raw.get("title", sid)), wordings.get(sid) or raw.get("translations")),
        clauses=tuple(str(c) for c in clauses),
        items=items,
        types=_types(raw.get("types"), sid) or default_types,
        min_score=_share(raw.get("min_score"), sid),
    )


def _levels(data: Mapping[str, Any]) -> tuple[str, ...] | None:
    """`levels`, else the single `level`, else None (any level)."""
    if data.get("levels"):
        if isinstance(data["levels"], str) or not isinstance(data["levels"], Sequence):
            raise BlueprintError("levels_not_list")
        return tuple(dict.fromkeys(str(level) for level in data["levels"]))
    if data.get("level"):
        return (str(data["level"]),)
    return None


def _types(raw: Any, where: str) -> frozenset[str] | None:
    """A list of type keys, or None when absent or empty."""
    if not raw:
        return None
    if isinstance(raw, str) or not isinstance(raw, Sequence):
        raise BlueprintError("types_not_list", where=where)
    return frozenset(str(t) for t in raw)


def _share(raw: Any, where: str) -> float | None:
    """A share between 0 and 1 (pass mark, section minimum), or None when absent."""
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 <= raw <= 1:
        raise BlueprintError("share_out_of_range", where=where, value=raw)
    return float(raw)
