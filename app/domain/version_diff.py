"""Word-level differences between two versions of a question, field by field.

A version's content (`content.content_of`) is flattened into named text fields: a list
of parts (options, pairs, steps, rubric criteria, a plug-in's categories and items)
gives one field per part and cell, named by the part's id, so a changed option is told
apart from a moved one. Each field that changed is compared word by word: the result
marks the words deleted and inserted, and fields that did not change are left out.

Words are runs of letters and digits, single punctuation marks, runs of white space,
and single CJK characters (Chinese is written without spaces, so each character is a
word), so the pieces always join back into the original text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# A field's name: ("stem",), ("options", "a", "text"), ("data", "items", "i2", "category").
Path = tuple[str, ...]
SAME, INSERTED, DELETED = "same", "inserted", "deleted"

_CJK = "\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+|\s+|[^\w\s]")


@dataclass(frozen=True)
class Segment:
    """A run of text that both versions share, or that one of them alone has."""

    kind: str  # SAME, INSERTED or DELETED
    text: str


@dataclass(frozen=True)
class FieldChange:
    """One changed field: its name and its words, marked."""

    path: Path
    segments: tuple[Segment, ...]


def words(text: str) -> list[str]:
    """The words, spaces and marks of `text`, in order; joined they give `text` back."""
    return _WORD.findall(text)


def word_diff(before: str, after: str) -> list[Segment]:
    """The words of `after` against `before`: kept, deleted (a replaced run's old words
    come first) and inserted, with neighbours of one kind merged."""
    old, new = words(before), words(after)
    found: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            found.append(Segment(SAME, "".join(old[i1:i2])))
            continue
        if i2 > i1:
            found.append(Segment(DELETED, "".join(old[i1:i2])))
        if j2 > j1:
            found.append(Segment(INSERTED, "".join(new[j1:j2])))
    return _grouped(found)


def _grouped(segments: list[Segment]) -> list[Segment]:
    """Each run of changes as its deleted words, then its inserted words; white space
    alone between two changes joins the run, so "a b" → "x y" reads as one of each."""
    out: list[Segment] = []
    run: list[Segment] = []
    for n, seg in enumerate(segments):
        following = segments[n + 1].kind if n + 1 < len(segments) else SAME
        joins = seg.kind == SAME and not seg.text.strip() and run and following != SAME
        if seg.kind != SAME or joins:
            run.append(seg)
            continue
        out += _run(run)
        run = []
        out.append(seg)
    return out + _run(run)


def _run(run: list[Segment]) -> list[Segment]:
    """One run of changes (with the spaces inside it): deleted words, then inserted."""
    found = []
    for kind in (DELETED, INSERTED):
        if any(s.kind == kind for s in run):
            found.append(Segment(kind, "".join(s.text for s in run if s.kind in (kind, SAME))))
    return found


def flatten(content: Mapping[str, Any]) -> dict[Path, str]:
    """A version's content as named text fields (its `id` left out: it never changes)."""
    return _flat({k: v for k, v in content.items() if k != "id"}, ())


def _flat(value: Any, path: Path) -> dict[Path, str]:
    """`value` at `path` as text fields; a list of parts gives one field per cell."""
    if isinstance(value, Mapping):
        found: dict[Path, str] = {}
        for key, item in value.items():
            found.update(_flat(item, (*path, str(key))))
        return found
    if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        found = {}
        for number, part in enumerate(value, start=1):
            name = str(part.get("id") or number)
            found.update(_flat({k: v for k, v in part.items() if k != "id"}, (*path, name)))
        return found
    if isinstance(value, list):
        return {path: ", ".join(_text(v) for v in value)}
    return {path: _text(value)}


def _text(value: Any) -> str:
    """A value as text: ✓ and ✗ for yes and no (in any language), nothing for none."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[FieldChange]:
    """The fields that differ between two versions' contents, each with its words marked:
    in the order of `after`, then the fields only `before` had."""
    old, new = flatten(before), flatten(after)
    paths = list(new) + [p for p in old if p not in new]
    return [
        FieldChange(path, tuple(word_diff(old.get(path, ""), new.get(path, ""))))
        for path in paths
        if old.get(path, "") != new.get(path, "")
    ]
