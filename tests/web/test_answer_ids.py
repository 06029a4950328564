"""A hostile API client: the ids a question is stored with never answer it, and the ids a
learner sees (and gets echoed back) differ per attempt and say nothing about the key."""

from app.domain import question_types
from app.extensions import db
from app.models import Attempt, Response
from app.queries import attempts as attempt_views
from app.services import attempts

MOCK_SEED = 1  # its practitioner form holds every kind the first test needs


def _start(api, **body) -> dict:
    started = api("POST", "/attempts", json={"scheme": "practitioner", **body})
    assert started.status_code == 201, started.json
    return started.json


def _stored_keys(attempt_id: int) -> dict[int, object]:
    """Position → the key in the ids the question is stored with."""
    attempt = db.session.get(Attempt, attempt_id)
    items = attempt_views.attempt_items(attempt)
    records = attempt_views.item_records(items)
    keys = {}
    for item in items:
        record = records[item.version_id]
        if question_types.get(record.type).parts(record):
            keys[item.position] = question_types.get(record.type).correct_response(record)
    return keys


def _shown_answer(question: dict) -> object:
    """An answer built only from what the learner view shows."""
    if question["type"] == "single_choice":
        return question["options"][0]["id"]
    if question["type"] == "multiple_response":
        return [question["options"][0]["id"]]
    if question["type"] == "ordering":
        return [step["id"] for step in question["steps"]]
    if question["type"] == "matching":
        return {p["id"]: question["matches"][0]["id"] for p in question["prompts"]}
    return True


def _mock_with_every_kind(api) -> dict:
    """A practitioner mock holding ordering, matching and single-choice items, as the
    learner's API shows it (a seeded form, so the draw cannot leave a kind out)."""
    started = attempts.start_attempt(
        api.user, "practitioner", attempts.StartOptions(mode="mock", seed=MOCK_SEED)
    )
    shown = api("GET", f"/attempts/{started.id}")
    assert shown.status_code == 200, shown.json
    return shown.json


def test_sending_the_stored_ids_of_the_key_is_refused_and_saves_nothing(api, banks):
    attempt = _mock_with_every_kind(api)
    keys = _stored_keys(attempt["id"])
    types = {item["question"]["type"] for item in attempt["items"]}
    assert {"ordering", "matching", "single_choice"} <= types
    for position, key in keys.items():
        sent = api("PUT", f"/attempts/{attempt['id']}/responses/{position}", json={"response": key})
        assert sent.status_code == 400, (position, key)
        message = sent.json["error"]["message"]
        assert "in this question" in message or "offered matches" in message, message
    assert Response.query.count() == 0


def test_answers_use_and_echo_the_shown_ids_only(api, banks):
    attempt = _start(api, mode="mock")
    keys = _stored_keys(attempt["id"])
    stored_ids = {str(part) for key in keys.values() for part in _flatten(key)}
    for item in attempt["items"]:
        question = item["question"]
        shown = {
            part["id"]
            for g in ("options", "steps", "prompts", "matches")
            for part in question.get(g, [])
        }
        assert shown.isdisjoint(stored_ids), question["type"]
        answer = _shown_answer(question)
        path = f"/attempts/{attempt['id']}/responses/{item['position']}"
        assert api("PUT", path, json={"response": answer}).status_code == 200
        echoed = api("GET", f"/attempts/{attempt['id']}").json["items"][item["position"] - 1]
        expected = sorted(answer) if question["type"] == "multiple_response" else answer
        assert echoed["response"] == expected, question["type"]


def _flatten(value: object) -> list:
    if isinstance(value, dict):
        return [*value.keys(), *value.values()]
    if isinstance(value, list):
        return value
    return [value]


def test_the_same_question_shows_other_ids_in_another_attempt(api, banks):
    # A clause drill larger than the clause's pool draws every item twice.
    drill = {"scheme": "foundation", "mode": "practice", "clauses": ["8.5.1"], "count": 100}
    first = _start(api, **drill)
    second = _start(api, **drill)
    by_stem = {i["question"]["stem"]: i["question"] for i in first["items"]}
    compared = 0
    for item in second["items"]:
        earlier = by_stem.get(item["question"]["stem"])
        if earlier and earlier.get("options"):
            assert {o["id"] for o in earlier["options"]}.isdisjoint(
                {o["id"] for o in item["question"]["options"]}
            )
            compared += 1
    assert compared > 0


def test_the_review_gives_the_key_in_the_ids_the_learner_saw(api, banks):
    attempt = _start(api, mode="practice", count=30)
    api("POST", f"/attempts/{attempt['id']}/submit")
    reviewed = api("GET", f"/attempts/{attempt['id']}/result").json["items"]
    for item in reviewed:
        question, key = item["question"], item["review"]["correct_response"]
        if question["type"] == "ordering":
            assert sorted(key) == sorted(s["id"] for s in question["steps"])
        if question["type"] == "matching":
            assert set(key) == {p["id"] for p in question["prompts"]}
            assert set(key.values()) <= {m["id"] for m in question["matches"]}
        if question["type"] in ("single_choice", "multiple_response"):
            shown = {o["id"] for o in question["options"]}
            assert set(item["review"]["correct_options"]) <= shown
