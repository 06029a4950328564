"""Who is in a team: administrators add people directly, managers invite them.

Administrators keep the organisation's directory (they see every account anyway), so
they add an account by e-mail at once and are told plainly when no active account has
that e-mail or it lacks the role. A manager's additions are invitations (see
`team_invitations`): the person joins when they accept, and the manager hears the same
reply whatever the e-mail. A roster upload is checked as a whole first: any located
error means nothing is written.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.errors import Conflict, InvalidInput, NotFound
from app.extensions import db
from app.models import Actor, Role, TeamMembership, User
from app.services import audit, team_invitations
from app.services.teams import ROLES, active_user_by_email, get_team

MAX_ROSTER_ROWS = 5000
Outcome = team_invitations.Outcome


def adds_directly(actor: User) -> bool:
    """True when the actor's additions take effect at once (admins), not as invitations."""
    return actor.has_any_role(Role.ADMIN)


def _check_role_for(user: User, role: str) -> str | None:
    """Why this account cannot take this role in a team, or None (for administrators)."""
    if role not in ROLES:
        return _("The role must be member or manager.")
    if role == "manager" and not user.has_any_role(Role.MANAGER, Role.ADMIN):
        return _("%(email)s does not hold the manager role", email=user.email)
    if role == "member" and not user.has_any_role(Role.LEARNER):
        return _("%(email)s is not a learner", email=user.email)
    return None


def _directory_user(email: str, role: str) -> User:
    """The active account an administrator names, able to take the role."""
    user = active_user_by_email(email)
    if user is None:
        raise InvalidInput(_("No active account has the e-mail %(email)s.", email=email))
    problem = _check_role_for(user, role)
    if problem:
        raise InvalidInput(problem)
    return user


def is_member(team_id: int, user_id: int) -> bool:
    """True when the account is a member (a learner's place) of the team."""
    stmt = select(TeamMembership.id).where(
        TeamMembership.team_id == team_id,
        TeamMembership.user_id == user_id,
        TeamMembership.role == "member",
    )
    return db.session.scalar(stmt) is not None


def add_now(actor: Actor, team_id: int, user: User, role: str) -> Outcome:
    """Add a membership unless it exists (no commit); the caller checked the access."""
    team_invitations.drop_for(team_id, user.email, role)
    exists = db.session.scalar(
        select(TeamMembership.id).where(
            TeamMembership.team_id == team_id,
            TeamMembership.user_id == user.id,
            TeamMembership.role == role,
        )
    )
    if exists:
        return "unchanged"
    db.session.add(TeamMembership(team_id=team_id, user_id=user.id, role=role))
    audit.record(actor, f"team.{role}_added", "team", team_id, user_id=user.id)
    return "added"


def add_person(actor: User, team_id: int, email: str, role: str = "member") -> Outcome:
    """Add (admins) or invite (managers) a member or manager by e-mail."""
    get_team(actor, team_id)
    if adds_directly(actor):
        outcome = add_now(actor, team_id, _directory_user(email, role), role)
    else:
        outcome = team_invitations.stage(actor, team_id, email, role)
    db.session.commit()
    return outcome


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
        managers = db.session.scalars(
            select(func.count()).where(
                TeamMembership.team_id == team_id, TeamMembership.role == "manager"
            )
        ).one()
        if managers <= 1:
            raise Conflict(_("A team needs a manager; add another before removing this one."))
    db.session.delete(membership)
    audit.record(actor, f"team.{role}_removed", "team", team_id, user_id=user_id)
    db.session.commit()


@dataclass
class RosterReport:
    """What a roster upload held and did; `errors` are (row, column, message)."""

    added: int = 0
    invited: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)


def _roster_rows(text: str, report: RosterReport) -> list[tuple[int, str, str]]:
    """(row number, e-mail, role) of each row; a missing email column is an error."""
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip().lower() for h in reader.fieldnames or []]
    if "email" not in headers:
        report.errors.append((1, "email", _("The first row must name an email column.")))
        return []
    reader.fieldnames = headers
    rows = []
    for number, row in enumerate(reader, start=2):
        if number > MAX_ROSTER_ROWS + 1:
            too_many = _("A roster may have at most %(n)d rows.", n=MAX_ROSTER_ROWS)
            report.errors.append((number, "", too_many))
            break
        role = (row.get("role") or "member").strip().lower() or "member"
        rows.append((number, (row.get("email") or "").strip(), role))
    return rows


def _check_row(actor: User, email: str, role: str) -> tuple[str, str] | User | str:
    """The row's column and problem, or what to add: an account (admins) or the e-mail."""
    if not email:
        return "email", _("The e-mail is empty.")
    if role not in ROLES:
        return "role", _("The role must be member or manager.")
    if not adds_directly(actor):
        problem = team_invitations.check_invitable(email, role)
        return ("email", problem) if problem else email
    user = active_user_by_email(email)
    if user is None:
        return "email", _("No active account has the e-mail %(email)s.", email=email)
    problem = _check_role_for(user, role)
    return ("role", problem) if problem else user


def import_roster(actor: User, team_id: int, content: bytes, dry_run: bool = False) -> RosterReport:
    """Add (admins) or invite (managers) people from a CSV of `email` and optional `role`."""
    get_team(actor, team_id)
    report = RosterReport()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.errors.append((0, "", _("The file is not UTF-8 text.")))
        return report
    people: list[tuple[User | str, str]] = []
    for number, email, role in _roster_rows(text, report):
        checked = _check_row(actor, email, role)
        if isinstance(checked, tuple):
            report.errors.append((number, *checked))
        else:
            people.append((checked, role))
    if report.errors or dry_run:
        return report
    for person, role in people:
        if isinstance(person, User):
            outcome = add_now(actor, team_id, person, role)
        else:
            outcome = team_invitations.stage(actor, team_id, person, role)
        setattr(report, outcome, getattr(report, outcome) + 1)
        db.session.flush()
    audit.record(
        actor, "team.roster_imported", "team", team_id, added=report.added, invited=report.invited
    )
    db.session.commit()
    return report
