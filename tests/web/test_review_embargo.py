"""While an exam's review is closed, nothing the learner sees says which item was right:
no clause row of one item, no nested rows to subtract, no review set of the items missed."""

from datetime import timedelta

import pytest

from app.errors import InvalidInput
from app.extensions import db
from app.models import Attempt
from app.models.base import utcnow
from app.security import Role
from app.services import answering, attempts, tokens
from tests.factories import public_answer


def _sit_practitioner(learner, seed: int = 3) -> Attempt:
    """A Practitioner mock (review after the deadline), its single-choice items answered
    right and wrong by turns, submitted early."""
    attempt = attempts.start_attempt(learner, "practitioner", attempts.StartOptions(seed=seed))
    for n, item in enumerate(i for i in attempt.items if i.version.type == "single_choice"):
        chosen = next(o.key for o in item.version.options if o.correct == (n % 2 == 0))
        answering.record_answer(
            learner, attempt.id, item.position, public_answer(attempt, item, chosen)
        )
    return answering.submit_attempt(learner, attempt.id)


def test_the_result_page_pools_clause_results_until_review_opens(client, login_as, banks):
    learner = login_as(Role.LEARNER)
    attempt = _sit_practitioner(learner)
    assert any(v["max"] == 1 for v in attempt.result["clauses"].values())  # what would leak
    page = client.get(f"/learn/attempts/{attempt.id}/result").data.decode()
    assert "no row gives a single answer away" in page
    rows = page.split("Results by clause</caption>")[1].split("</tbody>")[0]
    assert rows.count("<tr>") >= 2
    assert not any(f">{c} <" in rows for c in attempt.result["clauses"] if "." in c)
    assert "/ 1.0</td>" not in rows and "/ 2.0</td>" not in rows

    attempt.deadline_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    page = client.get(f"/learn/attempts/{attempt.id}/result").data.decode()
    assert "no row gives a single answer away" not in page
    assert "Your answer:" in page


def test_the_api_gives_pooled_groups_of_three_or_more_items_until_review_opens(
    client, make_user, banks
):
    learner = make_user(role=Role.LEARNER)
    attempt = _sit_practitioner(learner)
    _t, plain = tokens.create_token(learner, "tests")
    headers = {"Authorization": f"Bearer {plain}"}
    result = client.get(f"/api/v1/attempts/{attempt.id}/result", headers=headers).json
    assert result["result"]["clauses"] == {} and result["result"]["review_open"] is False
    groups = result["result"]["clause_groups"]
    assert sum(g["items"] for g in groups) == len(attempt.items)
    assert all(g["items"] >= 3 for g in groups)
    again = client.post(f"/api/v1/attempts/{attempt.id}/submit", headers=headers).json
    assert again["result"]["clauses"] == {}


def test_a_review_set_never_draws_on_an_exam_whose_review_is_closed(app, make_user, banks):
    learner = make_user(role=Role.LEARNER)
    attempt = _sit_practitioner(learner)
    review = attempts.StartOptions(mode="review", count=10, seed=2)
    with pytest.raises(InvalidInput, match="Nothing is due"):
        attempts.start_attempt(learner, "practitioner", review)
    attempt.deadline_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    drawn = attempts.start_attempt(learner, "practitioner", review)
    assert {i.version_id for i in drawn.items} <= {i.version_id for i in attempt.items}
