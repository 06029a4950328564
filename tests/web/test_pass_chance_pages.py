"""Every page that shows a pass probability shows it without false precision: a learner
who got everything right reads "> 99%", never "100% (100–100%)", and a range carries its
meaning in a hover and a footnote."""

from __future__ import annotations

from datetime import date

import pytest

from app.models import Role
from app.queries import banks as bank_queries
from app.services import answering, attempts, teams
from tests.factories import make_team, public_answer, sit_exam


def sit_exam_wrong(learner) -> None:
    """A Foundation mock with every single-choice and true/false item answered wrong."""
    attempt = attempts.start_attempt(learner, "foundation", attempts.StartOptions(seed=5))
    records = bank_queries.version_records([item.version_id for item in attempt.items])
    for item in attempt.items:
        record = records[item.version_id]
        if record.type == "single_choice":
            wrong = next(o.id for o in record.options if not o.correct)
        elif record.type == "true_false":
            wrong = not record.answer
        else:
            continue
        value = public_answer(attempt, item, wrong)
        answering.record_answer(learner, attempt.id, item.position, value)
    answering.submit_attempt(learner, attempt.id)


@pytest.fixture
def desk(banks, make_user):
    """A manager's team: Ana got every answer of two mocks right, Ben every answer wrong."""
    manager = make_user(role=Role.MANAGER)
    ana = make_user(role=Role.LEARNER, email="ana@example.org", name="Ana")
    ben = make_user(role=Role.LEARNER, email="ben@example.org", name="Ben")
    team = make_team(manager, "Service desk", [ana, ben])
    teams.add_target(manager, team.id, "foundation", date(2027, 3, 31), 0.5)
    for _ in range(2):
        sit_exam(ana, right=True)
        sit_exam_wrong(ben)
    return {"manager": manager, "ana": ana, "ben": ben, "team": team}


def test_the_dashboard_says_more_than_99_and_less_than_1(client, login_as, desk):
    login_as(user=desk["manager"])
    page = client.get(f"/manage/teams/{desk['team'].id}").get_data(as_text=True)
    members = page.split('id="members-h"')[1].split("</table>")[0]
    assert "&gt; 99%" in members and "&lt; 1%" in members
    assert ">100%<" not in members and ">0%<" not in members
    assert "10th to 90th percentile" in page  # the footnote


def test_the_learner_page_and_evidence_pack_use_the_same_words(client, login_as, desk):
    login_as(user=desk["manager"])
    team, ana = desk["team"], desk["ana"]
    page = client.get(f"/manage/teams/{team.id}/learners/{ana.id}").get_data(as_text=True)
    cards = page.split('id="schemes-h"')[1].split("</section>")[0]
    assert "&gt; 99%" in cards and "10th to 90th percentile" in cards
    evidence = client.get(f"/manage/teams/{team.id}/evidence").get_data(as_text=True)
    readiness = evidence.split("Mock exams</h2>")[0]
    assert "&gt; 99%" in readiness and "&lt; 1%" in readiness
