"""Matching with shared matches (issue 18, point 5): frog and newt both -> amphibian.

Validation, the learner's view under public ids, grading, and the answer, response and
key partials, for a question whose pairs repeat a match's text.
"""

from __future__ import annotations

import itertools

import pytest

from app.domain import question_types
from app.domain.answer_ids import new_secret
from app.domain.records import PairRecord, QuestionRecord
from app.messages import render

KIND = question_types.get("matching")


def animals(**changes: object) -> QuestionRecord:
    """Moodle's own example of a shared match, in Clausewise's words."""
    pairs = [
        PairRecord("p1", "The payroll service stopped", "Incident management"),
        PairRecord("p2", "The cause of three outages is unknown", "Problem management"),
        PairRecord("p3", "Users on floor 4 cannot print", "Incident management"),
        PairRecord("p4", "A new starter asks for a laptop", "Service request management"),
    ]
    fields = {
        "id": "who",
        "type": "matching",
        "stem": "Which process handles each record?",
        "pairs": pairs,
        "extra_matches": ["Capacity management"],
    }
    return QuestionRecord(**(fields | changes))


def messages(q: QuestionRecord) -> list[str]:
    return [render(m) for m in KIND.validate(q)]


# --- validation ---------------------------------------------------------------------------


def test_prompts_sharing_a_match_make_a_valid_question():
    assert messages(animals()) == []


def test_a_shared_match_spelt_two_ways_is_refused_naming_both_spellings():
    q = animals()
    q.pairs[2].match = "incident  Management"
    assert messages(q) == [
        "prompts may share a match, but it must be written the same way in each pair; "
        "written differently: Incident management / incident  Management"
    ]


def test_an_extra_match_may_repeat_neither_a_pairs_match_nor_another_extra():
    said = messages(animals(extra_matches=["incident management", "Capacity", "capacity"]))
    assert said == [
        "each extra match needs a text no other match has (prompts may share a match, "
        "extra matches may not repeat one); repeated: capacity; incident management"
    ]


def test_prompts_that_all_share_one_match_leave_nothing_to_choose():
    pairs = [PairRecord("p1", "Frog", "Amphibian"), PairRecord("p2", "Newt", "Amphibian")]
    assert messages(animals(pairs=pairs, extra_matches=[])) == [
        "a matching question needs at least 2 different matches to choose from; it has 1"
    ]
    assert messages(animals(pairs=pairs, extra_matches=["Fish"])) == []


def test_numbers_that_only_look_alike_stay_different_matches():
    """Moodle once took '0' and '0.0' for one choice; here they are two texts."""
    pairs = [
        PairRecord("p1", "First draft", "0"),
        PairRecord("p2", "After approval", "0.0"),
        PairRecord("p3", "Draft plan", "0"),
    ]
    q = animals(pairs=pairs, extra_matches=[])
    assert messages(q) == []
    assert [m["text"] for m in KIND.learner_view(q)["matches"]] == ["0", "0.0"]


# --- what the learner sees ------------------------------------------------------------------


def test_each_distinct_match_is_offered_once_under_one_public_id():
    q = animals()
    ids = question_types.answer_ids(new_secret(), 1, q)
    view = KIND.learner_view(q, None, ids)
    texts = [m["text"] for m in view["matches"]]
    assert sorted(texts) == sorted(
        [
            "Capacity management",
            "Incident management",
            "Problem management",
            "Service request management",
        ]
    )
    assert all(set(m) == {"id", "text"} for m in view["matches"] + view["prompts"])
    assert len({m["id"] for m in view["matches"]}) == 4
    assert not {m["id"] for m in view["matches"]} & {"p1", "m1", "Incident management"}
    assert KIND.shuffle_ids(q) == ["m1", "m2", "m3", "m4"]
    assert KIND.random_guess(q) == pytest.approx(1 / 4)


def test_the_view_is_the_same_whichever_prompts_share_the_match():
    """Two keys over the same prompts and matches give the learner identical views: the
    ids, order and texts shown say nothing about which prompts share a match."""
    q = animals()
    other = animals()
    other.pairs[0].match, other.pairs[1].match = "Problem management", "Incident management"
    other.pairs[2].match = "Problem management"
    assert KIND.validate(other) == []
    secret = new_secret()
    for order in (None, ["m4", "m2", "m1", "m3"]):
        shown = KIND.learner_view(q, order, question_types.answer_ids(secret, 5, q))
        also = KIND.learner_view(other, order, question_types.answer_ids(secret, 5, other))
        assert shown == also


def test_the_shared_match_earns_each_of_its_prompts_and_partial_credit_holds():
    q = animals()
    ids = question_types.answer_ids(new_secret(), 2, q)
    view = KIND.learner_view(q, None, ids)
    by_text = {m["text"]: m["id"] for m in view["matches"]}
    prompt = {p.id: ids.public("prompt", p.id) for p in q.pairs}
    right = {prompt[p.id]: by_text[p.match] for p in q.pairs}
    assert KIND.grade(q, KIND.parse_response(q, right, ids)) == 1.0
    one_wrong = right | {prompt["p3"]: by_text["Problem management"]}
    assert KIND.grade(q, KIND.parse_response(q, one_wrong, ids)) == 0.75
    only_shared = {prompt["p1"]: by_text["Incident management"]}
    assert KIND.grade(q, KIND.parse_response(q, only_shared, ids)) == 0.25
    echoed = KIND.public_response(q, KIND.correct_response(q), ids)
    assert echoed == right


def test_every_assignment_earns_its_share_of_right_prompts():
    q = animals(extra_matches=[])
    matches = sorted({p.match for p in q.pairs})
    for chosen in itertools.product(matches, repeat=len(q.pairs)):
        response = {p.id: m for p, m in zip(q.pairs, chosen, strict=True)}
        right = sum(p.match == m for p, m in zip(q.pairs, chosen, strict=True))
        assert KIND.grade(q, KIND.parse_response(q, response)) == right / 4


# --- the partials -------------------------------------------------------------------------


def test_the_answer_response_and_key_partials_show_the_shared_match_once_per_prompt(app):
    q = animals()
    ids = question_types.answer_ids(new_secret(), 1, q)
    view = KIND.learner_view(q, None, ids)
    key = KIND.public_response(q, KIND.correct_response(q), ids)
    item = {"position": 1, "view": view, "response": key}
    with app.test_request_context():
        env = app.jinja_env
        answer = env.get_template("question_types/matching/answer.html").render(
            v=view, r=key, item=item
        )
        response = env.get_template("question_types/matching/response.html").render(item=item)
        shown_key = env.get_template("question_types/matching/key.html").render(
            v=view, k={"correct_response": key}
        )
    # one select per prompt, each offering the four matches once, the shared one chosen twice
    assert answer.count("<select") == 4
    assert answer.count(">Incident management</option>") == 4
    assert answer.count("selected") == 4
    for text in (response, shown_key):
        assert "The payroll service stopped → Incident management" in text
        assert "Users on floor 4 cannot print → Incident management" in text
        assert "Capacity management" not in text
