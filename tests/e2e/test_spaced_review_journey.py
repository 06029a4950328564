"""A learner who missed a question in practice sees it due today on the home page, starts
a review, answers it, rates their recall with the keyboard, and sees when it comes back."""

from datetime import timedelta

from babel.dates import format_skeleton

from app.extensions import db
from app.models import Attempt, Response, Role
from app.models.base import utcnow
from app.services import answering, attempts
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import in_daytime, make_user, public_answer


def _practised(learner) -> None:
    """Two checked practice answers: the first single choice item missed, the second right."""
    in_daytime(learner)
    practice = attempts.start_attempt(
        learner, "foundation", attempts.StartOptions(mode="practice", count=30, seed=3)
    )
    chosen = [i for i in practice.items if i.version.type == "single_choice"][:2]
    for item, right in zip(chosen, (False, True), strict=True):
        option = next(o.key for o in item.version.options if o.correct is right)
        answering.record_answer(
            learner, practice.id, item.position, public_answer(practice, item, option)
        )
        answering.check_practice_answer(learner, practice.id, item.position)


def test_learner_reviews_a_missed_question_and_rates_recall(page, live_server, banks):
    learner = make_user(role=Role.LEARNER)
    _practised(learner)

    sign_in(page, live_server, learner.email, lands_on="/learn/")
    reviews = page.get_by_role("region", name="Spaced review")
    assert "1 review due today" in reviews.inner_text()
    assert "1 more comes due over the next 7 days" in reviews.inner_text()
    reviews.get_by_role("button", name="Start review").click()
    page.wait_for_url(f"{live_server}/learn/attempts/*")

    review = db.session.scalars(
        db.select(Attempt).where(Attempt.user_id == learner.id, Attempt.mode == "review")
    ).one()
    (item,) = review.items
    right = next(o.key for o in item.version.options if o.correct)
    page.locator(f"#q1 input[type=radio][value='{public_answer(review, item, right)}']").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Check answer").click()

    recall = page.get_by_role("group", name="How well did you recall it? (optional)")
    easy = recall.get_by_role("button", name="Easy")
    easy.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the keyboard alone rates
    assert "Saved: your rating sets when this question comes back." in page.content()
    assert recall.get_by_role("button", name="Easy").get_attribute("aria-pressed") == "true"
    screenshot(page, "spaced-review-rated")
    db.session.expire_all()
    assert db.session.scalar(db.select(Response.recall).where(Response.item_id == item.id)) == 4

    page.goto(f"{live_server}/learn/")
    reviews = page.get_by_role("region", name="Spaced review")
    assert "0 reviews due today" in reviews.inner_text()
    screenshot(page, "spaced-review-home")
    reviews.get_by_role("link", name="Your reviews").click()
    page.wait_for_url(f"{live_server}/learn/reviews")
    rows = page.locator("table.cw-review-list tbody tr")
    assert rows.count() == 2
    right_back = format_skeleton("yMMMd", utcnow() + timedelta(days=2), locale="en")
    assert right_back in rows.first.inner_text() or right_back in rows.last.inner_text()
    assert "Due today" not in page.locator("table.cw-review-list").inner_text()
    screenshot(page, "spaced-review-list")
