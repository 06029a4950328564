"""The progress page's weekly goal form, its clauses over time and its charts' axes."""

import re
from datetime import timedelta

import pytest

from app.analytics.learner_progress import learner_progress
from app.extensions import db
from app.models import Role, User
from app.models.base import utcnow
from tests.factories import PASSWORD, sit_exam


def _goal_of(user: User) -> int:
    db.session.expire_all()
    return db.session.get(User, user.id).weekly_goal


def test_a_learner_sets_their_weekly_goal_and_sees_it_against_this_weeks_answers(
    client, login_as, banks
):
    learner = login_as(Role.LEARNER)
    sit_exam(learner, mode="practice", count=10, right=True)
    page = client.get("/learn/progress").get_data(as_text=True)
    assert "Weekly goal: questions per week (0 for none)" in page
    assert "10 questions answered" in page and "Streak: 1 day in a row with an answer" in page
    saved = client.post("/learn/progress/goal", data={"goal": "25"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/learn/progress#goal")
    assert _goal_of(learner) == 25
    page = client.get("/learn/progress").get_data(as_text=True)
    assert "Your weekly goal is now 25 questions." in page
    assert "10 of 25 questions answered" in page and "15 more to go" in page
    assert 'class="cw-w-40"' in page  # the bar: 10 of 25
    assert "No streak yet" in page
    client.post("/learn/progress/goal", data={"goal": "10"})
    page = client.get("/learn/progress").get_data(as_text=True)
    assert "goal met" in page and "Streak: 1 week in a row with your goal met" in page
    client.post("/learn/progress/goal", data={"goal": "0"})
    assert _goal_of(learner) == 0
    assert "You have no weekly goal now." in client.get("/learn/progress").get_data(as_text=True)


@pytest.mark.parametrize("goal", ["-1", "501", "ten", "2.5", "", "1e3"])
def test_a_bad_goal_is_refused_with_a_message_and_nothing_is_written(client, login_as, goal):
    learner = login_as(Role.LEARNER)
    client.post("/learn/progress/goal", data={"goal": "30"})
    refused = client.post("/learn/progress/goal", data={"goal": goal}, follow_redirects=True)
    assert refused.status_code == 200
    assert "Enter a whole number of questions from 0 to 500." in refused.get_data(as_text=True)
    assert _goal_of(learner) == 30


def test_the_goal_form_is_csrf_protected(make_app, make_user):
    learner = make_user(role=Role.LEARNER)
    strict = make_app(WTF_CSRF_ENABLED=True)
    browser = strict.test_client()
    with strict.app_context():
        login_page = browser.get("/login").data.decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page)[1]
        browser.post(
            "/login", data={"email": learner.email, "password": PASSWORD, "csrf_token": token}
        )
        page = browser.get("/learn/progress").data.decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
        refused = browser.post("/learn/progress/goal", data={"goal": "40"})
        assert refused.status_code == 400
    assert _goal_of(learner) == 0
    with strict.app_context():
        accepted = browser.post("/learn/progress/goal", data={"goal": "40", "csrf_token": token})
        assert accepted.status_code == 302
    assert _goal_of(learner) == 40


def test_the_goal_and_counts_are_the_learners_own(client, login_as, make_user, banks):
    other = make_user(role=Role.LEARNER)
    sit_exam(other, mode="practice", count=10, right=True)
    client.post("/logout")
    me = login_as(Role.LEARNER)
    client.post("/learn/progress/goal", data={"goal": "50", "user_id": str(other.id)})
    assert _goal_of(me) == 50 and _goal_of(other) == 0
    page = client.get("/learn/progress").get_data(as_text=True)
    assert "0 of 50 questions answered" in page and "Nothing to show yet" in page


def test_only_learners_set_a_goal(client, login_as):
    manager = login_as(Role.MANAGER)
    assert client.post("/learn/progress/goal", data={"goal": "20"}).status_code == 403
    assert _goal_of(manager) == 0


def test_clauses_show_mastery_now_and_four_weeks_ago_with_titled_chart_axes(
    client, login_as, banks
):
    learner = login_as(Role.LEARNER)
    sit_exam(learner, right=True)
    sit_exam(learner, mode="practice", count=20, seed=4)
    page = client.get("/learn/progress").get_data(as_text=True)
    assert "Clauses, weakest first" in page and "4 weeks ago: no answers yet" in page
    assert "All " in page and "clauses you have answered" in page
    for text in ("Chance of passing (%)", "Week ending (UTC)", "Your chance of passing"):
        assert text in page
    assert "Likely to pass: 80% or more" in page and "<figure" in page
    history = client.get("/learn/history").get_data(as_text=True)
    for text in ("Score (%)", "Date submitted", "Your mock exam score", "Pass mark: "):
        assert text in history
    assert 'class="cw-chart"' in history and "Show as a table" in history


def test_a_clause_practised_weeks_ago_shows_its_earlier_mastery_and_the_change(
    client, login_as, banks
):
    learner = login_as(Role.LEARNER)
    earlier = sit_exam(learner, mode="practice", count=20, right=True)
    for item in earlier.items:
        if item.response is not None:
            item.response.answered_at -= timedelta(days=35)
    db.session.commit()
    sit_exam(learner, right=True, seed=4)  # a mock today, every answer right
    found = learner_progress(learner.id, utcnow()).schemes[0]
    then = [c for c in found.clauses if c.earlier is not None]
    assert then, "no clause had evidence four weeks ago"
    assert all(c.change == pytest.approx(c.mastery - c.earlier) for c in then)
    assert {c.trend for c in then} <= {"up", "down", "flat"} and "up" in {c.trend for c in then}
    assert [c.mastery for c in found.clauses] == sorted(c.mastery for c in found.clauses)
    page = client.get("/learn/progress").get_data(as_text=True)
    assert "4 weeks ago" in page and "cw-trend-up" in page
