"""Demo teams: names, managers, members and targets, through the teams service.

The fixed demo manager (manager@clausewise.test) manages the first two teams; every other
team gets its own demo manager account. Members join as real ones do: the manager invites
them and each learner accepts, so the dashboards have members to show. The third team is
an internal audit team whose members also prepare for the auditor exam, and whose target
names two of them.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from app.extensions import db
from app.models import SYSTEM, Role, Team, User
from app.models.base import utcnow
from app.services import team_invitations, team_membership, users
from app.services import teams as team_service

if TYPE_CHECKING:
    from app.services.demo_seed import SeedReport

MANAGER_EMAIL = "demo-manager-{n:03d}@clausewise.example"
FIXED_MANAGER = "manager@clausewise.test"
FIXED_LEARNER = "learner@clausewise.test"
TEAMS = (
    ("Service desk", "First line: incidents, service requests and the service catalogue."),
    ("Change and release", "Plans, approves and deploys changes and releases."),
    ("Internal audit", "Audits the service management system and follows findings up."),
    ("Supplier management", "External suppliers, their contracts and their performance."),
    ("Service continuity", "Continuity and availability plans, their tests and capacity."),
    ("Service level management", "Agrees service targets with customers and reports on them."),
    ("Problem management", "Finds the causes of recurring incidents and removes them."),
    ("Information security", "The information security controls the services depend on."),
)
AUDIT_TEAM = 2  # the third team ("Internal audit") also prepares for the auditor exam
FIXED_MANAGER_TEAMS = 2


def teams_of(n: int, count: int) -> list[int]:
    """Teams of learner n: round robin; every fifth learner is in the next team too."""
    if count == 0:
        return []
    first = (n - 1) % count
    return [first, (first + 1) % count] if n % 5 == 0 and count > 1 else [first]


def _team_spec(k: int) -> tuple[str, str]:
    """Name and description of the k-th demo team (from 0)."""
    if k < len(TEAMS):
        return TEAMS[k]
    return f"Team {k + 1}", "A demo team."


def _targets(k: int, named: list[str]) -> list[tuple[str, int, float, list[str], str]]:
    """Targets of team k: scheme, due in days, share, named e-mails, note."""
    if k == 0:
        return [("foundation", 120, 0.9, [], "90% of the team ready for Foundation")]
    if k == 1:
        return [("foundation", 60, 0.8, [], "80% of the team ready for Foundation")]
    if k == AUDIT_TEAM:
        found: list[tuple[str, int, float, list[str], str]] = [
            ("foundation", 90, 1.0, [], "Everyone ready for Foundation")
        ]
        if named:
            found.append(("auditor", 180, 1.0, named, "Two auditors ready for the auditor exam"))
        return found
    return [("foundation", 150, 0.75, [], "Three quarters of the team ready for Foundation")]


def _manager(k: int, report: SeedReport) -> User:
    """The manager of team k: the fixed demo manager for the first two, else a demo account."""
    if k < FIXED_MANAGER_TEAMS:
        fixed = users.find_by_email(FIXED_MANAGER)
        if fixed is not None and fixed.active and fixed.has_any_role(Role.MANAGER):
            report.fixed_manager_teams += 1
            return fixed
    email = MANAGER_EMAIL.format(n=k + 1)
    found = users.find_by_email(email)
    if found is not None:
        return found
    report.managers += 1
    password = secrets.token_urlsafe(16)
    return users.create_user(SYSTEM, email, f"Demo Manager {k + 1}", password, {Role.MANAGER})


def _join(manager: User, team_id: int, email: str) -> None:
    """Bring a demo learner in as people join: the manager invites, the learner accepts."""
    team_membership.add_person(manager, team_id, email, "member")
    learner = users.find_by_email(email)
    if learner is None:
        return
    for invitation in team_invitations.for_invitee(learner, "member"):
        if invitation.team_id == team_id:
            team_invitations.accept(learner, invitation.id)


def seed_teams(count: int, members: list[list[str]], named: list[str], report: SeedReport) -> None:
    """Create the teams that do not exist yet, with their manager, members and targets."""
    today = utcnow().date()
    for k in range(count):
        name, description = _team_spec(k)
        if db.session.scalar(select(Team.id).where(func.lower(Team.name) == name.lower())):
            continue  # made by an earlier run, or by people: left alone
        manager = _manager(k, report)
        team = team_service.create_team(manager, name, description)
        emails = list(members[k])
        fixed = users.find_by_email(FIXED_LEARNER)
        if k == 0 and fixed is not None and fixed.active and fixed.has_any_role(Role.LEARNER):
            emails.append(fixed.email)  # without activity: sees the team's drills at home
        for email in emails:
            _join(manager, team.id, email)
        for scheme, due_in, share, chosen, note in _targets(k, named if k == AUDIT_TEAM else []):
            due = today + timedelta(days=due_in)
            team_service.add_target(manager, team.id, scheme, due, share, chosen, note)
            report.targets += 1
        report.teams += 1
