"""The demo organization: teams with their managers, members and targets, made once, and
activity varied enough that a manager's dashboard shows every readiness status."""

from collections import Counter
from datetime import datetime, timedelta
from itertools import pairwise

import pandas as pd
import pytest
from sqlalchemy import func, select

from app.analytics import team_readiness, team_tables
from app.analytics.answers import grouped_answers
from app.extensions import db
from app.models import (
    Attempt,
    Role,
    Scheme,
    Team,
    TeamMembership,
    TeamTarget,
    TeamTargetMember,
    User,
)
from app.models.base import utcnow
from app.services import users
from app.services.demo import ensure_demo_accounts
from app.services.demo_seed import seed_demo

MEI = "manager@clausewise.test"
LENA = "learner@clausewise.test"


@pytest.fixture
def seed(banks):
    """Seed the demo after `flask setup`'s demo accounts exist; returns the report."""
    ensure_demo_accounts()

    def run(**options):
        return seed_demo(**{"learners": 6, "teams": 3, "mocks": 0, **options})

    return run


def _people(team: Team, role: str) -> list[str]:
    """E-mails of a team's members or managers."""
    stmt = (
        select(User.email)
        .join(TeamMembership, TeamMembership.user_id == User.id)
        .where(TeamMembership.team_id == team.id, TeamMembership.role == role)
    )
    return sorted(db.session.scalars(stmt))


def _teams() -> list[Team]:
    return list(db.session.scalars(select(Team).order_by(Team.id)))


def test_mei_manages_the_first_two_teams_and_every_other_team_has_its_own_manager(seed):
    report = seed()
    assert (report.teams, report.managers, report.fixed_manager_teams) == (3, 1, 2)
    desk, change, audit = _teams()
    assert [desk.name, change.name, audit.name] == [
        "Service desk",
        "Change and release",
        "Internal audit",
    ]
    assert all(team.description for team in (desk, change, audit))
    mei = users.find_by_email(MEI)
    managed = db.session.scalars(
        select(TeamMembership.team_id).where(
            TeamMembership.user_id == mei.id, TeamMembership.role == "manager"
        )
    )
    assert sorted(managed) == [desk.id, change.id]
    assert _people(audit, "manager") == ["demo-manager-003@clausewise.example"]
    assert users.find_by_email("demo-manager-003@clausewise.example").has_any_role(Role.MANAGER)


def test_learners_are_spread_over_the_teams_and_lena_joins_the_first(seed):
    seed()
    desk, change, audit = members = [_people(team, "member") for team in _teams()]
    assert LENA in desk and LENA not in change + audit
    demo_learners = {f"demo-learner-{n:03d}@clausewise.example" for n in range(1, 7)}
    assert set(desk + change + audit) == demo_learners | {LENA}
    assert all(len(team) >= 2 for team in members)
    twice = [email for email, n in Counter(desk + change + audit).items() if n == 2]
    assert twice, "a few learners belong to two teams"
    lena = users.find_by_email(LENA)
    assert db.session.scalar(select(func.count()).where(Attempt.user_id == lena.id)) == 0


def test_each_team_has_readiness_targets(seed):
    seed()
    desk, change, audit = _teams()
    today = utcnow().date()

    def targets(team: Team) -> list[tuple[str, float, int, int]]:
        stmt = (
            select(TeamTarget, Scheme.code)
            .join(Scheme, Scheme.id == TeamTarget.scheme_id)
            .where(TeamTarget.team_id == team.id)
            .order_by(TeamTarget.due_at)
        )
        return [  # the demo's managers work in UTC: a target is due at 23:59 UTC of its day
            (code, t.required_share, (t.due_at.date() - today).days, len(t.named_members))
            for t, code in db.session.execute(stmt)
        ]

    assert targets(desk) == [("foundation", 0.9, 120, 0)]
    assert targets(change) == [("foundation", 0.8, 60, 0)]
    assert targets(audit) == [("foundation", 1.0, 90, 0), ("auditor", 1.0, 180, 2)]
    named = db.session.scalars(
        select(User.email)
        .join(TeamTargetMember, TeamTargetMember.user_id == User.id)
        .join(TeamTarget, TeamTarget.id == TeamTargetMember.target_id)
        .where(TeamTarget.team_id == audit.id)
    )
    assert set(named) <= set(_people(audit, "member"))


def test_a_second_run_adds_nothing(seed):
    seed()

    def counts() -> tuple[int, ...]:
        models = (User, Team, TeamMembership, TeamTarget, Attempt)
        return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in models)

    before = counts()
    assert seed().skipped
    assert counts() == before


def test_the_demo_shows_every_readiness_status_and_both_trends(seed):
    seed(learners=10, mocks=1)
    foundation = db.session.scalars(select(Scheme).where(Scheme.code == "foundation")).one()
    now = utcnow()
    tables = []
    for team in _teams():
        ids = team_readiness.member_ids(team.id)
        answers = grouped_answers(ids, [foundation], now)
        people = team_readiness.members(team.id)
        activity = team_readiness.activity(ids)
        tables.append(team_readiness.scheme_table(people, answers, foundation, activity))
    table = pd.concat(tables, ignore_index=True)
    statuses = set(table["status"])
    assert {"ready", "insufficient"} <= statuses and statuses & {"not_ready", "on_track"}
    # Not only Lena, who has no answers: a newcomer with a handful is short of evidence too.
    short = table[(table["status"] == "insufficient") & (table["answers"] > 0)]
    assert len(short) >= 1 and (short["answers"] < 10).all()
    assert "up" in set(table["trend"])
    last = table.dropna(subset=["last_activity"])["last_activity"]
    assert (last < now - timedelta(days=14)).any(), "some learners stopped weeks ago"
    assert (last > now - timedelta(days=4)).any(), "others practise this week"


def test_seeded_sittings_take_realistic_time_and_the_evidence_pack_shows_it(seed):
    seed(learners=4, teams=1, mocks=1)
    foundation = db.session.scalars(select(Scheme).where(Scheme.code == "foundation")).one()
    sittings = db.session.scalars(select(Attempt).order_by(Attempt.user_id, Attempt.started_at))
    mocks = 0
    ends: dict[int, list[tuple[datetime, datetime]]] = {}
    for attempt in sittings:
        taken = (attempt.submitted_at - attempt.started_at).total_seconds() / 60
        if attempt.mode == "mock":
            mocks += 1
            limit = (attempt.deadline_at - attempt.started_at).total_seconds() / 60
            assert limit == attempt.scheme.duration_minutes
            assert 0.5 * limit <= taken <= limit, (attempt.id, taken)
        else:
            assert 0.6 * len(attempt.items) <= taken <= 2 * len(attempt.items) + 3
        answered = [item.response.answered_at for item in attempt.items if item.response]
        assert answered == sorted(answered), "answers come in the order of the questions"
        assert all(attempt.started_at < at < attempt.submitted_at for at in answered)
        ends.setdefault(attempt.user_id, []).append((attempt.started_at, attempt.submitted_at))
    assert mocks >= 2
    for spans in ends.values():  # one learner never sits two attempts at once
        assert all(end <= start for (_s, end), (start, _e) in pairwise(spans))

    team = _teams()[0]
    tables = team_tables.evidence_tables(team.id, utcnow())
    minutes = tables["mock exams"]["minutes"]
    assert len(minutes) >= 1 and (minutes >= 0.5 * foundation.duration_minutes).all()
