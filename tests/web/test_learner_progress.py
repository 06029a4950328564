"""The learner's own progress page: the figures their manager sees, what evidence is
missing with a practice set that supplies it, weakest sections and clauses, the trend."""

from __future__ import annotations

from datetime import date

import pytest

from app.analytics import calibration
from app.analytics import team_readiness as tr
from app.analytics.learner_progress import learner_progress
from app.analytics.readiness import Calibration, Population
from app.models import Attempt, Role, Scheme
from app.models.base import utcnow
from app.services import teams
from app.web.probability import chance
from tests.factories import make_team, sit_exam

SCHEMES = ("foundation", "practitioner", "auditor")


@pytest.fixture
def desk(banks, make_user):
    """A team of a strong learner, a middling one and one who has not started; a target."""
    manager = make_user(role=Role.MANAGER)
    ana = make_user(role=Role.LEARNER, name="Ana")
    ben = make_user(role=Role.LEARNER, name="Ben")
    cy = make_user(role=Role.LEARNER, name="Cy")
    team = make_team(manager, "Service desk", [ana, ben, cy])
    teams.add_target(manager, team.id, "foundation", date(2027, 3, 31), 0.5)
    sit_exam(ana, right=True)
    sit_exam(ben, right=True, mode="practice", count=20)
    sit_exam(ben, right=False, seed=4)
    return {"manager": manager, "ana": ana, "ben": ben, "cy": cy, "team": team}


@pytest.fixture(params=["small platform", "calibrated"])
def platform(request, monkeypatch):
    """Either no platform population (pages learn it from their people) or one given."""
    if request.param == "calibrated":
        fits = {code: Calibration(population=Population()) for code in SCHEMES}
        monkeypatch.setattr(calibration, "calibrations", lambda now: fits)
        monkeypatch.setattr("app.analytics.team_readiness.calibrations", lambda now: fits)
        monkeypatch.setattr("app.analytics.learner_progress.calibrations", lambda now: fits)
    return request.param


def test_the_learner_sees_the_figure_their_manager_sees(app, client, login_as, desk, platform):
    foundation = Scheme.query.filter_by(code="foundation").one()
    now = utcnow()
    table = tr.team_report(desk["team"].id, foundation, now).table.set_index("name")
    for name in ("ana", "ben"):
        person = desk[name]
        mine = learner_progress(person.id, now).schemes[0]
        assert mine.scheme.code == "foundation"
        theirs = table.loc[person.display_name]
        assert mine.row["status"] == theirs["status"]
        for column in ("p_pass", "p_low", "p_high", "change"):
            assert mine.row[column] == pytest.approx(theirs[column], abs=1e-9, nan_ok=True), column
    ana = table.loc["Ana"]
    with app.test_request_context():
        shown = str(chance(ana["p_pass"], ana["p_low"], ana["p_high"]))
    login_as(user=desk["manager"])
    member = f"/manage/teams/{desk['team'].id}/learners/{desk['ana'].id}?scheme=foundation"
    assert shown in client.get(member).get_data(as_text=True)
    client.post("/logout")
    login_as(user=desk["ana"])
    page = client.get("/learn/progress").get_data(as_text=True)
    assert shown in page
    assert "Likely to pass" in page and "Foundation" in page


def test_a_learner_without_enough_evidence_is_told_what_is_missing_and_can_practise(
    client, login_as, desk
):
    login_as(user=desk["cy"])
    page = client.get("/learn/progress").get_data(as_text=True)
    assert "Not enough evidence yet" in page and "No answers yet" in page
    assert "Your team has a target for this exam." in page
    assert "Practise 10 questions" in page
    started = client.post(
        "/learn/attempts",
        data={"scheme": "foundation", "mode": "practice", "clauses": "", "count": "10"},
    )
    assert started.status_code == 302 and "/learn/attempts/" in started.headers["Location"]
    attempt = Attempt.query.filter_by(user_id=desk["cy"].id).one()
    assert attempt.mode == "practice" and len(attempt.items) == 10


def test_sections_weakest_first_and_clauses_to_practise(client, login_as, desk):
    ben = learner_progress(desk["ben"].id, utcnow()).schemes[0]
    masteries = [s.mastery for s in ben.sections]
    assert masteries == sorted(masteries) and all(s.evidence >= 0 for s in ben.sections)
    assert 1 <= len(ben.weakest) <= 5
    assert [c.mastery for c in ben.weakest] == sorted(c.mastery for c in ben.weakest)
    assert all(c.practice is None or 1 <= c.practice.count <= 10 for c in ben.weakest)
    assert len(ben.trend) == 8 and ben.trend[-1][1] == pytest.approx(ben.row["p_pass"], abs=1e-4)
    login_as(user=desk["ben"])
    page = client.get("/learn/progress").get_data(as_text=True)
    assert page.count("Practise this clause") == sum(c.practice is not None for c in ben.weakest)
    assert "Sections, weakest first" in page and "answers" in page
    assert "<svg" in page and "Show as a table" in page and "Week ending" in page
    weakest = ben.weakest[0]
    client.post(
        "/learn/attempts",
        data={
            "scheme": "foundation",
            "mode": "practice",
            "clauses": weakest.clause,
            "count": str(weakest.practice.count),
        },
    )
    started = Attempt.query.filter_by(user_id=desk["ben"].id, mode="practice").all()
    assert len(started) == 2


def test_nothing_practised_and_no_target_shows_how_to_begin(client, login_as, banks):
    login_as(Role.LEARNER)
    page = client.get("/learn/progress").get_data(as_text=True)
    assert "Nothing to show yet" in page
    home = client.get("/learn/").get_data(as_text=True)
    assert 'href="/learn/progress"' in home


def test_a_manager_without_the_learner_role_cannot_open_it(client, login_as, desk):
    login_as(user=desk["manager"])
    assert client.get("/learn/progress").status_code == 403
