"""The question-type registry: validation, learner views, parsing, grading, guessing."""

from __future__ import annotations

import itertools
import json
import random
from collections import Counter
from dataclasses import replace

import pytest

from app.domain import question_types
from app.domain.answer_ids import new_secret, secret_order
from app.domain.records import (
    OptionRecord,
    PairRecord,
    QuestionRecord,
    StepRecord,
)
from app.messages import render
from app.question_types.multiple_response.domain import partial_credit
from tests.unit.formats.sample import every_type_bank

SAMPLE = {q.type: q for q in every_type_bank().questions}


def sample(key: str, **changes: object) -> QuestionRecord:
    """A fresh copy of the sample question of a type, with some fields changed."""
    return replace(every_type_bank().questions[list(SAMPLE).index(key)], **changes)


def choice(n_correct: int, n_wrong: int) -> QuestionRecord:
    """A multiple-response item with the given numbers of correct and wrong options."""
    flags = [True] * n_correct + [False] * n_wrong
    options = [OptionRecord(chr(97 + i), f"Option {i}", f) for i, f in enumerate(flags)]
    return QuestionRecord(id="mr", type="multiple_response", stem="Pick", options=options)


# --- the registry -----------------------------------------------------------------------


def test_registry_lists_every_type_once_in_a_stable_order():
    assert question_types.keys() == [
        "single_choice",
        "multiple_response",
        "true_false",
        "matching",
        "ordering",
        "short_answer",
        "essay",
        "classification",
    ]
    assert [t.key for t in question_types.all_types()] == question_types.keys()
    assert all(t.label for t in question_types.all_types())


def test_unknown_type_raises_key_error_naming_the_known_types():
    with pytest.raises(KeyError, match=r"unknown question type 'numerical'.*single_choice"):
        question_types.get("numerical")


def test_only_essays_need_a_trainer():
    manual = [t.key for t in question_types.all_types() if not t.auto_graded]
    assert manual == ["essay"]


# --- validation -------------------------------------------------------------------------


def test_every_sample_question_is_valid():
    for q in every_type_bank().questions:
        assert question_types.get(q.type).validate(q) == [], q.type


def problems(q: QuestionRecord) -> str:
    """All of a question's validation messages, rendered and joined for matching."""
    return " | ".join(render(m) for m in question_types.get(q.type).validate(q))


def test_single_choice_needs_exactly_one_correct_option():
    q = sample("single_choice")
    q.options[1].correct = True
    assert "a single-choice question needs exactly one correct option; it has 2" in problems(q)
    q = sample("single_choice", options=[OptionRecord("a", "Only", True)])
    assert "needs at least 2 options; it has 1" in problems(q)


def test_option_ids_must_be_unique_and_present_and_texts_filled():
    q = sample("single_choice")
    q.options[1].id = "a"
    q.options[2].id = " "
    q.options[3].text = ""
    text = problems(q)
    assert "option ids must be unique; repeated: a" in text
    assert "every option needs an id" in text
    assert "1 option(s) have no text" in text


def test_options_need_different_texts():
    q = sample("single_choice")
    q.options[2].text = "raise a change  request at once"
    assert "each option needs a different text" in problems(q)


def test_multiple_response_needs_a_correct_and_a_wrong_option():
    assert "needs at least one wrong option" in problems(choice(3, 0))
    assert "needs at least one correct option; it has none" in problems(choice(0, 3))
    assert "needs at least 3 options; it has 2" in problems(choice(1, 1))
    assert problems(choice(1, 2)) == ""


def test_true_false_needs_a_boolean_answer():
    assert "needs its answer set to true or false" in problems(sample("true_false", answer=None))


def test_matching_needs_two_pairs_unique_ids_and_extra_matches_unlike_the_others():
    q = sample("matching", extra_matches=["problem management"])
    assert "extra matches may not repeat one); repeated: problem management" in problems(q)
    q = sample("matching", pairs=[PairRecord("p1", "A", "B")])
    assert "needs at least 2 pairs; it has 1" in problems(q)
    q = sample("matching")
    q.pairs[1].id = "p1"
    assert "pair ids must be unique; repeated: p1" in problems(q)


def test_ordering_needs_two_steps_with_unique_ids():
    q = sample("ordering", steps=[StepRecord("s1", "Only")])
    assert "needs at least 2 steps; it has 1" in problems(q)
    q = sample("ordering")
    q.steps[3].id = "s1"
    assert "step ids must be unique; repeated: s1" in problems(q)


def test_short_answer_needs_non_empty_answers():
    assert "needs at least one accepted answer" in problems(sample("short_answer", answers=[]))
    assert "must not be empty" in problems(sample("short_answer", answers=["x", " "]))


def test_essay_rubric_marks_are_positive_and_add_up():
    q = sample("essay")
    q.rubric[0].marks = 0
    text = problems(q)
    assert "rubric criterion 'Requirement' needs marks above 0" in text
    assert "must equal the sum of its rubric marks (3); it has 4" in text
    assert problems(sample("essay", rubric=[], marks=5.0)) == ""


def test_marks_must_be_positive_and_stem_filled_for_every_type():
    for key in SAMPLE:
        text = problems(sample(key, marks=0.0, stem="  "))
        assert "marks must be more than 0; it has 0" in text, key
        assert "the stem is empty" in text, key


def test_fields_of_another_type_are_reported():
    q = sample("true_false", options=[OptionRecord("a", "x", True)], answers=["y"])
    text = problems(q)
    assert "a true/false question does not use options; remove it" in text
    assert "does not use answers" in text


# --- the learner view ---------------------------------------------------------------------


def key_material(q: QuestionRecord) -> list[str]:
    """Strings that would give the key or feedback away if a learner saw them."""
    found = [q.explanation, q.feedback_true, q.feedback_false, q.model_answer]
    found += [o.feedback for o in q.options] + list(q.answers)
    found += [c.criterion for c in q.rubric] + [c.guidance for c in q.rubric]
    return [text for text in found if text]


def real_part_ids(q: QuestionRecord) -> set[str]:
    """Every id a question is stored with (options, steps, pairs, match texts)."""
    return {i for ids in question_types.get(q.type).parts(q).values() for i in ids}


def shown_ids(view: dict) -> list[str]:
    """Every id a learner view shows."""
    groups = ("options", "steps", "prompts", "matches")
    return [part["id"] for group in groups for part in view.get(group, [])]


def test_learner_view_never_shows_the_key_feedback_or_real_ids():
    for q in every_type_bank().questions:
        qtype = question_types.get(q.type)
        ids = question_types.answer_ids(new_secret(), 1, q)
        for order in (None, list(reversed(qtype.shuffle_ids(q))) or None):
            view = qtype.learner_view(q, order, ids)
            dumped = json.dumps(view)
            assert '"correct"' not in dumped, q.type
            assert '"answer' not in dumped and ": false" not in dumped, q.type
            assert ": true" not in dumped, q.type
            assert "feedback" not in dumped and "rubric" not in dumped, q.type
            for secret in key_material(q):
                assert json.dumps(secret)[1:-1] not in dumped, (q.type, secret)
            assert real_part_ids(q).isdisjoint(shown_ids(view)), q.type


def test_learner_view_shows_stem_type_marks_and_options_in_the_given_order():
    q = SAMPLE["single_choice"]
    view = question_types.get("single_choice").learner_view(q, ["c", "a", "d", "b"])
    assert view["stem"] == q.stem and view["type"] == "single_choice" and view["marks"] == 1
    assert [o["id"] for o in view["options"]] == ["c", "a", "d", "b"]
    assert view["options"][1] == {"id": "a", "text": q.options[0].text}


def test_learner_view_rejects_an_order_that_is_not_a_permutation():
    with pytest.raises(ValueError, match="exactly once"):
        question_types.get("single_choice").learner_view(SAMPLE["single_choice"], ["a", "b"])


def test_matching_view_lists_prompts_and_every_offered_match_without_pairing_them():
    q = sample("matching", extra_matches=["Capacity management"])
    qtype = question_types.get("matching")
    view = qtype.learner_view(q)
    assert all(set(p) == {"id", "text"} for p in view["prompts"])
    texts = [m["text"] for m in view["matches"]]
    assert texts == sorted(texts) and "Capacity management" in texts
    assert qtype.shuffle_ids(q) == ["m1", "m2", "m3", "m4"]
    shown = qtype.learner_view(q, ["m4", "m3", "m2", "m1"])["matches"]
    assert [m["text"] for m in shown] == list(reversed(texts))


def test_ordering_view_follows_the_given_order_and_is_alphabetical_without_one():
    q = SAMPLE["ordering"]
    qtype = question_types.get("ordering")
    view = qtype.learner_view(q, ["s4", "s2", "s3", "s1"])
    assert [s["text"] for s in view["steps"]] == [q.steps[i].text for i in (3, 1, 2, 0)]
    default = [s["text"] for s in qtype.learner_view(q)["steps"]]
    assert default == sorted(default)


# --- public ids ---------------------------------------------------------------------------


def test_public_ids_differ_by_attempt_and_by_item_and_are_stable():
    q = SAMPLE["ordering"]
    secret = new_secret()
    first = question_types.answer_ids(secret, 1, q)
    assert question_types.answer_ids(secret, 1, q).public("step", "s1") == first.public(
        "step", "s1"
    )
    assert question_types.answer_ids(secret, 2, q).public("step", "s1") != first.public(
        "step", "s1"
    )
    other = question_types.answer_ids(new_secret(), 1, q)
    assert other.public("step", "s1") != first.public("step", "s1")
    shown = [first.public("step", s.id) for s in q.steps]
    assert len(set(shown)) == 4 and all(len(i) == 8 and i.isalnum() for i in shown)


def test_responses_in_public_ids_round_trip_and_real_ids_are_refused():
    for q in every_type_bank().questions:
        qtype = question_types.get(q.type)
        ids = question_types.answer_ids(new_secret(), 3, q)
        key = qtype.correct_response(q)
        public = qtype.public_response(q, key, ids)
        assert qtype.parse_response(q, public, ids) == key, q.type
        assert qtype.grade(q, qtype.parse_response(q, public, ids)) in (1.0, None), q.type
        if qtype.parts(q):  # a learner who sends the stored ids gets a plain refusal
            with pytest.raises(ValueError, match=r"no |not one of"):
                qtype.parse_response(q, key, ids)


def test_the_display_order_follows_the_secret_alone():
    ids = ["a", "b", "c", "d", "e"]
    secret = new_secret()
    assert secret_order(secret, "1", ids) == secret_order(secret, "1", ids)
    assert sorted(secret_order(secret, "1", ids)) == ids
    assert ids == ["a", "b", "c", "d", "e"]  # the caller's list is left alone
    orders = {tuple(secret_order(new_secret(), "1", ids)) for _ in range(60)}
    assert len(orders) > 30  # of 120 orders; a seeded generator is no part of it
    first = Counter(secret_order(new_secret(), "1", ids)[0] for _ in range(2000))
    assert all(300 < first[i] < 500 for i in ids)  # about 400 each


def test_sorting_the_public_ids_says_nothing_about_the_key():
    """Over many attempts, the correct order is no likelier than any other sorted order."""
    q = SAMPLE["ordering"]
    qtype = question_types.get("ordering")
    full_marks, first_step_rank = 0, [0, 0, 0, 0]
    for _ in range(2400):
        ids = question_types.answer_ids(new_secret(), 1, q)
        by_id = sorted(qtype.learner_view(q, None, ids)["steps"], key=lambda s: s["id"])
        chosen = qtype.parse_response(q, [s["id"] for s in by_id], ids)
        full_marks += qtype.grade(q, chosen) == 1.0
        first_step_rank[chosen.index("s1")] += 1
    assert full_marks < 2400 / 24 * 1.6  # about 1 in 4! = 24 by chance
    assert all(450 < n < 750 for n in first_step_rank)  # about 600 each


def test_only_options_steps_and_matches_are_shuffled():
    ids = {q.type: question_types.get(q.type).shuffle_ids(q) for q in SAMPLE.values()}
    assert ids["single_choice"] == ["a", "b", "c", "d"]
    assert ids["ordering"] == ["s1", "s2", "s3", "s4"]
    assert ids["matching"] == ["m1", "m2", "m3"]
    assert ids["true_false"] == ids["short_answer"] == ids["essay"] == []


# --- parsing responses ---------------------------------------------------------------------


@pytest.mark.parametrize("key", list(SAMPLE))
@pytest.mark.parametrize("blank", [None, "", "   ", [], {}])
def test_blank_responses_mean_unanswered(key: str, blank: object):
    assert question_types.get(key).parse_response(SAMPLE[key], blank) is None


def parse(key: str, raw: object) -> object:
    """Parse a raw response to the sample question of a type."""
    return question_types.get(key).parse_response(SAMPLE[key], raw)


def test_responses_are_normalised():
    assert parse("single_choice", " b ") == "b"
    assert parse("multiple_response", ["c", "a", "c"]) == ["a", "c"]
    assert parse("multiple_response", "a") == ["a"]
    assert parse("true_false", "TRUE") is True and parse("true_false", False) is False
    assert parse("matching", {"p1": "Incident management", "p2": "Problem management"}) == {
        "p1": "Incident management",
        "p2": "Problem management",
    }
    assert parse("ordering", ["s2", "s1", "s3", "s4"]) == ["s2", "s1", "s3", "s4"]
    assert parse("short_answer", "  8.6.3 ") == "8.6.3"
    assert parse("essay", "My statement") == "My statement"


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        ("single_choice", "z", "no option 'z'"),
        ("single_choice", 3, "id of one option"),
        ("multiple_response", ["a", "x"], "no option 'x'"),
        ("multiple_response", 7, "list of option ids"),
        ("multiple_response", ["a", 2], "given by its id"),
        ("true_false", "maybe", "true or false"),
        ("true_false", 1, "true or false"),
        ("matching", ["p1"], "pairs prompt ids"),
        ("matching", {"p9": "Problem management"}, "no prompt 'p9'"),
        ("matching", {"p1": "Change management"}, "not one of the offered matches"),
        ("matching", {"p1": 3}, "by its id"),
        ("matching", {"p1": "m2"}, "not one of the offered matches"),
        ("ordering", ["s1", "s2", "s3"], "every step exactly once"),
        ("ordering", ["s1", "s1", "s2", "s3", "s4"], "every step exactly once"),
        ("ordering", ["s1", "s2", "s3", "s9"], "no step 's9'"),
        ("short_answer", "x" * 501, "at most 500 characters"),
        ("short_answer", ["8.6.3"], "must be text"),
        ("essay", "x" * 20_001, "at most 20,000 characters"),
    ],
)
def test_bad_responses_are_refused_in_plain_words(key: str, raw: object, message: str):
    with pytest.raises(ValueError, match=message):
        parse(key, raw)


def test_the_key_parses_to_itself_and_earns_full_marks():
    for q in every_type_bank().questions:
        qtype = question_types.get(q.type)
        key = qtype.correct_response(q)
        assert qtype.parse_response(q, key) == key, q.type
        expected = None if q.type == "essay" else 1.0
        assert qtype.grade(q, key) == expected, q.type


# --- grading -----------------------------------------------------------------------------


def grade(key: str, raw: object, q: QuestionRecord | None = None) -> float | None:
    """Parse then grade a raw response."""
    q = q or SAMPLE[key]
    qtype = question_types.get(key)
    return qtype.grade(q, qtype.parse_response(q, raw))


def test_unanswered_questions_score_zero():
    assert all(grade(key, None) == 0.0 for key in SAMPLE)


def test_choice_and_true_false_grading():
    assert grade("single_choice", "a") == 1.0 and grade("single_choice", "b") == 0.0
    assert grade("true_false", "false") == 1.0 and grade("true_false", True) == 0.0


def test_multiple_response_partial_credit_follows_the_documented_examples():
    assert grade("multiple_response", ["a", "b"]) == 1.0
    assert grade("multiple_response", ["a"]) == 0.5
    assert grade("multiple_response", ["a", "c"]) == 0.0
    assert grade("multiple_response", ["a", "b", "c"]) == 0.5
    assert grade("multiple_response", ["a", "b", "c", "d"]) == 0.0


def test_ticking_every_option_never_earns_full_marks():
    rng = random.Random(20000)
    for _ in range(500):
        q = choice(rng.randint(1, 8), rng.randint(1, 4))
        everything = [o.id for o in q.options]
        assert grade("multiple_response", everything, q) == 0.0
        ticks = rng.sample(everything, rng.randint(1, len(everything)))
        score = grade("multiple_response", ticks, q)
        assert 0.0 <= score <= 1.0
        assert (score == 1.0) == (sorted(ticks) == [o.id for o in q.options if o.correct])


def test_matching_earns_the_share_of_prompts_matched_right():
    half = {"p1": "Incident management", "p2": "Service request management"}
    assert grade("matching", half) == pytest.approx(1 / 3)
    assert grade("matching", {"p1": "Problem management"}) == 0.0


def test_ordering_keeps_credit_for_a_shifted_block():
    assert grade("ordering", ["s2", "s3", "s4", "s1"]) == pytest.approx(2 / 3)
    assert grade("ordering", ["s4", "s3", "s2", "s1"]) == 0.0
    assert grade("ordering", ["s1", "s2", "s4", "s3"]) == pytest.approx(1 / 3)


def test_short_answer_ignores_case_and_spacing_only():
    assert grade("short_answer", "CLAUSE   8.6.3") == 1.0
    assert grade("short_answer", "8.6.3.") == 0.0


def test_essays_wait_for_a_trainer():
    assert grade("essay", "Clause 10.1 requires...") is None


# --- random guessing ------------------------------------------------------------------------


def mean(values: list[float]) -> float:
    """Arithmetic mean."""
    return sum(values) / len(values)


def test_random_guess_of_choice_true_false_and_text_types():
    guess = {key: question_types.get(key).random_guess(q) for key, q in SAMPLE.items()}
    assert guess["single_choice"] == 0.25 and guess["true_false"] == 0.5
    assert guess["short_answer"] == guess["essay"] == 0.0
    q = SAMPLE["single_choice"]
    assert guess["single_choice"] == mean([grade("single_choice", o.id) for o in q.options])


def test_multiple_response_guess_equals_enumeration_of_every_non_empty_subset():
    qtype = question_types.get("multiple_response")
    for n_correct, n_wrong in [(1, 2), (2, 2), (3, 1), (2, 5), (4, 4), (1, 9)]:
        q = choice(n_correct, n_wrong)
        ids = [o.id for o in q.options]
        subsets = [
            list(s) for size in range(1, len(ids) + 1) for s in itertools.combinations(ids, size)
        ]
        assert qtype.random_guess(q) == pytest.approx(mean([qtype.grade(q, s) for s in subsets]))
    assert partial_credit(1, 0, 2, 2) == 0.5


def test_ordering_guess_equals_enumeration_of_every_permutation():
    qtype = question_types.get("ordering")
    for n in range(2, 8):
        q = QuestionRecord(
            id="o",
            type="ordering",
            stem="Order",
            steps=[StepRecord(f"s{i}", f"Step {i}") for i in range(n)],
        )
        scores = [qtype.grade(q, list(p)) for p in itertools.permutations(qtype.shuffle_ids(q))]
        assert qtype.random_guess(q) == pytest.approx(mean(scores)), n


def test_matching_guess_agrees_with_a_monte_carlo_of_random_assignments():
    q = sample("matching", extra_matches=["Capacity management"])
    qtype = question_types.get("matching")
    offered = [m["text"] for m in qtype.learner_view(q)["matches"]]
    rng = random.Random(7)
    trials = [qtype.grade(q, {p.id: rng.choice(offered) for p in q.pairs}) for _ in range(20000)]
    assert qtype.random_guess(q) == 0.25
    assert mean(trials) == pytest.approx(0.25, abs=0.01)


def test_correct_responses_have_the_parsed_shape():
    key = {q.type: question_types.get(q.type).correct_response(q) for q in SAMPLE.values()}
    assert key["single_choice"] == "a" and key["multiple_response"] == ["a", "b"]
    assert key["true_false"] is False and key["ordering"] == ["s1", "s2", "s3", "s4"]
    assert key["matching"]["p2"] == "Problem management"
    assert key["short_answer"] == "8.6.3" and key["essay"].startswith("Clause 10.1")
