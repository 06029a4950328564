"""Clausewise metadata inside an IMS content package manifest, as JSON.

QTI has no fields for clauses, levels, rubrics or scenarios, so the manifest carries them
in elements of our own namespace: `<cw:bank>` in the manifest's `<metadata>` and
`<cw:question>` in each item resource's `<metadata>`, each holding one JSON object.
Other tools ignore foreign elements there; Clausewise reads them back on import.
"""

from __future__ import annotations

import json
from typing import Any

from app.domain import translation
from app.domain.localized import localize_scenario
from app.domain.messages import Message
from app.domain.records import (
    BANK_FIELDS,
    COGNITIVE_LEVELS,
    COMBINED_FEEDBACK,
    EDITIONS,
    LEVELS,
    BankRecord,
    HintRecord,
    QuestionRecord,
    RubricCriterion,
    ScenarioRecord,
)
from app.formats.languages import tag_of
from app.formats.translated import case_misfits, case_read_back, fitting_cases

CW_NS = "urn:clausewise:qti-metadata:1"
BANK_TAG = f"{{{CW_NS}}}bank"
QUESTION_TAG = f"{{{CW_NS}}}question"


def bank_json(bank: BankRecord) -> str:
    """The `<cw:bank>` JSON of a bank: its metadata and its scenarios (with the
    translations of each that fit it)."""
    scenarios = [_scenario_data(s) for s in bank.scenarios]
    data = {
        "id": bank.id,
        "title": bank.title,
        "language": bank.language,
        "licence": bank.licence,
        "edition": bank.edition,
        "description": bank.description,
        "scenarios": scenarios,
    }
    return json.dumps(data, ensure_ascii=False)


def _scenario_data(s: ScenarioRecord) -> dict[str, Any]:
    """A scenario in `<cw:bank>`: id, title, text, and its translations' texts and
    source hashes."""
    data: dict[str, Any] = {"id": s.id, "title": s.title, "text": s.text}
    translations = {
        tag: {"source_hash": t.source_hash, **translation.scenario_texts(localize_scenario(s, t))}
        for tag, t in fitting_cases(s).items()
    }
    if translations:
        data["translations"] = translations
    return data


def question_json(
    q: QuestionRecord,
    extra: dict[str, Any] | None = None,
    translations: dict[str, dict[str, Any]] | None = None,
) -> str:
    """The `<cw:question>` JSON of a question: what a QTI item cannot say itself.

    `extra` holds the fields the question's type adds (an essay's rubric and model
    answer); `translations` what `translation_data` says of each translation's item.
    """
    data: dict[str, Any] = {
        "id": q.id,
        "title": q.title,
        "level": q.level,
        "clauses": q.clauses,
        "edition": q.edition,
        "difficulty": q.difficulty,
        "tags": q.tags,
        "scenario": q.scenario,
    }
    if q.cognitive is not None:
        data["cognitive"] = q.cognitive
    data["source"] = _source_texts(q)
    if q.hints:  # QTI has no hints of its own: they travel here only
        data["hints"] = [vars(h) for h in q.hints]
    data.update(extra or {})
    if translations:
        data["translations"] = translations
    return json.dumps(data, ensure_ascii=False)


def translation_data(
    shown: QuestionRecord, made_from: str, href: str, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What `<cw:question>` says of one translation of a question (`shown`: the question
    in that language): its item file, the source hash it was made from, and the texts
    its item cannot hold exactly (as `question_json` gives them for the source)."""
    data: dict[str, Any] = {"href": href, "source_hash": made_from, "title": shown.title}
    data["source"] = _source_texts(shown)
    if shown.hints:
        data["hints"] = [vars(h) for h in shown.hints]
    data.update(extra or {})
    return data


# The texts of a question exactly as written. XHTML cannot keep every detail of Markdown
# (a trailing newline, a line break inside a paragraph), so an item read back would
# differ from its question in whitespace and get a new version. The reader takes these
# texts instead of the item's wherever the two differ in whitespace only: an item
# edited in another tool keeps its edits.
_SOURCE_SCALARS = ("stem", "explanation", "feedback_true", "feedback_false", *COMBINED_FEEDBACK)


def _source_texts(q: QuestionRecord) -> dict[str, Any]:
    texts: dict[str, Any] = {name: getattr(q, name) for name in _SOURCE_SCALARS}
    texts["options"] = [[o.text, o.feedback] for o in q.options]
    texts["pairs"] = [[p.prompt, p.match] for p in q.pairs]
    texts["steps"] = [s.text for s in q.steps]
    texts["extra_matches"] = list(q.extra_matches)
    texts["answers"] = list(q.answers)
    return {name: value for name, value in texts.items() if value}


def _same_words(a: Any, b: Any) -> bool:
    """Two texts (or lists of texts) that differ in whitespace at most."""
    if isinstance(a, str) and isinstance(b, str):
        return a.split() == b.split()
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return all(_same_words(x, y) for x, y in zip(a, b, strict=True))
    return False


def _apply_source(q: QuestionRecord, source: Any) -> None:
    """Take the exact texts of `source` wherever the item's differ in whitespace only."""
    if not isinstance(source, dict):
        return
    for name in _SOURCE_SCALARS:
        if _same_words(source.get(name), getattr(q, name)):
            setattr(q, name, source[name])
    lists: dict[str, tuple[list[list[str]], list[Any], tuple[str, str]]] = {
        "options": ([[o.text, o.feedback] for o in q.options], q.options, ("text", "feedback")),
        "pairs": ([[p.prompt, p.match] for p in q.pairs], q.pairs, ("prompt", "match")),
    }
    for name, (read, records, fields) in lists.items():
        if _same_words(source.get(name), read):
            for record, texts in zip(records, source[name], strict=True):
                for field_name, text in zip(fields, texts, strict=True):
                    setattr(record, field_name, text)
    if _same_words(source.get("steps"), [s.text for s in q.steps]):
        for step, text in zip(q.steps, source["steps"], strict=True):
            step.text = text
    for name in ("extra_matches", "answers"):
        if _same_words(source.get(name), getattr(q, name)):
            setattr(q, name, list(source[name]))


def _load(text: str | None) -> tuple[dict[str, Any], list[Message]]:
    try:
        data = json.loads(text or "")
    except json.JSONDecodeError as exc:
        return {}, [Message("qti.metadata_json", {"reason": exc.msg})]
    if not isinstance(data, dict):
        return {}, [Message("qti.metadata_object")]
    return data, []


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


_BANK_FIELDS = ("id", "title", "language", "licence", "edition", "description")


def apply_bank_json(bank: BankRecord, text: str | None) -> tuple[bool, list[Message]]:
    """Fill a bank from `<cw:bank>` JSON; whether it listed scenarios, and the errors."""
    data, errors = _load(text)
    for name in _BANK_FIELDS:
        if name in data:
            if _is_text(data[name]):
                setattr(bank, name, data[name])
                if name in BANK_FIELDS:
                    bank.given.add(name)
            else:
                errors.append(Message("qti.metadata_text", {"field": name}))
    scenarios = data.get("scenarios")
    if scenarios is None:
        return False, errors
    if not isinstance(scenarios, list):
        return False, [*errors, Message("qti.metadata_scenarios")]
    for number, raw in enumerate(scenarios, start=1):
        keys = ("id", "title", "text")
        if not isinstance(raw, dict) or not all(_is_text(raw.get(k)) for k in keys):
            errors.append(Message("qti.metadata_scenario", {"number": number}))
            continue
        case = ScenarioRecord(raw["id"], raw["title"], raw["text"])
        errors += _scenario_translations(case, raw.get("translations"), bank.language)
        bank.scenarios.append(case)
    return True, errors


def _scenario_translations(case: ScenarioRecord, raw: Any, language: str) -> list[Message]:
    """A scenario's translations from `<cw:bank>`; an error for each that is unusable."""
    if raw is None:
        return []
    if not isinstance(raw, dict):
        return [Message("qti.metadata_translations", {"item": case.id})]
    errors: list[Message] = []
    for code, entry in raw.items():
        tag = tag_of(code)
        keys = ("title", "text")
        if (
            tag is None
            or not isinstance(entry, dict)
            or not all(_is_text(entry.get(k)) for k in keys)
        ):
            errors.append(Message("qti.metadata_translation", {"item": case.id, "language": code}))
            continue
        shown = ScenarioRecord(case.id, entry["title"], entry["text"])
        t = case_read_back(case, shown, tag, language, _hash(entry.get("source_hash")))
        found = case_misfits(case, t)
        errors += found
        if not found:
            case.translations[tag] = t
    return errors


def _hash(value: Any) -> str | None:
    """A source hash as the metadata gives it, or None when it gives no usable one."""
    return value if isinstance(value, str) and value.strip() else None


def load_json(text: str | None) -> tuple[dict[str, Any], list[Message]]:
    """The JSON object of a metadata element, or {} and the error."""
    return _load(text)


def translation_entries(data: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], list[Message]]:
    """What `<cw:question>` says of the question's translations, by language tag."""
    raw = data.get("translations")
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        return {}, [Message("qti.metadata_translations", {"item": str(data.get("id", ""))})]
    found, errors = {}, []
    for code, entry in raw.items():
        tag = tag_of(code)
        if tag is None or not isinstance(entry, dict):
            said = {"item": str(data.get("id", "")), "language": code}
            errors.append(Message("qti.metadata_translation", said))
        else:
            found[tag] = entry
    return found, errors


def apply_translation_data(
    shown: QuestionRecord, entry: dict[str, Any]
) -> tuple[str | None, list[Message]]:
    """Fill a translation's copy of its question from what `<cw:question>` says of it
    (its title, exact texts, hints, an essay's rubric and model answer); the source
    hash it gives, and the errors."""
    kept = ("title", "source", "hints", "rubric", "model_answer")
    texts: dict[str, Any] = {k: entry[k] for k in kept if k in entry}
    return _hash(entry.get("source_hash")), apply_question_data(shown, texts)


def apply_question_json(q: QuestionRecord, text: str | None) -> list[Message]:
    """Fill a question from `<cw:question>` JSON; an error for each bad field."""
    data, errors = _load(text)
    return errors + apply_question_data(q, data)


def apply_question_data(q: QuestionRecord, data: dict[str, Any]) -> list[Message]:
    """Fill a question from the object of `<cw:question>`; an error for each bad field."""
    errors: list[Message] = []
    checks = {
        "id": _is_text,
        "title": _is_text,
        "level": lambda v: v in LEVELS,
        "clauses": _is_text_list,
        "edition": lambda v: v in EDITIONS,
        "difficulty": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "cognitive": lambda v: v in COGNITIVE_LEVELS,
        "tags": _is_text_list,
        "scenario": lambda v: v is None or _is_text(v),
        "model_answer": _is_text,
    }
    for name, valid in checks.items():
        if name not in data:
            continue
        if valid(data[name]):
            setattr(q, name, list(data[name]) if isinstance(data[name], list) else data[name])
        else:
            params = {"field": name, "value": repr(data[name])}
            errors.append(Message("qti.metadata_value", params))
    _apply_source(q, data.get("source"))
    if "hints" in data:
        hints = _hints(data["hints"])
        if hints is None:
            errors.append(Message("qti.metadata_hints"))
        else:
            q.hints = hints
    if "rubric" in data:
        rubric = _rubric(data["rubric"])
        if rubric is None:
            errors.append(Message("qti.metadata_rubric"))
        elif rubric:
            q.rubric = rubric
            q.marks = sum(c.marks for c in rubric)
    return errors


def _rubric(raw: Any) -> list[RubricCriterion] | None:
    if not isinstance(raw, list):
        return None
    rubric = []
    for row in raw:
        marks = row.get("marks") if isinstance(row, dict) else None
        if not isinstance(marks, int | float) or isinstance(marks, bool):
            return None
        if not _is_text(row.get("criterion")) or not _is_text(row.get("guidance", "")):
            return None
        rubric.append(RubricCriterion(row["criterion"], float(marks), row.get("guidance", "")))
    return rubric


def _hints(raw: Any) -> list[HintRecord] | None:
    if not isinstance(raw, list):
        return None
    hints = []
    for row in raw:
        if not isinstance(row, dict) or not _is_text(row.get("text")) or not row["text"].strip():
            return None
        flags = [row.get(name, False) for name in ("show_num_correct", "clear_wrong")]
        if not all(isinstance(flag, bool) for flag in flags):
            return None
        hints.append(HintRecord(row["text"], *flags))
    return hints
