"""Translations of questions and case texts: their fields, source hash, checks and use.

A translation is an item's texts in another language (BCP 47 tags: `en`, `zh-Hans`),
kept beside the item rather than as a version of it, so that adding or correcting one
never splits the item's statistics. Its fields mirror the source's translatable texts:

- texts: `title`, `stem`, `explanation`, `correct_feedback`, `partial_feedback`,
  `incorrect_feedback`, `feedback_true`, `feedback_false`, `model_answer`;
- `options` (option id → text), `option_feedback` (option id → text, for the options
  whose source has feedback), `pairs` (pair id → {prompt, match}), `extra_matches` (a
  list in the source order), `steps` (step id → text), `answers` (the accepted answers
  in that language, any number), `rubric` (a list in the source order of {criterion}
  plus guidance where the source has it), `hints` (the hint texts, in order);
- `data`: the texts of a plug-in type's own fields, by group and by the id of their
  part, as the type gives them (`QuestionType.data_texts`): for classification
  `{"categories": {id: text}, "items": {id: text}}`. A type that cannot translate its
  data gives none, and its items show only in their source language;
- a case text's translation has `title` and `text`.

A translation carries exactly the fields its source has (no more, no fewer).

**Source hash.** `source_hash` identifies the source texts a translation was made from:
the first 12 hex digits of the SHA-256 of the translatable source fields above (the
same shape; empty fields left out; every text stripped of leading and trailing
whitespace; ids, marks, keys and hint options not included) written as compact JSON
with sorted keys and unescaped Unicode. Editing any of those source texts changes the
hash, and the translation becomes *stale*: flagged to trainers, and no longer shown to
learners, who see the source texts until a trainer brings the translation up to date (a
stale translation may say what the source no longer does: an option rewritten to be the
key would still read as a distractor).

How learners see an item in another language is `app.domain.localized`.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from app.domain import question_types
from app.domain.messages import Message
from app.domain.question_types.base import normalise_text
from app.domain.records import (
    QuestionRecord,
    RubricCriterion,
    ScenarioRecord,
    TranslationRecord,
)

CURRENT, STALE = "current", "stale"
STATUSES = (CURRENT, STALE)
# BCP 47 as the bank format writes it: a language, then script, region or variant.
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
HASH_DIGITS = 12

# The plain text fields, in the order a translation is written.
TEXT_FIELDS = ("title", "stem")
LATER_TEXT_FIELDS = (
    "model_answer",
    "explanation",
    "correct_feedback",
    "partial_feedback",
    "incorrect_feedback",
    "feedback_true",
    "feedback_false",
)
# Every field of a question's translation, in written order.
FIELDS = (
    *TEXT_FIELDS,
    "options",
    "option_feedback",
    "pairs",
    "extra_matches",
    "steps",
    "answers",
    "rubric",
    "data",
    *LATER_TEXT_FIELDS,
    "hints",
)
# What a translation says about itself, before its fields.
META_FIELDS = ("source_language", "source_hash", "status")
SCENARIO_FIELDS = ("title", "text")
# Fields made of parts named by the source's ids: field → (part's name, source ids).
_KEYED = ("options", "option_feedback", "pairs", "steps")
# Fields that are lists in the source order.
_LISTED = ("extra_matches", "rubric", "hints")


def source_texts(q: QuestionRecord) -> dict[str, Any]:
    """The translatable texts of a question, in translation shape, without empty ones."""
    out: dict[str, Any] = {}
    for name in (*TEXT_FIELDS, *LATER_TEXT_FIELDS):
        if getattr(q, name):
            out[name] = getattr(q, name)
    parts: dict[str, Any] = {
        "options": {o.id: o.text for o in q.options},
        "option_feedback": {o.id: o.feedback for o in q.options if o.feedback},
        "pairs": {p.id: {"prompt": p.prompt, "match": p.match} for p in q.pairs},
        "extra_matches": list(q.extra_matches),
        "steps": {s.id: s.text for s in q.steps},
        "answers": list(q.answers),
        "rubric": [_criterion(c) for c in q.rubric],
        "hints": [h.text for h in q.hints],
        "data": {group: texts for group, texts in (data_texts(q) or {}).items() if texts},
    }
    out |= {name: value for name, value in parts.items() if value}
    return out


def data_texts(q: QuestionRecord) -> dict[str, dict[str, str]] | None:
    """The translatable texts of the question's own type fields (`data`), by group and
    part id: {} when it has none, None when its type cannot translate them."""
    if not q.data:
        return {}
    try:
        kind = question_types.get(q.type)
    except KeyError:
        return None
    return kind.data_texts(q)


def _criterion(c: RubricCriterion) -> dict[str, str]:
    """A rubric line's texts: its criterion, and its guidance when it has one."""
    return {"criterion": c.criterion} | ({"guidance": c.guidance} if c.guidance else {})


def scenario_texts(s: ScenarioRecord) -> dict[str, str]:
    """The translatable texts of a case text."""
    return {"title": s.title, "text": s.text}


def _stripped(value: Any) -> Any:
    """Texts without leading and trailing whitespace, at any depth."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return {k: _stripped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stripped(v) for v in value]
    return value


def digest(texts: dict[str, Any]) -> str:
    """The source hash of some source texts (see the module docstring)."""
    canonical = json.dumps(
        _stripped(texts), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:HASH_DIGITS]


def source_hash(q: QuestionRecord) -> str:
    """The hash of a question's translatable source texts."""
    return digest(source_texts(q))


def current_hash(q: QuestionRecord) -> str:
    """`source_hash`, kept on the record after the first time: for the shared records of
    the learner's path, which never change once read (app.queries.banks)."""
    if q.source_hash_seen is None:
        q.source_hash_seen = source_hash(q)
    return q.source_hash_seen


def scenario_hash(s: ScenarioRecord) -> str:
    """The hash of a case text's title and text."""
    return digest(scenario_texts(s))


def status_of(t: TranslationRecord, current_hash: str) -> str:
    """current when the translation was made from the source as it is now, else stale."""
    return CURRENT if t.source_hash == current_hash else STALE


def with_statuses(q: QuestionRecord) -> None:
    """Work out the status of each of the question's translations (in place)."""
    if q.translations:
        now = source_hash(q)
        for t in q.translations.values():
            t.status = status_of(t, now)


def scenario_with_statuses(s: ScenarioRecord) -> None:
    """Work out the status of each of the case text's translations (in place)."""
    if s.translations:
        now = scenario_hash(s)
        for t in s.translations.values():
            t.status = status_of(t, now)


# A problem of a translation: where in it (a path below the translation) and what.
Finding = tuple[tuple[str | int, ...], Message]


def problems(q: QuestionRecord, t: TranslationRecord) -> list[Finding]:
    """What does not fit between a question's source and a translation of it: fields the
    source lacks or has and the translation does not, parts named by ids the source does
    not have, lists of another length, empty texts, and matches or options that read
    alike where the source's differ."""
    source, given = source_texts(q), t.fields
    item, language = q.id, t.language
    found: list[Finding] = []
    for name in FIELDS:
        if name in source and name not in given:
            said = {"item": item, "language": language, "field": name}
            found.append(((), Message("translation.missing", said)))
        elif name in given and name not in source:
            extra = {"item": item, "language": language, "field": name}
            found.append(((name,), Message("translation.extra_field", extra)))
    for name in _KEYED:
        if name in source and isinstance(given.get(name), dict):
            found += _keyed_problems(name, source[name], given[name], item, language)
    for name in _LISTED:
        if name in source and isinstance(given.get(name), list):
            found += _listed_problems(name, source[name], given[name], item, language)
    if "data" in source and isinstance(given.get("data"), dict):
        found += _data_problems(source["data"], given["data"], item, language)
    found += _blank_texts(given, item, language)
    if not found:
        found += _alike_problems(q, t, item, language)
    return found


def _keyed_problems(
    name: str,
    source: dict[str, Any],
    given: dict[str, Any],
    item: str,
    language: str,
    where: tuple[str, ...] = (),
) -> list[Finding]:
    """Parts named by ids the source lacks, source parts left out, and pairs without
    exactly a prompt and a match (`where`: the path of the parts, if not `name`)."""
    where = where or (name,)
    found: list[Finding] = []
    for part in (part for part in given if part not in source):
        unknown = {"item": item, "language": language, "field": name, "id": part}
        found.append(((*where, part), Message("translation.unknown_part", unknown)))
    missing = [part for part in source if part not in given]
    if missing:
        lacking = {"item": item, "language": language, "field": name, "ids": ", ".join(missing)}
        found.append((where, Message("translation.missing_parts", lacking)))
    if name != "pairs":
        return found
    for part, value in given.items():
        if part in source and (not isinstance(value, dict) or set(value) != {"prompt", "match"}):
            pair = {"item": item, "language": language, "id": part}
            found.append(((name, part), Message("translation.pair_fields", pair)))
    return found


def _data_problems(
    source: dict[str, dict[str, str]], given: dict[str, Any], item: str, language: str
) -> list[Finding]:
    """A type's own texts: groups the source lacks or has and the translation does not,
    then each group's parts as for options (named `data.<group>` in what is said)."""
    found = _keyed_problems("data", source, given, item, language)
    for group, texts in source.items():
        name, where = f"data.{group}", ("data", group)
        if isinstance(given.get(group), dict):
            found += _keyed_problems(name, texts, given[group], item, language, where)
        elif group in given:  # not a mapping of ids to texts: none of its parts is there
            lacking = {"item": item, "language": language, "field": name, "ids": ", ".join(texts)}
            found.append((where, Message("translation.missing_parts", lacking)))
    return found


def _listed_problems(
    name: str, source: list[Any], given: list[Any], item: str, language: str
) -> list[Finding]:
    """A list of another length than the source's; rubric lines without exactly the
    criterion and (where the source has it) guidance."""
    if len(given) != len(source):
        length = {"item": item, "language": language, "field": name, "expected": len(source)}
        return [((name,), Message("translation.count", length, count=len(given)))]
    found: list[Finding] = []
    if name != "rubric":
        return found
    for n, (want, got) in enumerate(zip(source, given, strict=True)):
        if not isinstance(got, dict) or set(got) != set(want):
            fields = ", ".join(sorted(want))
            line = {"item": item, "language": language, "number": n + 1, "fields": fields}
            found.append(((name, n), Message("translation.rubric_fields", line)))
    return found


def _blank_texts(given: dict[str, Any], item: str, language: str) -> list[Finding]:
    """Texts left empty, and a list of accepted answers left empty."""
    found: list[Finding] = []
    for name, value in given.items():
        blank = _first_blank(value)
        if blank is not None:
            empty = {"item": item, "language": language, "field": name}
            found.append(((name, *blank), Message("translation.empty", empty)))
    if given.get("answers") == []:
        none = {"item": item, "language": language}
        found.append((("answers",), Message("translation.no_answers", none)))
    return found


def _first_blank(value: Any) -> tuple[str | int, ...] | None:
    """The path of the first empty text within a value, or None."""
    if isinstance(value, str):
        return () if not value.strip() else None
    if isinstance(value, dict):
        inner: list[tuple[str | int, Any]] = list(value.items())
    elif isinstance(value, list):
        inner = list(enumerate(value))
    else:
        return None
    for key, part in inner:
        blank = _first_blank(part)
        if blank is not None:
            return (key, *blank)
    return None


def _alike_problems(
    q: QuestionRecord, t: TranslationRecord, item: str, language: str
) -> list[Finding]:
    """Options, steps or prompts translated alike, and matches that no longer pair as
    the source's do (prompts sharing a match must share its translation, and different
    matches must read differently)."""
    found: list[Finding] = []
    given = t.fields
    for name in ("options", "steps"):
        if name in given:
            found += _repeated(name, list(given[name].values()), item, language)
    source, data = data_texts(q) or {}, given.get("data")
    for group, texts in data.items() if isinstance(data, dict) else ():
        # texts that differ in the source must differ in the translation
        if not _repeated(group, list(source[group].values()), item, language):
            repeated = _repeated(f"data.{group}", list(texts.values()), item, language)
            found += [(("data", group), message) for _place, message in repeated]
    if "pairs" not in given:
        return found
    prompts = [p["prompt"] for p in given["pairs"].values()]
    found += _repeated("pairs", prompts, item, language)
    shown = _match_texts(q, given)
    where = {"item": item, "language": language}
    if shown is None:
        found.append((("pairs",), Message("translation.shared_match", where)))
    elif len({normalise_text(v) for v in shown.values()}) < len(shown):
        found.append((("pairs",), Message("translation.matches_alike", where)))
    return found


def _repeated(name: str, texts: list[str], item: str, language: str) -> list[Finding]:
    """A finding when two of the texts read alike."""
    seen = [normalise_text(text) for text in texts]
    if len(set(seen)) == len(seen):
        return []
    alike = {"item": item, "language": language, "field": name}
    return [((name,), Message("translation.repeated", alike))]


def _match_texts(q: QuestionRecord, given: dict[str, Any]) -> dict[str, str] | None:
    """Source match text → its translation, from the pairs and extra matches; None when
    two pairs sharing a source match translate it differently."""
    shown: dict[str, str] = {}
    for pair in q.pairs:
        text = given["pairs"][pair.id]["match"]
        if shown.setdefault(pair.match, text) != text:
            return None
    for source, text in zip(q.extra_matches, given.get("extra_matches", []), strict=False):
        shown[source] = text
    return shown


def scenario_problems(s: ScenarioRecord, t: TranslationRecord) -> list[Finding]:
    """A case text's translation needs exactly a title and a text, neither empty."""
    item, language = s.id, t.language
    found: list[Finding] = []
    for name in SCENARIO_FIELDS:
        if name not in t.fields:
            said = {"item": item, "language": language, "field": name}
            found.append(((), Message("translation.missing", said)))
    for name in t.fields:
        if name not in SCENARIO_FIELDS:
            extra = {"item": item, "language": language, "field": name}
            found.append(((name,), Message("translation.extra_field", extra)))
    return found + _blank_texts(t.fields, item, language)


def interface_tag(locale: str) -> str:
    """The content language tag of an interface locale: `zh_Hans` → `zh-Hans`; the
    catalogue `zh` is Simplified Chinese, so `zh` → `zh-Hans`."""
    tag = locale.replace("_", "-")
    return "zh-Hans" if tag == "zh" else tag
