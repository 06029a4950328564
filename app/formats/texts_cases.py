"""A case (scenario) carried at the top of each of its items' text.

Moodle has no scenarios: a quiz that draws items at random would show an item without
the case it needs. The Moodle XML and GIFT exports therefore put the case on top of each
item's stem, and their readers take it off again when it is exactly there.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.domain.records import ScenarioRecord


def with_case(case: ScenarioRecord, stem: str) -> str:
    """A stem with its case on top: the title in bold, the text, a rule, the stem."""
    title = f"**{case.title.strip()}**\n\n" if case.title.strip() else ""
    return f"{title}{case.text.strip()}\n\n---\n\n{stem}"


def without_case(cases: Iterable[ScenarioRecord], scenario: str | None, stem: str) -> str:
    """The stem without its case block, when it starts with exactly that block."""
    case = next((s for s in cases if s.id == scenario), None)
    prefix = with_case(case, "") if case is not None else None
    return stem[len(prefix) :] if prefix and stem.startswith(prefix) else stem
