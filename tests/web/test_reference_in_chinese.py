"""A reader whose language is Chinese sees clause, scheme and section titles in Chinese,
on pages and in exports; a reader of English sees what they saw before."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import flask_babel
import pytest
from flask import current_app
from openpyxl import load_workbook
from sqlalchemy import select

from app.analytics import item_report
from app.extensions import db
from app.models import Bank, Role, User
from app.queries import banks as bank_queries
from app.services import teams
from tests.factories import make_team, sit_exam

FOUNDATION = ("ISO/IEC 20000-1 Foundation mock exam", "ISO/IEC 20000-1 基础级模拟考试")
DISCLAIMER = (
    "Modelled on publicly described formats",
    "参照公开描述的考试形式编制，并非官方考试。",
)
OPERATION = ("Operation of the SMS", "服务管理体系的运行")


def reads_chinese(client, user: User) -> None:
    """From now on `user` reads Chinese: their profile's language and their browser's.

    The test's requests share the app context of the `app` fixture, where Flask-Babel
    keeps the locale it chose first: it is forgotten here so that the next request
    chooses again."""
    user.language = next(c for c in current_app.config["LANGUAGES"] if c.startswith("zh"))
    db.session.commit()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN,zh;q=0.9"
    flask_babel.refresh()


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_the_learner_home_names_each_scheme_in_the_readers_language(client, login_as, banks):
    learner = login_as(Role.LEARNER)
    english = page(client, "/learn/")
    assert FOUNDATION[0] in english and DISCLAIMER[0] in english
    assert "基础级" not in english and "模拟考试" not in english
    reads_chinese(client, learner)
    chinese = page(client, "/learn/")
    for title in (
        FOUNDATION[1],
        "ISO/IEC 20000-1 从业者级模拟考试",
        "ISO/IEC 20000-1 审核员级模拟考试",
    ):
        assert title in chinese
    assert DISCLAIMER[1] in chinese
    assert FOUNDATION[0] not in chinese and DISCLAIMER[0] not in chinese


def test_a_result_page_gives_sections_and_clauses_in_the_readers_language(client, login_as, banks):
    learner = login_as(Role.LEARNER)
    attempt = sit_exam(learner, right=False)
    url = f"/learn/attempts/{attempt.id}/result"
    english = page(client, url)
    assert FOUNDATION[0] in english and OPERATION[0] in english
    reads_chinese(client, learner)
    chinese = page(client, url)
    assert FOUNDATION[1] in chinese  # the attempt's name
    assert OPERATION[1] in chinese and "系列标准、术语和认证" in chinese
    assert OPERATION[0] not in chinese and FOUNDATION[0] not in chinese
    titles = bank_queries.clause_titles("2018", "zh-Hans")
    english_titles = bank_queries.clause_titles("2018", "en")
    clauses = list(attempt.result["clauses"])
    assert clauses and all(titles[c] in chinese for c in clauses)
    assert not [
        c
        for c in clauses
        if f'{c} <span class="text-body-secondary">{english_titles[c]}<' in chinese
    ]


def test_a_closed_review_pools_clauses_under_sections_in_the_readers_language(
    client, login_as, banks
):
    learner = login_as(Role.LEARNER)
    attempt = sit_exam(learner, "practitioner", right=True)
    reads_chinese(client, learner)
    chinese = page(client, f"/learn/attempts/{attempt.id}/result")
    assert "组织环境、领导作用和策划" in chinese and "绩效评价和改进" in chinese
    assert "Context, leadership and planning" not in chinese


@pytest.fixture
def team_desk(banks, make_user):
    """A manager, a team of one learner who passed a Foundation mock, a target, a drill."""
    manager = make_user(role=Role.MANAGER)
    ana = make_user(role=Role.LEARNER, email="ana@example.org", name="Ana")
    team = make_team(manager, "Service desk", [ana])
    teams.add_target(manager, team.id, "foundation", date(2027, 3, 31), 0.5)
    sit_exam(ana, right=True)
    teams.assign_drill(manager, team.id, "foundation", "8.5.1", 5)
    return {"manager": manager, "ana": ana, "team": team}


def test_a_manager_exports_titles_in_their_own_language(client, login_as, team_desk):
    team = team_desk["team"]
    manager = login_as(user=team_desk["manager"])
    base = f"/manage/teams/{team.id}"
    english = client.get(f"{base}/export/drills.csv").get_data(as_text=True)
    drill = next(csv.DictReader(io.StringIO(english.lstrip("\ufeff"))))
    assert (drill["title"], drill["scheme"]) == ("Change management", FOUNDATION[0])
    reads_chinese(client, manager)
    chinese = client.get(f"{base}/export/drills.csv").get_data(as_text=True)
    drill = next(csv.DictReader(io.StringIO(chinese.lstrip("\ufeff"))))
    assert (drill["title"], drill["scheme"]) == ("变更管理", FOUNDATION[1])
    targets = json.loads(client.get(f"{base}/export/targets.json").data)
    assert [t["scheme_title"] for t in targets] == [FOUNDATION[1]]
    book = load_workbook(io.BytesIO(client.get(f"{base}/evidence.xlsx").data))
    competence = list(book["competence"].values)
    scheme = competence[0].index("scheme")
    assert [row[scheme] for row in competence[1:]] == [FOUNDATION[1]]
    mocks = list(book["mock exams"].values)
    assert [row[mocks[0].index("scheme_title")] for row in mocks[1:]] == [FOUNDATION[1]]


def test_a_manager_reads_the_dashboard_and_evidence_pack_in_their_language(
    client, login_as, team_desk
):
    team = team_desk["team"]
    manager = login_as(user=team_desk["manager"])
    base = f"/manage/teams/{team.id}"
    assert FOUNDATION[0] in page(client, f"{base}/evidence")
    reads_chinese(client, manager)
    dashboard = page(client, base)
    assert FOUNDATION[1] in dashboard and "变更管理" in dashboard
    assert FOUNDATION[0] not in dashboard and "Change management" not in dashboard
    evidence = page(client, f"{base}/evidence")
    assert FOUNDATION[1] in evidence and FOUNDATION[0] not in evidence
    learner = page(client, f"{base}/learners/{team_desk['ana'].id}")
    assert FOUNDATION[1] in learner and OPERATION[1] in learner and OPERATION[0] not in learner
    assert FOUNDATION[1] in page(client, "/manage/")
    assert FOUNDATION[1] in page(client, f"{base}/people")


def test_the_item_analysis_kept_per_process_serves_each_reader_their_language(
    client, login_as, banks, make_user
):
    sit_exam(make_user(role=Role.LEARNER), right=True)
    trainer = login_as(Role.TRAINER)
    item_report._CACHE.clear()
    english = page(client, "/train/analysis?scheme=foundation")
    assert FOUNDATION[0] in english
    reads_chinese(client, trainer)
    chinese = page(client, "/train/analysis?scheme=foundation")  # the same kept report
    assert len(item_report._CACHE) == 1
    assert FOUNDATION[1] in chinese and FOUNDATION[0] not in chinese


def test_a_trainer_reads_blueprint_coverage_in_their_language(client, login_as, banks):
    trainer = login_as(Role.TRAINER)
    bank = db.session.scalars(select(Bank).where(Bank.code == "foundation")).one()
    reads_chinese(client, trainer)
    coverage = page(client, f"/train/banks/{bank.id}/coverage?pool=all")
    assert FOUNDATION[1] in coverage and OPERATION[1] in coverage
    assert "服务设计、构建和转换" in coverage and "组织环境" in coverage
    assert OPERATION[0] not in coverage and "Context of the organization" not in coverage
    editor = page(client, f"/train/banks/{bank.id}/questions/new?type=single_choice")
    assert "变更管理" in editor and "Change management" not in editor
