"""Clause drills managers assign to teams: what a learner has to do, and who has done it.

A drill counts as done for a learner once they have closed a drill or practice attempt
of the drill's scheme, on the clause (or a sub-clause of it), after it was assigned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select

from app.domain.wording import wording
from app.extensions import db
from app.models import (
    Attempt,
    AttemptMode,
    AttemptStatus,
    DrillAssignment,
    Scheme,
    Team,
    TeamMembership,
)
from app.queries import banks as bank_queries


@dataclass(frozen=True)
class Drill:
    """An assigned drill as a page shows it."""

    id: int
    team_id: int
    team: str
    scheme_code: str
    scheme_title: str  # a Wording: shown in the reader's language
    clause: str
    clause_title: str
    questions: int
    note: str
    due_at: datetime | None
    created_at: datetime
    done: bool = False
    done_count: int = 0
    members: int = 0


def _covers(attempt: Attempt, clause: str) -> bool:
    """Whether an attempt drilled the clause (the clause itself or one of its sub-clauses)."""
    chosen = (attempt.settings or {}).get("clauses") or []
    return any(c == clause or str(c).startswith(clause + ".") for c in chosen)


def _done_by(drill: DrillAssignment, attempts: Sequence[Attempt]) -> bool:
    return any(
        a.scheme_id == drill.scheme_id
        and a.submitted_at is not None
        and a.submitted_at >= drill.created_at
        and _covers(a, drill.clause)
        for a in attempts
    )


def _closed_drills(user_ids: Sequence[int], since: datetime) -> dict[int, list[Attempt]]:
    """Closed drill and practice attempts per learner since a moment."""
    stmt = select(Attempt).where(
        Attempt.user_id.in_(user_ids),
        Attempt.mode.in_((AttemptMode.DRILL, AttemptMode.PRACTICE)),
        Attempt.status.in_(AttemptStatus.closed()),
        Attempt.submitted_at >= since,
    )
    found: dict[int, list[Attempt]] = {}
    for attempt in db.session.scalars(stmt):
        found.setdefault(attempt.user_id, []).append(attempt)
    return found


def _rows(stmt: Select[DrillAssignment]) -> list[tuple[DrillAssignment, str, str, str]]:
    full = (
        stmt.add_columns(Team.name, Scheme.code, Scheme.title, Scheme.translations)
        .join(Team, Team.id == DrillAssignment.team_id)
        .join(Scheme, Scheme.id == DrillAssignment.scheme_id)
        .order_by(DrillAssignment.created_at.desc(), DrillAssignment.id.desc())
    )
    return [
        (d, team, code, wording(title, translations))
        for d, team, code, title, translations in db.session.execute(full)
    ]


def _drill(row: tuple[Any, ...], titles: dict[str, str], **extra: Any) -> Drill:
    d, team, code, title = row
    return Drill(
        d.id,
        d.team_id,
        team,
        code,
        title,
        d.clause,
        titles.get(d.clause, ""),
        d.questions,
        d.note,
        d.due_at,
        d.created_at,
        **extra,
    )


def learner_drills(user_id: int, team_id: int | None = None) -> list[Drill]:
    """Drills assigned to the learner's teams, open ones first.

    With `team_id`, only that team's drills: a manager looking at a member sees what their
    own team asked of them, never what the member's other teams (and managers) did.
    """
    teams = select(TeamMembership.team_id).where(
        TeamMembership.user_id == user_id, TeamMembership.role == "member"
    )
    if team_id is not None:
        teams = teams.where(TeamMembership.team_id == team_id)
    rows = _rows(select(DrillAssignment).where(DrillAssignment.team_id.in_(teams)))
    if not rows:
        return []
    titles = bank_queries.clause_titles("2018")
    attempts = _closed_drills([user_id], min(d.created_at for d, *_ in rows)).get(user_id, [])
    drills = [_drill(row, titles, done=_done_by(row[0], attempts)) for row in rows]
    return sorted(drills, key=lambda d: d.done)


def team_drills(team_id: int, member_ids: Sequence[int]) -> list[Drill]:
    """A team's drills with how many of its members have done each."""
    rows = _rows(select(DrillAssignment).where(DrillAssignment.team_id == team_id))
    if not rows:
        return []
    titles = bank_queries.clause_titles("2018")
    attempts = _closed_drills(list(member_ids), min(d.created_at for d, *_ in rows))
    return [
        _drill(
            row,
            titles,
            done_count=sum(_done_by(row[0], attempts.get(uid, [])) for uid in member_ids),
            members=len(member_ids),
        )
        for row in rows
    ]
