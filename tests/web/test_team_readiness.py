"""Team readiness end to end over a real database: which answers count, the dashboard,
drills that reach learners' home pages, exports, the evidence pack, CLI and API rules."""

from __future__ import annotations

import io
import json
import math
import time
from datetime import date, timedelta

import numpy as np
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.analytics import calibration
from app.analytics import drills as drill_views
from app.analytics import team_readiness as tr
from app.analytics.answers import answer_frame, grouped_answers
from app.analytics.readiness import HALF_LIFE_DAYS, readiness
from app.errors import Conflict, InvalidInput, NotFound
from app.extensions import db
from app.models import DrillAssignment, Response, Role, Scheme
from app.models.base import utcnow
from app.queries import attempts as attempt_views
from app.services import answering, teams
from tests.factories import bearer, make_team, sit_exam


@pytest.fixture
def desk(banks, make_user):
    """A team of a strong and a weak learner, each with one mock; a manager; a target."""
    manager = make_user(role=Role.MANAGER)
    ana = make_user(role=Role.LEARNER, email="ana@example.org", name="=HYPERLINK(1) Ana")
    ben = make_user(role=Role.LEARNER, email="ben@example.org", name="Ben")
    team = make_team(manager, "Service desk", [ana, ben])
    teams.add_target(manager, team.id, "foundation", date(2027, 3, 31), 0.5)
    sit_exam(ana, right=True)
    sit_exam(ben, right=False)
    return {"manager": manager, "ana": ana, "ben": ben, "team": team}


def test_only_final_answers_reach_the_model(desk):
    ana, ben, team = desk["ana"], desk["ben"], desk["team"]
    frame = answer_frame(tr.member_ids(team.id))
    assert len(frame) == 40  # ana's 40 answers; ben answered nothing and skipped items are absent
    sit_exam(ana, right=True, submit=False)  # an open mock: answers may still change
    assert len(answer_frame(tr.member_ids(team.id))) == 40
    practice = sit_exam(ben, right=True, mode="practice", submit=False, count=3)
    answering.check_practice_answer(ben, practice.id, 1)  # checked practice answers are final
    frame = answer_frame(tr.member_ids(team.id))
    assert len(frame) == 41 and set(frame["learner_id"]) == {ana.id, ben.id}
    assert {"clauses", "level", "difficulty", "score", "answered_at"} <= set(frame.columns)
    assert frame["score"].between(0, 1).all() and frame["level"].eq("foundation").all()


def test_dashboard_shows_targets_members_heatmap_and_trend(client, login_as, desk):
    login_as(user=desk["manager"])
    page = client.get(f"/manage/teams/{desk['team'].id}").get_data(as_text=True)
    assert "Service desk" in page and "of 2 ready, 1 needed" in page
    assert "Not enough evidence" in page  # ben: no answers at all
    assert "No answers yet" in page  # what is missing, rendered from its message
    assert "Clause mastery" in page and "Trend over eight weeks" in page and "<svg" in page
    assert "&lt;script" not in page and "=HYPERLINK(1) Ana" in page  # escaped, shown as typed
    table = tr.team_report(
        desk["team"].id, Scheme.query.filter_by(code="foundation").one(), utcnow()
    )
    statuses = dict(zip(table.table["name"], table.table["status"], strict=True))
    assert statuses == {"=HYPERLINK(1) Ana": "ready", "Ben": "insufficient"}
    assert table.targets[0].counts["ready"] == 1 and table.targets[0].met


def test_a_manager_sees_nobody_elses_team_or_member(client, login_as, desk, make_user):
    team = desk["team"]
    stranger = make_user(role=Role.LEARNER, email="carl@example.org")
    login_as(user=desk["manager"])
    assert client.get(f"/manage/teams/{team.id}/learners/{desk['ana'].id}").status_code == 200
    assert client.get(f"/manage/teams/{team.id}/learners/{stranger.id}").status_code == 404
    login_as(Role.MANAGER)
    for path in ("", f"/learners/{desk['ana'].id}", "/evidence", "/evidence.xlsx"):
        assert client.get(f"/manage/teams/{team.id}{path}").status_code == 404
    assert (
        client.post(
            f"/manage/teams/{team.id}/drills", data={"scheme": "foundation", "clause": "8.2"}
        ).status_code
        == 404
    )
    assert DrillAssignment.query.count() == 0


def test_an_assigned_drill_reaches_the_learner_and_counts_when_done(client, login_as, desk):
    team, ana = desk["team"], desk["ana"]
    login_as(user=desk["manager"])
    reply = client.post(
        f"/manage/teams/{team.id}/drills",
        data={"scheme": "foundation", "clause": "8.2", "questions": "5"},
    )
    assert reply.status_code == 302
    assert DrillAssignment.query.one().clause == "8.2"
    login_as(user=ana)
    home = client.get("/learn/").get_data(as_text=True)
    assert "Drills from your manager" in home and "Clause 8.2" in home and "Start drill" in home
    started = client.post(
        "/learn/attempts",
        data={
            "scheme": "foundation",
            "mode": "drill",
            "clauses": "8.2",
            "count": "5",
            "layout": "single",
        },
    )
    attempt_id = int(started.headers["Location"].rsplit("/", 1)[1])
    answering.submit_attempt(ana, attempt_id)
    assert drill_views.learner_drills(ana.id)[0].done
    done = drill_views.team_drills(team.id, [ana.id, desk["ben"].id])[0]
    assert (done.done_count, done.members) == (1, 2)
    assert "Drill again" in client.get("/learn/").get_data(as_text=True)


def test_a_manager_sees_only_their_own_teams_drills_on_a_member_page(
    client, login_as, desk, make_user
):
    team, ana = desk["team"], desk["ana"]
    other_manager = make_user(role=Role.MANAGER, name="Olga Other")
    other_team = make_team(other_manager, "Project office", [ana])
    teams.assign_drill(desk["manager"], team.id, "foundation", "8.2")
    teams.assign_drill(other_manager, other_team.id, "foundation", "8.3")

    login_as(user=desk["manager"])
    page = client.get(f"/manage/teams/{team.id}/learners/{ana.id}").get_data(as_text=True)
    drills = page.split('id="drills-h"')[1]
    assert "8.2" in drills and "Service desk" in drills
    assert "8.3" not in drills and "Project office" not in page and "Olga Other" not in page
    # The learner still sees every drill of every team she is in.
    assert {d.clause for d in drill_views.learner_drills(ana.id)} == {"8.2", "8.3"}


def test_drills_are_checked_and_withdrawn_by_managers_only(desk, make_user):
    manager, team = desk["manager"], desk["team"]
    with pytest.raises(InvalidInput):
        teams.assign_drill(manager, team.id, "foundation", "8.99")
    with pytest.raises(InvalidInput):
        teams.assign_drill(manager, team.id, "foundation", "8.2", questions=500)
    drill = teams.assign_drill(manager, team.id, "foundation", "8.2")
    with pytest.raises(Conflict):
        teams.assign_drill(manager, team.id, "foundation", "8.2")
    with pytest.raises(NotFound):
        teams.withdraw_drill(make_user(role=Role.MANAGER), drill.id)
    assert teams.withdraw_drill(manager, drill.id) == team.id
    assert DrillAssignment.query.count() == 0


def test_exports_are_neutralised_and_complete(client, login_as, desk):
    team = desk["team"]
    login_as(user=desk["manager"])
    csv = client.get(f"/manage/teams/{team.id}/export/members.csv").get_data(as_text=True)
    assert "'=HYPERLINK(1) Ana" in csv and "status" in csv.splitlines()[0]
    data = json.loads(client.get(f"/manage/teams/{team.id}/export/members.json").data)
    assert {row["name"] for row in data} == {"=HYPERLINK(1) Ana", "Ben"}  # JSON keeps values
    assert "Ben,ben@example.org,insufficient" in csv and "No answers yet" in csv
    assert {row["name"]: row["missing"] for row in data}["Ben"] == "No answers yet"
    workbook = load_workbook(
        io.BytesIO(client.get(f"/manage/teams/{team.id}/export/all.xlsx").data)
    )
    assert {"members", "targets", "heatmap", "weakest", "trend", "learner-trend", "drills"} <= set(
        workbook.sheetnames
    )
    names = [c.value for c in workbook["members"]["A"][1:]]
    assert "'=HYPERLINK(1) Ana" in names
    assert client.get(f"/manage/teams/{team.id}/export/nothing.csv").status_code == 404
    assert client.get(f"/manage/teams/{team.id}/export/members.pdf").status_code == 404


def test_evidence_pack_lists_who_passed_when_with_references(client, login_as, desk):
    team, ana = desk["team"], desk["ana"]
    login_as(user=desk["manager"])
    page = client.get(f"/manage/teams/{team.id}/evidence").get_data(as_text=True)
    attempt = attempt_views.history_rows(ana.id)[0]
    assert "clause 7.2" in page and f"CW-A{attempt.id:06d}" in page and "Demonstrated" in page
    workbook = load_workbook(io.BytesIO(client.get(f"/manage/teams/{team.id}/evidence.xlsx").data))
    assert workbook.sheetnames == ["about", "competence", "mock exams"]
    rows = list(workbook["competence"].values)
    header = rows[0]
    ana_row = dict(zip(header, next(r for r in rows if "ana@example.org" in r), strict=True))
    assert ana_row["competence"] == "demonstrated" and ana_row["first_pass_score"] == 1.0
    assert ana_row["first_pass_reference"] == f"CW-A{attempt.id:06d}"


def test_api_gives_managers_their_teams_readiness_only(client, desk, make_user):
    team = desk["team"]
    headers = bearer(desk["manager"], "hr")
    reply = client.get(f"/api/v1/teams/{team.id}/readiness", headers=headers)
    assert reply.status_code == 200
    body = reply.get_json()
    members = body["schemes"]["foundation"]["members"]
    assert {m["status"] for m in members} == {"ready", "insufficient"}
    assert {m["name"]: m["missing"] for m in members}["Ben"] == "No answers yet"
    assert body["schemes"]["foundation"]["targets"][0]["met"] is True
    other = bearer(make_user(role=Role.MANAGER), "other")
    learner = bearer(desk["ana"], "mine")
    for other_headers, status in ((other, 404), (learner, 403)):
        refused = client.get(f"/api/v1/teams/{team.id}/readiness", headers=other_headers)
        assert refused.status_code == status and "error" in refused.get_json()
    assert client.get(f"/api/v1/teams/{team.id}/readiness").status_code == 401
    bad = client.get(f"/api/v1/teams/{team.id}/readiness?scheme=nope", headers=headers)
    assert bad.status_code == 400 and "nope" in bad.get_json()["error"]["message"]


def test_cli_reports_readiness_in_three_formats(app, desk, tmp_path):
    runner = app.test_cli_runner()
    csv = runner.invoke(args=["reports", "readiness", "--team", "service desk", "--format", "csv"])
    header = csv.output.removeprefix("\ufeff").splitlines()[0]
    assert csv.exit_code == 0 and header.startswith("scheme,name,email,status")
    as_json = runner.invoke(
        args=[
            "reports",
            "readiness",
            "--team",
            str(desk["team"].id),
            "--scheme",
            "foundation",
            "--format",
            "json",
        ]
    )
    document = json.loads(as_json.output)
    assert len(document["schemes"]["foundation"]["members"]) == 2
    assert "No answers yet" in csv.output
    assert "No answers yet" in [m["missing"] for m in document["schemes"]["foundation"]["members"]]
    target = tmp_path / "r.xlsx"
    written = runner.invoke(
        args=[
            "reports",
            "readiness",
            "--team",
            "Service desk",
            "--format",
            "xlsx",
            "--output",
            str(target),
        ]
    )
    assert written.exit_code == 0 and load_workbook(target).sheetnames == ["foundation"]
    missing = runner.invoke(args=["reports", "readiness", "--team", "Nobody"])
    assert missing.exit_code == 2 and "no team" in missing.output


@pytest.mark.parametrize(("half_life", "trend"), [(30.0, 0.0), (7.0, 0.03), (math.inf, -0.02)])
def test_answers_summed_in_sql_give_the_same_readiness_as_single_answers(desk, half_life, trend):
    team, ben = desk["team"], desk["ben"]
    practice = sit_exam(ben, right=True, mode="practice", count=12)
    assert practice.status == "submitted"
    # Spread the answers over time, so that recency weights and ages differ between rows.
    for response in db.session.scalars(select(Response).where(Response.user_id == ben.id)):
        response.answered_at -= timedelta(days=10 if response.id % 2 else 3)
    db.session.commit()
    foundation = Scheme.query.filter_by(code="foundation").one()
    now = utcnow()
    single = answer_frame(tr.member_ids(team.id))
    assert single["answered_at"].nunique() > 1
    summed = grouped_answers(tr.member_ids(team.id), [foundation], now, half_life_days=half_life)
    assert summed.rows["answers"].sum() == len(single)
    settings = {"half_life_days": half_life, "trend_per_day": trend}
    # The sums are as of the end of the day (`day_end`): so is the forecast from answers.
    # (Summed rows cannot learn item difficulties: neither does the raw side here.)
    one = readiness(
        single, foundation.exam_blueprint, summed.now, item_difficulty=False, **settings
    )
    other = readiness(summed.as_of(0), foundation.exam_blueprint, summed.now, **settings)
    assert one["status"].tolist() == other["status"].tolist()
    for name in ("p_pass", "p_low", "p_high", "mastery_operation", "evidence_operation"):
        assert np.allclose(one[name], other[name], equal_nan=True, atol=1e-6), name


def test_a_small_platform_keeps_the_default_calibration_and_reuses_it(desk):
    now = utcnow()
    found = calibration.calibrations(now)
    assert set(found) == {"foundation", "practitioner", "auditor"}
    # Two learners: too few to learn from, so the defaults stand.
    assert {(c.half_life_days, c.population) for c in found.values()} == {(HALF_LIFE_DAYS, None)}
    assert calibration.calibrations(now) is found  # kept until the answers grow
    assert calibration.half_life(now) == HALF_LIFE_DAYS


def test_a_stale_calibration_still_serves_while_a_thread_learns_the_next(desk, app, monkeypatch):
    now = utcnow()
    first = calibration.calibrations(now)
    monkeypatch.setitem(app.config, "READINESS_CALIBRATE_IN_BACKGROUND", True)
    monkeypatch.setattr(calibration, "TTL_SECONDS", -1.0)  # everything kept is stale
    assert calibration.calibrations(now) is first  # served at once, not learnt again
    url = db.engine.url.render_as_string(hide_password=True)
    for _ in range(200):  # the thread replaces it when done
        kept = calibration._KEPT[url]
        if kept.fits is not first and not kept.refreshing:
            break
        time.sleep(0.05)
    assert kept.fits is not first and kept.fits == first  # the same data teach the same


def test_the_evidence_workbook_has_dates_as_dates_and_scores_as_percentages(client, login_as, desk):
    team = desk["team"]
    login_as(user=desk["manager"])
    book = load_workbook(io.BytesIO(client.get(f"/manage/teams/{team.id}/evidence.xlsx").data))
    sheet = book["mock exams"]
    header = [c.value for c in sheet[1]]
    first = dict(zip(header, sheet[2], strict=True))
    submitted = first["submitted_at (UTC)"]  # times on the reader's clocks, the zone named
    assert submitted.is_date and submitted.number_format.startswith("yyyy")
    assert first["score"].data_type == "n" and first["score"].number_format == "0.0%"
    assert sheet.freeze_panes == "A2" and all(c.font.b for c in sheet[1])
