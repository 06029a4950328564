"""Clausewise metadata inside an IMS content package manifest, as JSON.

QTI has no fields for clauses, levels, rubrics or scenarios, so the manifest carries them
in elements of our own namespace: `<cw:bank>` in the manifest's `<metadata>` and
`<cw:question>` in each item resource's `<metadata>`, each holding one JSON object.
Other tools ignore foreign elements there; Clausewise reads them back on import.
"""

from __future__ import annotations

import json
from typing import Any

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

CW_NS = "urn:clausewise:qti-metadata:1"
BANK_TAG = f"{{{CW_NS}}}bank"
QUESTION_TAG = f"{{{CW_NS}}}question"


def bank_json(bank: BankRecord) -> str:
    """The `<cw:bank>` JSON of a bank: its metadata and its scenarios."""
    scenarios = [{"id": s.id, "title": s.title, "text": s.text} for s in bank.scenarios]
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


def question_json(q: QuestionRecord, extra: dict[str, Any] | None = None) -> str:
    """The `<cw:question>` JSON of a question: what a QTI item cannot say itself.

    `extra` holds the fields the question's type adds (an essay's rubric and model answer).
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
    return json.dumps(data, ensure_ascii=False)


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
        bank.scenarios.append(ScenarioRecord(raw["id"], raw["title"], raw["text"]))
    return True, errors


def apply_question_json(q: QuestionRecord, text: str | None) -> list[Message]:
    """Fill a question from `<cw:question>` JSON; an error for each bad field."""
    data, errors = _load(text)
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
