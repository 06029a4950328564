"""A learner on the demo data opens their own progress page from the home page, on a
desktop and on a phone, and starts practising their weakest clause from it."""

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
    assert "Sections, weakest first" in content and "Your weakest clauses" in content
    assert page.locator("svg.cw-chart circle").count() >= 2
    page.get_by_text("Show as a table").first.click()
    assert page.get_by_role("columnheader", name="Week ending").first.is_visible()
    screenshot(page, "learner-progress-desktop")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone.add_cookies(page.context.cookies())
    small = phone.new_page()
    small.goto(f"{live_server}/learn/progress")
    width = small.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width} px)"
    screenshot(small, "learner-progress-phone")
    phone.close()

    page.get_by_role("button", name="Practise this clause").first.click()
    page.wait_for_load_state()
    assert "/learn/attempts/" in page.url
