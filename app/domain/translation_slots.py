"""A translation as the side-by-side editor shows it: one slot per text of the source.

A slot is one source text the translation renders, named by its path in the
translation's fields (app.domain.translation): `("stem",)`, `("options", "b")`,
`("pairs", "p1", "match")`, `("rubric", 1, "guidance")`, `("hints", 0)`. A short-answer
item's accepted answers are one slot, `("answers",)`, one answer a line, since a
translation accepts any number of them. Slots follow the order a translation is written
in, so the editor shows the texts as the bank file does.

`fields_from` turns the texts given for the slots back into translation fields of the
source's shape; whether they fit (none empty, options alike…) is
`app.domain.translation.problems`, as for an imported translation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.domain.translation import FIELDS, SCENARIO_FIELDS

Path = tuple[str | int, ...]
ANSWERS: Path = ("answers",)
_LISTS = frozenset({"extra_matches", "rubric", "hints"})


@dataclass(frozen=True)
class Slot:
    """One text of the source and where its translation goes."""

    path: Path
    source: str

    @property
    def field(self) -> str:
        """The translation field the slot belongs to (`options` for option b)."""
        return str(self.path[0])

    @property
    def lines(self) -> bool:
        """Whether the slot holds one entry a line (the accepted answers)."""
        return self.path == ANSWERS


def slots(texts: Mapping[str, Any]) -> list[Slot]:
    """The slots of source texts in translation shape (`source_texts`, `scenario_texts`),
    in the order a translation is written."""
    order = [*FIELDS, *SCENARIO_FIELDS]
    found: list[Slot] = []
    for name in sorted(texts, key=lambda n: order.index(n) if n in order else len(order)):
        if name == "answers":
            found.append(Slot(ANSWERS, "\n".join(texts[name])))
        else:
            found += _walk(texts[name], (name,))
    return found


def _walk(value: Any, path: Path) -> list[Slot]:
    """The slots of one value: a text, or the texts inside a mapping or a list."""
    if isinstance(value, str):
        return [Slot(path, value)]
    if isinstance(value, dict):
        return [slot for key, part in value.items() for slot in _walk(part, (*path, key))]
    if isinstance(value, list):
        return [slot for n, part in enumerate(value) for slot in _walk(part, (*path, n))]
    return []


def values(fields: Mapping[str, Any], shown: list[Slot]) -> dict[Path, str]:
    """A stored translation's text for each slot ("" where it has none, as for a part
    the source gained since)."""
    found: dict[Path, str] = {}
    for slot in shown:
        value = _at(fields, slot.path)
        if slot.lines:
            found[slot.path] = "\n".join(str(v) for v in value) if isinstance(value, list) else ""
        else:
            found[slot.path] = value if isinstance(value, str) else ""
    return found


def _at(fields: Mapping[str, Any], path: Path) -> Any:
    """The value at a path of translation fields, or None."""
    value: Any = fields
    for step in path:
        in_dict = isinstance(value, dict) and step in value
        in_list = isinstance(value, list) and isinstance(step, int) and step < len(value)
        if not (in_dict or in_list):
            return None
        value = value[step]
    return value


def clean(text: str) -> str:
    """A text as a form sends it, tidied: CRLF line ends made LF, ends stripped."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def fields_from(shown: list[Slot], given: Mapping[Path, str]) -> dict[str, Any]:
    """The translation fields the texts given for the slots make, in the source's shape
    (a slot given nothing gets an empty text, for the checks to name)."""
    fields: dict[str, Any] = {}
    for slot in shown:
        text = clean(given.get(slot.path, ""))
        if slot.lines:
            fields["answers"] = [line.strip() for line in text.split("\n") if line.strip()]
            continue
        parent: Any = fields
        for step in slot.path[:-1]:
            parent = parent.setdefault(step, {})
        parent[slot.path[-1]] = text
    for name in _LISTS & set(fields):  # lists were filled in as {0: …, 1: …}
        fields[name] = [fields[name][n] for n in sorted(fields[name])]
    return fields
