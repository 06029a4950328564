"""The learner's own recall rating, as the service stores or refuses it."""

import pytest

from app.errors import Conflict, InvalidInput, NotFound
from app.models import Attempt, AttemptItem, Response
from app.services import answering, attempts, recall
from tests.factories import in_daytime, public_answer


def _answer(learner, attempt: Attempt, item: AttemptItem, right: bool) -> None:
    option = next(o.key for o in item.version.options if o.correct is right)
    answering.record_answer(
        learner, attempt.id, item.position, public_answer(attempt, item, option)
    )
    answering.check_practice_answer(learner, attempt.id, item.position)


def _review_with_a_checked_answer(learner) -> tuple[Attempt, AttemptItem]:
    in_daytime(learner)
    practice = attempts.start_attempt(
        learner, "foundation", attempts.StartOptions(mode="practice", count=20, seed=3)
    )
    missed = [i for i in practice.items if i.version.type == "single_choice"][:2]
    for item in missed:
        _answer(learner, practice, item, right=False)
    review = attempts.start_attempt(
        learner, "foundation", attempts.StartOptions(mode="review", count=5, seed=1)
    )
    item = review.items[0]
    _answer(learner, review, item, right=True)
    return review, item


def _stored(item: AttemptItem) -> int | None:
    return Response.query.filter_by(item_id=item.id).one().recall


def test_the_owner_rates_a_checked_review_answer(banks, make_user):
    learner = make_user()
    review, item = _review_with_a_checked_answer(learner)
    assert recall.rate_recall(learner, review.id, item.position, "hard") == 2
    assert _stored(item) == 2


@pytest.mark.parametrize("bad", ["", "medium", "4", "Good", " good"])
def test_anything_but_the_four_ratings_is_refused_and_nothing_written(banks, make_user, bad):
    learner = make_user()
    review, item = _review_with_a_checked_answer(learner)
    with pytest.raises(InvalidInput, match="Again, Hard, Good or Easy"):
        recall.rate_recall(learner, review.id, item.position, bad)
    assert _stored(item) is None


def test_no_one_else_rates_and_a_closed_set_keeps_its_ratings(banks, make_user):
    learner = make_user()
    review, item = _review_with_a_checked_answer(learner)
    with pytest.raises(NotFound):
        recall.rate_recall(make_user(), review.id, item.position, "good")
    with pytest.raises(NotFound):
        recall.rate_recall(learner, review.id, 99, "good")
    recall.rate_recall(learner, review.id, item.position, "good")
    answering.submit_attempt(learner, review.id)
    with pytest.raises(Conflict, match="closed"):
        recall.rate_recall(learner, review.id, item.position, "easy")
    assert _stored(item) == 3
