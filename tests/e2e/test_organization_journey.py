"""The organization page on the demo data, on a desktop and on a phone: a summary per
scheme, then the teams least ready first, each linking to its dashboard."""

from app.models import Role
from app.services.demo_seed import seed_demo
from tests.e2e.conftest import screenshot, sign_in


def test_an_admin_reads_the_organization_page(page, live_server, make_user, banks):
    make_user(role=Role.ADMIN, email="admin@clausewise.test", name="Ada Admin")
    seed_demo(learners=24, teams=5, days=56, mocks=1)

    sign_in(page, live_server, "admin@clausewise.test")
    page.goto(f"{live_server}/admin/")
    page.get_by_role("link", name="Organization readiness").click()
    page.wait_for_url(f"{live_server}/admin/organization")
    summaries = page.locator("section.card", has=page.locator("h3"))
    assert summaries.count() == 3  # Foundation, Practitioner, Auditor
    assert summaries.first.locator("svg.cw-org-hist").is_visible()
    rows = page.locator("#o-teams ~ div table tbody tr, section[aria-labelledby=o-teams] tbody tr")
    assert rows.count() >= 5
    screenshot(page, "organization-desktop")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 6 * 844, f"the page is {height}px long on a phone"
    screenshot(page, "organization-phone")

    page.get_by_label("Scheme").select_option("foundation")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**scheme=foundation**")
    assert page.locator("section.card", has=page.locator("h3")).count() == 1
    first = page.locator("section[aria-labelledby=o-teams] tbody tr a").first
    first.click()
    page.wait_for_load_state()
    assert "/manage/teams/" in page.url and "scheme=foundation" in page.url
