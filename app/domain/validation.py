"""Whole-bank checks that hold whatever format a bank was read from.

Formats report what is wrong with a file's shape; this module reports what is wrong
with the bank it describes: question definitions (through the type registry),
duplicate ids, dangling scenario references, unknown levels, editions and clauses.
Every problem carries the question's location when the reader recorded one.
"""

from __future__ import annotations

import re

from app.domain import question_types
from app.domain.messages import Message
from app.domain.records import (
    COGNITIVE_LEVELS,
    EDITIONS,
    LEVELS,
    BankRecord,
    Location,
    Problem,
    QuestionRecord,
)

SLUG = re.compile(r"^[a-z0-9-]+$")
ITEM_ID = re.compile(r"^[A-Za-z0-9._-]+$")


def validate_bank(
    bank: BankRecord, known_clauses: dict[str, set[str]] | None = None
) -> list[Problem]:
    """Every problem with a bank's metadata, scenarios and questions, located."""
    problems = _bank_problems(bank) + _scenario_problems(bank)
    scenario_ids = {s.id for s in bank.scenarios}
    first_seen: dict[str, Location] = {}
    for q in bank.questions:
        where = q.location or Location(path=f"question {q.id}")
        messages = _question_messages(q, scenario_ids, known_clauses)
        if q.id in first_seen:
            first = str(first_seen[q.id])
            messages.append(Message("validation.repeated_id", {"question": q.id, "first": first}))
        else:
            first_seen[q.id] = where
        problems += [Problem(where, m) for m in messages]
        if not q.clauses:
            untagged = Message("validation.no_clause", {"question": q.id})
            problems.append(Problem(where, untagged, "warning"))
    return problems


def _bank_problems(bank: BankRecord) -> list[Problem]:
    """Problems with the bank's own metadata."""
    where = Location(path="bank")
    messages = []
    if not SLUG.match(bank.id):
        messages.append(Message("validation.bank_id", {"id": repr(bank.id)}))
    if not bank.title.strip():
        messages.append(Message("validation.bank_title"))
    if bank.edition not in EDITIONS:
        editions = ", ".join(EDITIONS)
        edition = {"edition": repr(bank.edition), "editions": editions}
        messages.append(Message("validation.bank_edition", edition))
    return [Problem(where, m) for m in messages]


def _scenario_problems(bank: BankRecord) -> list[Problem]:
    """Scenario ids that are not slugs or repeat, and scenarios without text."""
    problems = []
    seen: set[str] = set()
    for s in bank.scenarios:
        where = Location(path=f"scenario {s.id}")
        if not SLUG.match(s.id):
            problems.append(Problem(where, Message("validation.scenario_id", {"id": repr(s.id)})))
        if s.id in seen:
            repeated = Message("validation.repeated_scenario", {"id": repr(s.id)})
            problems.append(Problem(where, repeated))
        seen.add(s.id)
        if not s.title.strip() or not s.text.strip():
            empty = Message("validation.scenario_text", {"scenario": s.id})
            problems.append(Problem(where, empty))
    return problems


def _question_messages(
    q: QuestionRecord, scenario_ids: set[str], known_clauses: dict[str, set[str]] | None
) -> list[Message]:
    """The problems of one question, without its location."""
    messages: list[Message] = []
    if not ITEM_ID.match(q.id):
        messages.append(Message("validation.item_id", {"question": q.id}))
    try:
        messages += [
            Message("validation.definition", {"question": q.id, "problem": problem})
            for problem in question_types.get(q.type).validate(q)
        ]
    except KeyError:
        known = ", ".join(question_types.keys())
        kind = {"question": q.id, "type": repr(q.type), "known": known}
        messages.append(Message("validation.type", kind))
    messages += _field_messages(q, scenario_ids)
    messages += _clause_messages(q, known_clauses)
    return messages


def _field_messages(q: QuestionRecord, scenario_ids: set[str]) -> list[Message]:
    """A question's level, edition, difficulty and scenario reference."""
    messages: list[Message] = []
    if q.level not in LEVELS:
        level = {"question": q.id, "level": repr(q.level), "levels": ", ".join(LEVELS)}
        messages.append(Message("validation.level", level))
    if q.edition not in EDITIONS:
        edition = {"question": q.id, "edition": repr(q.edition), "editions": ", ".join(EDITIONS)}
        messages.append(Message("validation.question_edition", edition))
    if q.cognitive is not None and q.cognitive not in COGNITIVE_LEVELS:
        cognitive = {
            "question": q.id,
            "cognitive": repr(q.cognitive),
            "levels": ", ".join(COGNITIVE_LEVELS),
        }
        messages.append(Message("validation.cognitive", cognitive))
    if isinstance(q.difficulty, bool) or q.difficulty not in (1, 2, 3):
        difficulty = {"question": q.id, "difficulty": repr(q.difficulty)}
        messages.append(Message("validation.difficulty", difficulty))
    if q.scenario is not None and q.scenario not in scenario_ids:
        scenario = {"question": q.id, "scenario": repr(q.scenario)}
        messages.append(Message("validation.scenario_reference", scenario))
    return messages


def _clause_messages(q: QuestionRecord, known_clauses: dict[str, set[str]] | None) -> list[Message]:
    """Clauses that are blank or missing from the edition's clause tree (`None`: no trees
    to check against; a tree missing from the dict: its clauses cannot be checked)."""
    if any(not c.strip() for c in q.clauses):
        return [Message("validation.empty_clause", {"question": q.id})]
    if known_clauses is None or not q.clauses:
        return []
    if q.edition not in known_clauses:
        clauses = {"question": q.id, "clauses": ", ".join(q.clauses), "edition": q.edition}
        return [Message("validation.clause_tree_missing", clauses)]
    unknown = [c for c in q.clauses if c not in known_clauses[q.edition]]
    if not unknown:
        return []
    clauses = {"question": q.id, "clauses": ", ".join(unknown), "edition": q.edition}
    return [Message("validation.unknown_clause", clauses)]
