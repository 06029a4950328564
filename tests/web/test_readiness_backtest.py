"""The readiness backtest on a real database: which mocks are predicted from what, the page
for trainers and admins, its export, and nobody else's access."""

from __future__ import annotations

import csv
import io

import pytest

from app.analytics import backtest_report
from app.analytics.answers import answer_frame
from app.models import Role, Scheme
from app.models.base import utcnow
from tests.factories import sit_exam

PAGE = "/train/readiness/backtest"
EXPORT = "/train/readiness/backtest/predictions.csv"


@pytest.fixture
def mocks(banks, make_user):
    """Ana sits two mocks answering every item right, Ben two leaving them all blank; a
    practice set of Ana's is still open (its answers are not final)."""
    ana = make_user(role=Role.LEARNER, email="ana@example.org")
    ben = make_user(role=Role.LEARNER, email="ben@example.org")
    sat = {
        "ana": [sit_exam(ana, right=True, seed=1), sit_exam(ana, right=True, seed=2)],
        "ben": [sit_exam(ben, seed=3), sit_exam(ben, seed=4)],
    }
    sit_exam(ana, mode="practice", right=True, submit=False, count=5)
    return {"ana": ana, "ben": ben, "attempts": sat}


def test_each_mock_is_predicted_from_the_answers_before_it_only(mocks):
    foundation = Scheme.query.filter_by(code="foundation").one()
    result = backtest_report.scheme_backtest(foundation, utcnow())
    counts = result.counts
    assert (counts.mocks, counts.considered, counts.predicted, counts.insufficient) == (4, 4, 1, 3)
    table = result.predictions.set_index("attempt_id")
    first, second = (a.id for a in mocks["attempts"]["ana"])
    assert table.loc[first, "status"] == "insufficient"  # nothing before Ana's first mock
    assert table.loc[first, "answers"] == 0  # its own 40 answers do not count for it
    assert table.loc[second, "status"] == "ok" and table.loc[second, "answers"] == 40
    assert table.loc[second, "p_pass"] > 0.9 and table.loc[second, "passed"]
    assert table.loc[second, "previous_passed"]
    # Ben answered nothing: no evidence for either mock, both failed.
    for attempt in mocks["attempts"]["ben"]:
        assert table.loc[attempt.id, "status"] == "insufficient"
        assert not table.loc[attempt.id, "passed"]
    assert result.bands["mocks"].tolist() == [0] * 9 + [1]
    assert result.brier.with_previous == 1 and result.brier.previous == 0.0
    second_mock = mocks["attempts"]["ana"][1]
    before = answer_frame([mocks["ana"].id], before=second_mock.started_at)
    assert len(before) == 40 and set(before["attempt_id"]) == {first}


@pytest.mark.parametrize("role", [Role.ADMIN, Role.TRAINER])
def test_admins_and_trainers_read_the_diagram_and_download_the_predictions(
    client, login_as, mocks, role
):
    login_as(role)
    page = client.get(PAGE).get_data(as_text=True)
    assert "Reliability diagram" in page and '<svg class="cw-reliability"' in page
    assert "Brier score" in page and "How to read this" in page
    assert "Only the 5,000 most recent mock exams" in page
    assert page.count("<circle") == 1  # one band holds Ana's second mock
    home = client.get("/admin/" if role == Role.ADMIN else "/train/").get_data(as_text=True)
    assert f'href="{PAGE}"' in home

    reply = client.get(f"{EXPORT}?scheme=foundation")
    assert reply.status_code == 200 and reply.mimetype == "text/csv"
    assert "readiness-backtest-foundation.csv" in reply.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(reply.get_data().decode("utf-8-sig"))))
    assert len(rows) == 4 and {r["status"] for r in rows} == {"ok", "insufficient"}
    assert {"reference", "learner_id", "started_at", "p_pass", "passed"} <= rows[0].keys()
    assert all(r["reference"].startswith("CW-A") for r in rows)


def test_a_scheme_without_mocks_says_so(client, login_as, banks):
    login_as(Role.TRAINER)
    page = client.get(f"{PAGE}?scheme=practitioner").get_data(as_text=True)
    assert "No mock exam of this scheme could be predicted yet" in page
    assert "<svg" not in page.split("<main", 1)[1]
    assert client.get(f"{PAGE}?scheme=nope").status_code == 404
    assert client.get("/train/readiness/backtest/predictions.pdf").status_code == 404


@pytest.mark.parametrize("role", [Role.LEARNER, Role.MANAGER])
def test_learners_and_managers_may_not_see_the_backtest(client, login_as, role):
    login_as(role)
    assert client.get(PAGE).status_code == 403
    assert client.get(EXPORT).status_code == 403
