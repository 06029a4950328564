"""The item-analysis page on seeded demo data: the flawed item is flagged; exports are
safe; learners see none of it."""

import csv
import io

import pytest
from openpyxl import load_workbook

from app.models import Bank, Role
from app.services.demo_seed import FLAWED_KEY, seed_demo


@pytest.fixture
def seeded(banks):
    report = seed_demo(learners=8, days=14, seed=3, mocks=0)
    assert report.attempts == 32
    return Bank.query.filter_by(code="demo-flawed").one()


def test_the_flawed_demo_item_is_flagged(client, login_as, seeded):
    login_as(Role.TRAINER)
    page = client.get(f"/train/analysis?bank={seeded.id}").get_data(as_text=True)
    assert FLAWED_KEY in page
    assert "is the key right?" in page or "attracts more high scorers" in page
    assert "<svg" in page and "cdn" not in page.lower()


def test_seeding_twice_adds_nothing(seeded):
    assert seed_demo(learners=8, days=14, seed=3, mocks=0).skipped


def test_exports_neutralise_formulas_and_carry_the_flags(client, login_as, seeded):
    login_as(Role.TRAINER)
    reply = client.get(f"/train/analysis/export.csv?bank={seeded.id}")
    rows = list(csv.DictReader(io.StringIO(reply.get_data(as_text=True))))
    flawed = next(r for r in rows if r["question"] == FLAWED_KEY)
    assert flawed["flags"] and float(flawed["Attempts"]) >= 30
    book = load_workbook(
        io.BytesIO(client.get(f"/train/analysis/export.xlsx?bank={seeded.id}").data)
    )
    cells = [c.value for row in book.active.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


def test_scheme_view_and_period_filter(client, login_as, seeded):
    login_as(Role.TRAINER)
    assert client.get("/train/analysis?scheme=foundation&period=30").status_code == 200
    assert client.get("/train/analysis?scheme=nope").status_code == 404


def test_learners_see_no_statistics(client, login_as, seeded):
    login_as(Role.LEARNER)
    assert client.get(f"/train/analysis?bank={seeded.id}").status_code == 403
    assert client.get(f"/train/analysis/export.csv?bank={seeded.id}").status_code == 403


def test_the_question_list_filters_flagged_items(client, login_as, seeded):
    login_as(Role.TRAINER)
    page = client.get(f"/train/banks/{seeded.id}?flagged=1").get_data(as_text=True)
    assert "Deliberately miskeyed demo item" in page


def test_a_flagged_item_stays_flagged_and_live_while_its_fix_waits_for_review(
    client, login_as, seeded
):
    from dataclasses import replace

    from app.analytics import item_report
    from app.analytics.questions import current_record
    from app.models import Question
    from app.queries.banks import published_pool
    from app.services import authoring

    trainer = login_as(Role.TRAINER)
    question = Question.query.filter_by(key=FLAWED_KEY).one()
    live = question.live_version_id
    record = current_record(question)
    fixed = replace(record, explanation=record.explanation + " Rewritten for review.")
    authoring.save_question(trainer, question.bank_id, fixed, question.id)
    assert question.current_version_id != live and published_pool()[1][FLAWED_KEY] == live
    assert FLAWED_KEY in item_report.flagged_keys(seeded.id)
    page = client.get(f"/train/banks/{seeded.id}?flagged=1").get_data(as_text=True)
    assert "Deliberately miskeyed demo item" in page and "v1 in exams" in page
