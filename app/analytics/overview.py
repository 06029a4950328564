"""Small read-only summaries for the home pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from app.domain.wording import wording
from app.extensions import db
from app.models import (
    Bank,
    Question,
    QuestionVersion,
    Role,
    Scheme,
    Team,
    TeamMembership,
    User,
    UserRole,
)


@dataclass(frozen=True)
class BankSummary:
    """A bank with its question counts."""

    code: str
    title: str
    language: str
    total: int
    published: int
    id: int = 0


@dataclass(frozen=True)
class TeamSummary:
    """A team with how many members and managers it has."""

    id: int
    name: str
    members: int
    managers: int


LEVEL_ORDER = {"foundation": 0, "practitioner": 1, "auditor": 2}


def level_order(scheme: Scheme) -> tuple[int, str]:
    """Sort key of schemes: Foundation, Practitioner, Auditor, then by title."""
    return LEVEL_ORDER.get(scheme.level, 9), scheme.title


def schemes() -> list[Scheme]:
    """Active qualification schemes, by level order."""
    rows = db.session.scalars(select(Scheme).where(Scheme.active.is_(True))).all()
    return sorted(rows, key=level_order)


def published_counts_by_level() -> dict[str, int]:
    """How many questions exams can draw per level (by their live version)."""
    stmt = (
        select(QuestionVersion.level, func.count())
        .join(Question, Question.live_version_id == QuestionVersion.id)
        .group_by(QuestionVersion.level)
    )
    return {level: count for level, count in db.session.execute(stmt)}


def bank_summaries() -> list[BankSummary]:
    """Every bank with total and published question counts, in one query."""
    stmt = (
        select(
            Bank.code,
            Bank.title,
            Bank.language,
            func.count(Question.id),
            func.count(Question.live_version_id),
            Bank.id,
        )
        .outerjoin(Question, Question.bank_id == Bank.id)
        .group_by(Bank.id)
        .order_by(Bank.title)
    )
    return [
        BankSummary(c, t, lang, n, int(p or 0), bank_id)
        for c, t, lang, n, p, bank_id in db.session.execute(stmt)
    ]


def managed_teams(user: User) -> list[TeamSummary]:
    """The teams `user` manages (every team for an admin), with member and manager counts."""
    members = func.sum(func.cast(TeamMembership.role == "member", db.Integer))
    managers = func.sum(func.cast(TeamMembership.role == "manager", db.Integer))
    stmt = (
        select(Team.id, Team.name, members, managers)
        .outerjoin(TeamMembership, TeamMembership.team_id == Team.id)
        .group_by(Team.id)
        .order_by(Team.name)
    )
    if not user.has_any_role(Role.ADMIN):
        managed = select(TeamMembership.team_id).where(
            TeamMembership.user_id == user.id, TeamMembership.role == "manager"
        )
        stmt = stmt.where(Team.id.in_(managed))
    return [TeamSummary(i, n, int(m or 0), int(g or 0)) for i, n, m, g in db.session.execute(stmt)]


def role_counts() -> dict[str, int]:
    """How many active accounts hold each role."""
    stmt = (
        select(UserRole.role, func.count())
        .join(User, User.id == UserRole.user_id)
        .where(User.active.is_(True))
        .group_by(UserRole.role)
    )
    return {role: count for role, count in db.session.execute(stmt)}


def team_people(team_id: int) -> list[tuple[int, str, str, str]]:
    """(user id, name, e-mail, role in the team) of a team's people, managers first."""
    stmt = (
        select(User.id, User.display_name, User.email, TeamMembership.role)
        .join(TeamMembership, TeamMembership.user_id == User.id)
        .where(TeamMembership.team_id == team_id)
        .order_by(TeamMembership.role.desc(), User.display_name)
    )
    return [(uid, name, email, role) for uid, name, email, role in db.session.execute(stmt)]


def team_targets(team_id: int) -> list[dict[str, Any]]:
    """A team's targets with scheme titles (Wordings) and named members."""
    from app.models import TeamTarget, TeamTargetMember

    stmt = (
        select(TeamTarget, Scheme.title, Scheme.translations)
        .join(Scheme, Scheme.id == TeamTarget.scheme_id)
        .where(TeamTarget.team_id == team_id)
        .order_by(TeamTarget.due_at)
    )
    rows = list(db.session.execute(stmt))
    named: dict[int, list[str]] = {}
    names = (
        select(TeamTargetMember.target_id, User.display_name)
        .join(User, User.id == TeamTargetMember.user_id)
        .where(TeamTargetMember.target_id.in_([t.id for t, *_rest in rows]))
        .order_by(User.display_name)
    )
    for target_id, name in db.session.execute(names):
        named.setdefault(target_id, []).append(name)
    return [
        {"target": t, "scheme": wording(title, translations), "named": named.get(t.id, [])}
        for t, title, translations in rows
    ]
