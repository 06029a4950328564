"""A manager on the demo data: their teams and nobody else's, the readiness dashboard with
heatmap and trend, a learner drill-down, the evidence pack, and a drill the learner sees."""

from app.models import Role
from app.services.demo_seed import seed_demo
from tests.e2e.conftest import screenshot, sign_in


def test_manager_reads_readiness_and_assigns_a_drill(page, live_server, make_user, banks):
    make_user(role=Role.MANAGER, email="manager@clausewise.test", name="Mei Manager")
    make_user(role=Role.LEARNER, email="learner@clausewise.test", name="Lena Learner")
    seed_demo(learners=10, teams=3, days=56, mocks=1)

    sign_in(page, live_server, "manager@clausewise.test")
    page.get_by_role("link", name="Teams").first.click()
    teams_page = page.content()
    assert "Service desk" in teams_page and "Change and release" in teams_page
    assert "Internal audit" not in teams_page  # managed by somebody else
    page.get_by_role("link", name="Service desk").click()
    page.wait_for_load_state()
    content = page.content()
    assert "Targets" in content and "Clause mastery" in content and "Weakest clauses" in content
    assert page.locator("table.cw-heat tbody tr").count() >= 3
    assert page.locator("svg.cw-chart circle").count() >= 2
    screenshot(page, "team-dashboard")

    weakest = page.locator("#drills ol li").first
    clause = weakest.locator("span.fw-semibold").inner_text()
    weakest.get_by_role("button", name="Assign drill").click()
    page.wait_for_load_state()
    assert f"Drill on clause {clause} assigned" in page.content()
    assert page.get_by_text("0 of", exact=False).first.is_visible()

    page.locator("table.cw-members tbody a").first.click()
    page.wait_for_load_state()
    assert "Pass probability over eight weeks" in page.content()
    assert "Recent attempts" in page.content()
    screenshot(page, "learner-drilldown")

    page.go_back()
    page.get_by_role("link", name="Competence evidence (7.2)").click()
    page.wait_for_load_state()
    assert "clause 7.2" in page.content() and "CW-A" in page.content()
    screenshot(page, "evidence-pack")
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    assert download.value.suggested_filename == "service-desk-competence-evidence.xlsx"
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "learner@clausewise.test")
    assigned = page.locator("section.cw-assigned")
    assert assigned.is_visible() and f"Clause {clause}" in assigned.inner_text()
    screenshot(page, "learner-assigned-drill")
    assigned.get_by_role("button", name="Start drill").click()
    page.wait_for_load_state()
    assert "/learn/attempts/" in page.url
