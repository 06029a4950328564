"""Spaced review: the home's due counts, the reviews page, and the recall rating."""

from __future__ import annotations

import re
from datetime import timedelta

from babel.dates import format_skeleton

from app.analytics import history
from app.domain.scheduling import is_due
from app.extensions import db
from app.models import Attempt, AttemptItem, Response, Role
from app.models.base import utcnow
from app.services import answering, attempts
from tests.factories import PASSWORD, in_daytime, public_answer


def _choice_items(attempt: Attempt) -> list[AttemptItem]:
    return [i for i in attempt.items if i.version.type == "single_choice"]


def _answer(learner, attempt: Attempt, item: AttemptItem, right: bool) -> None:
    """Answer a single choice item right or wrong, and check it."""
    option = next(o.key for o in item.version.options if o.correct is right)
    value = public_answer(attempt, item, option)
    answering.record_answer(learner, attempt.id, item.position, value)
    answering.check_practice_answer(learner, attempt.id, item.position)


def _practised(learner, wrong: int = 2, right: int = 2) -> tuple[Attempt, list[AttemptItem]]:
    """A practice set with `wrong` single choice answers missed and `right` ones right."""
    in_daytime(learner)
    practice = attempts.start_attempt(
        learner, "foundation", attempts.StartOptions(mode="practice", count=30, seed=3)
    )
    chosen = _choice_items(practice)[: wrong + right]
    assert len(chosen) == wrong + right
    for n, item in enumerate(chosen):
        _answer(learner, practice, item, right=n >= wrong)
    return practice, chosen


def _review(learner) -> Attempt:
    return attempts.start_attempt(
        learner, "foundation", attempts.StartOptions(mode="review", count=10, seed=4)
    )


def _checked_review(learner) -> tuple[Attempt, AttemptItem]:
    """A review set of the missed items with its first one answered right and checked."""
    _practised(learner)
    review = _review(learner)
    item = _choice_items(review)[0]
    _answer(learner, review, item, right=True)
    return review, item


def _recall_of(item: AttemptItem) -> int | None:
    return db.session.scalar(
        Response.__table__.select()
        .with_only_columns(Response.recall)
        .where(Response.item_id == item.id)
    )


def test_the_home_counts_reviews_due_today_and_over_the_week(client, login_as, banks):
    learner = login_as(Role.LEARNER)
    fresh = client.get("/learn/").data.decode()
    assert "0 reviews due today" in fresh and "0 more come due over the next 7 days" in fresh
    assert "Start review" not in fresh
    _practised(learner, wrong=2, right=3)
    page = client.get("/learn/").data.decode()
    assert "2 reviews due today" in page  # the two missed: back the same day
    assert "3 more come due over the next 7 days" in page  # right: back in two days
    button = r'name="mode" value="review">.*?Start review: Foundation \(2 due\)'
    assert re.search(button, page, re.S)


def test_start_review_draws_the_items_due(client, login_as, banks):
    learner = login_as(Role.LEARNER)
    _practice, chosen = _practised(learner, wrong=2, right=2)
    started = client.post(
        "/learn/attempts",
        data={"scheme": "foundation", "mode": "review", "count": "2", "layout": "single"},
    )
    assert started.status_code == 302
    review = db.session.scalars(
        Attempt.query.filter_by(user_id=learner.id, mode="review").statement
    ).one()
    assert {i.version_id for i in review.items} == {i.version_id for i in chosen[:2]}


def test_a_learner_rates_recall_and_the_rating_reschedules_the_item(client, login_as, banks):
    learner = login_as(Role.LEARNER)
    review, item = _checked_review(learner)
    key = item.version.question.key
    page = client.get(f"/learn/attempts/{review.id}?q={item.position}").data.decode()
    assert "How well did you recall it?" in page and 'value="easy"' in page
    derived = history.review_schedule(learner.id)[key]
    zone = history.learner_zone(learner.id)
    assert not is_due(derived, utcnow(), zone)  # right: back tomorrow at the soonest
    url = f"/learn/attempts/{review.id}/recall/{item.position}"
    rated = client.post(url, data={"recall": "again"})
    assert rated.status_code == 302 and _recall_of(item) == 1
    assert is_due(history.review_schedule(learner.id)[key], utcnow(), zone)  # back today
    again = client.get(rated.location).data.decode()
    assert 'aria-pressed="true"' in again and "your rating sets when" in again
    client.post(url, data={"recall": "easy"})  # changed while the set is open
    assert _recall_of(item) == 4
    assert history.review_schedule(learner.id)[key].stability > derived.stability


def test_a_bad_rating_is_refused_with_a_message_and_nothing_is_written(client, login_as, banks):
    learner = login_as(Role.LEARNER)
    review, item = _checked_review(learner)
    for bad in ("perfect", "", "3", "EASY"):
        refused = client.post(
            f"/learn/attempts/{review.id}/recall/{item.position}", data={"recall": bad}
        )
        assert refused.status_code == 400
        assert "Choose how well you recalled it: Again, Hard, Good or Easy." in refused.text
        assert _recall_of(item) is None


def test_only_a_checked_answer_of_the_learners_own_open_review_may_be_rated(
    client, login_as, make_user, banks
):
    owner = make_user(role=Role.LEARNER)
    review, item = _checked_review(owner)
    unchecked = next(i for i in review.items if i.checked_at is None)
    login_as(Role.LEARNER)  # someone else
    url = f"/learn/attempts/{review.id}/recall/{item.position}"
    assert client.post(url, data={"recall": "good"}).status_code == 404
    assert _recall_of(item) is None
    login_as(user=owner)
    refused = client.post(
        f"/learn/attempts/{review.id}/recall/{unchecked.position}",
        data={"recall": "good"},
        follow_redirects=True,
    )
    assert "Check your answer before you rate" in refused.text
    assert _recall_of(unchecked) is None
    answering.submit_attempt(owner, review.id)
    closed = client.post(url, data={"recall": "good"}, follow_redirects=True)
    assert "This review set is closed" in closed.text and _recall_of(item) is None


def test_practice_answers_take_no_recall_rating(client, login_as, banks):
    learner = login_as(Role.LEARNER)
    practice, chosen = _practised(learner, wrong=1, right=0)
    page = client.get(f"/learn/attempts/{practice.id}?q={chosen[0].position}").text
    assert "How well did you recall it?" not in page
    refused = client.post(
        f"/learn/attempts/{practice.id}/recall/{chosen[0].position}",
        data={"recall": "good"},
        follow_redirects=True,
    )
    assert "review sets only" in refused.text and _recall_of(chosen[0]) is None


def test_the_rating_form_needs_its_csrf_token(make_app, make_user, banks):
    learner = make_user(role=Role.LEARNER)
    review, item = _checked_review(learner)
    strict = make_app(WTF_CSRF_ENABLED=True)
    browser = strict.test_client()
    url = f"/learn/attempts/{review.id}/recall/{item.position}"
    with strict.app_context():
        login_page = browser.get("/login").text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page)[1]
        browser.post(
            "/login", data={"email": learner.email, "password": PASSWORD, "csrf_token": token}
        )
        page = browser.get(f"/learn/attempts/{review.id}?q={item.position}").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
        assert browser.post(url, data={"recall": "good"}).status_code == 400
    assert _recall_of(item) is None
    with strict.app_context():
        assert browser.post(url, data={"recall": "good", "csrf_token": token}).status_code == 302
    assert _recall_of(item) == 3


def test_the_reviews_page_lists_due_dates_without_keys(client, login_as, banks):
    learner = login_as(Role.LEARNER)
    _practice, chosen = _practised(learner, wrong=1, right=1)
    page = client.get("/learn/reviews").text
    assert page.count("<tr>") == 3  # the head and the two items
    assert "Due today" in page  # the one missed
    today = utcnow().astimezone(history.learner_zone(learner.id))
    due_on = format_skeleton("yMMMd", today + timedelta(days=2), locale="en")  # Dec 9, 2026
    assert due_on in page  # the one right: back in two days
    for item in chosen:
        version = item.version
        assert version.stem[:30] in page
        assert version.explanation.strip() == "" or version.explanation[:40] not in page
        right = next(o for o in version.options if o.correct)
        assert right.text not in page


def test_the_reviews_page_is_for_learners_only(client, login_as, banks):
    login_as(Role.TRAINER)
    assert client.get("/learn/reviews").status_code == 403
