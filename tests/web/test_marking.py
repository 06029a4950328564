"""Trainers mark essays through the pages; learners then see the marks and comment."""

import html
import re

import pytest
from markupsafe import escape

from app.extensions import db
from app.models import Attempt, AuditEvent, Response, Role
from tests.factories import PASSWORD, public_answer, sit_auditor_exam

ESSAY = "Requirement: clause 8.5.1.3 <b>and</b> CM-02.\nEvidence: 6 of 25 changes."


def _switch_to(client, user) -> None:
    """Sign the browser out and in again as `user`."""
    client.post("/logout")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, "sign-in failed"


def _essay_responses(attempt: Attempt) -> list[Response]:
    return [i.response for i in attempt.items if i.version.type == "essay" and i.response]


@pytest.fixture
def trainer(make_user):
    """A trainer account (sign in with `_switch_to`)."""
    return make_user(role=Role.TRAINER)


@pytest.fixture
def learner(client, login_as):
    """The browser signed in as a learner."""
    return login_as(Role.LEARNER)


def test_the_queue_lists_essays_of_a_submitted_mock_exam(client, learner, banks, trainer):
    essays = _essay_responses(sit_auditor_exam(learner, essay=ESSAY))
    _switch_to(client, trainer)
    page = client.get("/train/marking")
    assert page.status_code == 200
    text = page.data.decode()
    assert f"{len(essays)} answers waiting for marking" in text
    assert html.escape(learner.display_name) in text
    for response in essays:
        assert f"/train/marking/{response.id}" in text
        assert str(escape(response.item.version.title)) in text
    home = client.get("/train/").data.decode()
    assert 'href="/train/marking"' in home
    assert f"Marking: {len(essays)} answers waiting" in home


def test_the_queue_lists_essays_of_a_practice_set(client, learner, banks, trainer):
    (essay,) = _essay_responses(
        sit_auditor_exam(learner, essay=ESSAY, mode="practice", clauses=["8.5.1.3"])
    )
    _switch_to(client, trainer)
    text = client.get("/train/marking").data.decode()
    assert "1 answer waiting for marking" in text and f"/train/marking/{essay.id}" in text
    assert "0 answers waiting" in client.get("/train/marking?scheme=foundation").data.decode()
    assert "1 answer waiting" in client.get("/train/marking?bank=auditor").data.decode()


def test_an_empty_queue_says_so(client, login_as, banks):
    login_as(Role.TRAINER)
    text = client.get("/train/marking").data.decode()
    assert "0 answers waiting for marking" in text and "Nothing to mark" in text


def test_learners_and_visitors_cannot_reach_the_marking_pages(client, learner, banks, app):
    essay = _essay_responses(sit_auditor_exam(learner, essay=ESSAY))[0]
    url = f"/train/marking/{essay.id}"
    assert client.get("/train/marking").status_code == 403
    assert client.get(url).status_code == 403
    assert client.post(url, data={"marks": "6", "comment": "self-marked"}).status_code == 403
    client.post("/logout")
    assert client.get("/train/marking").headers["Location"].startswith("/login")
    assert client.post(url, data={"marks": "6"}).headers["Location"].startswith("/login")
    db.session.refresh(essay)
    assert essay.graded_by_id is None and essay.score is None


def test_the_marking_page_shows_the_answer_escaped_beside_rubric_and_model_answer(
    client, learner, banks, trainer
):
    essay = _essay_responses(sit_auditor_exam(learner, essay=ESSAY))[0]
    _switch_to(client, trainer)
    page = client.get(f"/train/marking/{essay.id}")
    text = page.data.decode()
    assert page.status_code == 200
    assert "<b>and</b>" not in text
    assert html.escape(ESSAY, quote=False) in text, "line breaks are kept as they were"
    assert "cw-pre-wrap" in text  # white-space: pre-wrap, from clausewise.css
    assert "Rubric" in text and "Model answer" in text
    assert 'name="marks"' in text and 'name="comment"' in text
    assert 'href="/train/marking"' in text


@pytest.mark.parametrize("bad", ["above", "-1", "", "lots"])
def test_bad_marks_show_a_located_error_and_change_nothing(client, learner, banks, trainer, bad):
    essay = _essay_responses(sit_auditor_exam(learner, essay=ESSAY))[0]
    if bad == "above":  # forms are drawn at random: go just past this essay's own marks
        bad = str(essay.item.version.marks + 0.5)
    _switch_to(client, trainer)
    page = client.post(f"/train/marking/{essay.id}", data={"marks": bad, "comment": "x"})
    assert page.status_code == 200
    marks_input = re.search(r'<input[^>]*name="marks"[^>]*>', page.data.decode())[0]
    assert "is-invalid" in marks_input
    assert 'class="invalid-feedback d-block"' in page.data.decode()
    db.session.refresh(essay)
    assert essay.graded_by_id is None and essay.score is None and essay.grader_comment == ""
    assert AuditEvent.query.filter_by(action="response.marked").count() == 0


def test_out_of_range_marks_name_the_bounds(client, learner, banks, trainer):
    essay = _essay_responses(sit_auditor_exam(learner, essay=ESSAY))[0]
    marks = essay.item.version.marks
    _switch_to(client, trainer)
    page = client.post(f"/train/marking/{essay.id}", data={"marks": str(marks + 1)})
    assert f"Give between 0 and {marks:g} marks for this answer." in page.data.decode()


def test_saving_goes_to_the_next_answer_then_back_to_the_queue(client, learner, banks, trainer):
    ids = sorted(r.id for r in _essay_responses(sit_auditor_exam(learner, essay=ESSAY)))
    _switch_to(client, trainer)
    for position, response_id in enumerate(ids):
        saved = client.post(f"/train/marking/{response_id}", data={"marks": "1", "comment": "ok"})
        assert saved.status_code == 302
        following = ids[position + 1] if position + 1 < len(ids) else None
        expected = f"/train/marking/{following}" if following else "/train/marking"
        assert saved.headers["Location"] == expected
    assert "0 answers waiting for marking" in client.get("/train/marking").data.decode()


def test_a_marked_answer_can_be_marked_again(client, learner, banks, trainer):
    essay = _essay_responses(sit_auditor_exam(learner, essay=ESSAY))[0]
    _switch_to(client, trainer)
    client.post(f"/train/marking/{essay.id}", data={"marks": "1", "comment": "first"})
    page = client.get(f"/train/marking/{essay.id}").data.decode()
    assert "Already marked" in page and "first</textarea>" in page
    client.post(f"/train/marking/{essay.id}", data={"marks": "2", "comment": "second"})
    db.session.refresh(essay)
    assert essay.score * essay.item.version.marks == pytest.approx(2)
    assert essay.grader_comment == "second"
    assert AuditEvent.query.filter_by(action="response.marked").count() == 2


def test_only_essays_of_closed_attempts_have_a_marking_page(client, learner, banks, trainer):
    started = client.post(
        "/learn/attempts",
        data={"scheme": "auditor", "mode": "mock", "count": "20", "layout": "single"},
    )
    url = started.headers["Location"]
    attempt = db.session.get(Attempt, int(url.rsplit("/", 1)[1]))
    # Forms are drawn at random: answer whichever automatically graded item came first.
    choice = next(i for i in attempt.items if i.version.type in ("single_choice", "true_false"))
    essay = next(i for i in attempt.items if i.version.type == "essay")
    answer = (
        "true"
        if choice.version.type == "true_false"
        else public_answer(attempt, choice, choice.display_order[0])
    )
    client.post(f"{url}/answers/{choice.position}", data={"response": answer})
    client.post(f"{url}/answers/{essay.position}", data={"response": ESSAY})
    db.session.expire_all()
    _switch_to(client, trainer)
    assert client.get(f"/train/marking/{essay.response.id}").status_code == 404, "still open"
    _switch_to(client, learner)
    client.post(f"{url}/submit")
    _switch_to(client, trainer)
    assert client.get(f"/train/marking/{essay.response.id}").status_code == 200
    assert client.get(f"/train/marking/{choice.response.id}").status_code == 404
    assert client.get("/train/marking/999999").status_code == 404


def test_the_form_is_csrf_protected(client, learner, banks, make_app, trainer):
    essay = _essay_responses(sit_auditor_exam(learner, essay=ESSAY))[0]
    strict = make_app(WTF_CSRF_ENABLED=True)
    browser = strict.test_client()
    with strict.app_context():
        login_page = browser.get("/login").data.decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page)[1]
        signed_in = browser.post(
            "/login", data={"email": trainer.email, "password": PASSWORD, "csrf_token": token}
        )
        assert signed_in.status_code == 302
        page = browser.get(f"/train/marking/{essay.id}").data.decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
        refused = browser.post(f"/train/marking/{essay.id}", data={"marks": "2"})
        assert refused.status_code == 400 and b"Form expired" in refused.data
    # Checked in the test's own app context, not the second app's (whose engine is
    # disposed at teardown), so no connection outlives its pool.
    db.session.refresh(essay)
    assert essay.graded_by_id is None
    with strict.app_context():
        accepted = browser.post(
            f"/train/marking/{essay.id}", data={"marks": "2", "csrf_token": token}
        )
        assert accepted.status_code == 302
    db.session.refresh(essay)
    assert essay.graded_by_id == trainer.id


def test_marking_updates_the_learners_result_page(client, learner, banks, trainer):
    attempt = sit_auditor_exam(learner, essay=ESSAY, mode="practice", clauses=["8.5.1.3"])
    (essay,) = _essay_responses(attempt)
    marks = essay.item.version.marks
    result_url = f"/learn/attempts/{attempt.id}/result"
    before = client.get(result_url).data.decode()
    assert "Awaiting marking by a trainer" in before and "1 answer awaiting marking" in before
    comment = "Good evidence.\nCite <CM-02> as well."
    _switch_to(client, trainer)
    saved = client.post(
        f"/train/marking/{essay.id}", data={"marks": str(marks / 2), "comment": comment}
    )
    assert saved.status_code == 302
    _switch_to(client, learner)
    after = client.get(result_url).data.decode()
    assert "answer awaiting marking" not in after
    (review,) = [part for part in after.split("<article")[1:] if "· Essay" in part]
    assert "Awaiting marking by a trainer" not in review
    assert f"Score: {round(marks / 2, 2)} of {marks}" in review
    assert "Marked by a trainer" in review
    assert html.escape(comment, quote=False) in review and "<CM-02>" not in after
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).result["pending"] == 0


def test_a_marked_mock_exam_shows_the_new_score_and_verdict(client, learner, banks, trainer):
    attempt = sit_auditor_exam(learner, essay=ESSAY)
    result_url = f"/learn/attempts/{attempt.id}/result"
    assert "answers awaiting marking" in client.get(result_url).data.decode()
    _switch_to(client, trainer)
    for response in _essay_responses(attempt):
        marks = response.item.version.marks
        client.post(f"/train/marking/{response.id}", data={"marks": str(marks)})
    _switch_to(client, learner)
    after = client.get(result_url).data.decode()
    assert "awaiting marking" not in after
    assert "Not yet a pass" in after, "only the essays were answered: the exam is not passed"
    db.session.expire_all()
    marked = db.session.get(Attempt, attempt.id)
    essay_marks = sum(r.item.version.marks for r in _essay_responses(marked))
    assert marked.score == pytest.approx(essay_marks) and marked.passed is False


def test_the_marking_page_says_which_language_the_question_was_shown_in(
    client, learner, banks, trainer
):
    response = _essay_responses(sit_auditor_exam(learner, essay=ESSAY))[0]
    response.language = "zh-Hans"
    db.session.commit()
    _switch_to(client, trainer)
    page = client.get(f"/train/marking/{response.id}").data.decode()
    assert "The question was shown in Chinese (Simplified)." in page
