"""A learner builds a custom test from the clause tree, sees its answers at the end,
retries the questions missed, and reads a case beside its question on a wide screen
(folded above it on a phone)."""

from __future__ import annotations

import re

from app.extensions import db
from app.models import Attempt, Role
from app.services import attempts
from tests.e2e.conftest import screenshot, sign_in


def test_a_custom_test_then_a_retry_of_its_mistakes(page, live_server, make_user, banks):
    learner = make_user(role=Role.LEARNER)
    sign_in(page, live_server, learner.email, lands_on="/learn/")
    page.locator('a[href="/learn/schemes/foundation/custom"]').click()
    page.get_by_role("heading", name=re.compile("Custom test")).wait_for()

    # Pick clause 8.5 inside clause 8 and clause 9 whole, five questions, answers at the end.
    page.get_by_text("Choose within clause 8 ").click()
    page.locator("#clause-8\\.5").check()
    page.locator("#clause-9").check()
    page.get_by_label("Number of questions").fill("5")
    page.get_by_label("At the end, like an exam").check()
    screenshot(page, "custom-test-builder", full_page=False)
    page.get_by_role("button", name="Start the test").click()
    page.wait_for_url(re.compile(r".*/learn/attempts/\d+$"))
    assert page.get_by_role("heading", name="Practice — clauses 8.5, 9").is_visible()
    assert page.get_by_role("button", name="Check answer").count() == 0

    # Answer nothing, submit from the review page: the result offers a retry of all five.
    page.locator(".cw-review-submit:visible").first.click()
    page.wait_for_url(re.compile(r".*/submit.*"))
    page.get_by_role("button", name=re.compile("Submit")).last.click()
    page.wait_for_url(re.compile(r".*/result.*"))
    retry = page.get_by_role("button", name="Retry the 5 questions I missed")
    retry.wait_for()
    order = page.locator("#clause-order .active")
    assert order.inner_text().strip() == "Weakest first"
    screenshot(page, "result-retry-and-weakest-first", full_page=False)
    retry.click()
    page.wait_for_url(re.compile(r".*/learn/attempts/\d+$"))
    assert page.get_by_role("heading", name="Retry — the questions you missed").is_visible()
    db.session.expire_all()
    first, second = db.session.query(Attempt).order_by(Attempt.id).all()
    keys = {i.version.question.key for i in first.items}
    assert {i.version.question.key for i in second.items} == keys


def test_a_case_sits_beside_its_question_on_a_wide_screen(page, live_server, make_user, banks):
    learner = make_user(role=Role.LEARNER)
    options = attempts.StartOptions(mode="practice", clauses=["8"], count=100, seed=4)
    attempt = attempts.start_attempt(learner, "practitioner", options)
    position = next(i.position for i in attempt.items if i.version.scenario_id)
    sign_in(page, live_server, learner.email, lands_on="/learn/")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{live_server}/learn/attempts/{attempt.id}?q={position}")
    case = page.locator(f"#q{position} .cw-scenario")
    stem = page.locator(f"#q{position} .cw-stem")
    case_box, stem_box = case.bounding_box(), stem.bounding_box()
    assert case_box["x"] + case_box["width"] <= stem_box["x"]  # side by side
    assert case_box["y"] < stem_box["y"] + stem_box["height"]
    screenshot(page, "case-beside-question", full_page=False)

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.locator(f"#q{position} details.cw-scenario:not([open])").count() == 1
    assert stem.bounding_box()["y"] < 844  # the question starts on the first screen
    screenshot(page, "case-folded-on-a-phone", full_page=False)
