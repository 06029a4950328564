"""Whole-bank checks that hold whatever format a bank was read from.

Formats report what is wrong with a file's shape; this module reports what is wrong
with the bank it describes: question definitions (through the type registry),
duplicate ids, dangling scenario references, unknown levels, editions and clauses.
Every problem carries the question's location when the reader recorded one.
"""

from __future__ import annotations

import re

from app.domain import question_types
from app.domain.records import (
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
            messages.append(f"the id is already used by another question ({first_seen[q.id]})")
        else:
            first_seen[q.id] = where
        problems += [Problem(where, f"question {q.id}: {m}") for m in messages]
        if not q.clauses:
            problems.append(
                Problem(
                    where,
                    f"question {q.id}: no clause is tagged, so no exam section can draw it",
                    "warning",
                )
            )
    return problems


def _bank_problems(bank: BankRecord) -> list[Problem]:
    """Problems with the bank's own metadata."""
    where = Location(path="bank")
    problems = []
    if not SLUG.match(bank.id):
        problems.append(
            Problem(
                where,
                f"the bank id {bank.id!r} may only use lowercase letters, digits and hyphens",
            )
        )
    if not bank.title.strip():
        problems.append(Problem(where, "the bank needs a title"))
    if bank.edition not in EDITIONS:
        problems.append(Problem(where, _edition_message("the bank", bank.edition)))
    return problems


def _scenario_problems(bank: BankRecord) -> list[Problem]:
    """Scenario ids that are not slugs or repeat, and scenarios without text."""
    problems = []
    seen: set[str] = set()
    for s in bank.scenarios:
        where = Location(path=f"scenario {s.id}")
        if not SLUG.match(s.id):
            problems.append(
                Problem(
                    where,
                    f"the scenario id {s.id!r} may only use lowercase letters, digits and hyphens",
                )
            )
        if s.id in seen:
            problems.append(Problem(where, f"two scenarios share the id {s.id!r}"))
        seen.add(s.id)
        if not s.title.strip() or not s.text.strip():
            problems.append(Problem(where, f"scenario {s.id} needs a title and a text"))
    return problems


def _question_messages(
    q: QuestionRecord, scenario_ids: set[str], known_clauses: dict[str, set[str]] | None
) -> list[str]:
    """Plain-words problems of one question, without its location."""
    messages: list[str] = []
    if not ITEM_ID.match(q.id):
        messages.append("the id may only use letters, digits, '.', '_' and '-'")
    try:
        messages += question_types.get(q.type).validate(q)
    except KeyError:
        known = ", ".join(question_types.keys())
        messages.append(f"the type {q.type!r} is not one Clausewise knows ({known})")
    if q.level not in LEVELS:
        messages.append(f"the level {q.level!r} is not one of {', '.join(LEVELS)}")
    if q.edition not in EDITIONS:
        messages.append(_edition_message("the question", q.edition))
    if isinstance(q.difficulty, bool) or q.difficulty not in (1, 2, 3):
        messages.append(f"difficulty must be 1, 2 or 3; it is {q.difficulty!r}")
    if q.scenario is not None and q.scenario not in scenario_ids:
        messages.append(f"it refers to scenario {q.scenario!r}, which this bank does not have")
    messages += _clause_messages(q, known_clauses)
    return messages


def _clause_messages(q: QuestionRecord, known_clauses: dict[str, set[str]] | None) -> list[str]:
    """Clauses that are blank or missing from the edition's clause tree (`None`: no trees
    to check against; a tree missing from the dict: its clauses cannot be checked)."""
    if any(not c.strip() for c in q.clauses):
        return ["a clause number is empty"]
    if known_clauses is None or not q.clauses:
        return []
    if q.edition not in known_clauses:
        clauses = ", ".join(q.clauses)
        return [f"clause {clauses} cannot be checked: the {q.edition} clause tree is not loaded"]
    unknown = [c for c in q.clauses if c not in known_clauses[q.edition]]
    if not unknown:
        return []
    return [f"clause {', '.join(unknown)} is not in the {q.edition} edition's clause tree"]


def _edition_message(what: str, edition: str) -> str:
    """The message for an edition that is neither 2018 nor 2011."""
    return f"{what}'s edition {edition!r} must be one of {', '.join(EDITIONS)}"
