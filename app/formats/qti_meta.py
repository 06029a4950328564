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
    EDITIONS,
    LEVELS,
    BankRecord,
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
    data.update(extra or {})
    return json.dumps(data, ensure_ascii=False)


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
