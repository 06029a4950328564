"""The manager's home page on the demo data, on a desktop and on a phone: readiness at a
glance per team and scheme, and a link to the team's readiness page."""

from app.models import Role
from app.services.demo_seed import seed_demo
from tests.e2e.conftest import screenshot, sign_in


def test_manager_home_shows_readiness_at_a_glance(page, live_server, make_user, banks):
    make_user(role=Role.MANAGER, email="manager@clausewise.test", name="Mei Manager")
    make_user(role=Role.LEARNER, email="learner@clausewise.test", name="Lena Learner")
    seed_demo(learners=12, teams=3, days=56, mocks=1)

    sign_in(page, live_server, "manager@clausewise.test")
    page.goto(f"{live_server}/manage/")
    cards = page.locator("section.card", has=page.locator("h2 a"))
    assert cards.count() == 2  # Service desk and Change and release, not Internal audit
    desk = cards.filter(has_text="Service desk")
    assert desk.get_by_text("members ready").first.is_visible()
    assert desk.locator(".cw-stack").first.is_visible()
    screenshot(page, "manager-home-desktop")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    screenshot(page, "manager-home-390x844")

    desk.get_by_role("link", name="Who is ready, clause by clause").first.click()
    page.wait_for_load_state()
    assert "/manage/teams/" in page.url and "scheme=foundation" in page.url
    assert "Members ·" in page.content()
