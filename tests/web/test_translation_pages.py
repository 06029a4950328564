"""Trainers see each translation's standing on the question page; lint warns of stale
ones."""

from __future__ import annotations

import dataclasses

from app.analytics import questions as question_views
from app.domain import localized, translation
from app.domain.lint import lint_banks
from app.formats import native
from app.messages import render
from app.models import SYSTEM, Question, Role
from app.queries import translations as translation_queries
from app.services import authoring, translation_editing, users
from app.services.bank_import import ImportOptions, import_files

BANK = """\
bank: {id: duo, title: Bilingual bank, language: en}
scenarios:
  - id: sc-desk
    title: The desk
    text: The desk has 12 agents.
    translations:
      zh-Hans: {title: 服务台, text: 服务台有 12 名坐席。}
questions:
  - id: duo-1
    type: single_choice
    clauses: ["8.6.1"]
    scenario: sc-desk
    stem: What does the desk record first for an incident?
    options:
      - {id: a, text: Its classification and priority, correct: true}
      - {id: b, text: The supplier's invoice number}
    explanation: Clause 8.6.1 expects incidents to be recorded and classified.
    translations:
      zh-Hans:
        stem: 服务台对事件首先记录什么？
        options: {a: 它的分类和优先级, b: 供方的发票编号}
        explanation: 第 8.6.1 条要求记录事件并对其分类。
"""


def _import(text: str) -> None:
    report = import_files(SYSTEM, [("duo.yaml", text.encode())], ImportOptions(publish=True))
    assert report.ok, [str(p) for p in report.errors]


def test_the_question_page_shows_a_translation_current_then_stale(client, login_as, reference):
    _import(BANK)
    login_as(Role.TRAINER)
    question = Question.query.filter_by(key="duo-1").one()
    page = client.get(f"/train/questions/{question.id}").get_data(as_text=True)
    assert "Chinese (Simplified)" in page and "Current" in page
    assert '<div class="small mt-1" lang="zh-Hans"><p>服务台对事件首先记录什么？</p>' in page
    _import(BANK.replace("The supplier's invoice number", "The supplier's order number"))
    page = client.get(f"/train/questions/{question.id}").get_data(as_text=True)
    assert "Stale" in page and "Not shown to learners" in page
    assert "so learners see the source instead until it is updated" in page


def test_lint_warns_of_stale_translations_of_questions_and_case_texts():
    edited = BANK.replace("invoice number", "order number").replace("12 agents", "14 agents")
    original = native.read_yaml(BANK, "duo.yaml").bank
    stale = native.read_yaml(edited, "duo.yaml").bank
    for q, before in zip(stale.questions, original.questions, strict=True):
        for tag, t in q.translations.items():
            t.source_hash = before.translations[tag].source_hash  # as the file had them
    for case, before in zip(stale.scenarios, original.scenarios, strict=True):
        for tag, t in case.translations.items():
            t.source_hash = before.translations[tag].source_hash
    findings = [f for f in lint_banks([stale], set()) if f.rule == "translation-stale"]
    texts = [render(f.message) for f in findings]
    assert len(findings) == 2 and all(f.severity == "warning" for f in findings)
    assert any(
        t.startswith("the zh-Hans translation was made from earlier source texts") for t in texts
    )
    assert any(t.startswith("case text sc-desk: the zh-Hans translation") for t in texts)
    assert [f for f in lint_banks([original], set()) if f.rule == "translation-stale"] == []


def test_english_bank_texts_on_chinese_trainer_pages_say_they_are_english(
    client, login_as, reference
):
    # WCAG 3.1.2: a screen reader reads the bank's own texts in an English voice.
    _import(BANK)
    trainer = login_as(Role.TRAINER)
    users.set_language(trainer, "zh_Hans")
    question = Question.query.filter_by(key="duo-1").one()
    home = client.get("/train/").get_data(as_text=True)
    assert 'lang="en">Bilingual bank</a>' in home
    listed = client.get(f"/train/banks/{question.bank_id}").get_data(as_text=True)
    assert '<td class="cw-question-cell" lang="en">' in listed
    shown = client.get(f"/train/questions/{question.id}").get_data(as_text=True)
    assert '<div class="cw-stem mb-3" lang="en"><p>What does the desk record first' in shown
    users.set_language(trainer, None)
    assert 'lang="en">Bilingual bank</a>' not in client.get("/train/").get_data(as_text=True)


def test_under_review_the_page_says_whether_learners_see_the_translation_with_the_live_version(
    client, login_as, reference
):
    """Learners are shown the published version while a change waits for review: the
    translation made for it is still theirs (stale only against the draft), and one
    brought up to date for the draft is not, until the change is approved."""
    _import(BANK)
    trainer = login_as(Role.TRAINER)
    question = Question.query.filter_by(key="duo-1").one()
    live = question_views.current_record(question)
    options = [live.options[0], dataclasses.replace(live.options[1], text="The order number")]
    edited = dataclasses.replace(live, options=options)
    authoring.save_question(trainer, question.bank_id, edited, question.id)
    assert question.has_pending_change
    url = f"/train/questions/{question.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Stale" in page and "Not shown to learners" not in page
    assert "learners still see this translation with the published version" in page
    assert localized.usable(
        live, translation_queries.of_questions([question.id])[question.id]["zh-Hans"]
    )
    draft = question_views.current_record(question)
    fields = {
        "stem": "服务台对事件首先记录什么？",
        "options": {"a": "它的分类和优先级", "b": "订单编号"},
        "explanation": "第 8.6.1 条要求记录事件并对其分类。",
    }
    translation_editing.save_question_translation(trainer, question.id, "zh-Hans", fields)
    assert translation.source_hash(draft) != translation.source_hash(live)
    page = client.get(url).get_data(as_text=True)
    assert "Current" in page and "Not shown to learners" in page
    assert "learners see the published version in its source until the change" in page
    made = translation_queries.of_questions([question.id])[question.id]["zh-Hans"]
    assert localized.usable(draft, made) and not localized.usable(live, made)
