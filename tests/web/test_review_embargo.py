"""While an exam's review is closed, nothing the learner sees says which item was right:
no clause row of one item, no nested rows to subtract, no review set of the items missed."""

from datetime import timedelta

import pytest

from app.errors import Conflict, InvalidInput
from app.extensions import db
from app.models import Attempt, Role
from app.models.base import utcnow
from app.services import answering, attempts
from tests.factories import PASSWORD, bearer, in_daytime, public_answer


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
    assert "no figure gives a single answer away" in page
    deadline = attempt.deadline_at
    opens = f"{deadline:%B} {deadline.day}, {deadline:%Y} at {deadline:%H:%M} (UTC time)"
    assert f"answers and explanations of this exam open on {opens}" in page
    assert "Drill these clauses" not in page  # the weakest clauses would name wrong items
    rows = page.split("Results by clause</caption>")[1].split("</tbody>")[0]
    assert rows.count("<tr>") >= 2
    assert not any(f">{c} <" in rows for c in attempt.result["clauses"] if "." in c)
    assert "/ 1.0</td>" not in rows and "/ 2.0</td>" not in rows

    attempt.deadline_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    page = client.get(f"/learn/attempts/{attempt.id}/result").data.decode()
    assert "no figure gives a single answer away" not in page
    assert "Your answer:" in page


def test_the_api_gives_pooled_groups_of_three_or_more_items_until_review_opens(
    client, make_user, banks
):
    learner = make_user(role=Role.LEARNER)
    attempt = _sit_practitioner(learner)
    headers = bearer(learner)
    result = client.get(f"/api/v1/attempts/{attempt.id}/result", headers=headers).json
    assert result["result"]["clauses"] == {} and result["result"]["review_open"] is False
    groups = result["result"]["clause_groups"]
    assert sum(g["items"] for g in groups) == len(attempt.items)
    assert all(g["items"] >= 3 for g in groups)
    again = client.post(f"/api/v1/attempts/{attempt.id}/submit", headers=headers).json
    assert again["result"]["clauses"] == {}


def test_a_review_set_never_draws_on_an_exam_whose_review_is_closed(app, make_user, banks):
    learner = in_daytime(make_user(role=Role.LEARNER))
    attempt = _sit_practitioner(learner)
    review = attempts.StartOptions(mode="review", count=10, seed=2)
    with pytest.raises(InvalidInput, match="Nothing is due"):
        attempts.start_attempt(learner, "practitioner", review)
    attempt.deadline_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    drawn = attempts.start_attempt(learner, "practitioner", review)
    assert {i.version_id for i in drawn.items} <= {i.version_id for i in attempt.items}


def _practice(learner, count: int, seed: int = 4):
    return attempts.start_attempt(
        learner, "practitioner", attempts.StartOptions(mode="practice", count=count, seed=seed)
    )


def _drawable(learner) -> set[int]:
    """The versions practice sets can draw for a learner: the union of ten full draws.

    A set holds at most 100 questions and the bank has more, so one draw cannot show
    them all; ten seeded draws of 100 miss a given question with odds below 1e-6.
    """
    drawn: set[int] = set()
    for seed in range(10, 20):
        practice = _practice(learner, 100, seed)
        drawn |= {i.version_id for i in practice.items}
        answering.submit_attempt(learner, practice.id)  # open sets are limited
    return drawn


def test_practice_never_draws_the_questions_of_an_exam_not_yet_reviewed(app, make_user, banks):
    everything = _drawable(make_user(role=Role.LEARNER))
    learner = make_user(role=Role.LEARNER)
    mock = attempts.start_attempt(learner, "practitioner", attempts.StartOptions(seed=8))
    in_mock = {i.version_id for i in mock.items}
    practice = _practice(learner, 40)
    assert in_mock.isdisjoint(i.version_id for i in practice.items)
    assert _drawable(learner) == everything - in_mock  # all that is left
    answering.submit_attempt(learner, mock.id)  # submitted early: the review is still closed
    assert in_mock.isdisjoint(i.version_id for i in _practice(learner, 40, seed=5).items)
    mock.deadline_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert in_mock <= _drawable(learner)


def test_a_practice_set_drawn_before_the_exam_keeps_the_exams_keys_hidden(client, make_user, banks):
    learner = make_user(role=Role.LEARNER)
    practice = _practice(learner, 100)  # most of the Practitioner questions
    mock = attempts.start_attempt(learner, "practitioner", attempts.StartOptions(seed=8))
    shared = next(i for i in practice.items if i.version_id in {m.version_id for m in mock.items})
    with pytest.raises(Conflict, match="its answer is shown once that exam's review opens"):
        answering.check_practice_answer(learner, practice.id, shared.position)
    answering.submit_attempt(learner, practice.id)
    headers = bearer(learner)
    items = client.get(f"/api/v1/attempts/{practice.id}/result", headers=headers).json["items"]
    hidden = {i["position"] for i in items if "review" not in i}
    in_mock = {i.version_id for i in mock.items}
    assert hidden == {i.position for i in practice.items if i.version_id in in_mock}
    login = client.post("/login", data={"email": learner.email, "password": PASSWORD})
    assert login.status_code == 302
    page = client.get(f"/learn/attempts/{practice.id}/result").data.decode()
    assert page.count("its answer is shown once that exam's review opens") == len(hidden)


def test_certainty_based_marks_stay_hidden_until_review_opens(client, make_user, banks):
    learner = make_user(role=Role.LEARNER)
    options = attempts.StartOptions(seed=3, cbm=True)
    attempt = attempts.start_attempt(learner, "practitioner", options)
    item = next(i for i in attempt.items if i.version.type == "single_choice")
    key = next(o.key for o in item.version.options if o.correct)
    answering.record_answer(
        learner, attempt.id, item.position, public_answer(attempt, item, key), 3
    )
    answering.submit_attempt(learner, attempt.id)
    assert attempt.result["cbm"] != 0  # what would say whether the sure answer was right
    headers = bearer(learner)
    result = client.get(f"/api/v1/attempts/{attempt.id}/result", headers=headers).json["result"]
    assert "cbm" not in result
    client.post("/login", data={"email": learner.email, "password": PASSWORD})
    assert "Certainty-based marks" not in client.get(f"/learn/attempts/{attempt.id}/result").text


def test_a_practice_set_left_empty_by_the_embargo_says_why(app, make_user, banks):
    from app.queries import banks as bank_queries

    learner = make_user(role=Role.LEARNER)
    items, versions = bank_queries.published_pool()
    practitioner = [versions[i.id] for i in items if i.level == "practitioner"]
    clauses_of = bank_queries.mapped_clauses(practitioner)
    held: set[int] = set()
    for seed in range(1, 8):  # open mocks until some clause has no question left outside them
        mock = attempts.start_attempt(learner, "practitioner", attempts.StartOptions(seed=seed))
        held |= {i.version_id for i in mock.items}
        by_clause: dict[str, set[int]] = {}
        for vid in practitioner:
            for clause in clauses_of.get(vid, []):
                parts = clause.split(".")  # a clause drill takes its sub-clauses too
                for n in range(1, len(parts) + 1):
                    by_clause.setdefault(".".join(parts[:n]), set()).add(vid)
        covered = [c for c, vids in by_clause.items() if vids <= held]
        if covered:
            break
    clause = covered[0]
    options = attempts.StartOptions(mode="practice", clauses=[clause], count=5, seed=1)
    with pytest.raises(InvalidInput, match="kept out of other attempts until their review opens"):
        attempts.start_attempt(learner, "practitioner", options)
