"""Plain helpers that create rows through the real services."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from app.domain import question_types
from app.extensions import db
from app.models import SYSTEM, Attempt, AttemptItem, Role, Team, User
from app.models.base import utcnow
from app.queries import banks as bank_queries
from app.services import answering, attempts, tokens, users

PASSWORD = "correct-horse-battery-42"
ESSAY_ANSWER = (
    "Requirement: clause 8.5.1.3.\nEvidence: 6 of 25 changes.\nFinding: no back-out plan."
)
_counter = itertools.count(1)


def make_user(
    role: str | Role | set[Role] = Role.LEARNER,
    email: str | None = None,
    name: str | None = None,
    password: str | None = PASSWORD,
) -> User:
    """Create an active account with the given role(s) and the shared test password
    (password=None: an account nobody signs in to with a password yet)."""
    roles = {Role(r) for r in role} if isinstance(role, set) else {Role(role)}
    n = next(_counter)
    email = email or f"user{n}@example.org"
    return users.create_user(SYSTEM, email, name or f"Test User {n}", password, roles)


def in_daytime(user: User) -> User:
    """Give `user` a time zone whose clocks now read between 03:00 and 21:00.

    Reviews fall due by the learner's calendar day, and a missed item comes back ten
    minutes later: answered just before midnight it would be due tomorrow. Tests that
    expect "due today" use this so that they hold at any hour of the day they run.
    """
    hour = utcnow().hour
    user.time_zone = "UTC" if 3 <= hour < 21 else "Asia/Shanghai"  # 05:00–11:00 there
    db.session.commit()
    return user


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


def answer_items(learner: User, attempt: Attempt, *, right: bool, essay: str | None) -> None:
    """Answer an open attempt as `learner`: essays with `essay` (when given), the other
    items with their key (`right=True`) or not at all (a wrong answer earns the same)."""
    records = bank_queries.version_records([item.version_id for item in attempt.items])
    for item in attempt.items:
        record = records[item.version_id]
        if record.type == "essay":
            if essay is not None:
                answering.record_answer(learner, attempt.id, item.position, essay)
        elif right:
            key = question_types.get(record.type).correct_response(record)
            answering.record_answer(
                learner, attempt.id, item.position, public_answer(attempt, item, key)
            )


def sit_exam(
    learner: User,
    scheme: str = "foundation",
    *,
    right: bool = False,
    essay: str | None = None,
    mode: str = "mock",
    seed: int | None = 3,
    submit: bool = True,
    **options: object,
) -> Attempt:
    """Start an attempt (a Foundation mock unless told otherwise; more StartOptions as
    keywords), answer it with `answer_items` and submit it unless `submit=False`. Needs
    the `banks` fixture; returns the attempt freshly read."""
    start = attempts.StartOptions(mode=mode, seed=seed, **options)
    attempt = attempts.start_attempt(learner, scheme, start)
    answer_items(learner, attempt, right=right, essay=essay)
    if submit:
        answering.submit_attempt(learner, attempt.id)
    db.session.expire_all()
    return db.session.get(Attempt, attempt.id)


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
    unless `submit=False`."""
    attempt = sit_exam(
        learner,
        "auditor",
        right=right,
        essay=essay,
        mode=mode,
        seed=seed,
        submit=submit,
        clauses=list(clauses),
        count=count,
    )
    assert any(item.version.type == "essay" for item in attempt.items), "no essay drawn"
    return attempt


def make_team(manager: User, name: str = "Service desk", members: Sequence[User] = ()) -> Team:
    """A team `manager` created, each of `members` invited and accepted (`join_team`)."""
    from app.services import teams

    team = teams.create_team(manager, name)
    for person in members:
        join_team(manager, team.id, person)
    return team


def bearer(user: User, name: str = "tests") -> dict[str, str]:
    """Request headers carrying a new API token of `user`."""
    _token, plain = tokens.create_token(user, name)
    return {"Authorization": f"Bearer {plain}"}
