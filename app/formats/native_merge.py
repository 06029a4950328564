"""Merging translation sidecar files into native bank files, keeping their layout.

Translators write a sidecar per bank (or part of one):

```yaml
bank: foundation          # the bank file's name without .yaml
language: zh-Hans         # optional; else given by the caller
questions:
  fnd-8.5.1-01: {stem: …, options: {a: …, b: …}, explanation: …}
scenarios:
  sc-cloud: {title: …, text: …}
```

Each entry is read like a `translations` entry of the bank format (kinds checked,
located at the sidecar's lines), checked against its source item, and given the
source hash of the item as it stands (unless the entry names one). The bank file is then
edited as text: a `translations:` block is inserted after the last field of each item
(or replaces the item's block, which keeps its other languages), indented like the
item's fields. Everything else in the file, comments and layout included, stays as it
was. The result is read back and compared with the original before it is returned: if
anything but the translations differs, nothing is merged.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from app.domain import translation
from app.domain.messages import Message
from app.domain.records import (
    BankRecord,
    Location,
    Problem,
    QuestionRecord,
    ScenarioRecord,
    TranslationRecord,
)
from app.formats import native, native_translations
from app.formats.native_fields import FieldReader
from app.formats.native_lines import load_yaml
from app.formats.native_yaml import dump_translations


@dataclass
class Merged:
    """A bank file with a sidecar merged in, or the reasons it could not be."""

    text: str
    questions: list[str] = field(default_factory=list)  # ids given a translation
    scenarios: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # errors leave their item out

    @property
    def failed(self) -> bool:
        """True when the bank file could not be merged at all (nothing changed)."""
        return any(p.severity == "error" and p.location.line is None for p in self.problems)


def sidecar_bank(sidecar: str) -> str | None:
    """The bank file name a sidecar names (its `bank:`), or None."""
    data = yaml.safe_load(sidecar)
    name = data.get("bank") if isinstance(data, dict) else None
    return name if isinstance(name, str) else None


def merge(
    bank_text: str, sidecar: str, language: str | None, bank_name: str, sidecar_name: str
) -> Merged:
    """The bank file's text with the sidecar's translations merged in (see above)."""
    out = Merged(bank_text)
    source = native.read_yaml(bank_text, bank_name)
    if source.errors:
        out.problems = [_whole(bank_name, Message("merge.bank_unreadable", {"file": bank_name}))]
        return out
    data, source_map = load_yaml(sidecar)
    if not isinstance(data, dict):
        out.problems = [
            _whole(sidecar_name, Message("merge.sidecar_shape", {"file": sidecar_name}))
        ]
        return out
    reader = FieldReader(data, sidecar_name, source_map)
    reader.check_keys(data, (), ("bank", "language", "questions", "scenarios"))
    language = language or (data.get("language") if isinstance(data.get("language"), str) else None)
    if not language or not translation.LANGUAGE_TAG.match(language):
        out.problems = [_whole(sidecar_name, Message("merge.no_language", {"file": sidecar_name}))]
        return out
    bank = source.bank
    wanted = _read_sidecar(reader, data, bank, language)
    out.problems = reader.problems
    edits = _edits(bank_text, bank, wanted)
    merged = _apply(bank_text, edits)
    if not _same_but_translations(source.bank, merged, bank_name, wanted):
        out.problems.append(_whole(bank_name, Message("merge.changed_more", {"file": bank_name})))
        return out
    out.text = merged
    out.questions = [key for kind, key in wanted if kind == "questions"]
    out.scenarios = [key for kind, key in wanted if kind == "scenarios"]
    return out


def _whole(name: str, message: Message) -> Problem:
    """An error about a whole file (no line)."""
    return Problem(Location(file=name), message)


# (section, item id) → the item's translations after the merge, by language.
Wanted = dict[tuple[str, str], dict[str, TranslationRecord]]


def _read_sidecar(
    reader: FieldReader, data: dict[str, Any], bank: BankRecord, language: str
) -> Wanted:
    """The sidecar's translations that fit their items, with the items' other languages."""
    wanted: Wanted = {}
    questions = {q.id: q for q in bank.questions}
    scenarios = {s.id: s for s in bank.scenarios}
    for section, items in (("questions", questions), ("scenarios", scenarios)):
        entries = data.get(section) or {}
        if not isinstance(entries, dict):
            reader.report((section,), Message("merge.section_shape", {"section": section}))
            continue
        for key, entry in entries.items():
            item = items.get(str(key))
            where = (section, key)
            if item is None:
                unknown = {"section": section, "id": str(key)}
                reader.report(where, Message("merge.unknown_item", unknown))
            elif not isinstance(entry, dict):
                reader.report(where, Message("merge.entry_shape", {"id": str(key)}))
            else:
                t = _entry(reader, entry, where, item, language, bank.language)
                if t is not None:
                    wanted[(section, item.id)] = {**item.translations, language: t}
    return wanted


def _entry(
    reader: FieldReader,
    entry: dict[str, Any],
    where: tuple[str, Any],
    item: QuestionRecord | ScenarioRecord,
    language: str,
    bank_language: str,
) -> TranslationRecord | None:
    """One sidecar entry as a translation of its item; None (reported) when it does not fit."""
    before = len(reader.problems)
    if isinstance(item, ScenarioRecord):
        reader.check_keys(entry, where, translation.META_FIELDS + translation.SCENARIO_FIELDS)
        now = translation.scenario_hash(item)
        made_from = reader.text(entry, where, "source_hash", None) or now
        t = TranslationRecord(language, bank_language, made_from)
        t.status = translation.status_of(t, now)
        t.fields = {
            k: text
            for k in translation.SCENARIO_FIELDS
            if (text := reader.text(entry, where, k, None)) is not None
        }
        misfits = translation.scenario_problems(item, t)
    else:
        now = translation.source_hash(item)
        t = native_translations.read_entry(reader, entry, where, language, bank_language, now)
        misfits = translation.problems(item, t)
    for place, message in misfits:
        reader.report((*where, *place), message)
    return None if _errors(reader, before) else t


def _errors(reader: FieldReader, since: int) -> bool:
    """Whether the reader reported an error after its first `since` problems."""
    return any(p.severity == "error" for p in reader.problems[since:])


# A text edit: replace text[start:end] with new.
Edit = tuple[int, int, str]


def _edits(text: str, bank: BankRecord, wanted: Wanted) -> list[Edit]:
    """Where each item's translations block goes, as text edits."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    edits: list[Edit] = []
    if not isinstance(root, MappingNode):
        return edits
    for key_node, value in root.value:
        section = str(key_node.value) if isinstance(key_node, ScalarNode) else ""
        if section not in ("questions", "scenarios") or not isinstance(value, SequenceNode):
            continue
        for node in value.value:
            place = (section, _item_id(node) or "")
            if isinstance(node, MappingNode) and place in wanted:
                edits.append(_edit(text, node, native_translations.to_data(wanted[place])))
    return edits


def _item_id(node: Node) -> str | None:
    """The `id` of an item's mapping node."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == "id" and isinstance(value, ScalarNode):
                return str(value.value)
    return None


def _edit(text: str, node: MappingNode, block: dict[str, Any]) -> Edit:
    """The edit that puts `block` in as the item's translations: over its old block, or
    on a new line after the item's last field."""
    indent = node.value[0][0].start_mark.column
    rendered = dump_translations(block, indent)
    for key, value in node.value:
        if isinstance(key, ScalarNode) and key.value == "translations":
            start = text.rfind("\n", 0, key.start_mark.index) + 1
            return start, _line_end(text, value), rendered
    end = _line_end(text, node.value[-1][1])
    return end, end, "\n" + rendered


def _last_part(node: Node) -> Node:
    """The node whose end is where a value's text ends: a block collection's end mark
    lies past any comment that follows it, so its last scalar or flow part is used."""
    while isinstance(node, MappingNode | SequenceNode) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node


def _line_end(text: str, value: Node) -> int:
    """The end of the line where a value's text ends (before its line break)."""
    end = _last_part(value).end_mark.index
    while end > 0 and text[end - 1] in " \t\r\n":
        end -= 1
    newline = text.find("\n", end)
    return len(text) if newline < 0 else newline


def _apply(text: str, edits: list[Edit]) -> str:
    """The text with the edits made, last first so that earlier offsets stay right."""
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _same_but_translations(before: BankRecord, merged: str, name: str, wanted: Wanted) -> bool:
    """Whether the merged text reads back as the same bank with the wanted translations."""
    after = native.read_yaml(merged, name)
    if after.errors:
        return False
    expected = dataclasses.replace(before)
    expected.questions = [_with(q, wanted.get(("questions", q.id))) for q in before.questions]
    expected.scenarios = [_with(s, wanted.get(("scenarios", s.id))) for s in before.scenarios]
    return after.bank == expected


def _with(item: Any, translations: dict[str, TranslationRecord] | None) -> Any:
    """A copy of an item with other translations, if given."""
    if translations is None:
        return item
    return dataclasses.replace(item, translations=translations)
