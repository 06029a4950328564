"""Whole-bank validation: located, plain-words problems with the bank's questions."""

from __future__ import annotations

from app.domain.records import Location, Problem, QuestionRecord, ScenarioRecord
from app.domain.validation import validate_bank
from app.formats.native import read_yaml
from app.messages import render, render_problem
from tests.unit.formats.sample import every_type_bank

CLAUSES_2018 = {"4.3", "5.1", "7.5.4", "8.5.1.3", "8.6", "8.6.1", "8.6.3", "10.1"}


def messages(problems: list[Problem]) -> list[str]:
    """Just the messages, in the English the web shows."""
    return [render(p.message) for p in problems]


def test_the_sample_bank_is_valid_against_its_clause_tree():
    assert validate_bank(every_type_bank()) == []
    assert validate_bank(every_type_bank(), {"2018": CLAUSES_2018}) == []


def test_clauses_missing_from_the_edition_tree_are_errors():
    problems = validate_bank(every_type_bank(), {"2018": CLAUSES_2018 - {"8.6"}})
    assert messages(problems) == [
        "question q-match: clause 8.6 is not in the 2018 edition's clause tree"
    ]
    assert problems[0].severity == "error"


def test_a_question_of_another_edition_is_checked_against_that_tree():
    bank = every_type_bank()
    bank.questions[0].edition = "2011"
    bank.questions[0].clauses = ["5.3"]
    known = {"2018": CLAUSES_2018, "2011": {"5.3"}}
    assert validate_bank(bank, known) == []
    bank.questions[0].clauses = ["8.6.1"]
    assert "not in the 2011 edition's clause tree" in messages(validate_bank(bank, known))[0]


def test_clauses_of_an_edition_whose_tree_is_not_loaded_are_located_errors():
    bank = read_yaml(
        b"bank: {id: b, title: B}\n"
        b"questions:\n"
        b"  - {id: q1, type: true_false, level: foundation, edition: '2011', clauses: ['6.1'],\n"
        b"     stem: A statement., answer: true, explanation: Because.}\n",
        "old.yaml",
    ).bank
    [problem] = validate_bank(bank, {"2018": CLAUSES_2018})
    assert str(problem.location) == "old.yaml:3" and problem.severity == "error"
    assert render(problem.message) == (
        "question q1: clause 6.1 cannot be checked: the 2011 clause tree is not loaded"
    )


def test_a_question_without_clauses_gets_a_warning():
    bank = every_type_bank()
    bank.questions[2].clauses = []
    [problem] = validate_bank(bank)
    assert problem.severity == "warning"
    assert (
        render(problem.message)
        == "question q-tf: no clause is tagged, so no exam section can draw it"
    )


def test_duplicate_question_ids_point_at_the_first_use():
    bank = every_type_bank()
    bank.questions[0].location = Location("bank.yaml", line=10)
    bank.questions[3].id = "q-single"
    bank.questions[3].location = Location("bank.yaml", line=40)
    [problem] = validate_bank(bank)
    assert render_problem(problem) == (
        "bank.yaml:40: error: question q-single: the id is already used by another "
        "question (bank.yaml:10)"
    )


def test_question_problems_carry_the_question_location_and_id():
    bank = every_type_bank()
    bank.questions[0].options[1].correct = True
    bank.questions[0].location = Location("bank.yaml", line=12)
    [problem] = validate_bank(bank)
    assert render_problem(problem) == (
        "bank.yaml:12: error: question q-single: a single-choice question needs exactly one "
        "correct option; it has 2"
    )


def test_level_difficulty_edition_scenario_and_type_are_checked():
    bank = every_type_bank()
    q = bank.questions[1]
    q.level, q.difficulty, q.edition, q.scenario = "expert", 4, "2015", "sc-missing"
    bank.questions.append(QuestionRecord(id="q-num", type="numerical", stem="2+2?", clauses=["1"]))
    found = messages(validate_bank(bank))
    assert (
        "question q-multi: the level 'expert' is not one of foundation, practitioner, auditor"
        in found
    )
    assert "question q-multi: difficulty must be 1, 2 or 3; it is 4" in found
    assert "question q-multi: the question's edition '2015' must be one of 2018, 2011" in found
    assert (
        "question q-multi: it refers to scenario 'sc-missing', which this bank does not have"
        in found
    )
    assert any(m.startswith("question q-num: the type 'numerical' is not one") for m in found)


def test_ids_must_have_the_documented_form():
    bank = every_type_bank()
    bank.id = "Sample Bank"
    bank.questions[0].id = "q single"
    bank.scenarios.append(ScenarioRecord("sc-desk", "Again", "Same id"))
    found = messages(validate_bank(bank))
    assert "the bank id 'Sample Bank' may only use lowercase letters, digits and hyphens" in found
    assert "question q single: the id may only use letters, digits, '.', '_' and '-'" in found
    assert "two scenarios share the id 'sc-desk'" in found


def test_problems_of_a_native_file_point_at_the_question_line():
    text = b"""bank: {id: located, title: Located}
questions:
  - id: ok
    type: true_false
    clauses: ["5.1"]
    stem: Fine.
    answer: true

  - id: two-keys
    type: single_choice
    clauses: ["9.2"]
    stem: Which clause covers internal audit?
    options:
      - {id: a, text: "9.1", correct: true}
      - {id: b, text: "9.2", correct: true}
"""
    result = read_yaml(text, "located.yaml")
    assert result.problems == []
    [problem] = validate_bank(result.bank, {"2018": {"5.1", "9.2"}})
    assert render_problem(problem).startswith(
        "located.yaml:9: error: question two-keys: a single-choice"
    )
