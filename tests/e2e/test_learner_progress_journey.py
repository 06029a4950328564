"""A learner on the demo data opens their own progress page from the home page, sets a
weekly goal (a bad one is refused), reads their clauses over time and the titled trend
chart on a desktop and on a phone, and starts practising their weakest clause from it."""

import re

from app.analytics.learner_progress import learner_progress
from app.models import SYSTEM
from app.models.base import utcnow
from app.services import users
from app.services.demo_seed import EMAIL, seed_demo
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import PASSWORD


def _middling_learner(count: int) -> str:
    """The e-mail of a demo learner with a forecast short of ready, and weak clauses."""
    for n in range(1, count + 1):
        user = users.find_by_email(EMAIL.format(n=n))
        found = learner_progress(user.id, utcnow()).schemes
        if found and found[0].row["status"] in ("on_track", "not_ready") and found[0].weakest:
            users.set_password(SYSTEM, user.id, PASSWORD)
            return user.email
    raise AssertionError("no demo learner short of ready")


def test_learner_reads_their_progress_and_practises_a_weak_clause(
    browser, page, live_server, banks
):
    seed_demo(learners=10, teams=3, days=56, mocks=1)
    email = _middling_learner(10)

    sign_in(page, live_server, email)
    page.get_by_role("link", name="Your progress").click()
    page.wait_for_url(f"{live_server}/learn/progress")
    content = page.content()
    assert "Sections, weakest first" in content and "Clauses, weakest first" in content
    assert page.locator("svg.cw-chart circle").count() >= 2
    chart = page.locator("svg.cw-chart").first
    assert chart.get_by_text("Chance of passing (%)").count() == 1
    assert chart.get_by_text("Week ending (UTC)").count() == 1
    legend = page.locator(".cw-chart-legend").first
    assert legend.get_by_text("Your chance of passing").is_visible()
    assert legend.get_by_text("Likely to pass: 80% or more").is_visible()

    goal = page.get_by_label("Weekly goal: questions per week (0 for none)")
    goal.fill("501")
    page.get_by_role("button", name="Save goal").click()
    page.wait_for_load_state()
    assert page.get_by_text("Enter a whole number of questions from 0 to 500.").is_visible()
    goal.fill("30")
    page.get_by_role("button", name="Save goal").click()
    page.wait_for_load_state()
    assert page.get_by_text("Your weekly goal is now 30 questions.").is_visible()
    assert goal.input_value() == "30"
    week = page.locator("#goal")
    assert week.get_by_text(re.compile(r"\d+ of 30 questions? answered")).is_visible()
    assert week.get_by_text(re.compile(r"^Streak: |^No streak yet")).is_visible()

    page.get_by_text("Show as a table").first.click()
    assert page.get_by_role("columnheader", name="Week ending").first.is_visible()
    screenshot(page, "learner-progress-desktop")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone.add_cookies(page.context.cookies())
    small = phone.new_page()
    small.goto(f"{live_server}/learn/progress")
    assert small.get_by_label("Weekly goal: questions per week (0 for none)").input_value() == "30"
    width = small.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width} px)"
    screenshot(small, "learner-progress-phone")
    phone.close()

    page.get_by_role("link", name="Your history").click()
    page.wait_for_url(f"{live_server}/learn/history")
    scores = page.locator("svg.cw-chart").first
    assert scores.get_by_text("Score (%)").count() == 1
    assert scores.get_by_text("Date submitted").count() == 1
    assert page.locator(".cw-chart-legend").first.get_by_text("Your mock exam score").is_visible()
    screenshot(page, "learner-history-desktop")
    page.goto(f"{live_server}/learn/progress")

    page.get_by_role("button", name="Practise this clause").first.click()
    page.wait_for_load_state()
    assert "/learn/attempts/" in page.url
