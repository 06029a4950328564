"""Teams, their members and managers, and readiness targets.

Admins manage every team; a manager manages the teams they are a manager of (creating a
team makes its creator a manager of it). Members are learners; managers must hold the
manager or admin role. A roster upload is checked as a whole first: any located error
means nothing is written.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.extensions import db
from app.models import (
    Clause,
    DrillAssignment,
    Edition,
    Scheme,
    Team,
    TeamMembership,
    TeamTarget,
    TeamTargetMember,
    User,
)
from app.security import Role
from app.services import audit

ROLES = ("member", "manager")
MAX_ROSTER_ROWS = 5000


def _require_team_role(actor: User) -> None:
    """Only admins and managers work with teams."""
    if not actor.has_any_role(Role.ADMIN, Role.MANAGER):
        raise PermissionDenied(_("Only managers and administrators manage teams."))


def manages(actor: User, team_id: int) -> bool:
    """True when the actor is an admin or one of the team's managers."""
    if actor.has_any_role(Role.ADMIN):
        return True
    return (
        db.session.scalar(
            select(TeamMembership.id).where(
                TeamMembership.team_id == team_id,
                TeamMembership.user_id == actor.id,
                TeamMembership.role == "manager",
            )
        )
        is not None
    )


def get_team(actor: User, team_id: int) -> Team:
    """A team the actor manages; others look like missing teams."""
    _require_team_role(actor)
    team = db.session.get(Team, team_id)
    if team is None or not manages(actor, team_id):
        raise NotFound(_("No such team."))
    return team


def create_team(actor: User, name: str, description: str = "") -> Team:
    """A new team; a manager who creates it becomes its manager."""
    _require_team_role(actor)
    name = name.strip()
    if not name or len(name) > 120:
        raise InvalidInput(_("A team needs a name of at most 120 characters."))
    if db.session.scalar(select(Team.id).where(func.lower(Team.name) == name.lower())):
        raise InvalidInput(_("A team called %(name)s already exists.", name=name))
    team = Team(name=name, description=description.strip())
    db.session.add(team)
    db.session.flush()
    if actor.has_any_role(Role.MANAGER):
        db.session.add(TeamMembership(team_id=team.id, user_id=actor.id, role="manager"))
    audit.record(actor, "team.created", "team", team.id, name=name)
    db.session.commit()
    return team


def _user_by_email(email: str) -> User | None:
    """An active account by e-mail, case-insensitively."""
    return db.session.scalars(
        select(User).where(func.lower(User.email) == email.strip().lower(), User.active)
    ).first()


def _check_role_for(user: User, role: str) -> str | None:
    """Why this user cannot take this role in a team, or None."""
    if role not in ROLES:
        return _("the role must be member or manager")
    if role == "manager" and not user.has_any_role(Role.MANAGER, Role.ADMIN):
        return _("%(email)s does not hold the manager role", email=user.email)
    if role == "member" and not user.has_any_role(Role.LEARNER):
        return _("%(email)s is not a learner", email=user.email)
    return None


def _add(team_id: int, user: User, role: str) -> bool:
    """Add a membership unless it exists; True when added."""
    exists = db.session.scalar(
        select(TeamMembership.id).where(
            TeamMembership.team_id == team_id,
            TeamMembership.user_id == user.id,
            TeamMembership.role == role,
        )
    )
    if exists:
        return False
    db.session.add(TeamMembership(team_id=team_id, user_id=user.id, role=role))
    return True


def add_person(actor: User, team_id: int, email: str, role: str = "member") -> bool:
    """Add a member or a manager by e-mail; False when they were already in that role."""
    get_team(actor, team_id)
    user = _user_by_email(email)
    if user is None:
        raise InvalidInput(_("No active account has the e-mail %(email)s.", email=email))
    problem = _check_role_for(user, role)
    if problem:
        raise InvalidInput(problem)
    added = _add(team_id, user, role)
    if added:
        audit.record(actor, f"team.{role}_added", "team", team_id, user_id=user.id)
    db.session.commit()
    return added


def remove_person(actor: User, team_id: int, user_id: int, role: str = "member") -> None:
    """Remove a member or a manager; a team keeps at least one manager or an admin."""
    get_team(actor, team_id)
    membership = db.session.scalars(
        select(TeamMembership).where(
            TeamMembership.team_id == team_id,
            TeamMembership.user_id == user_id,
            TeamMembership.role == role,
        )
    ).first()
    if membership is None:
        raise NotFound(_("That person is not in this team in that role."))
    if role == "manager" and not actor.has_any_role(Role.ADMIN):
        managers = db.session.scalar(
            select(func.count()).where(
                TeamMembership.team_id == team_id, TeamMembership.role == "manager"
            )
        )
        if managers <= 1:
            raise Conflict(_("A team needs a manager; add another before removing this one."))
    db.session.delete(membership)
    audit.record(actor, f"team.{role}_removed", "team", team_id, user_id=user_id)
    db.session.commit()


@dataclass
class RosterReport:
    """What a roster upload held and did; `errors` are (row, column, message)."""

    added: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)


def import_roster(actor: User, team_id: int, content: bytes, dry_run: bool = False) -> RosterReport:
    """Add people from a CSV with columns `email` and optional `role`; all or nothing."""
    get_team(actor, team_id)
    report = RosterReport()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.errors.append((0, "", _("the file is not UTF-8 text")))
        return report
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip().lower() for h in reader.fieldnames or []]
    if "email" not in headers:
        report.errors.append((1, "email", _("the first row must name an email column")))
        return report
    reader.fieldnames = headers
    people: list[tuple[User, str]] = []
    for number, row in enumerate(reader, start=2):
        if number > MAX_ROSTER_ROWS + 1:
            report.errors.append((number, "", _("at most %(n)d rows", n=MAX_ROSTER_ROWS)))
            break
        email = (row.get("email") or "").strip()
        role = (row.get("role") or "member").strip().lower() or "member"
        if not email:
            report.errors.append((number, "email", _("the e-mail is empty")))
            continue
        user = _user_by_email(email)
        if user is None:
            report.errors.append((number, "email", _("no active account has %(e)s", e=email)))
            continue
        problem = _check_role_for(user, role)
        if problem:
            report.errors.append((number, "role", problem))
            continue
        people.append((user, role))
    if report.errors or dry_run:
        return report
    for user, role in people:
        if _add(team_id, user, role):
            report.added += 1
        else:
            report.unchanged += 1
        db.session.flush()
    audit.record(actor, "team.roster_imported", "team", team_id, added=report.added)
    db.session.commit()
    return report


def add_target(
    actor: User,
    team_id: int,
    scheme_code: str,
    due_on: date,
    required_share: float = 1.0,
    named_emails: list[str] | None = None,
    note: str = "",
) -> TeamTarget:
    """A readiness target: a share of members, or named members, ready by a date."""
    get_team(actor, team_id)
    scheme = db.session.scalars(select(Scheme).where(Scheme.code == scheme_code)).first()
    if scheme is None:
        raise InvalidInput(_("No such qualification scheme: %(s)s.", s=scheme_code))
    if not 0 < required_share <= 1:
        raise InvalidInput(_("The share of members must be more than 0% and at most 100%."))
    named: list[User] = []
    for email in named_emails or []:
        user = _user_by_email(email)
        if user is None or not db.session.scalar(
            select(TeamMembership.id).where(
                TeamMembership.team_id == team_id,
                TeamMembership.user_id == user.id,
                TeamMembership.role == "member",
            )
        ):
            raise InvalidInput(_("%(e)s is not a member of this team.", e=email))
        named.append(user)
    target = TeamTarget(
        team_id=team_id,
        scheme_id=scheme.id,
        required_share=1.0 if named else required_share,
        due_on=due_on,
        note=note.strip()[:200],
    )
    target.named_members = [TeamTargetMember(user_id=u.id) for u in named]
    db.session.add(target)
    db.session.flush()
    audit.record(actor, "team.target_added", "team", team_id, target=target.id)
    db.session.commit()
    return target


def remove_target(actor: User, target_id: int) -> None:
    """Delete a target of a team the actor manages."""
    target = db.session.get(TeamTarget, target_id)
    if target is None:
        raise NotFound(_("No such target."))
    get_team(actor, target.team_id)
    db.session.delete(target)
    audit.record(actor, "team.target_removed", "team", target.team_id, target=target_id)
    db.session.commit()


def get_member(actor: User, team_id: int, user_id: int) -> User:
    """A member of a team the actor manages; anyone else looks missing."""
    get_team(actor, team_id)
    user = db.session.get(User, user_id)
    if user is None or not _is_member(team_id, user_id):
        raise NotFound(_("No such member in this team."))
    return user


def _is_member(team_id: int, user_id: int) -> bool:
    return (
        db.session.scalar(
            select(TeamMembership.id).where(
                TeamMembership.team_id == team_id,
                TeamMembership.user_id == user_id,
                TeamMembership.role == "member",
            )
        )
        is not None
    )


def assign_drill(
    actor: User,
    team_id: int,
    scheme_code: str,
    clause: str,
    questions: int = 10,
    note: str = "",
    due_on: date | None = None,
) -> DrillAssignment:
    """Ask a team's members to drill a clause; it shows on their home pages until done."""
    get_team(actor, team_id)
    scheme = db.session.scalars(
        select(Scheme).where(Scheme.code == scheme_code, Scheme.active.is_(True))
    ).first()
    if scheme is None:
        raise InvalidInput(_("No such qualification scheme: %(s)s.", s=scheme_code))
    clause = clause.strip()
    known = db.session.scalar(
        select(Clause.id)
        .join(Edition, Edition.id == Clause.edition_id)
        .where(Edition.code == "2018", Clause.number == clause)
    )
    if known is None:
        raise InvalidInput(_("%(c)s is not a clause of ISO/IEC 20000-1:2018.", c=clause))
    if not 5 <= questions <= 50:
        raise InvalidInput(_("A drill has between 5 and 50 questions."))
    duplicate = db.session.scalar(
        select(DrillAssignment.id).where(
            DrillAssignment.team_id == team_id,
            DrillAssignment.scheme_id == scheme.id,
            DrillAssignment.clause == clause,
        )
    )
    if duplicate is not None:
        raise Conflict(_("This team already has a drill on clause %(c)s.", c=clause))
    drill = DrillAssignment(
        team_id=team_id,
        scheme_id=scheme.id,
        clause=clause,
        questions=questions,
        note=note.strip()[:200],
        due_on=due_on,
        created_by_id=actor.id,
    )
    db.session.add(drill)
    db.session.flush()
    audit.record(actor, "team.drill_assigned", "team", team_id, drill=drill.id, clause=clause)
    db.session.commit()
    return drill


def withdraw_drill(actor: User, drill_id: int) -> int:
    """Withdraw a drill assignment of a team the actor manages; returns the team id."""
    drill = db.session.get(DrillAssignment, drill_id)
    if drill is None:
        raise NotFound(_("No such drill."))
    team_id = drill.team_id
    get_team(actor, team_id)
    db.session.delete(drill)
    audit.record(actor, "team.drill_withdrawn", "team", team_id, drill=drill_id)
    db.session.commit()
    return team_id
