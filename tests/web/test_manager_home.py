"""The manager's home page shows readiness at a glance: per team and scheme, members ready,
on track, not ready and without enough evidence, the same counts as the team's page, with a
link to it."""

from __future__ import annotations

import re
from datetime import date

import pytest

from app.analytics import team_readiness as tr
from app.analytics import team_tables
from app.models import Role, Scheme
from app.models.base import utcnow
from app.services import teams
from tests.factories import make_team, sit_exam


def _card(page: str, team_id: int) -> str:
    """The HTML of one team's card on the home page."""
    return page.split(f'id="team-{team_id}"')[1].split("</section>")[0]


@pytest.fixture
def desk(banks, make_user):
    """A team of two learners who passed a mock, one who sat mocks without answering and
    one who sat nothing; a target on Foundation; and an empty team."""
    manager = make_user(role=Role.MANAGER)
    strong = [make_user(role=Role.LEARNER, name=f"Strong {n}") for n in (1, 2)]
    blank = make_user(role=Role.LEARNER, name="Blank")
    idle = make_user(role=Role.LEARNER, name="Idle")
    team = make_team(manager, "Service desk", [*strong, blank, idle])
    teams.add_target(manager, team.id, "foundation", date(2027, 3, 31), 0.5)
    for person in strong:
        sit_exam(person, right=True)
    sit_exam(blank, right=False)
    sit_exam(blank, "auditor", right=False)  # sat, but nobody has a forecast: not shown
    empty = make_team(manager, "New hires", [])
    return {"manager": manager, "team": team, "empty": empty}


def test_the_home_page_counts_who_is_ready_per_team_and_scheme(client, login_as, desk):
    login_as(user=desk["manager"])
    page = client.get("/manage/").get_data(as_text=True)
    card = _card(page, desk["team"].id)
    assert "ISO/IEC 20000-1 Foundation mock exam" in card and "Target set" in card
    assert re.search(r'cw-stat-sm">2</span> of 4 members ready', card)
    assert "2 ready, 0 on track, 0 not ready, 2 without enough evidence" in card
    for label, count in (("Ready", 2), ("On track", 0), ("Not ready", 0), ("evidence", 2)):
        assert f'{label} <span class="fw-semibold">{count}</span>' in card
    assert card.count('class="cw-st-') == 2  # the bar: a ready and an insufficient part
    link = f'href="/manage/teams/{desk["team"].id}?scheme=foundation"'
    assert link in card and "Who is ready, clause by clause" in card
    assert "4 members · 1 manager" in card and "Auditor" not in card
    assert "No members yet." in _card(page, desk["empty"].id)
    assert "Ready: a pass probability of 80% or more." in page


def test_the_counts_are_the_team_pages_counts(desk):
    foundation = Scheme.query.filter_by(code="foundation").one()
    [glance] = [g for g in team_tables.readiness_glance(desk["manager"], utcnow()) if g.schemes]
    report = tr.team_report(desk["team"].id, foundation, utcnow())
    statuses = report.table["status"].value_counts().to_dict()
    assert glance.schemes[0].counts == {s: statuses.get(s, 0) for s in tr.STATUSES}


def test_a_manager_sees_only_the_teams_they_manage(client, login_as, desk, make_user):
    login_as(Role.MANAGER)
    page = client.get("/manage/").get_data(as_text=True)
    assert "Service desk" not in page and "You do not manage a team yet" in page


def test_ten_teams_each_get_their_glance(client, login_as, banks, make_user):
    # How long this page takes is measured by bench/bench_manager_home.py (target < 2 s).
    manager = make_user(role=Role.MANAGER)
    for k in range(10):
        people = [make_user(role=Role.LEARNER) for _ in range(4)]
        make_team(manager, f"Team {k}", people)
        sit_exam(people[0], right=True)
        sit_exam(people[1], right=True, mode="practice", count=10)
        if k % 3 == 0:  # worked out too, though unmarked essays leave it without a forecast
            sit_exam(people[2], "auditor", right=True)
    login_as(user=manager)
    page = client.get("/manage/")
    assert page.status_code == 200 and page.get_data(as_text=True).count("cw-glance") == 10
