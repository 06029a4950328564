"""A hostile reviewer's attacks on custom tests, retries, spaced review and the weekly
goal: those that found a problem, and those the defences held (kept as regressions)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.analytics import custom_tests, history, weekly_goal
from app.analytics import reviews as review_views
from app.analytics.learner_progress import learner_progress
from app.errors import Conflict, InvalidInput, NotFound
from app.extensions import db
from app.models import Attempt, AttemptStatus, Role, Scheme, User
from app.models.base import utcnow
from app.queries import attempts as attempt_views
from app.queries import banks as bank_queries
from app.services import answering, attempts, recall
from tests.factories import PASSWORD, answer_items, bearer, make_user, public_answer, sit_exam


def _never(code: str = "foundation") -> None:
    """Keep the scheme's mock reviews closed forever."""
    scheme = db.session.query(Scheme).filter_by(code=code).one()
    scheme.review_policy = "never"
    db.session.commit()


def _mock_answered(learner, right_positions: set[int], seed: int = 3) -> Attempt:
    """A Foundation mock with the single-choice items at `right_positions` answered right
    and every other single-choice item answered wrong, submitted."""
    attempt = attempts.start_attempt(learner, "foundation", attempts.StartOptions(seed=seed))
    for item in attempt.items:
        if item.version.type != "single_choice":
            continue
        good = item.position in right_positions
        chosen = next(o.key for o in item.version.options if o.correct == good)
        answering.record_answer(
            learner, attempt.id, item.position, public_answer(attempt, item, chosen)
        )
    return answering.submit_attempt(learner, attempt.id)


def _position_in(attempt: Attempt, clause: str) -> int:
    """The position of the mock's single-choice item whose only clause is `clause`."""
    mapped = bank_queries.mapped_clauses([i.version_id for i in attempt.items])
    return next(
        i.position
        for i in attempt.items
        if mapped.get(i.version_id) == [clause] and i.version.type == "single_choice"
    )


def _practice(learner, **options: object) -> Attempt:
    """An open Foundation practice set of the learner's."""
    start = attempts.StartOptions(mode="practice", seed=5, **options)  # type: ignore[arg-type]
    return attempts.start_attempt(learner, "foundation", start)


def _open_attempts(learner) -> list[tuple[int, str]]:
    """(id, status) of the learner's attempts."""
    db.session.expire_all()
    rows = db.session.query(Attempt).filter_by(user_id=learner.id).order_by(Attempt.id)
    return [(a.id, a.status) for a in rows]


# --- problems found ---------------------------------------------------------------


def test_progress_clause_mastery_does_not_name_the_right_item_of_a_closed_mock(banks):
    _never()
    probe = attempts.start_attempt(
        make_user(role=Role.LEARNER), "foundation", attempts.StartOptions(seed=3)
    )
    in_83, in_82 = _position_in(probe, "8.3.2"), _position_in(probe, "8.2.6")
    first, second = make_user(role=Role.LEARNER), make_user(role=Role.LEARNER)
    one = _mock_answered(first, {in_83})
    other = _mock_answered(second, {in_82})
    # The result pages say exactly the same: pooled, the two learners cannot tell apart.
    assert attempt_views.visible_result(one, False) == attempt_views.visible_result(other, False)

    def shown(learner) -> dict[str, int]:
        report = learner_progress(learner.id, utcnow())
        return {c.clause: round(100 * c.mastery) for s in report.schemes for c in s.clauses}

    assert shown(first) == shown(second)  # 8.3 stood out for one, 8.2 for the other


def test_discard_and_start_refused_leaves_the_open_set_alone(client, login_as, banks):
    learner = login_as(Role.LEARNER)
    open_set = _practice(learner)
    refused = client.post(
        "/learn/attempts",
        data={
            "scheme": "foundation",
            "mode": "practice",
            "count": "10",
            "clauses": "8.5, not-a-clause",
            "then": "discard",
            "replace": str(open_set.id),
        },
    )
    assert refused.status_code == 302
    assert (open_set.id, AttemptStatus.OPEN) in _open_attempts(learner)


def test_a_start_replacing_a_mock_or_someone_elses_set_discards_nothing(banks):
    learner, other = make_user(role=Role.LEARNER), make_user(role=Role.LEARNER)
    mock = attempts.start_attempt(learner, "foundation", attempts.StartOptions(seed=3))
    theirs = _practice(other, count=5)
    practice = attempts.StartOptions(mode="practice", count=5)
    with pytest.raises(Conflict):
        attempts.start_attempt(learner, "foundation", practice, replacing=mock.id)
    with pytest.raises(NotFound):
        attempts.start_attempt(learner, "foundation", practice, replacing=theirs.id)
    assert _open_attempts(learner) == [(mock.id, AttemptStatus.OPEN)]
    assert _open_attempts(other) == [(theirs.id, AttemptStatus.OPEN)]


def test_cleared_answers_do_not_count_toward_the_weekly_goal(client, make_user, banks):
    learner = make_user(role=Role.LEARNER)
    headers = bearer(learner)
    started = client.post(
        "/api/v1/attempts",
        json={"scheme": "foundation", "mode": "practice", "count": 30},
        headers=headers,
    ).json
    for item in started["items"]:
        saved = client.put(
            f"/api/v1/attempts/{started['id']}/responses/{item['position']}",
            json={"response": None},
            headers=headers,
        )
        assert saved.status_code == 200
    client.post(f"/api/v1/attempts/{started['id']}/submit", headers=headers)
    # Thirty questions "answered" without answering one: the goal and streak count them.
    assert weekly_goal.goal_progress(learner.id, utcnow()).this_week == 0


def test_an_id_too_large_for_the_database_is_refused_with_a_plain_message(client, login_as, banks):
    learner = login_as(Role.LEARNER)
    huge = str(10**20)
    for fields in ({"retry": huge}, {"then": "discard", "replace": huge}):
        data = {"scheme": "foundation", "mode": "practice", "count": "5", **fields}
        client.post("/learn/attempts", data=data)
        with client.session_transaction() as cookie:
            flashed = " ".join(message for _kind, message in cookie.pop("_flashes", []))
        assert flashed and "out of range for the database" not in flashed, fields
    assert _open_attempts(learner) == []
    assert client.get("/learn/").status_code == 200  # the session was not left broken


def _practice_then_mock(learner, right_in_practice: bool) -> tuple[Attempt, str]:
    """A practice set of 100 started, then a mock (review never) sharing a question with
    it, submitted; then the practice set answered (its single-choice items right, the
    shared one as told) and submitted. Returns the practice set and the shared key."""
    practice = _practice(learner, count=100)
    mock = attempts.start_attempt(learner, "foundation", attempts.StartOptions(seed=3))
    shared = sorted(
        key
        for key in _keys(practice) & _keys(mock)
        if any(
            i.version.question.key == key and i.version.type == "single_choice"
            for i in practice.items
        )
    )[0]
    answering.submit_attempt(learner, mock.id)
    for item in practice.items:
        if item.version.type != "single_choice":
            continue
        good = right_in_practice or item.version.question.key != shared
        chosen = next(o.key for o in item.version.options if o.correct == good)
        answering.record_answer(
            learner, practice.id, item.position, public_answer(practice, item, chosen)
        )
    answering.submit_attempt(learner, practice.id)
    db.session.expire_all()
    return db.session.get_one(Attempt, practice.id), shared


def test_a_practice_result_says_nothing_of_a_question_shared_with_a_closed_mock(banks):
    _never()
    right, wrong = make_user(role=Role.LEARNER), make_user(role=Role.LEARNER)
    one, shared = _practice_then_mock(right, right_in_practice=True)
    other, same = _practice_then_mock(wrong, right_in_practice=False)
    assert shared == same and _keys(one) == _keys(other)
    assert attempt_views.visible_result(one, True) == attempt_views.visible_result(other, True)


def test_the_pages_hold_back_a_practice_score_that_counts_a_closed_mock_question(
    client, login_as, banks
):
    _never()
    learner = login_as(Role.LEARNER)
    practice, _shared = _practice_then_mock(learner, right_in_practice=True)
    page = client.get(f"/learn/attempts/{practice.id}/result").get_data(as_text=True)
    assert 'id="withheld"' in page and "left out of this score" in page
    assert "score held back" in client.get("/learn/").get_data(as_text=True)
    assert "held back" in client.get("/learn/history").get_data(as_text=True)
    api = client.get(f"/api/v1/attempts/{practice.id}", headers=bearer(learner)).get_json()
    assert api["result"]["withheld"] >= 1  # every question it shares with the mock


def test_a_retry_says_nothing_of_a_question_shared_with_a_closed_mock(banks):
    _never()
    right, wrong = make_user(role=Role.LEARNER), make_user(role=Role.LEARNER)
    one, shared = _practice_then_mock(right, right_in_practice=True)
    other, _same = _practice_then_mock(wrong, right_in_practice=False)
    assert shared in _keys(other)
    assert attempts.mistakes(right, one.id) == attempts.mistakes(wrong, other.id)
    assert shared not in attempts.mistakes(wrong, other.id)


# --- attacks that held --------------------------------------------------------------


def test_a_retry_of_a_closed_review_mock_is_refused_and_starts_nothing(client, login_as, banks):
    _never()
    learner = login_as(Role.LEARNER)
    mock = sit_exam(learner)
    before = _open_attempts(learner)
    with pytest.raises(Conflict):
        attempts.mistakes(learner, mock.id)
    refused = client.post(
        "/learn/attempts",
        data={"scheme": "foundation", "mode": "practice", "retry": str(mock.id)},
        follow_redirects=True,
    )
    assert "once its answers can be reviewed" in refused.get_data(as_text=True)
    assert _open_attempts(learner) == before
    page = client.get(f"/learn/attempts/{mock.id}/result").get_data(as_text=True)
    assert 'name="retry"' not in page


def test_a_retry_of_another_learners_attempt_is_refused(client, login_as, banks):
    other = make_user(role=Role.LEARNER)
    theirs = sit_exam(other, mode="practice", count=10)
    learner = login_as(Role.LEARNER)
    with pytest.raises(NotFound):
        attempts.mistakes(learner, theirs.id)
    client.post(
        "/learn/attempts",
        data={"scheme": "foundation", "mode": "practice", "retry": str(theirs.id)},
    )
    assert _open_attempts(learner) == []


def test_bad_start_options_are_refused_with_a_message_and_start_nothing(client, login_as, banks):
    learner = login_as(Role.LEARNER)
    bad = [
        {"count": "-5"},
        {"count": "100000"},
        {"count": "ten"},
        {"only": "wrong"},
        {"feedback": "never"},
        {"retry": "abc"},
        {"retry": "99999999"},
        {"clauses": "8.5; DROP TABLE attempts"},
        {"clauses": ", ".join(["8.5"] * 40 + [str(n) for n in range(60)])},
        {"clause": ["8." + "1" * 500]},
        {"mode": "mock", "only": "missed"},
        {"mode": "review", "feedback": "end"},
        {"only": "missed", "retry": "1"},
    ]
    for fields in bad:
        data = {"scheme": "foundation", "mode": "practice", "count": "5", **fields}
        page = client.post("/learn/attempts", data=data, follow_redirects=True)
        assert page.status_code == 200, fields
        assert 'class="alert alert-danger' in page.get_data(as_text=True), fields
    assert _open_attempts(learner) == []


def test_feedback_at_the_end_refuses_check_through_the_form_and_shows_no_key(
    client, login_as, banks
):
    learner = login_as(Role.LEARNER)
    practice = _practice(learner, feedback="end", count=5)
    item = practice.items[0]
    chosen = next(o.key for o in item.version.options if o.correct) if item.version.options else ""
    sent = client.post(
        f"/learn/attempts/{practice.id}/answers/{item.position}",
        data={"choice": public_answer(practice, item, chosen), "check": "1"},
    )
    assert sent.status_code == 409
    db.session.expire_all()
    assert db.session.get(Attempt, practice.id).items[0].checked_at is None
    with pytest.raises(Conflict):
        answering.check_practice_answer(learner, practice.id, item.position)
    api = client.get(f"/api/v1/attempts/{practice.id}", headers=bearer(learner)).json
    assert all("review" not in shown for shown in api["items"])
    page = client.get(f"/learn/attempts/{practice.id}?layout=all").get_data(as_text=True)
    assert "Correct answer" not in page and "Check answer" not in page


def test_the_missed_filter_and_reviews_say_nothing_of_a_closed_mock(client, login_as, banks):
    _never()
    learner = login_as(Role.LEARNER)
    sit_exam(learner)  # every answer wrong or blank
    scheme = db.session.query(Scheme).filter_by(code="foundation").one()
    assert custom_tests.menu(scheme, learner.id).filters["missed"] == 0
    assert history.missed_last_time(learner.id) == set()
    assert history.due_for_review(learner.id) == []
    page = client.get("/learn/reviews").get_data(as_text=True)
    assert "Nothing is scheduled yet" in page and "Due today" not in page
    outlook = review_views.review_outlook(learner.id, [scheme])
    assert (outlook.due_today, outlook.next_week, outlook.by_scheme) == (0, 0, [])
    with pytest.raises(InvalidInput):
        attempts.start_attempt(
            learner, "foundation", attempts.StartOptions(mode="practice", only="missed")
        )
    with pytest.raises(InvalidInput):
        attempts.start_attempt(learner, "foundation", attempts.StartOptions(mode="review"))


def test_recall_on_someone_elses_review_set_is_not_found(banks):
    owner, intruder = make_user(role=Role.LEARNER), make_user(role=Role.LEARNER)
    practice = _practice(owner, count=5)
    with pytest.raises(NotFound):
        recall.rate_recall(intruder, practice.id, 1, "easy")
    with pytest.raises(Conflict):  # and the owner's practice set takes no rating either
        recall.rate_recall(owner, practice.id, 1, "easy")


def test_someone_elses_practice_set_cannot_be_discarded(client, login_as, banks):
    owner = make_user(role=Role.LEARNER)
    theirs = _practice(owner, count=5)
    login_as(Role.LEARNER)
    client.post(f"/learn/attempts/{theirs.id}/discard")
    client.post(
        "/learn/attempts",
        data={"scheme": "foundation", "mode": "practice", "then": "discard", "replace": theirs.id},
    )
    assert _open_attempts(owner) == [(theirs.id, AttemptStatus.OPEN)]


@pytest.mark.parametrize("role", [Role.MANAGER, Role.TRAINER, Role.ADMIN])
def test_other_roles_cannot_use_the_new_learner_routes_or_start_by_api(
    client, login_as, role, banks
):
    login_as(role)
    assert client.get("/learn/schemes/foundation/custom").status_code == 403
    assert client.get("/learn/reviews").status_code == 403
    assert client.get("/learn/progress").status_code == 403
    assert client.post("/learn/progress/goal", data={"goal": "5"}).status_code == 403
    assert client.post("/learn/attempts/1/recall/1", data={"recall": "easy"}).status_code == 403
    started = client.post("/learn/attempts", data={"scheme": "foundation", "mode": "practice"})
    assert started.status_code == 403
    assert client.post("/learn/attempts/1/discard").status_code == 403
    token = bearer(db.session.query(User).order_by(User.id.desc()).first())
    refused = client.post("/api/v1/attempts", json={"scheme": "foundation"}, headers=token)
    assert refused.status_code == 403
    assert db.session.query(Attempt).count() == 0


def test_the_new_forms_refuse_a_post_without_a_csrf_token(make_app, banks):
    learner = make_user(role=Role.LEARNER)
    practice = _practice(learner, count=5)
    strict = make_app(WTF_CSRF_ENABLED=True)
    browser = strict.test_client()
    with strict.app_context():
        page = browser.get("/login").data.decode()
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        browser.post(
            "/login", data={"email": learner.email, "password": PASSWORD, "csrf_token": token}
        )
        for url, data in [
            (f"/learn/attempts/{practice.id}/recall/1", {"recall": "easy"}),
            (f"/learn/attempts/{practice.id}/discard", {}),
            ("/learn/progress/goal", {"goal": "40"}),
        ]:
            assert browser.post(url, data=data).status_code == 400, url
        browser.post("/learn/attempts", data={"scheme": "foundation", "mode": "practice"})
    assert _open_attempts(learner) == [(practice.id, AttemptStatus.OPEN)]


# --- the examiner's checks -----------------------------------------------------------


def _keys(attempt: Attempt) -> set[str]:
    """The question keys an attempt drew."""
    return {item.version.question.key for item in attempt.items}


def test_a_retry_draws_exactly_the_questions_missed(banks):
    learner = make_user(role=Role.LEARNER)
    done = sit_exam(learner, mode="practice", count=12, seed=9)  # blank: every one missed
    missed = attempts.mistakes(learner, done.id)
    assert missed == _keys(done)
    retry = attempts.start_attempt(
        learner, "foundation", attempts.StartOptions(mode="practice", count=100, retry_of=done.id)
    )
    assert _keys(retry) == missed and retry.settings["asked"] == len(missed)


def test_the_custom_menu_counts_what_a_set_can_draw(banks):
    learner = make_user(role=Role.LEARNER)
    attempts.start_attempt(learner, "foundation", attempts.StartOptions(seed=3))  # open mock
    sit_exam(learner, mode="practice", count=15, seed=4)  # some questions seen and missed
    scheme = db.session.query(Scheme).filter_by(code="foundation").one()
    menu = custom_tests.menu(scheme, learner.id)
    checked = [menu.tree[0], *menu.tree[0].children[:2], menu.tree[-1]]
    for node in checked:
        if node.count > 100:
            continue
        start = attempts.StartOptions(mode="practice", clauses=[node.number], count=100)
        drawn = attempts.start_attempt(learner, "foundation", start)
        assert len(drawn.items) == node.count, node.number
        answering.discard_attempt(learner, drawn.id)
    for only, count in menu.filters.items():
        if not count or count > 100:
            continue
        drawn = attempts.start_attempt(
            learner, "foundation", attempts.StartOptions(mode="practice", only=only, count=100)
        )
        assert len(drawn.items) == count, only
        answering.discard_attempt(learner, drawn.id)


def test_missed_last_time_reads_the_latest_graded_answer(banks):
    learner = make_user(role=Role.LEARNER)
    first = sit_exam(learner, mode="practice", count=5, seed=11)  # all missed
    keys = _keys(first)
    again = attempts.start_attempt(
        learner, "foundation", attempts.StartOptions(mode="practice", count=100, retry_of=first.id)
    )
    answer_items(learner, again, right=True, essay=None)
    answering.submit_attempt(learner, again.id)
    assert history.missed_last_time(learner.id) & keys == set()


def test_fsrs_brings_a_miss_back_today_and_a_right_answer_back_in_days(banks):
    learner = make_user(role=Role.LEARNER)
    practice = _practice(learner, count=20)
    right, wrong = [i for i in practice.items if i.version.type == "single_choice"][:2]
    for item, good in ((right, True), (wrong, False)):
        chosen = next(o.key for o in item.version.options if o.correct == good)
        answering.record_answer(
            learner, practice.id, item.position, public_answer(practice, item, chosen)
        )
        answering.check_practice_answer(learner, practice.id, item.position)
    schedule = history.review_schedule(learner.id)
    now = utcnow()
    missed = schedule[wrong.version.question.key]
    known = schedule[right.version.question.key]
    soon = now + timedelta(minutes=11)  # past the ten-minute step, even across midnight
    assert missed.due_at <= soon
    assert 1 <= known.interval_days <= 10 and known.due_on > soon.date()
    assert history.due_for_review(learner.id, soon) == [wrong.version.question.key]


def test_a_clause_ticked_with_its_parent_draws_no_question_twice(banks):
    learner = make_user(role=Role.LEARNER)
    scheme = db.session.query(Scheme).filter_by(code="foundation").one()
    menu = custom_tests.menu(scheme, learner.id)
    parent = next(n for n in menu.tree if n.children and n.count <= 100)
    start = attempts.StartOptions(
        mode="practice", clauses=[parent.number, parent.children[0].number], count=100
    )
    drawn = attempts.start_attempt(learner, "foundation", start)
    assert len(drawn.items) == len(_keys(drawn)) == parent.count


def test_odd_result_page_parameters_fall_back_to_the_defaults(client, login_as, banks):
    learner = login_as(Role.LEARNER)
    done = sit_exam(learner, mode="practice", count=6)
    for query in ("order=<b>x</b>", "show=<b>x</b>", "order=clause&order=weakest", "show="):
        page = client.get(f"/learn/attempts/{done.id}/result?{query}")
        assert page.status_code == 200 and "<b>x</b>" not in page.get_data(as_text=True)


@pytest.mark.parametrize("clause", ["٨", "８.５", "8.5\n", "8..5", "08.5.1.1.1.1"])
def test_a_clause_in_other_digits_or_shapes_gets_the_clause_message(clause, banks):
    learner = make_user(role=Role.LEARNER)
    start = attempts.StartOptions(mode="practice", clauses=[clause], count=5)
    with pytest.raises(InvalidInput, match=r"Clauses are numbers such as 8\.5"):
        attempts.start_attempt(learner, "foundation", start)
    assert _open_attempts(learner) == []


def test_a_mocks_misses_reach_reviews_and_filters_only_once_its_review_opens(banks):
    learner = make_user(role=Role.LEARNER)
    scheme = db.session.query(Scheme).filter_by(code="foundation").one()
    scheme.review_policy = "after_deadline"
    db.session.commit()
    mock = _mock_answered(learner, set())  # submitted early: review opens at the deadline
    answered = {i.version.question.key for i in mock.items if i.response is not None}
    assert history.missed_last_time(learner.id) == set()
    assert custom_tests.menu(scheme, learner.id).filters["missed"] == 0
    with pytest.raises(Conflict):
        attempts.mistakes(learner, mock.id)
    mock.deadline_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    missed = history.missed_last_time(learner.id)
    assert answered and answered <= missed  # the wrong ones, and the ones left unanswered
    assert missed == attempts.mistakes(learner, mock.id)
    assert custom_tests.menu(scheme, learner.id).filters["missed"] == len(missed)
    assert set(history.due_for_review(learner.id, utcnow() + timedelta(minutes=11))) == answered


def test_missed_last_time_agrees_with_the_retry_on_unanswered_questions(banks):
    learner = make_user(role=Role.LEARNER)
    practice = sit_exam(learner, mode="practice", count=8, seed=9)  # submitted blank
    assert history.missed_last_time(learner.id) == attempts.mistakes(learner, practice.id)
