"""A trainer on the demo data reads the readiness backtest: the reliability diagram, the
predictions download, another scheme; then the same page on a phone, without sideways
scrolling."""

from app.models import Role
from app.services.demo_seed import seed_demo
from tests.e2e.conftest import screenshot, sign_in


def test_trainer_reads_the_backtest_on_desktop_and_phone(
    page, browser, live_server, make_user, banks
):
    make_user(role=Role.TRAINER, email="trainer@clausewise.test", name="Tariq Trainer")
    seed_demo(learners=10, teams=3, days=56, mocks=2)

    sign_in(page, live_server, "trainer@clausewise.test")
    page.get_by_role("link", name="Readiness backtest").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Readiness backtest").is_visible()
    diagram = page.locator("svg.cw-reliability")
    assert diagram.is_visible() and diagram.locator("circle").count() >= 1
    assert "Brier score" in page.content() and "How to read this" in page.content()
    screenshot(page, "backtest-desktop")
    with page.expect_download() as download:
        page.get_by_role("link", name="Predictions (CSV)").click()
    assert download.value.suggested_filename == "readiness-backtest-foundation.csv"

    page.get_by_label("Scheme", exact=True).select_option("auditor")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert "scheme=auditor" in page.url and "Auditor" in page.locator("h2").first.inner_text()

    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    small = phone.new_page()
    try:
        sign_in(small, live_server, "trainer@clausewise.test")
        small.goto(f"{live_server}/train/readiness/backtest?scheme=foundation")
        assert small.locator("svg.cw-reliability").is_visible()
        assert small.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(small, "backtest-phone")
    finally:
        phone.close()
