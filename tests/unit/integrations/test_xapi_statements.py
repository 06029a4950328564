"""xAPI statements as the specification shapes them: every question type as its
cmi.interaction, the key's own answer matching its correctResponsesPattern, stable ids,
UTC times, scores within bounds, and the actor as an account or a mailbox."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta, timezone

import pytest

from app import formats
from app.domain import question_types
from app.integrations import xapi
from app.integrations.xapi_interactions import definition, response
from tests.e2e.conftest import EVERY_TYPE_BANK

EXPECTED = {
    "single_choice": "choice",
    "multiple_response": "choice",
    "true_false": "true-false",
    "matching": "matching",
    "ordering": "sequencing",
    "short_answer": "fill-in",
    "essay": "long-fill-in",
    "classification": "matching",
}
SETTINGS = xapi.Settings("https://lrs.example/xAPI", "", "https://cw.example")


@pytest.fixture(scope="module")
def records():
    result = formats.read_file(EVERY_TYPE_BANK, "every.yaml")
    assert not result.errors
    return {q.type: q for q in result.bank.questions}


def test_every_question_type_is_its_interaction_and_its_key_matches_the_pattern(records):
    assert set(records) == set(EXPECTED)
    for kind, record in records.items():
        made = definition(record, "en-US", record.id)
        assert made["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
        assert made["interactionType"] == EXPECTED[kind]
        assert made["description"] == {"en-US": record.stem}
        if kind == "essay":
            assert "correctResponsesPattern" not in made  # marked by a trainer
            continue
        key = question_types.get(kind).correct_response(record)
        answer = response(record, key)
        patterns = made["correctResponsesPattern"]
        if kind == "short_answer":
            assert f"{{case_matters=false}}{answer}" in patterns
        elif kind in ("matching", "classification"):
            pairs = set(patterns[0].split("[,]"))
            assert set(answer.split("[,]")) == pairs
            sources = {c["id"] for c in made["source"]}
            targets = {c["id"] for c in made["target"]}
            assert {p.split("[.]")[0] for p in pairs} == sources
            assert {p.split("[.]")[1] for p in pairs} <= targets
        else:
            assert answer in patterns, (kind, answer, patterns)


def test_choices_list_every_option_and_a_multiple_key_joins_its_ids(records):
    made = definition(records["multiple_response"], "en-US", "q")
    assert [c["id"] for c in made["choices"]] == ["a", "b", "c"]
    assert made["correctResponsesPattern"] == ["a[,]b"]
    assert response(records["true_false"], False) == "false"
    assert response(records["single_choice"], None) == ""


def test_statement_ids_are_stable_and_times_are_utc():
    at = datetime(2026, 12, 7, 15, 30, tzinfo=timezone(timedelta(hours=2)))
    actor = xapi.agent(SETTINGS, "opaque-1", "ann@example.org", "Ann")
    made = [
        xapi.statement(
            key=("answered", "3"),
            actor=actor,
            verb="answered",
            target={"id": xapi.activity_id(SETTINGS.home_page, "questions", "q-1")},
            at=at,
            registration="6b0c9a52-0000-4000-8000-000000000001",
        )
        for _ in range(2)
    ]
    assert made[0]["id"] == made[1]["id"]
    assert made[0]["timestamp"] == "2026-12-07T13:30:00.000Z"
    assert made[0]["verb"]["id"] == "http://adlnet.gov/expapi/verbs/answered"
    assert made[0]["object"]["id"] == "https://cw.example/xapi/activities/questions/q-1"
    assert made[0]["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": "https://cw.example", "name": "opaque-1"},
    }
    other = xapi.statement_id("6b0c9a52-0000-4000-8000-000000000001", "answered", "4")
    assert other != made[0]["id"]
    assert datetime.fromisoformat(made[0]["timestamp"]).tzinfo == UTC


def test_scores_stay_within_min_and_max_and_mbox_actors_carry_the_address():
    assert xapi.score(-2.0, 10.0) == {"scaled": 0.0, "raw": 0.0, "min": 0.0, "max": 10.0}
    assert xapi.score(7.5, 10.0) == {"scaled": 0.75, "raw": 7.5, "min": 0.0, "max": 10.0}
    assert xapi.score(None, 10.0) is None and xapi.score(3.0, 0.0) is None
    mailbox = xapi.Settings("https://lrs.example/xAPI", "", "https://cw.example", actor="mbox")
    assert xapi.agent(mailbox, "x", "ann@example.org", "Ann")["mbox"] == "mailto:ann@example.org"


def test_settings_from_the_config_build_basic_auth_or_take_a_given_header():
    base = {"XAPI_ENDPOINT": "https://lrs.example/xAPI", "XAPI_HOME_PAGE": "https://cw.example"}
    assert xapi.settings({}) is None
    basic = xapi.settings({**base, "XAPI_USERNAME": "key", "XAPI_PASSWORD": "secret"})
    assert basic is not None
    assert basic.authorization == "Basic " + base64.b64encode(b"key:secret").decode()
    given = xapi.settings({**base, "XAPI_AUTH": "Bearer abc", "XAPI_USERNAME": "ignored"})
    assert given is not None and given.authorization == "Bearer abc"
