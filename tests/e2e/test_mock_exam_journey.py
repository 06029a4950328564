"""A learner sits a Foundation mock exam in the browser, resumes it, and sees the result."""

from app.extensions import db
from app.models import Attempt, Response, Role
from tests.e2e.conftest import screenshot, sign_in


def test_learner_sits_resumes_and_finishes_a_mock_exam(
    browser, page, live_server, make_user, banks
):
    learner = make_user(role=Role.LEARNER)
    sign_in(page, live_server, learner.email, lands_on="/learn/")
    screenshot(page, "learner-home")
    card = page.locator(".card", has_text="Foundation mock exam")
    card.get_by_role("button", name="Start").click()
    page.wait_for_url(f"{live_server}/learn/attempts/*")
    assert page.locator("#timer").inner_text() != "--:--"

    # Answer the first five questions by clicking; each change is saved at once.
    for position in range(1, 6):
        form = page.locator(f"#q{position} form.cw-answer")
        form.locator("input.form-check-input").first.check()
        # a locator, not wait_for_function: the CSP forbids the eval that one needs
        page.locator(f'.cw-cell[data-position="{position}"].is-answered').wait_for()
        if position == 3:
            screenshot(page, "mock-exam-question")
        page.get_by_role("button", name="Next").click()
        # The next question's page must have run its script before an option is chosen,
        # or the change that saves the answer has no listener yet (seen on a busy machine).
        page.wait_for_url(f"**q={position + 1}*")
        page.wait_for_load_state("load")
    page.get_by_role("button", name="Flag for review").click()
    attempt = Attempt.query.one()
    assert Response.query.count() == 5

    # Close the browser and come back: same questions, same answers.
    resume_url = page.url.split("?")[0]
    page.context.close()
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    again = context.new_page()
    sign_in(again, live_server, learner.email, lands_on="/learn/")
    again.get_by_role("link", name="Resume").click()
    again.wait_for_url(f"{resume_url}*")
    assert again.locator(".cw-cell.is-answered:not(.cw-legend)").count() == 5
    assert again.locator(".cw-cell.is-flagged:not(.cw-legend)").count() == 1

    again.get_by_role("link", name="All on one page").click()
    screenshot(again, "mock-exam-all-on-one-page", full_page=False)
    again.get_by_role("link", name="Review and submit").click()
    again.wait_for_url(f"{resume_url}/submit*")
    assert again.locator("#unanswered .cw-cell").count() == len(attempt.items) - 5
    assert again.locator("#flagged .cw-cell").count() == 1
    screenshot(again, "mock-exam-review-and-submit", full_page=False)
    again.get_by_role("button", name="Submit now").click()
    again.wait_for_url(f"{resume_url}/result")
    assert "Results by clause" in again.content()
    screenshot(again, "mock-exam-result", full_page=False)
    again.get_by_role("link", name="Flagged (1)").click()
    again.wait_for_url("**show=flagged*")
    assert again.locator("article.cw-answer-card").count() == 1
    again.locator("#answer-filters").scroll_into_view_if_needed()
    screenshot(again, "mock-exam-result-flagged", full_page=False)
    context.close()
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).status == "submitted"
