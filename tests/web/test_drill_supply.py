"""Drills the bank cannot fill: the manager hears so when assigning (asked against available,
nothing written, a smaller drill offered), one-click drills never ask for more than the
bank holds, and a learner whose set is drawn short is told why."""

from __future__ import annotations

import re

import pytest

from app.models import DrillAssignment, Role, Scheme
from app.queries import banks as bank_queries
from app.services import teams
from tests.factories import make_team, sit_exam


def supply() -> dict[str, int]:
    """Clause → published Foundation-level items a drill on it alone can draw."""
    foundation = Scheme.query.filter_by(code="foundation").one()
    numbers = bank_queries.clause_numbers("2018")
    return bank_queries.drill_supply(numbers, foundation.practice_levels)


def a_clause_holding(low: int, high: int) -> tuple[str, int]:
    """A clause the bundled banks hold between `low` and `high` (excluded) items on."""
    found = sorted((n, c) for c, n in supply().items() if low <= n < high)
    assert found, f"the bundled banks have no clause with {low}–{high - 1} items"
    available, clause = found[0]
    return clause, available


@pytest.fixture
def desk(banks, make_user):
    """A manager's team of one learner with a mock behind her."""
    manager = make_user(role=Role.MANAGER)
    ana = make_user(role=Role.LEARNER, email="ana@example.org", name="Ana")
    team = make_team(manager, "Service desk", [ana])
    sit_exam(ana, right=True)
    return {"manager": manager, "ana": ana, "team": team}


def _assign(client, team, clause: str, questions: int, **extra: str):
    data = {"scheme": "foundation", "clause": clause, "questions": str(questions), **extra}
    return client.post(f"/manage/teams/{team.id}/drills", data=data)


def test_a_drill_the_bank_cannot_fill_is_refused_and_a_smaller_one_offered(client, login_as, desk):
    clause, available = a_clause_holding(5, 10)
    login_as(user=desk["manager"])
    reply = _assign(client, desk["team"], clause, 10, note="Before the audit")
    page = reply.get_data(as_text=True)
    assert reply.status_code == 409
    assert DrillAssignment.query.count() == 0
    assert (
        f"You asked for 10 questions on clause {clause}, but the bank has only {available} "
        "published questions on it for ISO/IEC 20000-1 Foundation mock exam."
    ) in page
    alert = page.split('id="drill-refused"')[1].split("</div>\n</div>")[0]
    assert f"Assign a drill of {available} questions on clause {clause}" in alert
    assert f'name="questions" value="{available}"' in alert
    assert 'name="note" value="Before the audit"' in alert
    assert re.search(r'<details class="cw-noprint" id="assign-other"\s+open>', page)
    assert f'value="{clause}"' in page.split('id="assign-other"')[1]  # the form as posted

    accepted = _assign(client, desk["team"], clause, available, note="Before the audit")
    assert accepted.status_code == 302
    drill = DrillAssignment.query.one()
    assert (drill.clause, drill.questions, drill.note) == (clause, available, "Before the audit")


def test_a_clause_too_thin_for_any_drill_is_refused_without_an_offer(client, login_as, desk):
    thin, available = a_clause_holding(1, 5)
    empty, _none = a_clause_holding(0, 1)
    login_as(user=desk["manager"])
    reply = _assign(client, desk["team"], thin, 5)
    page = reply.get_data(as_text=True)
    assert reply.status_code == 409 and "Assign a drill of" not in page
    assert f"the bank has only {available} published question" in page
    assert "a drill has at least 5" in page
    reply = _assign(client, desk["team"], empty, 5)
    page = reply.get_data(as_text=True)
    assert reply.status_code == 409
    assert "but the bank has no published question on it" in page
    assert DrillAssignment.query.count() == 0


def test_the_service_refuses_alone_too_and_says_how_many_there_are(desk):
    clause, available = a_clause_holding(5, 10)
    with pytest.raises(teams.ShortBankForDrill) as refused:
        teams.assign_drill(desk["manager"], desk["team"].id, "foundation", clause, 10)
    assert (refused.value.asked, refused.value.available, refused.value.can_offer) == (
        10,
        available,
        True,
    )
    assert refused.value.status == 409 and DrillAssignment.query.count() == 0


def test_a_bad_drill_form_is_shown_again_with_what_is_wrong(client, login_as, desk):
    login_as(user=desk["manager"])
    reply = _assign(client, desk["team"], "8.2", 500)
    assert reply.status_code == 400
    assert "The drill was not assigned" in reply.get_data(as_text=True)
    duplicate = teams.assign_drill(desk["manager"], desk["team"].id, "foundation", "8.2", 5)
    reply = _assign(client, desk["team"], duplicate.clause, 5)
    assert reply.status_code == 409 and "already has a drill on clause 8.2" in reply.get_data(
        as_text=True
    )
    assert DrillAssignment.query.count() == 1


def test_a_stranger_learns_nothing_from_a_refused_drill(client, login_as, desk):
    login_as(Role.MANAGER)
    assert _assign(client, desk["team"], "8.2", 500).status_code == 404
    assert _assign(client, desk["team"], "1.1", 10).status_code == 404


def test_one_click_drills_never_ask_for_more_than_the_bank_has(client, login_as, desk, monkeypatch):
    login_as(user=desk["manager"])
    page = client.get(f"/manage/teams/{desk['team'].id}").get_data(as_text=True)
    held = supply()
    forms = re.findall(
        r'name="clause" value="([\d.]+)"><input type="hidden" name="questions" value="(\d+)"',
        page.split('id="weak-h"')[1].split("Assigned drills")[0],
    )
    assert forms, "the weakest clauses each offer a drill"
    for clause, questions in forms:
        assert int(questions) == min(10, held[clause])

    # A bank thinner than that: all it has, or no button when that is under five.
    real = bank_queries.drill_supply

    def thin(clauses, levels):
        return {c: (7 if n % 2 else 3) for n, c in enumerate(real(clauses, levels))}

    monkeypatch.setattr(bank_queries, "drill_supply", thin)
    page = client.get(f"/manage/teams/{desk['team'].id}").get_data(as_text=True)
    weakest = page.split('id="weak-h"')[1].split("Assigned drills")[0]
    assert "7 questions: all the bank has" in weakest
    assert 'name="questions" value="10"' not in weakest
    assert "Only 3 questions in the bank: too few for a drill" in weakest


def test_a_learner_whose_drill_is_drawn_short_is_told_why(client, login_as, desk):
    clause, available = a_clause_holding(5, 10)
    login_as(user=desk["ana"])
    started = client.post(
        "/learn/attempts",
        data={"scheme": "foundation", "mode": "drill", "clauses": clause, "count": "12"},
    )
    assert started.status_code == 302
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert (
        f"You asked for 12 questions, but the bank has only {available} published questions "
        f"on {clause} at this level, so this set has all {available}."
    ) in page
    assert f"/ {available} answered" in page.replace("</span>", "")

    full = client.post(
        "/learn/attempts",
        data={"scheme": "foundation", "mode": "practice", "clauses": clause, "count": "3"},
    )
    assert 'id="short-set"' not in client.get(full.headers["Location"]).get_data(as_text=True)
