"""Plain helpers that create rows through the real services."""

from __future__ import annotations

import itertools

from app.models import User
from app.security import Role
from app.services import users

PASSWORD = "correct-horse-battery-42"
_counter = itertools.count(1)


def make_user(
    role: str | Role | set[Role] = Role.LEARNER,
    email: str | None = None,
    name: str | None = None,
    password: str = PASSWORD,
) -> User:
    """Create an active account with the given role(s) and the shared test password."""
    roles = {Role(r) for r in role} if isinstance(role, set) else {Role(role)}
    n = next(_counter)
    email = email or f"user{n}@example.org"
    return users.create_user(None, email, name or f"Test User {n}", password, roles)


def join_team(manager: User, team_id: int, person: User, role: str = "member") -> None:
    """Bring `person` into a team as people join: the manager invites, the person accepts."""
    from app.services import team_invitations, team_membership

    team_membership.add_person(manager, team_id, person.email, role)
    for invitation in team_invitations.for_invitee(person, role):
        if invitation.team_id == team_id:
            team_invitations.accept(person, invitation.id)
