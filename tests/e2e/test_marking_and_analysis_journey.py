"""A trainer marks an essay in the browser and the learner's result updates; on the demo
data the item-analysis page flags the deliberately miskeyed item."""

from app.models import Bank, Role
from app.services.demo_seed import FLAWED_KEY, seed_demo
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import sit_auditor_exam

ESSAY = (
    "Requirement: clause 8.5.1.3 asks for approval before deployment.\n"
    "Evidence: change CHG-0417 went live on 3 March without a record of approval.\n"
    "Nonconformity: the change was deployed unapproved."
)


def test_marking_an_essay_updates_the_result(page, live_server, make_user, banks):
    learner = make_user(role=Role.LEARNER)
    attempt = sit_auditor_exam(learner, essay=ESSAY, mode="practice", clauses=["8.5"], count=40)
    trainer = make_user(role=Role.TRAINER)
    sign_in(page, live_server, trainer.email)
    page.get_by_role("link", name="Marking").click()
    page.get_by_role("link").filter(has_text="Mark").first.click()
    assert "CHG-0417" in page.content()
    page.get_by_label("Marks awarded").fill("4")
    page.get_by_label("Comment for the learner").fill("Clear requirement and evidence.")
    screenshot(page, "essay-marking")
    page.get_by_role("button", name="Save marks").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, learner.email)
    page.goto(f"{live_server}/learn/attempts/{attempt.id}/result")
    assert "Clear requirement and evidence." in page.content()
    assert "Marked by a trainer" in page.content()


def test_item_analysis_flags_the_miskeyed_demo_item(page, live_server, make_user, banks):
    seed_demo(learners=10, days=21, seed=11, mocks=1)
    bank = Bank.query.filter_by(code="demo-flawed").one()
    trainer = make_user(role=Role.TRAINER)
    sign_in(page, live_server, trainer.email)
    page.goto(f"{live_server}/train/analysis?scheme=foundation")
    screenshot(page, "item-analysis-scheme", full_page=False)
    page.goto(f"{live_server}/train/analysis?bank={bank.id}")
    row = page.locator("tr", has_text=FLAWED_KEY).first
    assert "is the key right?" in row.inner_text() or "high scorers" in row.inner_text()
    row.locator("summary").click()
    screenshot(page, "item-analysis-flawed")


def test_the_analysis_and_question_pages_fit_a_desktop_and_a_phone(
    page, live_server, make_user, banks
):
    seed_demo(learners=10, days=21, seed=11, mocks=1)
    bank = Bank.query.filter_by(code="foundation").one()
    trainer = make_user(role=Role.TRAINER)
    sign_in(page, live_server, trainer.email)
    for width, name in ((1280, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(f"{live_server}/train/analysis?bank={bank.id}")
        folded = page.locator("details.cw-too-few")
        assert folded.count() == 1 and folded.get_attribute("open") is None
        tall = page.evaluate("document.documentElement.scrollHeight")
        print(f"item analysis, {name}: {tall} px tall with the thin items folded")
        screenshot(page, f"item-analysis-{name}")
        pages = (f"/train/analysis?bank={bank.id}", f"/train/banks/{bank.id}", "/train/marking")
        for path in (*pages, "/train/"):
            page.goto(f"{live_server}{path}")
            # nothing spills past the page or out of a card: wide tables scroll in a region
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            spilling = page.evaluate(
                "[...document.querySelectorAll('.card')]"
                ".filter(c => c.scrollWidth > c.clientWidth + 1).length"
            )
            assert spilling == 0
            for region in page.locator(".table-responsive[role=region]").all():
                assert region.get_attribute("tabindex") == "0"
                assert region.get_attribute("aria-label")
        screenshot(page, f"bank-questions-{name}")
        page.goto(f"{live_server}/train/analysis?bank={bank.id}")
        page.locator("details.cw-too-few > summary").click()
        assert page.locator("details.cw-too-few").get_attribute("open") is not None
