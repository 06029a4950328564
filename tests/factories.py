"""Plain helpers that create rows through the real services."""

from __future__ import annotations

import itertools

from app.domain import question_types
from app.models import Attempt, AttemptItem, User
from app.queries import banks as bank_queries
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


def public_answer(attempt: Attempt, item: AttemptItem, value: object) -> object:
    """An answer written in a question's real ids, as a learner sends it: in the public
    ids the attempt shows (see app/domain/answer_ids.py)."""
    record = bank_queries.record_for_version(item.version_id, item.version.content_hash)
    ids = question_types.answer_ids(attempt.answer_secret, item.position, record)
    return question_types.get(record.type).public_response(record, value, ids)


def join_team(manager: User, team_id: int, person: User, role: str = "member") -> None:
    """Bring `person` into a team as people join: the manager invites, the person accepts."""
    from app.services import team_invitations, team_membership

    team_membership.add_person(manager, team_id, person.email, role)
    for invitation in team_invitations.for_invitee(person, role):
        if invitation.team_id == team_id:
            team_invitations.accept(person, invitation.id)
