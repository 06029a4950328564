"""A learner sits a mock exam through the pages; no key material leaks before submission."""

import html
import re

import pytest

from app.models import Attempt, Response, Role
from app.queries import banks as bank_queries
from tests.factories import public_answer


def _key_material(attempt: Attempt) -> list[str]:
    """Texts that only someone who knows the key could show."""
    records = bank_queries.version_records([i.version_id for i in attempt.items])
    found = []
    for record in records.values():
        found.append(record.explanation.strip()[:60])
        found += [o.feedback[:60] for o in record.options if o.feedback]
        found += [record.feedback_true[:60], record.feedback_false[:60]]
        found += [record.model_answer[:60]] + [c.guidance[:60] for c in record.rubric]
        found += [record.correct_feedback[:60], record.incorrect_feedback[:60]]
    return [html.escape(text, quote=True) for text in found if len(text) >= 12]


def _start(client, **fields):
    data = {"scheme": "foundation", "mode": "mock", "count": "20", "layout": "single", **fields}
    response = client.post("/learn/attempts", data=data)
    assert response.status_code == 302, response.data[:500]
    return response.headers["Location"]


def test_a_whole_mock_attempt_never_shows_key_material(client, login_as, banks):
    login_as(Role.LEARNER)
    url = _start(client)
    attempt = Attempt.query.one()
    secrets = _key_material(attempt)
    script = client.get("/static/exam.js")
    bodies = [client.get(url + "?layout=all").data, script.data]
    script.close()
    for item in attempt.items:
        bodies.append(client.get(f"{url}?q={item.position}").data)
        if item.version.type not in ("single_choice", "multiple_response", "true_false"):
            continue
        answer = "true"
        if item.version.type == "single_choice":
            answer = public_answer(attempt, item, item.display_order[0])
        elif item.version.type == "multiple_response":
            answer = public_answer(attempt, item, [item.display_order[0]])[0]
        saved = client.post(
            f"{url}/answers/{item.position}",
            data={"response": answer},
            headers={"Accept": "application/json"},
        )
        assert saved.status_code == 200, saved.json
        bodies.append(saved.data)
    for body in bodies:
        text = body.decode()
        assert '"correct"' not in text and "correct_response" not in text
        leaked = [s for s in secrets if s in text]
        assert leaked == [], leaked[:3]
    client.post(f"{url}/submit")
    result = client.get(f"{url}/result").data.decode()
    assert "Results by clause" in result
    assert any(s in result for s in secrets), "the result page shows explanations"


def test_resuming_shows_the_same_items_and_answers(client, login_as, banks):
    learner = login_as(Role.LEARNER)
    url = _start(client)
    attempt = Attempt.query.one()
    first = next(i for i in attempt.items if i.version.type == "single_choice")
    answer = public_answer(attempt, first, first.display_order[1])
    saved = client.post(f"{url}/answers/{first.position}", data={"response": answer})
    assert saved.status_code == 302
    client.post("/logout")
    login_as(user=learner)
    page = client.get(f"{url}?q={first.position}").data.decode()
    n = first.position
    assert re.search(rf'id="q{n}-{answer}" value="{answer}"\s+checked', page)
    other = public_answer(attempt, first, first.display_order[0])
    assert re.search(rf'id="q{n}-{other}" value="{other}"\s+>', page)


def test_double_submit_shows_one_result(client, login_as, banks):
    login_as(Role.LEARNER)
    url = _start(client)
    assert client.post(f"{url}/submit").status_code == 302
    assert client.post(f"{url}/submit").status_code == 302
    attempt = Attempt.query.one()
    assert attempt.status == "submitted" and attempt.score == 0


def test_late_autosave_gets_a_clear_json_error(client, login_as, banks):
    from datetime import timedelta

    from app.extensions import db
    from app.models.base import utcnow

    login_as(Role.LEARNER)
    url = _start(client)
    attempt = Attempt.query.one()
    attempt.deadline_at = utcnow() - timedelta(seconds=5)
    db.session.commit()
    late = client.post(
        f"{url}/answers/1", data={"response": "a"}, headers={"Accept": "application/json"}
    )
    assert late.status_code == 409 and "Time is up" in late.json["error"]


@pytest.mark.parametrize("page", ["", "/result"])
def test_an_overdue_attempt_is_closed_when_the_learner_opens_it(client, login_as, banks, page):
    from datetime import timedelta

    from app.extensions import db
    from app.models.base import utcnow

    login_as(Role.LEARNER)
    url = _start(client)
    attempt = Attempt.query.one()
    attempt.deadline_at = utcnow() - timedelta(seconds=5)
    db.session.commit()
    opened = client.get(f"{url}{page}")
    db.session.expire_all()
    assert Attempt.query.one().status == "expired"
    if page == "":
        assert opened.status_code == 302 and opened.headers["Location"].endswith("/result")
    else:
        assert opened.status_code == 200


def _some_answer(attempt, item) -> str:
    """A well-formed answer to a foundation item (right or wrong), as the form posts it."""
    answer = {"true_false": "true", "short_answer": "8.5"}.get(item.version.type, "")
    if item.version.type == "single_choice":
        answer = public_answer(attempt, item, item.display_order[0])
    if item.version.type == "multiple_response":
        answer = public_answer(attempt, item, [item.display_order[0]])
    return answer


@pytest.mark.parametrize("mode", ["practice", "drill"])
def test_practice_and_drill_show_explanations_after_checking(client, login_as, banks, mode):
    login_as(Role.LEARNER)
    url = _start(client, mode=mode, count="3")
    attempt = Attempt.query.one()
    item = attempt.items[0]
    answer = _some_answer(attempt, item)
    saved = client.post(f"{url}/answers/1", data={"response": answer, "check": "1"})
    assert saved.status_code == 302, saved.data[:300]
    assert saved.headers["Location"].endswith("?q=1#q1-feedback")  # the feedback has the focus
    page = client.get(f"{url}?q=1").data.decode()
    assert "Clause reference:" in page


def test_next_after_checking_moves_on_and_keeps_the_checked_answer(client, login_as, banks):
    login_as(Role.LEARNER)
    url = _start(client, mode="practice", count="3")
    attempt = Attempt.query.one()
    item = attempt.items[0]
    answer = _some_answer(attempt, item)
    client.post(f"{url}/answers/1", data={"response": answer, "check": "1"})
    stored = Response.query.one().value
    # the page's Next button posts the locked form again, with another answer even
    moved = client.post(f"{url}/answers/1", data={"response": "changed", "go": "2"})
    assert moved.status_code == 302 and moved.headers["Location"].endswith("q=2")
    assert "already checked" not in client.get(moved.headers["Location"]).data.decode()
    assert Response.query.one().value == stored
    as_json = client.post(
        f"{url}/answers/1", data={"response": answer}, headers={"Accept": "application/json"}
    )
    assert as_json.status_code == 409


def test_history_lists_attempts(client, login_as, banks):
    login_as(Role.LEARNER)
    url = _start(client)
    client.post(f"{url}/submit")
    page = client.get("/learn/history").data.decode()
    assert "submitted" in page and "Mock exam scores" in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({0: "1"}, "Give every step a number from 1 to"),
        ({0: "1", 1: "1", 2: "1", 3: "1", 4: "1"}, "Use each number from 1 to"),
        ({0: "1", 1: "2", 2: "3", 3: "4", 4: "9"}, "Use each number from 1 to"),
        ({0: "x", 1: "2", 2: "3", 3: "4", 4: "5"}, "Give every step a number from 1 to"),
        ({0: "²", 1: "2", 2: "3", 3: "4", 4: "5"}, "Give every step a number from 1 to"),
        ({0: "-1", 1: "2", 2: "3", 3: "4", 4: "5"}, "Use each number from 1 to"),
    ],
)
def test_a_partial_or_repeated_ranking_is_refused_and_kept_on_the_page(
    client, login_as, banks, typed, message
):
    learner = login_as(Role.LEARNER)
    from app.services import attempts

    attempt = attempts.start_attempt(
        learner, "practitioner", attempts.StartOptions(mode="mock", seed=21)
    )
    # the typed ranks are written for five steps
    item = next(
        i for i in attempt.items if i.version.type == "ordering" and len(i.display_order) == 5
    )
    steps = [public_answer(attempt, item, [real])[0] for real in item.display_order]
    form = {f"rank-{step}": typed.get(k, "") for k, step in enumerate(steps)}
    url = f"/learn/attempts/{attempt.id}/answers/{item.position}"
    as_json = client.post(url, data=form, headers={"Accept": "application/json"})
    assert as_json.status_code == 400 and message in as_json.json["error"]
    as_page = client.post(url, data={**form, "go": str(item.position + 1)})
    assert as_page.status_code == 400
    page = as_page.data.decode()
    assert message in page
    for k, step in enumerate(steps):
        assert re.search(rf'name="rank-{step}"\s+value="{typed.get(k, "")}"', page)
    assert Response.query.count() == 0


def test_checking_with_nothing_chosen_asks_for_a_choice_and_locks_nothing(client, login_as, banks):
    login_as(Role.LEARNER)
    url = _start(client, mode="practice", count="3", layout="all")
    refused = client.post(f"{url}/answers/2", data={"check": "1", "layout": "all"})
    assert refused.status_code == 400
    page = refused.data.decode()
    assert "Choose or type an answer before you check it." in page
    assert 'id="q3"' in page  # still all on one page
    assert Attempt.query.one().items[1].checked_at is None
    # With an answer, the same button checks it; then back on the all-on-one page, at the
    # question's feedback (which the page's script focuses).
    answer = _some_answer(Attempt.query.one(), Attempt.query.one().items[1])
    checked = client.post(
        f"{url}/answers/2", data={"response": answer, "check": "1", "layout": "all"}
    )
    location = checked.headers["Location"]
    assert checked.status_code == 302 and location.endswith("layout=all#q2-feedback")
    assert Attempt.query.one().items[1].checked_at is not None


def test_enter_and_flags_without_the_script_stay_on_the_question_and_layout(
    client, login_as, banks
):
    login_as(Role.LEARNER)
    url = _start(client, mode="mock", count="3", layout="all")
    attempt = Attempt.query.one()
    answer = _some_answer(attempt, attempt.items[0])
    # Enter presses the form's first button: go to the same question, the answer saved.
    page = client.get(url).data.decode()
    form = page[page.index('class="cw-answer"') :]
    first_button = form[form.index("<button") : form.index("</button>")]
    assert 'name="go" value="1"' in first_button and "cw-default-submit" in first_button
    saved = client.post(f"{url}/answers/1", data={"response": answer, "go": "1", "layout": "all"})
    assert saved.headers["Location"].endswith("layout=all#q1")
    assert Response.query.one().value is not None
    flagged = client.post(f"{url}/flags/3", data={"flagged": "1", "layout": "all"})
    assert flagged.headers["Location"].endswith("layout=all#q3")


def test_submitting_starts_with_a_summary_of_what_is_handed_in(client, login_as, banks):
    login_as(Role.LEARNER)
    url = _start(client, mode="mock", count="4")
    attempt = Attempt.query.one()
    answer = _some_answer(attempt, attempt.items[0])
    client.post(f"{url}/answers/1", data={"response": answer, "go": "1"})
    client.post(f"{url}/flags/3", data={"flagged": "1"})
    assert 'id="review-submit"' in client.get(url).data.decode()
    page = client.get(f"{url}/submit").data.decode()
    assert "Review and submit" in page and "Submit now" in page
    unanswered = page[page.index('id="unanswered"') : page.index('id="flagged"')]
    positions = [item.position for item in attempt.items[1:]]
    assert all(f"q={n}" in unanswered for n in positions) and "q=1&" not in unanswered
    flagged = page[page.index('id="flagged"') :]
    assert "q=3" in flagged and "q=2" not in flagged
    assert Attempt.query.one().status == "open"  # looking is not submitting
    assert client.post(f"{url}/submit").status_code == 302
    assert client.get(f"{url}/submit").headers["Location"].endswith("/result")


@pytest.mark.parametrize(
    ("fields", "name"),
    [
        ({"mode": "practice", "clauses": "8.5"}, "Practice — clause 8.5"),
        ({"mode": "practice", "clauses": "8.5, 8.6"}, "Practice — clauses 8.5, 8.6"),
        ({"mode": "practice"}, "Practice — all clauses"),
        ({"mode": "drill", "clauses": "8.5"}, "Drill — clause 8.5"),
        ({"mode": "mock"}, "Foundation mock exam"),
    ],
)
def test_attempts_are_named_for_what_they_are(client, login_as, banks, fields, name):
    login_as(Role.LEARNER)
    url = _start(client, count="3", **fields)
    assert f"{name}" in client.get(url).data.decode().split("<h1", 1)[1].split("</h1>")[0]
    assert name in client.get("/learn/").data.decode().split('id="unfinished"')[1]
    if fields["mode"] != "mock":
        assert "mock exam" not in client.get(url).data.decode().split("<title>")[1][:80]


def test_an_overdue_attempt_is_closed_on_the_home_page_never_offered_to_resume(
    client, login_as, banks
):
    from datetime import timedelta

    from app.extensions import db
    from app.models.base import utcnow

    login_as(Role.LEARNER)
    url = _start(client, mode="mock", count="3")
    attempt = Attempt.query.one()
    attempt.deadline_at = utcnow() - timedelta(minutes=2)
    db.session.commit()
    home = client.get("/learn/").data.decode()
    assert 'id="unfinished"' not in home and ">Resume<" not in home
    assert f"{url}/result" in home  # among the recent results instead
    db.session.expire_all()
    assert Attempt.query.one().status == "expired"


def test_a_checked_choice_marks_the_chosen_and_the_right_options_with_their_feedback(
    client, login_as, banks
):
    login_as(Role.LEARNER)
    url = _start(client, mode="practice", count="10")
    attempt = Attempt.query.one()
    item = next(i for i in attempt.items if i.version.type == "single_choice")
    records = bank_queries.version_records([item.version_id])
    record = records[item.version_id]
    wrong = next(o for o in record.options if not o.correct)
    right = next(o for o in record.options if o.correct)
    before = client.get(f"{url}?q={item.position}").data.decode()
    assert "Right answer" not in before and "is-right" not in before  # nothing before checking
    chosen = public_answer(attempt, item, wrong.id)
    client.post(f"{url}/answers/{item.position}", data={"response": chosen, "check": "1"})
    page = client.get(f"{url}?q={item.position}").data.decode()
    assert page.count("Your answer: wrong") == 1 and page.count(">Right answer<") == 1
    options = page.split('class="form-check cw-option')[1:]
    marked = {o.split('"', 1)[0].strip() for o in options}
    assert marked == {"is-right", "is-wrong", ""}
    if wrong.feedback:
        assert html.escape(wrong.feedback[:30], quote=True) in page
    assert right.text[:20] in page


def test_the_result_page_marks_each_answer_filters_them_and_offers_a_drill(client, login_as, banks):
    from app.domain import question_types as types

    login_as(Role.LEARNER)
    url = _start(client, mode="mock")
    attempt = Attempt.query.one()
    records = bank_queries.version_records([i.version_id for i in attempt.items])
    right = 0
    for item in attempt.items[:10]:  # ten right, the rest not answered
        record = records[item.version_id]
        if record.type in ("essay",):
            continue
        key = types.get(record.type).correct_response(record)
        data = {"response": public_answer(attempt, item, key), "go": str(item.position)}
        if record.type in ("single_choice", "multiple_response", "true_false", "short_answer"):
            client.post(f"{url}/answers/{item.position}", data=data)
            right += 1
    client.post(f"{url}/flags/2", data={"flagged": "1"})
    client.post(f"{url}/submit")
    page = client.get(f"{url}/result").data.decode()
    total = len(attempt.items)
    assert f"All ({total})" in page and "Flagged (1)" in page
    assert page.count('cw-answer-card is-right"') == right
    wrong_only = client.get(f"{url}/result?show=wrong").data.decode()
    assert wrong_only.count("cw-answer-card") == total - right
    assert 'cw-answer-card is-right"' not in wrong_only
    flagged = client.get(f"{url}/result?show=flagged").data.decode()
    assert flagged.count("cw-answer-card") == 1
    assert "Drill these clauses" in page and 'name="mode" value="drill"' in page
    clauses = page.split('name="clauses" value="')[1].split('"')[0].split(", ")
    assert 1 <= len(clauses) <= 3 and all(c.count(".") == 1 for c in clauses)
    drill = client.post(
        "/learn/attempts",
        data={
            "scheme": "foundation",
            "mode": "drill",
            "clauses": ", ".join(clauses),
            "count": "10",
            "layout": "single",
        },
    )
    assert drill.status_code == 302


def test_starting_one_of_the_same_kind_offers_resume_or_discard(client, login_as, banks):
    from app.extensions import db
    from app.models import AttemptItem

    login_as(Role.LEARNER)
    first = _start(client, mode="practice", count="3", clauses="8")
    attempt = Attempt.query.one()
    checked, unchecked = attempt.items[0], attempt.items[1]
    client.post(
        f"{first}/answers/1",
        data={"response": _some_answer(attempt, checked), "check": "1"},
    )
    client.post(f"{first}/answers/2", data={"response": _some_answer(attempt, unchecked)})
    # The same kind again: a choice, not a second open set.
    data = {
        "scheme": "foundation",
        "mode": "practice",
        "count": "3",
        "clauses": "8",
        "layout": "single",
    }
    offered = client.post("/learn/attempts", data=data)
    page = offered.data.decode()
    assert offered.status_code == 200 and "You have one of these open" in page
    assert f'href="{first}"' in page and 'name="then" value="discard"' in page
    assert Attempt.query.count() == 1
    # Discard it and start the new one: the checked answer stays final, the other never is.
    started = client.post(
        "/learn/attempts", data={**data, "replace": str(attempt.id), "then": "discard"}
    )
    assert started.status_code == 302 and started.headers["Location"] != first
    db.session.expire_all()
    old = db.session.get(Attempt, attempt.id)
    assert old.status == "discarded" and Attempt.query.count() == 2
    responses = {
        r.item_id: r
        for r in Response.query.filter(Response.item_id.in_([checked.id, unchecked.id]))
    }
    assert responses[checked.id].score is not None and responses[unchecked.id].score is None
    # A discarded attempt has no result page, and history says what happened to it.
    assert client.get(f"{first}/result").headers["Location"].endswith("/learn/history")
    assert "discarded" in client.get("/learn/history").data.decode()
    assert db.session.get(AttemptItem, checked.id).checked_at is not None


def test_a_mock_is_never_discarded(client, login_as, banks):
    login_as(Role.LEARNER)
    url = _start(client, mode="mock", count="3")
    attempt = Attempt.query.one()
    home = client.get("/learn/").data.decode()
    assert f"/learn/attempts/{attempt.id}/discard" not in home
    refused = client.post(f"{url}/discard", follow_redirects=True).data.decode()
    assert "A mock exam cannot be discarded" in refused
    data = {"scheme": "foundation", "mode": "mock", "count": "20", "layout": "single"}
    offered = client.post("/learn/attempts", data=data).data.decode()
    assert "Review and submit it" in offered and 'value="discard"' not in offered
    assert Attempt.query.one().status == "open"


def test_a_practice_set_is_discarded_from_the_home_page(client, login_as, banks):
    login_as(Role.LEARNER)
    url = _start(client, mode="practice", count="3")
    attempt = Attempt.query.one()
    assert f"/learn/attempts/{attempt.id}/discard" in client.get("/learn/").data.decode()
    done = client.post(f"{url}/discard", follow_redirects=True).data.decode()
    assert "Discarded." in done and 'id="unfinished"' not in done
    assert Attempt.query.one().status == "discarded"
    again = client.post(f"{url}/discard", follow_redirects=True).data.decode()
    assert "already closed" in again


def _give_combined_feedback(version) -> None:
    """Give a stored version combined feedback, as an import from Moodle would; a new
    hash keeps the per-process record cache from serving the old content."""
    from app.extensions import db

    body = dict(version.body or {})
    body["correct_feedback"] = "Well reasoned: that is what the clause requires."
    body["partial_feedback"] = "Part of your answer is what the clause requires."
    body["incorrect_feedback"] = "Not this time: read the clause once more."
    version.body = body
    version.content_hash = "feedback-" + version.content_hash[:40]
    db.session.commit()


@pytest.mark.parametrize("right", [True, False])
def test_a_checked_practice_answer_shows_the_combined_feedback_of_its_outcome(
    client, login_as, banks, right
):
    login_as(Role.LEARNER)
    url = _start(client, mode="practice", count="10")
    attempt = Attempt.query.one()
    item = next(i for i in attempt.items if i.version.type == "single_choice")
    _give_combined_feedback(item.version)
    record = bank_queries.version_records([item.version_id])[item.version_id]
    chosen = next(o for o in record.options if o.correct == right)
    before = client.get(f"{url}?q={item.position}").data.decode()
    assert "Well reasoned" not in before and "Not this time" not in before
    answer = public_answer(attempt, item, chosen.id)
    client.post(f"{url}/answers/{item.position}", data={"response": answer, "check": "1"})
    page = client.get(f"{url}?q={item.position}").data.decode()
    texts = ("Well reasoned", "Not this time")
    shown, hidden = texts if right else reversed(texts)
    assert shown in page and hidden not in page
    assert "Part of your answer" not in page


def test_the_mock_review_shows_the_combined_feedback_of_each_outcome_only_after_submitting(
    client, login_as, banks
):
    login_as(Role.LEARNER)
    url = _start(client, mode="mock")
    attempt = Attempt.query.one()
    item = next(i for i in attempt.items if i.version.type == "single_choice")
    _give_combined_feedback(item.version)
    record = bank_queries.version_records([item.version_id])[item.version_id]
    wrong = next(o for o in record.options if not o.correct)
    answer = public_answer(attempt, item, wrong.id)
    client.post(f"{url}/answers/{item.position}", data={"response": answer})
    before = client.get(f"{url}?q={item.position}").data.decode()
    assert "Not this time" not in before
    client.post(f"{url}/submit")
    page = client.get(f"{url}/result").data.decode()
    assert page.count("Not this time: read the clause once more.") == 1
    assert "Well reasoned" not in page
