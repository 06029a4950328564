"""A learner sits a mock exam through the pages; no key material leaks before submission."""

import html
import re

import pytest

from app.analytics import banks as bank_queries
from app.models import Attempt
from app.security import Role


def _key_material(attempt: Attempt) -> list[str]:
    """Texts that only someone who knows the key could show."""
    records = bank_queries.version_records([i.version_id for i in attempt.items])
    found = []
    for record in records.values():
        found.append(record.explanation.strip()[:60])
        found += [o.feedback[:60] for o in record.options if o.feedback]
        found += [record.feedback_true[:60], record.feedback_false[:60]]
        found += [record.model_answer[:60]] + [c.guidance[:60] for c in record.rubric]
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
        answer = item.display_order[0] if item.display_order else "true"
        saved = client.post(
            f"{url}/answers/{item.position}",
            data={"response": answer},
            headers={"Accept": "application/json"},
        )
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
    first = attempt.items[0]
    answer = first.display_order[1] if first.display_order else "false"
    client.post(f"{url}/answers/1", data={"response": answer})
    client.post("/logout")
    login_as(user=learner)
    page = client.get(url + "?q=1").data.decode()
    assert re.search(rf'id="q1-{answer}" value="{answer}"\s+checked', page)
    other = next(o for o in [*first.display_order, "true"] if o != answer)
    assert not re.search(rf'id="q1-{other}" value="{other}"\s+checked', page)


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


@pytest.mark.parametrize("mode", ["practice", "drill"])
def test_practice_and_drill_show_explanations_after_checking(client, login_as, banks, mode):
    login_as(Role.LEARNER)
    url = _start(client, mode=mode, count="3")
    attempt = Attempt.query.one()
    item = attempt.items[0]
    answer = item.display_order[0] if item.display_order else "true"
    client.post(f"{url}/answers/1", data={"response": answer, "check": "1"})
    page = client.get(f"{url}?q=1").data.decode()
    assert "Clause reference:" in page


def test_history_lists_attempts(client, login_as, banks):
    login_as(Role.LEARNER)
    url = _start(client)
    client.post(f"{url}/submit")
    page = client.get("/learn/history").data.decode()
    assert "submitted" in page and "Score trend" in page
