"""Shared matches on the pages (issue 18, point 5): a trainer writes one in the editor, a
learner answers one through the API and is marked per prompt."""

from pathlib import Path

import pytest

from app.models import SYSTEM, Question, Role
from app.services import authoring
from app.services.bank_import import ImportOptions, import_files

DATA = Path(__file__).resolve().parents[1] / "data"
EDITOR = {
    "key": "frogs",
    "title": "",
    "level": "foundation",
    "difficulty": "2",
    "marks": "3",
    "clauses": ["8.6.1"],
    "scenario": "",
    "explanation": "Interruptions are incidents; their causes are problems.",
    "stem": "Which process handles each record?",
    "pairs-0-prompt": "The payroll service stopped",
    "pairs-0-match": "Incident management",
    "pairs-1-prompt": "The cause of three outages is unknown",
    "pairs-1-match": "Problem management",
    "pairs-2-prompt": "Users on floor 4 cannot print",
    "pairs-2-match": "Incident management",
}


@pytest.fixture
def bank(reference, make_user):
    owner = make_user(role=Role.TRAINER)
    return authoring.save_bank(owner, "shared", "Shared matches")


def test_the_editor_saves_prompts_that_share_a_match_and_says_so(client, login_as, bank):
    login_as(Role.TRAINER)
    form = client.get(f"/train/banks/{bank.id}/questions/new?type=matching")
    assert "Several premises may share one response" in form.get_data(as_text=True)
    reply = client.post(f"/train/banks/{bank.id}/questions/new?type=matching", data=EDITOR)
    assert reply.status_code == 302, reply.get_data(as_text=True)[-3000:]
    pairs = Question.query.filter_by(key="frogs").one().current_version.body["pairs"]
    assert [p["match"] for p in pairs] == [
        "Incident management",
        "Problem management",
        "Incident management",
    ]


def test_the_editor_refuses_a_shared_match_spelt_two_ways_and_saves_nothing(client, login_as, bank):
    login_as(Role.TRAINER)
    data = EDITOR | {"key": "frogs-2", "pairs-2-match": "incident Management"}
    reply = client.post(f"/train/banks/{bank.id}/questions/new?type=matching", data=data)
    page = reply.get_data(as_text=True)
    assert reply.status_code == 200
    assert "must be written the same way in each pair" in page
    assert "Incident management / incident Management" in page
    assert Question.query.filter_by(key="frogs-2").count() == 0


def test_a_learner_sees_the_shared_match_once_and_earns_it_on_each_prompt(api, reference):
    data = (DATA / "matching/shared.yaml").read_bytes()
    imported = import_files(SYSTEM, [("shared.yaml", data)], ImportOptions(publish=True))
    assert imported.ok, [str(p) for p in imported.errors]
    body = {"scheme": "foundation", "mode": "practice", "clauses": ["8.6.1"], "count": 5}
    started = api("POST", "/attempts", json=body)
    assert started.status_code == 201, started.json
    (item,) = [i for i in started.json["items"] if i["question"]["type"] == "matching"]
    question = item["question"]
    texts = [m["text"] for m in question["matches"]]
    assert sorted(texts) == [
        "Capacity management",
        "Incident management",
        "Problem management",
        "Service request management",
    ]
    match = {m["text"]: m["id"] for m in question["matches"]}
    prompt = {p["text"]: p["id"] for p in question["prompts"]}
    answer = {
        prompt["The payroll service stopped at 09:10"]: match["Incident management"],
        prompt["Users on floor 4 cannot print"]: match["Incident management"],
        prompt["The root cause of last month's three outages is unknown"]: match[
            "Incident management"
        ],
        prompt["A new starter asks for a laptop"]: match["Service request management"],
    }
    attempt = started.json["id"]
    path = f"/attempts/{attempt}/responses/{item['position']}"
    assert api("PUT", path, json={"response": answer}).status_code == 200
    assert api("POST", f"/attempts/{attempt}/submit").status_code == 200
    result = api("GET", f"/attempts/{attempt}/result").json
    (marked,) = [i for i in result["items"] if i["question"]["type"] == "matching"]
    key = marked["review"]["correct_response"]
    assert list(key.values()).count(match["Incident management"]) == 2
    assert marked["review"]["score"] == pytest.approx(0.75)  # three prompts of four right
    assert set(question) == {"marks", "matches", "prompts", "stem", "type"}
