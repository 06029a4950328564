"""The custom test page, the result page's retry and clause order, through the pages."""

import re

from app.extensions import db
from app.models import Attempt, Role
from tests.factories import sit_exam


def test_the_custom_test_page_lists_the_clause_tree_with_counts(client, login_as, banks):
    login_as(Role.LEARNER)
    page = client.get("/learn/schemes/foundation/custom")
    assert page.status_code == 200
    text = page.data.decode()
    assert 'name="clause" value="8"' in text and 'name="clause" value="8.5"' in text
    assert re.search(r"\d+ questions</span>", text)
    assert 'name="csrf_token"' in text
    assert client.get("/learn/schemes/nonsense/custom").status_code == 404


def test_only_learners_see_the_custom_test_page(client, login_as, banks):
    login_as(Role.MANAGER)
    assert client.get("/learn/schemes/foundation/custom").status_code == 403


def test_ticked_clauses_start_a_practice_set_on_them(client, login_as, banks):
    login_as(Role.LEARNER)
    started = client.post(
        "/learn/attempts",
        data={
            "scheme": "foundation",
            "mode": "practice",
            "clause": ["8.5", "9"],
            "count": "6",
            "layout": "single",
            "feedback": "end",
            "from": "custom",
        },
    )
    assert started.status_code == 302 and "/learn/attempts/" in started.headers["Location"]
    attempt = db.session.query(Attempt).one()
    assert attempt.settings["clauses"] == ["8.5", "9"]
    assert attempt.settings["feedback"] == "end"
    page = client.get(started.headers["Location"]).data.decode()
    assert "Check answer" not in page
    assert "Practice — clauses 8.5, 9" in page


def test_a_refused_custom_test_returns_to_its_page_with_the_reason(client, login_as, banks):
    login_as(Role.LEARNER)

    def start(only: str):
        data = {
            "scheme": "foundation",
            "mode": "practice",
            "only": only,
            "count": "5",
            "layout": "single",
            "from": "custom",
        }
        return client.post("/learn/attempts", data=data, follow_redirects=True)

    refused = start("flagged")  # nothing flagged yet
    assert refused.request.path == "/learn/schemes/foundation/custom"
    assert "fits that filter" in refused.data.decode()
    bad = start("all-of-them")
    assert bad.request.path == "/learn/schemes/foundation/custom"
    assert "Check the options" in bad.data.decode()
    assert db.session.query(Attempt).count() == 0


def test_the_result_page_offers_a_retry_and_sorts_clauses_weakest_first(client, login_as, banks):
    learner = login_as(Role.LEARNER)
    attempt = sit_exam(learner, mode="practice", count=12)  # all left blank
    url = f"/learn/attempts/{attempt.id}/result"
    page = client.get(url).data.decode()
    assert "Retry the 12 questions I missed" in page
    assert f'name="retry" value="{attempt.id}"' in page
    by_clause = client.get(url + "?order=clause").data.decode()
    rows = re.findall(r'cw-indent-\d">([\d.]+) ', by_clause)
    assert rows == sorted(rows, key=lambda c: [int(p) for p in c.split(".")])
    started = client.post(
        "/learn/attempts",
        data={
            "scheme": "foundation",
            "mode": "practice",
            "retry": attempt.id,
            "count": "100",
            "layout": "single",
        },
    )
    assert started.status_code == 302
    retry = db.session.query(Attempt).order_by(Attempt.id.desc()).first()
    assert retry.settings["retry_of"] == attempt.id and len(retry.items) == 12
    assert (
        "Retry — the questions you missed" in client.get(started.headers["Location"]).data.decode()
    )


def test_weakest_first_keeps_sub_clauses_under_their_clause():
    from app.web.learner.routes import _weakest_first

    rows = [
        ("8.1", "", {"percent": 90.0, "score": 9, "max": 10}),
        ("8.5", "", {"percent": 40.0, "score": 4, "max": 10}),
        ("8.5.1", "", {"percent": 100.0, "score": 2, "max": 2}),
        ("9.1", "", {"percent": 40.0, "score": 2, "max": 5}),
    ]
    ordered = [row[0] for row in _weakest_first(rows, nested=True)]
    assert ordered == ["8.5", "8.5.1", "9.1", "8.1"]  # equal share: more marks lost first
    flat = [row[0] for row in _weakest_first(rows, nested=False)]
    assert flat == ["8.5", "9.1", "8.1", "8.5.1"]
