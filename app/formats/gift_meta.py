"""Clausewise fields carried through GIFT as one-line JSON comments.

GIFT has no place for ids, levels, clauses, rubrics, scenarios or bank details, so the
writer puts them in `// clausewise...: {json}` comments and the reader takes them back.
Other tools skip comments, so the file stays plain GIFT.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
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

# Report a problem: a message and its severity.
Complain = Callable[[Message, str], None]

BANK = "clausewise-bank"
SCENARIO = "clausewise-scenario"
QUESTION = "clausewise"
_COMMENT = re.compile(r"//\s*(clausewise(?:-bank|-scenario)?)\s*:(.*)", re.IGNORECASE)
_ID = re.compile(r"[A-Za-z0-9._-]+")
_BANK_FIELDS = ("id", "title", "language", "licence", "edition", "description")
_SCENARIO_FIELDS = ("id", "title", "text")


def valid_id(value: str) -> bool:
    """Whether `value` can be a Clausewise id as it stands."""
    return bool(_ID.fullmatch(value))


def option_id(index: int) -> str:
    """The default id of the option at `index`: a, b, c, … then o27, o28, …."""
    return chr(ord("a") + index) if index < 26 else f"o{index + 1}"


def pair_id(index: int) -> str:
    """The default id of the matching pair at `index`: p1, p2, …."""
    return f"p{index + 1}"


def comment(kind: str, data: dict[str, Any]) -> str:
    """One comment line carrying `data` as JSON."""
    return f"// {kind}: {json.dumps(data, ensure_ascii=False)}"


def parse_comment(line: str) -> tuple[str, dict[str, Any], Message | None] | None:
    """Kind, JSON object and error of a clausewise comment; None for other comments."""
    found = _COMMENT.fullmatch(line)
    if not found:
        return None
    kind = found.group(1).lower()
    try:
        data = json.loads(found.group(2))
    except (ValueError, RecursionError) as exc:
        reason = getattr(exc, "msg", "nested too deeply")
        return kind, {}, Message("gift.comment_not_json", {"kind": kind, "reason": reason})
    if not isinstance(data, dict):
        return kind, {}, Message("gift.comment_not_object", {"kind": kind})
    return kind, data, None


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


def _rubric(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(row, dict)
        and isinstance(row.get("criterion"), str)
        and _number(row.get("marks"))
        and isinstance(row.get("guidance", ""), str)
        for row in value
    )


def _wrong(key: str, name: str) -> Message:
    """What the question field `key` must be, for the question called `name`."""
    q = {"question": name}
    if key == "id":
        return Message("gift.meta_id", q)
    if key == "level":
        return Message("gift.meta_level", {"question": name, "levels": ", ".join(LEVELS)})
    if key == "clauses":
        return Message("gift.meta_clauses", q)
    if key == "difficulty":
        return Message("gift.meta_difficulty", q)
    if key == "cognitive":
        levels = {"question": name, "levels": ", ".join(COGNITIVE_LEVELS)}
        return Message("gift.meta_cognitive", levels)
    if key == "tags":
        return Message("gift.meta_tags", q)
    if key == "scenario":
        return Message("gift.meta_scenario", q)
    if key == "marks":
        return Message("gift.meta_marks", q)
    if key == "edition":
        editions = {"question": name, "first": ", ".join(EDITIONS[:-1]), "last": EDITIONS[-1]}
        return Message("gift.meta_edition", editions)
    if key == "rubric":
        return Message("gift.meta_rubric", q)
    if key == "model_answer":
        return Message("gift.meta_model_answer", q)
    if key == "option_ids":
        return Message("gift.meta_option_ids", q)
    return Message("gift.meta_pair_ids", q)


_QUESTION_FIELDS: dict[str, Callable[[Any], bool]] = {
    "id": lambda v: isinstance(v, str) and bool(_ID.fullmatch(v)),
    "level": lambda v: isinstance(v, str) and v in LEVELS,
    "clauses": _texts,
    "difficulty": lambda v: type(v) is int and 1 <= v <= 3,
    "cognitive": lambda v: v in COGNITIVE_LEVELS,
    "tags": _texts,
    "scenario": lambda v: v is None or isinstance(v, str),
    "marks": _number,
    "edition": lambda v: isinstance(v, str) and v in EDITIONS,
    "rubric": _rubric,
    "model_answer": lambda v: isinstance(v, str),
    "option_ids": _texts,
    "pair_ids": _texts,
}


def question_meta(question: QuestionRecord) -> dict[str, Any]:
    """The Clausewise-only fields of a question, as written into its metadata comment."""
    q = question
    data: dict[str, Any] = {
        "id": q.id,
        "level": q.level,
        "clauses": list(q.clauses),
        "difficulty": q.difficulty,
    }
    if q.cognitive is not None:
        data["cognitive"] = q.cognitive
    if q.tags:
        data["tags"] = list(q.tags)
    if q.scenario:
        data["scenario"] = q.scenario
    if q.marks != 1.0:
        data["marks"] = q.marks
    if q.edition != "2018":
        data["edition"] = q.edition
    if q.rubric:
        data["rubric"] = [
            {"criterion": r.criterion, "marks": r.marks, "guidance": r.guidance} for r in q.rubric
        ]
    if q.model_answer:
        data["model_answer"] = q.model_answer
    if [o.id for o in q.options] != [option_id(i) for i in range(len(q.options))]:
        data["option_ids"] = [o.id for o in q.options]
    if [p.id for p in q.pairs] != [pair_id(i) for i in range(len(q.pairs))]:
        data["pair_ids"] = [p.id for p in q.pairs]
    return data


def apply_question(
    question: QuestionRecord, data: dict[str, Any], name: str, complain: Complain
) -> None:
    """Copy valid metadata fields onto a question; complain about the others.

    `name` is how the messages name the question.
    """
    for key, value in data.items():
        check = _QUESTION_FIELDS.get(key)
        if check is None:
            complain(Message("gift.meta_unknown", {"question": name, "field": key}), "warning")
        elif not check(value):
            complain(_wrong(key, name), "error")
        elif key == "marks":
            question.marks = float(value)
        elif key == "rubric":
            question.rubric = [
                RubricCriterion(row["criterion"], float(row["marks"]), row.get("guidance", ""))
                for row in value
            ]
        elif key in ("option_ids", "pair_ids"):
            items = question.options if key == "option_ids" else question.pairs
            _rename(items, value, key, name, complain)
        else:
            setattr(question, key, list(value) if isinstance(value, list) else value)


def _rename(items: list[Any], ids: list[str], key: str, name: str, complain: Complain) -> None:
    if len(ids) != len(items):
        counts = {"question": name, "field": key, "ids": len(ids), "items": len(items)}
        complain(Message("gift.meta_id_count", counts), "error")
        return
    for item, new_id in zip(items, ids, strict=True):
        item.id = new_id


def bank_meta(bank: BankRecord) -> dict[str, Any]:
    """The bank's own fields, as written into the bank comment."""
    return {name: getattr(bank, name) for name in _BANK_FIELDS}


def apply_bank(bank: BankRecord, data: dict[str, Any], complain: Complain) -> None:
    """Copy valid bank fields from a bank comment; complain about the others."""
    for key, value in data.items():
        if key not in _BANK_FIELDS:
            complain(Message("gift.bank_unknown", {"field": key}), "warning")
        elif not isinstance(value, str):
            complain(Message("gift.bank_not_text", {"field": key}), "error")
        else:
            setattr(bank, key, value)
            if key in BANK_FIELDS:
                bank.given.add(key)


def scenario_meta(scenario: ScenarioRecord) -> dict[str, Any]:
    """A scenario as written into its comment."""
    return {name: getattr(scenario, name) for name in _SCENARIO_FIELDS}


def read_scenario(data: dict[str, Any], complain: Complain) -> ScenarioRecord | None:
    """The scenario a scenario comment describes, or None (with a complaint) if incomplete."""
    missing = [name for name in _SCENARIO_FIELDS if not isinstance(data.get(name), str)]
    if missing:
        complain(Message("gift.scenario_fields", {"fields": ", ".join(missing)}), "error")
        return None
    return ScenarioRecord(data["id"], data["title"], data["text"])
