"""The `translations` of native questions and case texts, in both directions.

```yaml
translations:
  zh-Hans:
    source_language: en
    source_hash: 9f2c51d0a7e3   # made from these source texts (app.domain.translation)
    status: current             # written on export; worked out again on import
    stem: …
    options: {a: …, b: …}
    data: {categories: {inc: …}, items: {i1: …}}   # a plug-in type's own texts
```

Reading checks each translation's kinds field by field (located like every other
field), then how it fits its source (`app.domain.translation.problems`): an option id
the question lacks, a missing or extra field, a rubric of another length. Such a misfit
is an error in a current translation; in a stale one (its source has changed since) it
is a warning, since the source may have gained or lost parts. A translation without
`source_hash` is taken as made from the source as it stands (an import keeps the hash
already stored with the same texts, so an unchanged translation of an edited source
stays stale).
"""

from __future__ import annotations

from typing import Any

from app.domain import translation
from app.domain.messages import Message
from app.domain.records import QuestionRecord, ScenarioRecord, TranslationRecord
from app.formats.native_fields import FieldReader
from app.formats.native_lines import Path

_MAPS = ("options", "option_feedback", "steps")
_LISTS = ("extra_matches", "answers", "hints")


def read_question(
    reader: FieldReader, item: dict[str, Any], path: Path, q: QuestionRecord, language: str
) -> dict[str, TranslationRecord]:
    """A question's translations, each checked against the question."""
    found = {}
    for tag, entry, where in _entries(reader, item, path, language):
        t = read_entry(reader, entry, where, tag, language, translation.source_hash(q))
        misfits = translation.problems(q, t)
        severity = "error" if t.status == translation.CURRENT else "warning"
        for place, message in misfits:
            reader.report((*where, *place), message, severity)
        if not misfits or severity == "warning":  # an import that goes on leaves it out
            found[tag] = t
    return found


def read_scenario(
    reader: FieldReader, item: dict[str, Any], path: Path, s: ScenarioRecord, language: str
) -> dict[str, TranslationRecord]:
    """A case text's translations: a title and a text each."""
    found = {}
    for tag, entry, where in _entries(reader, item, path, language):
        reader.check_keys(entry, where, translation.META_FIELDS + translation.SCENARIO_FIELDS)
        t = _meta(reader, entry, where, tag, language, translation.scenario_hash(s))
        t.fields = {
            name: text
            for name in translation.SCENARIO_FIELDS
            if (text := reader.text(entry, where, name, None)) is not None
        }
        misfits = translation.scenario_problems(s, t)
        for place, message in misfits:
            reader.report((*where, *place), message)
        if not misfits:
            found[tag] = t
    return found


def _entries(
    reader: FieldReader, item: dict[str, Any], path: Path, language: str
) -> list[tuple[str, dict[str, Any], Path]]:
    """(language tag, entry, its path) of each well-formed translation of an item."""
    value, field = item.get("translations"), (*path, "translations")
    if value is None:
        return []
    if not isinstance(value, dict):
        reader.report(field, Message("translation.not_mapping", {"where": reader.where(path)}))
        return []
    found = []
    for tag, entry in value.items():
        where = (*field, str(tag))
        params = {"where": reader.where(path), "language": str(tag)}
        if not isinstance(tag, str) or not translation.LANGUAGE_TAG.match(tag):
            reader.report(where, Message("translation.bad_tag", params))
        elif tag == language:
            reader.report(where, Message("translation.same_language", params))
        elif not isinstance(entry, dict):
            reader.report(where, Message("translation.entry_mapping", params))
        else:
            found.append((tag, entry, where))
    return found


def read_entry(
    reader: FieldReader, entry: dict[str, Any], where: Path, tag: str, language: str, now: str
) -> TranslationRecord:
    """One question translation's fields, each read by its kind, and what it says about
    itself (`now`: the hash of the question's source texts as they stand)."""
    reader.check_keys(entry, where, translation.META_FIELDS + translation.FIELDS)
    t = _meta(reader, entry, where, tag, language, now)
    t.fields = _fields(reader, entry, where)
    return t


def _meta(
    reader: FieldReader,
    entry: dict[str, Any],
    where: Path,
    tag: str,
    language: str,
    now: str,
) -> TranslationRecord:
    """The translation's source language, source hash and status (worked out again)."""
    source_language = reader.text(entry, where, "source_language", language) or language
    if source_language != language:
        other = {"language": tag, "found": source_language, "bank": language}
        reader.report((*where, "source_language"), Message("translation.source_language", other))
    given = reader.text(entry, where, "source_hash", None)
    status = reader.text(entry, where, "status", None)
    if status is not None and status not in translation.STATUSES:
        unknown = {"language": tag, "found": status}
        reader.report((*where, "status"), Message("translation.status", unknown))
    t = TranslationRecord(tag, source_language, given or now, assumed_hash=not given)
    t.status = translation.status_of(t, now)
    return t


def _fields(reader: FieldReader, entry: dict[str, Any], where: Path) -> dict[str, Any]:
    """The translated texts of a question, each read by its kind (wrong kinds reported
    and left out)."""
    fields: dict[str, Any] = {}
    for name in translation.FIELDS:
        if entry.get(name) is None:
            continue
        if name in _MAPS:
            value: Any = _text_map(reader, entry, where, name)
        elif name == "pairs":
            value = _pairs(reader, entry, where)
        elif name in _LISTS:
            value = reader.texts(entry, where, name)
        elif name == "rubric":
            value = _rubric(reader, entry, where)
        elif name == "data":
            value = _data(reader, entry, where)
        else:
            value = reader.text(entry, where, name, None)
        if value is not None:
            fields[name] = value
    return fields


def _text_map(
    reader: FieldReader, entry: dict[str, Any], where: Path, name: str, field: str = ""
) -> dict[str, str] | None:
    """A mapping of part ids to texts, such as options: {a: …, b: …} (`field`: its name
    in what is said, if not `name`)."""
    value = entry[name]
    if not isinstance(value, dict):
        said = {"field": field or name}
        reader.report((*where, name), Message("translation.parts_mapping", said))
        return None
    inner = (*where, name)
    return {str(k): reader.text(value, inner, k) or "" for k in value}


def _pairs(
    reader: FieldReader, entry: dict[str, Any], where: Path
) -> dict[str, dict[str, str]] | None:
    """Pair id → {prompt, match}."""
    value = entry["pairs"]
    if not isinstance(value, dict):
        reader.report((*where, "pairs"), Message("translation.parts_mapping", {"field": "pairs"}))
        return None
    found: dict[str, dict[str, str]] = {}
    for key, pair in value.items():
        place = (*where, "pairs", str(key))
        if not isinstance(pair, dict):
            reader.report(place, Message("translation.pair_mapping", {"id": str(key)}))
            continue
        reader.check_keys(pair, place, ("prompt", "match"))
        found[str(key)] = {
            k: text for k in ("prompt", "match") if (text := reader.text(pair, place, k, None))
        }
    return found


def _data(
    reader: FieldReader, entry: dict[str, Any], where: Path
) -> dict[str, dict[str, str]] | None:
    """A type's own texts: group → {part id: text}, such as {items: {i1: …}}."""
    value, place = entry["data"], (*where, "data")
    if not isinstance(value, dict):
        reader.report(place, Message("translation.data_mapping"))
        return None
    found = {}
    for group in value:
        texts = _text_map(reader, value, place, group, f"data.{group}")
        if texts is not None:
            found[str(group)] = texts
    return found


def _rubric(reader: FieldReader, entry: dict[str, Any], where: Path) -> list[dict[str, str]]:
    """The rubric lines' criterion and guidance, in the source order."""
    lines = []
    for line, place in reader.records(entry, where, "rubric"):
        reader.check_keys(line, place, ("criterion", "guidance"))
        lines.append(
            {
                k: text
                for k in ("criterion", "guidance")
                if (text := reader.text(line, place, k, None)) is not None
            }
        )
    return lines


def to_data(translations: dict[str, TranslationRecord]) -> dict[str, Any]:
    """Translations as the native format writes them: what each says about itself, then
    its fields in the documented order."""
    out: dict[str, Any] = {}
    for tag, t in translations.items():
        entry: dict[str, Any] = {
            "source_language": t.source_language,
            "source_hash": t.source_hash,
            "status": t.status,
        }
        order = [*translation.FIELDS, *translation.SCENARIO_FIELDS]
        entry |= {name: t.fields[name] for name in dict.fromkeys(order) if name in t.fields}
        out[tag] = entry
    return out
