"""A learner practises in Chinese (issue 19): she chooses the exam language on the start
form, reads and answers the translated items (a matching item by its Chinese matches),
checks an answer and reads the explanation in Chinese, and switches an item to English
and back, keeping her answer."""

from __future__ import annotations

import pytest

from app.models import SYSTEM, Role
from app.services.bank_import import ImportOptions, import_files
from tests.e2e.conftest import screenshot, sign_in

BANK = """\
bank: {id: duo, title: Bilingual desk, language: en}
questions:
  - id: duo-single
    type: single_choice
    level: foundation
    clauses: ["8.6.1"]
    stem: Which record does the service desk open for a printer that stopped working?
    options:
      - {id: a, text: An incident record, correct: true}
      - {id: b, text: A change record}
      - {id: c, text: A problem record}
    explanation: A loss of service is an incident (clause 8.6.1).
    translations:
      zh-Hans:
        stem: 打印机停止工作时，服务台应创建哪种记录？
        options: {a: 事件记录, b: 变更记录, c: 问题记录}
        explanation: 服务中断属于事件（第 8.6.1 条）。
  - id: duo-matching
    type: matching
    level: foundation
    clauses: ["8.6.1"]
    stem: Match each record to what it is for.
    pairs:
      - {id: p1, prompt: Incident, match: Restore the service}
      - {id: p2, prompt: Service request, match: Fulfil what was asked}
    extra_matches: [Approve a change]
    explanation: Incidents restore the service; requests fulfil what was asked.
    translations:
      zh-Hans:
        stem: 将每种记录与其用途配对。
        pairs:
          p1: {prompt: 事件, match: 恢复服务}
          p2: {prompt: 服务请求, match: 满足所提出的请求}
        extra_matches: [批准变更]
        explanation: 事件用于恢复服务；服务请求用于满足所提出的请求。
"""


@pytest.fixture
def duo_bank(reference) -> None:
    report = import_files(SYSTEM, [("duo.yaml", BANK.encode())], ImportOptions(publish=True))
    assert report.ok and report.written, [str(p) for p in report.errors]


def test_a_learner_practises_in_chinese_and_switches_an_item_to_english(
    page, live_server, make_user, duo_bank
):
    learner = make_user(role=Role.LEARNER)
    sign_in(page, live_server, learner.email)
    page.goto(f"{live_server}/")
    card = page.locator(".card", has_text="Foundation mock exam")
    card.get_by_label("Mode").select_option("practice")
    card.get_by_label("Exam language").select_option("zh-Hans")
    card.locator("summary").click()
    card.get_by_label("Clauses for practice").fill("8.6.1")
    card.get_by_role("button", name="Start").click()
    page.wait_for_load_state()
    question = page.locator("article.cw-question")
    stem = question.locator(".cw-stem")
    stem.wait_for()
    assert stem.get_attribute("lang") == "zh-Hans"
    if "将每种记录" not in stem.inner_text():  # the matching item may come second
        page.get_by_role("button", name="Next").click()
        page.wait_for_load_state()
    assert "将每种记录与其用途配对" in question.locator(".cw-stem").inner_text()
    question.get_by_label("事件", exact=True).select_option(label="恢复服务")
    question.get_by_label("服务请求").select_option(label="满足所提出的请求")
    screenshot(page, "bilingual-practice-chinese")
    question.get_by_role("button", name="Check answer").click()
    page.wait_for_load_state()
    feedback = page.locator("article.cw-question .cw-explanation")
    feedback.wait_for()
    assert feedback.get_attribute("lang") == "zh-Hans"
    assert "事件用于恢复服务" in feedback.inner_text()
    page.get_by_role("button", name="Show this question in English").click()
    page.wait_for_load_state()
    english = page.locator("article.cw-question .cw-stem")
    english.wait_for()
    assert english.inner_text().strip() == "Match each record to what it is for."
    assert english.get_attribute("lang") is None  # English on an English page
    chosen = page.locator("article.cw-question").get_by_label("Incident", exact=True)
    assert chosen.locator("option:checked").inner_text() == "Restore the service"
    screenshot(page, "bilingual-practice-switched-to-english")
    page.get_by_role("button", name="Show this question in Chinese (Simplified)").click()
    page.wait_for_load_state()
    assert "将每种记录" in page.locator("article.cw-question .cw-stem").inner_text()
