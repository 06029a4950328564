"""The item-analysis page on seeded demo data: the flawed item is flagged; exports are
safe; learners see none of it."""

import csv
import io
import math
import re

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
    rows = list(csv.DictReader(io.StringIO(reply.get_data().decode("utf-8-sig"))))
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


@pytest.fixture
def mixed(banks):
    """Mock exams (40 items) and practice sets of several lengths on the Foundation bank."""
    seed_demo(learners=10, days=14, seed=5, mocks=2)
    return Bank.query.filter_by(code="foundation").one()


def _text(html: str) -> str:
    """The page's words, markup dropped."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_page_leads_with_a_summary_and_the_flagged_items(client, login_as, mixed):
    from app.analytics.item_report import Scope, item_report

    login_as(Role.TRAINER)
    page = client.get(f"/train/analysis?bank={mixed.id}").get_data(as_text=True)
    report = item_report(Scope(bank_id=mixed.id))
    summary = _text(page[page.index('id="a-summary"') : page.index('id="a-flagged-items"')])
    counts = (len(report.rows), len(report.flagged), len(report.too_few))
    expected = "Items analysed {} Flagged items {} Too few attempts to judge {}".format(*counts)
    assert expected in summary
    assert "Reliability per form" in summary and "Mock exam" in summary
    # every flagged item comes before every item without flags, which the page also shows
    assert report.flagged and report.judged
    last_flagged = max(page.index(f">{row.key}</a>") for row in report.flagged)
    first_judged = min(page.index(f">{row.key}</a>") for row in report.judged)
    assert page.index('id="a-flagged-items"') < last_flagged < first_judged


def test_rows_with_too_few_attempts_are_folded_into_one_group(client, login_as, mixed):
    from app.analytics.item_report import Scope, item_report

    login_as(Role.TRAINER)
    bank = mixed
    page = client.get(f"/train/analysis?bank={bank.id}").get_data(as_text=True)
    report = item_report(Scope(bank_id=bank.id))
    assert report.too_few and len(report.too_few) < len(report.rows)
    folded = page[page.index('<details class="card mb-3 cw-too-few">') :]
    assert f"{len(report.too_few)} items with too few attempts to judge" in _text(folded)
    # every such item is inside the folded group, and only there
    for row in report.too_few:
        assert page.count(f">{row.key}</a>") == 1 and f">{row.key}</a>" in folded
    assert not any(f">{row.key}</a>" in folded for row in report.judged + report.flagged)


def test_practice_sets_of_mixed_length_get_no_alpha_and_none_passes_1(client, login_as, mixed):
    from app.analytics.item_report import Scope, item_report

    bank = mixed
    report = item_report(Scope(bank_id=bank.id))
    assert math.isnan(report.test.alpha)  # the attempts differ in length
    for form in report.forms:
        assert form.attempts > 0 and form.shortest <= form.longest
        alpha = form.figures["alpha"]
        assert math.isnan(alpha) or alpha <= 1
        if form.shortest != form.longest:
            assert form.note is not None and math.isnan(alpha)
    login_as(Role.TRAINER)
    page = _text(client.get(f"/train/analysis?bank={bank.id}").get_data(as_text=True))
    assert "no alpha: the sets differ in length" in page


def test_a_schemes_mock_exams_are_one_form_with_their_count_and_length(client, login_as, mixed):
    from app.analytics.item_report import Scope, item_report
    from app.models import Scheme

    scheme = Scheme.query.filter_by(code="foundation").one()
    report = item_report(Scope(scheme_id=scheme.id))
    [form] = report.forms
    assert form.mode == "mock" and form.shortest == form.longest == scheme.item_count
    assert form.attempts == report.test.attempts >= 10
    assert 0 < form.figures["alpha"] <= 1 and form.note is None
    login_as(Role.TRAINER)
    page = _text(client.get("/train/analysis?scheme=foundation").get_data(as_text=True))
    alpha, sem = form.figures["alpha"], form.figures["sem"]
    row = f"Mock exam {scheme.title} {alpha:.2f} {sem:.1f} {form.attempts} {scheme.item_count} "
    assert row in page


def test_the_distractor_table_shows_the_option_texts(client, login_as, seeded):
    login_as(Role.TRAINER)
    page = client.get(f"/train/analysis?bank={seeded.id}").get_data(as_text=True)
    options = _text(page[page.index("<summary>Options</summary>") :].split("</details>")[0])
    assert "a 8.2.4 Service catalogue management" in options
    assert "b ✓ (the key) 8.2.5 Asset management" in options


def test_the_xlsx_export_reads_back_with_numbers_and_a_frozen_header(client, login_as, seeded):
    login_as(Role.TRAINER)
    data = client.get(f"/train/analysis/export.xlsx?bank={seeded.id}").data
    sheet = load_workbook(io.BytesIO(data))["Items"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["question", "version", "type", "title"] and header[-1] == "flags"
    assert sheet.freeze_panes == "A2" and all(c.font.b for c in sheet[1])
    row = dict(zip(header, sheet[2], strict=True))
    assert row["question"].value == FLAWED_KEY  # flagged items come first
    assert isinstance(row["Attempts"].value, int) and row["Attempts"].number_format == "0"
    assert isinstance(row["Facility"].value, float) and row["Facility"].number_format == "0.00"
    widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
    assert all(8 <= w <= 60 for w in widths)


def test_flagged_only_leaves_out_the_items_without_flags(client, login_as, mixed):
    from app.analytics.item_report import Scope, item_report

    login_as(Role.TRAINER)
    report = item_report(Scope(bank_id=mixed.id))
    page = client.get(f"/train/analysis?bank={mixed.id}&flagged=1").get_data(as_text=True)
    assert "Items without flags" not in page
    assert all(f">{row.key}</a>" in page for row in report.flagged + report.too_few)
    assert not any(f">{row.key}</a>" in page for row in report.judged)


def test_the_bare_address_shows_the_first_scheme_and_a_wrong_choice_is_not_found(
    client, login_as, banks
):
    login_as(Role.TRAINER)
    page = client.get("/train/analysis")
    assert page.status_code == 200
    assert "Foundation" in page.get_data(as_text=True)
    assert client.get("/train/analysis?scheme=nope").status_code == 404
    assert client.get("/train/analysis?bank=").status_code == 404


def test_an_items_figures_pool_both_languages_with_a_breakdown_and_a_gap_flag(
    client, login_as, seeded, monkeypatch
):
    """Answers to the Chinese translation and to the English source count as one item;
    the page breaks them down by language and flags a wide gap in facility."""
    from sqlalchemy import func, select

    from app.analytics import item_languages, item_report
    from app.extensions import db
    from app.models import Question, QuestionVersion, Response

    monkeypatch.setattr(item_languages, "LANGUAGE_MIN", 10)
    version = db.session.scalar(
        select(Response.version_id)
        .join(QuestionVersion, QuestionVersion.id == Response.version_id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .where(Question.bank_id == seeded.id, QuestionVersion.type == "single_choice")
        .group_by(Response.version_id)
        .order_by(func.count().desc())
    )
    responses = db.session.scalars(select(Response).where(Response.version_id == version)).all()
    assert len(responses) >= 20
    for n, response in enumerate(responses):  # half in Chinese, all of those wrong
        chinese = n % 2 == 0
        response.language = "zh-Hans" if chinese else "en"
        response.score = 0.0 if chinese else 1.0
    db.session.commit()
    item_report._CACHE.clear()
    report = item_report.item_report(item_report.Scope(bank_id=seeded.id))
    row = next(r for r in report.rows if r.version_id == version)
    assert {lang["language"] for lang in row.languages} == {"en", "zh-Hans"}
    assert sum(lang["n"] for lang in row.languages) == row.figures["attempts"]
    assert "items.language_gap" in [flag.code for flag in row.flags]
    login_as(Role.TRAINER)
    page = client.get(f"/train/analysis?bank={seeded.id}").get_data(as_text=True)
    assert "By language" in page and "Chinese (Simplified)" in page
    assert "facility differs by language" in page
