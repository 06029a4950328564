"""The translation sheet: a question's or case text's translation beside its source, field
by field; saving marks it current. Stale and missing translations show as badges on the
question list (with a filter), in the editor and on the question page."""

from __future__ import annotations

import re

import pytest

from app.models import SYSTEM, Bank, Question, QuestionTranslation, Role, ScenarioTranslation
from app.services.bank_import import ImportOptions, import_files
from tests.factories import PASSWORD
from tests.services.test_translations import BANK

SHEET = {
    "t-stem": "服务台对事件首先记录什么？",
    "t-options-a": "它的分类和优先级",
    "t-options-b": "供方的订单编号",
    "t-explanation": "第 8.6.1 条要求记录事件并对其分类。",
}
EDITED = BANK.replace("The supplier's invoice number", "The supplier's order number")


def _import(text: str = BANK) -> None:
    report = import_files(SYSTEM, [("duo.yaml", text.encode())], ImportOptions(publish=True))
    assert report.ok, [str(p) for p in report.errors]


def _question(key: str = "duo-1") -> Question:
    return Question.query.filter_by(key=key).one()


@pytest.fixture
def duo(reference):
    _import()
    return Bank.query.filter_by(code="duo").one()


def test_the_sheet_shows_each_source_text_beside_its_translation(client, login_as, duo):
    login_as(Role.TRAINER)
    page = client.get(f"/train/questions/{_question().id}/translations/zh-Hans")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Chinese (Simplified) translation of duo-1" in html
    assert "Source: English" in html and "Translation: Chinese (Simplified)" in html
    for label in ("Question", "Option a", "Option b", "Explanation"):
        assert f">{label}</label>" in html
    source = re.search(r'id="src-3"[^>]*>(.*?)</div>', html, re.S).group(1)
    assert "The supplier&#39;s invoice number" in source
    stem = re.search(r'<textarea[^>]*name="t-stem"[^>]*>([^<]*)</textarea>', html)
    assert stem.group(1) == "服务台对事件首先记录什么？"
    assert 'lang="zh-Hans"' in stem.group(0) and 'aria-describedby="src-1' in stem.group(0)
    assert 'name="made_from"' in html and 'name="base"' in html
    assert ">Current</span>" in html


def test_stale_shows_on_the_list_the_editor_and_the_question_page(client, login_as, duo):
    _import(EDITED)
    login_as(Role.TRAINER)
    listing = client.get(f"/train/banks/{duo.id}").get_data(as_text=True)
    rows = {
        key: row
        for row in listing.split("<tr>")[2:]
        for key in ("duo-1", "duo-2")
        if f'/train/questions/{_question(key).id}"' in row
    }
    assert ">Stale</span>" in rows["duo-1"] and ">Current</span>" in rows["duo-2"]
    editor = client.get(f"/train/questions/{_question().id}/edit").get_data(as_text=True)
    strip = editor.partition('class="card card-body mb-3 py-2 cw-tr-strip"')[2]
    assert ">Stale</span>" in strip.partition("</section>")[0]
    sheet = client.get(f"/train/questions/{_question().id}/translations/zh-Hans").text
    assert "The source has changed since this translation was made: 1 text, marked below." in sheet
    assert sheet.count("Changed in the source") == 1 and "Before the change" in sheet


def test_the_list_filters_by_how_the_translation_stands(client, login_as, duo, make_user):
    _import(EDITED)
    from app.services import authoring
    from tests.services.test_authoring import _record

    authoring.save_question(make_user(role=Role.TRAINER), duo.id, _record("duo-3"))
    login_as(Role.TRAINER)

    def keys(standing: str) -> list[str]:
        html = client.get(f"/train/banks/{duo.id}?translation={standing}").text
        return sorted(set(re.findall(r"duo-\d", html.partition("<tbody>")[2])))

    assert keys("stale") == ["duo-1"]
    assert keys("current") == ["duo-2"]
    assert keys("missing") == ["duo-3"]
    assert keys("") == ["duo-1", "duo-2", "duo-3"]
    searched = client.get(f"/train/banks/{duo.id}?q=desk&translation=stale&language=zh-Hans")
    assert "duo-1" in searched.text.partition("<tbody>")[2]
    listing = client.get(f"/train/banks/{duo.id}").text
    assert '<select id="f-translation" name="translation"' in listing
    assert '<input type="hidden" name="language" value="zh-Hans">' in listing


def test_saving_the_sheet_marks_the_translation_current(client, login_as, duo):
    _import(EDITED)
    login_as(Role.TRAINER)
    url = f"/train/questions/{_question().id}/translations/zh-Hans"
    page = client.get(url).text
    seen = {
        name: re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page).group(1)
        for name in ("made_from", "base")
    }
    reply = client.post(url, data={**SHEET, **seen})
    assert reply.status_code == 302 and reply.location.endswith(f"/questions/{_question().id}")
    row = QuestionTranslation.query.filter_by(question_id=_question().id).one()
    assert row.fields["options"]["b"] == "供方的订单编号"
    question_page = client.get(reply.location).text
    assert "Translation saved." in question_page and ">Current</span>" in question_page
    again = client.post(url, data={**SHEET, **seen})  # the page it came from is out of date
    assert again.status_code == 200 and "Someone else saved this translation" in again.text


def test_a_sheet_with_an_empty_text_is_refused_saying_where(client, login_as, duo):
    login_as(Role.TRAINER)
    url = f"/train/questions/{_question().id}/translations/zh-Hans"
    reply = client.post(url, data={**SHEET, "t-options-b": "  "})
    html = reply.get_data(as_text=True)
    assert reply.status_code == 200 and "The translation was not saved:" in html
    assert re.search(r'class="form-control is-invalid" id="tr-\d+" name="t-options-b"', html)
    assert "1 text is not translated yet; it is marked below." in html
    assert "Translate this text: a translation covers every text of the source." in html
    assert ">它的分类和优先级</textarea>" in html  # what was typed stays
    row = QuestionTranslation.query.filter_by(question_id=_question().id).one()
    assert row.fields["options"]["b"] == "供方的发票编号"


def test_a_missing_translation_is_added_from_the_question_page(client, login_as, duo, make_user):
    from app.services import authoring
    from tests.services.test_authoring import _record

    question, _new = authoring.save_question(make_user(role=Role.TRAINER), duo.id, _record())
    login_as(Role.TRAINER)
    page = client.get(f"/train/questions/{question.id}").text
    assert ">Missing</span>" in page and "Add a translation" in page
    url = f"/train/questions/{question.id}/translations/zh-Hans"
    sheet = client.get(url).text
    assert "There is no Chinese (Simplified) translation yet." in sheet
    assert len(re.findall(r"<textarea", sheet)) == 6  # stem, four options, explanation
    texts = {
        "t-stem": "哪一条款要求服务目录？",
        "t-options-a": "8.2.4 服务目录管理",
        "t-options-b": "8.5.1 变更管理",
        "t-options-c": "9.2 内部审核",
        "t-options-d": "7.5 成文信息",
        "t-explanation": "第 8.2.4 条要求服务目录；其他条款涉及别的事项。",
    }
    assert client.post(url, data=texts).status_code == 302
    assert QuestionTranslation.query.filter_by(question_id=question.id).one().fields["options"][
        "c"
    ] == ("9.2 内部审核")


def test_the_sheet_notes_renderings_the_glossary_avoids(client, login_as, duo):
    login_as(Role.TRAINER)
    url = f"/train/questions/{_question().id}/translations/zh-Hans"
    reply = client.post(url, data={**SHEET, "t-options-b": "供应商的订单编号", "t-stem": ""})
    assert "The glossary avoids “供应商” for “supplier”: write “供方”." in reply.text


def test_only_bank_editors_open_sheets_and_only_for_languages_offered(client, login_as, duo):
    login_as(Role.LEARNER)
    assert client.get(f"/train/questions/{_question().id}/translations/zh-Hans").status_code == 403
    login_as(Role.TRAINER)
    for language in ("en", "fr", "zh"):
        url = f"/train/questions/{_question().id}/translations/{language}"
        assert client.get(url).status_code == 404
    assert client.get("/train/questions/99999/translations/zh-Hans").status_code == 404


def test_a_case_text_translation_has_its_sheet_too(client, login_as, duo):
    _import(BANK.replace("12 agents", "14 agents"))
    login_as(Role.TRAINER)
    listing = client.get(f"/train/banks/{duo.id}/scenarios").text
    assert ">Stale</span>" in listing
    url = f"/train/banks/{duo.id}/scenarios/sc-desk/translations/zh-Hans"
    sheet = client.get(url).text
    assert ">Case text</label>" in sheet and "The desk has 14 agents." in sheet
    reply = client.post(url, data={"t-title": "服务台", "t-text": "服务台有 14 名坐席。"})
    assert reply.status_code == 302
    assert ScenarioTranslation.query.one().text == "服务台有 14 名坐席。"
    assert ">Current</span>" in client.get(f"/train/banks/{duo.id}/scenarios").text


def test_the_sheet_needs_the_csrf_token(make_app, make_user, duo):
    strict = make_app(WTF_CSRF_ENABLED=True).test_client()
    trainer = make_user(role=Role.TRAINER)
    login = strict.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login).group(1)
    strict.post("/login", data={"email": trainer.email, "password": PASSWORD, "csrf_token": token})
    url = f"/train/questions/{_question().id}/translations/zh-Hans"
    sheet = strict.get(url).text
    form = sheet.partition('<form method="post" class="card cw-sheet')[2]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    assert strict.post(url, data=SHEET).status_code == 400
    assert strict.post(url, data={**SHEET, "csrf_token": token}).status_code == 302


CLASSIFIED = """\
bank: {id: cls, title: Sorting bank, language: en}
questions:
  - id: cls-1
    type: classification
    clauses: ["8.6"]
    stem: Sort each record.
    categories:
      - {id: inc, text: Incident}
      - {id: req, text: Service request}
    items:
      - {id: i1, text: Printer down, category: inc}
      - {id: i2, text: New laptop, category: req}
"""
SORTED = {
    "t-stem": "给每条记录分类。",
    "t-data-categories-inc": "事件",
    "t-data-categories-req": "服务请求",
    "t-data-items-i1": "打印机故障",
    "t-data-items-i2": "新笔记本电脑",
}


def test_a_classifications_categories_and_items_are_translated_on_the_sheet(
    client, login_as, reference
):
    _import(CLASSIFIED)
    login_as(Role.TRAINER)
    question = _question("cls-1")
    url = f"/train/questions/{question.id}/translations/zh-Hans"
    html = client.get(url).get_data(as_text=True)
    for label in ("Question", "Category inc", "Category req", "Item i1", "Item i2"):
        assert f">{label}</label>" in html
    assert 'name="t-data-items-i2"' in html and "New laptop" in html
    assert "a translation cannot hold yet" not in html
    reply = client.post(url, data={**SORTED, "t-data-items-i2": " "})
    assert reply.status_code == 200 and "1 text is not translated yet" in reply.text
    marked = r'class="form-control is-invalid" id="tr-\d+" name="t-data-items-i2"'
    assert re.search(marked, reply.text)
    reply = client.post(url, data=SORTED)
    assert reply.status_code == 302
    row = QuestionTranslation.query.filter_by(question_id=question.id).one()
    assert row.fields["data"] == {
        "categories": {"inc": "事件", "req": "服务请求"},
        "items": {"i1": "打印机故障", "i2": "新笔记本电脑"},
    }
    page = client.get(reply.location).text
    assert ">Current</span>" in page and "Not shown to learners" not in page


def test_a_type_that_cannot_translate_its_parts_says_so_on_the_sheet(
    client, login_as, reference, monkeypatch
):
    from app.domain.question_types.base import QuestionType
    from app.question_types.classification.domain import Classification

    monkeypatch.setattr(Classification, "data_texts", QuestionType.data_texts)
    _import(CLASSIFIED)
    login_as(Role.TRAINER)
    html = client.get(f"/train/questions/{_question('cls-1').id}/translations/zh-Hans").text
    assert "This question type has parts a translation cannot hold yet" in html
    assert "t-data-" not in html and 'name="t-stem"' in html


def test_a_types_own_texts_are_labelled_as_the_type_names_them(app):
    from app.domain.translation_slots import Slot
    from app.web.trainer.translations import slot_label

    with app.test_request_context():
        assert slot_label(Slot(("data", "items", "i2"), "x"), "classification") == "Item i2"
        assert slot_label(Slot(("data", "categories", "inc"), "x"), "classification") == (
            "Category inc"
        )
        # a group the type gives no label: its name and the part's id as they are
        assert slot_label(Slot(("data", "notes", "n1"), "x"), "classification") == (
            "Text n1 of notes"
        )
