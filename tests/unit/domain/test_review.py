"""The review rules: a new version waits beside the live one until it is approved."""

import pytest

from app.domain.review import ReviewState, actions, after_action, with_new_version

PUBLISHED_V1 = ReviewState("published", current=1, live=1)


def test_a_change_to_a_published_question_waits_beside_the_live_version():
    changed = with_new_version(PUBLISHED_V1, 2, "draft")
    assert changed == ReviewState("draft", current=2, live=1) and changed.pending
    in_review = with_new_version(PUBLISHED_V1, 2, "review", saver=7)
    assert in_review == ReviewState("in_review", current=2, live=1, requested_by=7)


def test_only_the_publish_route_or_an_approval_makes_a_version_live():
    assert with_new_version(PUBLISHED_V1, 2, "publish") == ReviewState("published", 2, 2)
    in_review = with_new_version(PUBLISHED_V1, 2, "review", saver=7)
    assert after_action(in_review, "approve", 8) == ReviewState("published", 2, 2)


def test_returning_a_change_keeps_the_live_version_and_discarding_brings_it_back():
    in_review = with_new_version(PUBLISHED_V1, 2, "review", saver=7)
    returned = after_action(in_review, "return", 8)
    assert returned == ReviewState("draft", current=2, live=1)
    assert "discard" in actions(returned)
    assert after_action(returned, "discard", 8) == PUBLISHED_V1


def test_retiring_takes_the_live_version_out_and_a_new_question_has_none():
    pending = with_new_version(PUBLISHED_V1, 2, "draft")
    assert after_action(pending, "retire", 8) == ReviewState("retired", current=2, live=None)
    new = with_new_version(ReviewState("draft", None), 5, "draft")
    assert new == ReviewState("draft", current=5) and "discard" not in actions(new)
    retired = ReviewState("retired", current=2)
    assert with_new_version(retired, 3, "publish") == ReviewState("retired", current=3)


def test_an_action_the_state_does_not_allow_is_refused():
    with pytest.raises(KeyError):
        after_action(PUBLISHED_V1, "approve", 8)
    with pytest.raises(ValueError):
        with_new_version(PUBLISHED_V1, 2, "go-live")
