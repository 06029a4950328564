"""The organization page for admins: every team and scheme from one answer query, counts
that add up (a learner in two teams counts in each and once in the organization),
filters, exports and who may open it."""

from __future__ import annotations

import io
import json
from collections import Counter

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.analytics import organization as org
from app.analytics import team_readiness as tr
from app.extensions import db
from app.models import Role, Scheme, Team
from app.models.base import utcnow
from app.queries import banks as bank_queries
from app.services import answering, attempts
from app.services.demo import ensure_demo_accounts
from app.services.demo_seed import seed_demo
from tests.factories import make_team, public_answer, sit_exam


def sit_badly(learner, seed: int) -> None:
    """A Foundation mock with every single-choice item answered wrong, then submitted."""
    attempt = attempts.start_attempt(learner, "foundation", attempts.StartOptions(seed=seed))
    records = bank_queries.version_records([item.version_id for item in attempt.items])
    for item in attempt.items:
        record = records[item.version_id]
        if record.type == "single_choice":
            wrong = next(o.id for o in record.options if not o.correct)
            answer = public_answer(attempt, item, wrong)
            answering.record_answer(learner, attempt.id, item.position, answer)
    answering.submit_attempt(learner, attempt.id)


@pytest.fixture
def desks(banks, make_user):
    """Two teams sharing one learner: Ana (strong, both teams), Ben (weak, first team),
    Cleo (no answers, second team); a third team with nobody in it."""
    manager = make_user(role=Role.MANAGER)
    ana = make_user(email="ana@example.org", name="Ana")
    ben = make_user(email="ben@example.org", name="Ben")
    cleo = make_user(email="cleo@example.org", name="=HYPERLINK(1) Cleo")
    first = make_team(manager, "Service desk", [ana, ben])
    second = make_team(manager, "=cmd|' /C calc'!A0", [ana, cleo])
    make_team(manager, "Nobody yet")
    sit_exam(ana, right=True)
    sit_exam(ana, right=True, seed=4)
    sit_badly(ben, 3)
    sit_badly(ben, 4)
    return {"first": first, "second": second, "ana": ana, "ben": ben, "cleo": cleo}


@pytest.fixture
def demo(banks):
    """The demo organization: three teams, every fifth learner in two of them."""
    ensure_demo_accounts()
    seed_demo(learners=10, teams=3, days=28, mocks=1)


def _row(report: org.OrganizationReport, team_id: int, scheme: str) -> dict:
    table = report.teams
    found = table[(table["team_id"] == team_id) & (table["scheme"] == scheme)]
    assert len(found) == 1
    return found.iloc[0].to_dict()


def test_counts_add_up_and_a_learner_in_two_teams_counts_once(desks):
    report = org.organization_report(utcnow())
    first = _row(report, desks["first"].id, "foundation")
    second = _row(report, desks["second"].id, "foundation")
    assert (first["members"], first["ready"], first["forecast"]) == (2, 1, 2)
    assert (second["members"], second["ready"], second["insufficient"]) == (2, 1, 1)
    for row in report.teams.to_dict("records"):
        assert sum(row[s] for s in tr.STATUSES) == row["members"]
        assert row["share_ready"] == pytest.approx(row["ready"] / row["members"])
    foundation = next(s for s in report.schemes if s.scheme.code == "foundation")
    assert foundation.people == 3  # Ana, in both teams, once
    assert sum(foundation.counts.values()) == 3 and foundation.counts["ready"] == 1
    assert sum(foundation.histogram) + foundation.counts["insufficient"] == 3
    assert foundation.trend["members"].eq(3).all() and len(foundation.trend) == 8
    assert foundation.trend["ready"].iloc[-1] == 1  # the last week is today's statuses
    assert report.empty_teams == 1 and "Nobody yet" not in report.teams["team"].tolist()


def test_the_team_rows_match_each_teams_own_dashboard(desks):
    now = utcnow()
    report = org.organization_report(now, "foundation")
    scheme = db.session.scalar(select(Scheme).filter_by(code="foundation"))
    for team in (desks["first"], desks["second"]):
        own = tr.team_report(team.id, scheme, now)
        row = _row(report, team.id, "foundation")
        assert {s: row[s] for s in tr.STATUSES} == {
            s: int((own.table["status"] == s).sum()) for s in tr.STATUSES
        }
        forecast = own.table["p_pass"].dropna()
        assert row["p_pass_median"] == pytest.approx(forecast.median(), abs=1e-4)


def test_worst_first_and_filters(desks):
    report = org.organization_report(utcnow(), "foundation")
    assert set(report.teams["scheme"]) == {"foundation"}
    assert [s.scheme.code for s in report.schemes] == ["foundation"]
    shares = report.teams.loc[report.teams["forecast"] > 0, "share_ready"].tolist()
    assert shares == sorted(shares)
    only = org.organization_report(utcnow(), "foundation", team_ids=[desks["first"].id])
    assert only.teams["team_id"].tolist() == [desks["first"].id]
    assert only.schemes[0].people == 2 and len(only.all_teams) == 2
    waiting = org.organization_report(utcnow(), "foundation", status="insufficient")
    assert waiting.teams["team_id"].tolist() == [desks["second"].id]
    assert waiting.schemes[0].people == 3  # the summaries are the teams', not the filter's


def test_the_demo_organization_adds_up(demo):
    now = utcnow()
    report = org.organization_report(now)
    links = org.memberships()
    assert links["learner_id"].duplicated().any()  # some learners are in two teams
    people = links["learner_id"].nunique()
    for summary in report.schemes:
        assert summary.people == people and sum(summary.counts.values()) == people
        assert sum(summary.histogram) == people - summary.counts["insufficient"]
        rows = report.teams[report.teams["scheme"] == summary.scheme.code]
        assert rows["members"].sum() == len(links)  # each team counts its own members
    # Each team's own dashboard gives the same statuses; the organization counts each once.
    foundation = db.session.scalar(select(Scheme).filter_by(code="foundation"))
    status_of = {}
    for team in db.session.scalars(select(Team)):
        table = tr.team_report(team.id, foundation, now).table
        status_of |= dict(zip(table["learner_id"], table["status"], strict=True))
        row = _row(report, team.id, "foundation")
        assert {s: row[s] for s in tr.STATUSES} == dict(
            Counter(table["status"]) | dict.fromkeys(set(tr.STATUSES) - set(table["status"]), 0)
        )
    summary = next(s for s in report.schemes if s.scheme.code == "foundation")
    assert summary.counts == {s: list(status_of.values()).count(s) for s in tr.STATUSES}


def test_the_organization_query_runs_once(desks, monkeypatch):
    calls = []
    real = tr.grouped_answers
    monkeypatch.setattr(tr, "grouped_answers", lambda *a, **k: calls.append(1) or real(*a, **k))
    org.organization_report(utcnow())
    assert len(calls) == 1


def test_an_admin_sees_the_page_and_others_are_refused(client, login_as, desks):
    assert client.get("/admin/organization").status_code == 302
    for role in (Role.MANAGER, Role.TRAINER, Role.LEARNER):
        login_as(role)
        assert client.get("/admin/organization").status_code == 403
        assert client.get("/admin/organization/teams.csv").status_code == 403
    login_as(Role.ADMIN)
    page = client.get("/admin/organization").get_data(as_text=True)
    assert "Service desk" in page and "<svg" in page and "Nobody yet" not in page
    assert "100%" not in page and "&gt; 99%" in page  # Ana's median, through |chance
    assert f"/manage/teams/{desks['first'].id}?scheme=foundation" in page
    filtered = client.get(
        f"/admin/organization?scheme=foundation&team={desks['second'].id}&status=insufficient"
    ).get_data(as_text=True)
    assert "Service desk" not in filtered.split("<table")[-1]
    assert client.get("/admin/organization?scheme=nope").status_code == 404
    assert client.get("/admin/organization?team=x").status_code == 400


def test_exports_hold_the_tables_with_formulas_neutralised(client, login_as, desks):
    login_as(Role.ADMIN)
    csv = client.get("/admin/organization/teams.csv?scheme=foundation").get_data(as_text=True)
    assert csv.startswith("\ufeff")  # Excel reads UTF-8 (Chinese names intact)
    csv = csv.removeprefix("\ufeff")
    assert csv.splitlines()[0].startswith("team_id,team,scheme")
    assert "'=cmd" in csv and "\n" in csv and len(csv.splitlines()) == 3
    book = load_workbook(io.BytesIO(client.get("/admin/organization/all.xlsx").data))
    assert book.sheetnames == ["teams", "histogram"]
    texts = [c.value for row in book["teams"].iter_rows() for c in row]
    assert "'=cmd|' /C calc'!A0" in texts
    data = json.loads(client.get("/admin/organization/all.json?scheme=foundation").data)
    assert {r["team"] for r in data["teams"]} == {"Service desk", "=cmd|' /C calc'!A0"}
    bins = [r for r in data["histogram"] if r["forecast"]]
    assert len(bins) == 10 and sum(r["learners"] for r in data["histogram"]) == 3
    assert client.get("/admin/organization/all.csv").status_code == 404
    assert client.get("/admin/organization/other.json").status_code == 404
