"""Plain helpers that create rows through the real services."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from app.analytics import banks as bank_queries
from app.domain import question_types
from app.extensions import db
from app.models import Attempt, AttemptItem, User
from app.security import Role
from app.services import answering, attempts, users

PASSWORD = "correct-horse-battery-42"
ESSAY_ANSWER = (
    "Requirement: clause 8.5.1.3.\nEvidence: 6 of 25 changes.\nFinding: no back-out plan."
)
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


def sit_auditor_exam(
    learner: User,
    *,
    essay: str = ESSAY_ANSWER,
    mode: str = "mock",
    clauses: Sequence[str] = (),
    count: int = 20,
    seed: int | None = 5,
    right: bool = False,
    submit: bool = True,
) -> Attempt:
    """An auditor attempt (a mock unless `mode` says otherwise) with every essay written
    as `essay`; the other items answered right (`right=True`) or left blank; submitted
    unless `submit=False`. Needs the `banks` fixture; returns the attempt freshly read."""
    options = attempts.StartOptions(mode=mode, clauses=list(clauses), count=count, seed=seed)
    attempt = attempts.start_attempt(learner, "auditor", options)
    records = bank_queries.version_records([item.version_id for item in attempt.items])
    essays = [i for i in attempt.items if records[i.version_id].type == "essay"]
    assert essays, "the attempt has essay items"
    for item in attempt.items:
        record = records[item.version_id]
        if record.type == "essay":
            answering.record_answer(learner, attempt.id, item.position, essay)
        elif right:
            key = question_types.get(record.type).correct_response(record)
            answering.record_answer(
                learner, attempt.id, item.position, public_answer(attempt, item, key)
            )
    if submit:
        answering.submit_attempt(learner, attempt.id)
    db.session.expire_all()
    return db.session.get(Attempt, attempt.id)
