"""A trainer works a bank's question list in the browser: searches it (English and
Chinese), ticks all questions of the page, sends them for review and reads the summary;
then opens the coverage page, on a computer and on a phone."""

from playwright.sync_api import expect

from app.models import Question, Role
from app.services import authoring
from tests.e2e.conftest import screenshot, sign_in
from tests.services.test_question_search import choice


def test_trainer_searches_selects_and_acts_on_questions(page, live_server, make_user, reference):
    trainer = make_user(role=Role.TRAINER)
    reviewer = make_user(role=Role.TRAINER)
    bank = authoring.save_bank(trainer, "desk", "Service desk")
    for n in range(4):
        authoring.save_question(trainer, bank.id, choice(f"d-{n}", f"Incident priority {n}?"))
    authoring.save_question(
        trainer, bank.id, choice("d-zh", "如何确定事件的优先级？", title="事件优先级")
    )
    live, _ = authoring.save_question(trainer, bank.id, choice("d-live", "A live incident one"))
    authoring.transition(trainer, live.id, "submit")
    authoring.transition(reviewer, live.id, "approve")

    sign_in(page, live_server, trainer.email)
    page.goto(f"{live_server}/train/banks/{bank.id}")
    page.get_by_label("Search").fill("incident")
    page.get_by_role("button", name="Filter").click()
    assert page.locator("input[name=ids]").count() == 5
    page.get_by_label("Search").fill("事件")
    page.get_by_role("button", name="Filter").click()
    assert page.locator("input[name=ids]").count() == 1
    page.get_by_label("Search").fill("incident")
    page.get_by_role("button", name="Filter").click()

    # Only the field the action needs shows; "select all" ticks the page and counts.
    expect(page.get_by_label("Tag", exact=True)).to_be_hidden()
    page.get_by_label("Select all questions on this page").check()
    assert "Selected: 5" in page.locator(".cw-bulk-count").inner_text()
    page.get_by_label("With the selected questions").select_option(label="Add a tag")
    expect(page.get_by_label("Tag", exact=True)).to_be_visible()
    page.get_by_label("With the selected questions").select_option(label="Send for review")
    screenshot(page, "trainer-bulk-selected")
    page.get_by_role("button", name="Apply to the selected questions").click()
    assert "4 questions done" in page.content()
    refused = page.get_by_role("table", name="Refused questions and why").inner_text()
    assert "d-live" in refused and "Only a draft can be sent for review" in refused
    screenshot(page, "trainer-bulk-summary")
    assert Question.query.filter_by(status="in_review").count() == 4

    page.get_by_role("link", name="Back to the question list").click()
    page.get_by_role("link", name="Coverage").click()
    assert "1 live question" in page.content()
    foundation = page.locator("section", has_text="Foundation mock exam")
    operation = foundation.locator("tr", has_text="Operation of the SMS").inner_text()
    assert "16" in operation and "15 short" in operation  # the one live question counts
    assert "No complete mock exam can be drawn yet." in foundation.inner_text()
    screenshot(page, "trainer-coverage")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "trainer-coverage-phone")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 390  # tables scroll inside their cards, the page does not
    page.goto(f"{live_server}/train/banks/{bank.id}")
    screenshot(page, "trainer-bank-list-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
