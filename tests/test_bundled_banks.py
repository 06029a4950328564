"""The bundled banks keep the sizes and coverage issue 4 promised; they can never shrink
silently."""

from collections import Counter
from pathlib import Path

import pytest

from app.domain.coverage import Item, clause_level_counts
from app.domain.validation import validate_bank
from app.formats.native import read_yaml

BANKS = Path(__file__).resolve().parents[1] / "question_banks" / "banks"
SECOND_LEVEL = [
    "4.1",
    "4.2",
    "4.3",
    "4.4",
    "5.1",
    "5.2",
    "5.3",
    "6.1",
    "6.2",
    "6.3",
    "7.1",
    "7.2",
    "7.3",
    "7.4",
    "7.5",
    "7.6",
    "8.1",
    "8.2",
    "8.3",
    "8.4",
    "8.5",
    "8.6",
    "8.7",
    "9.1",
    "9.2",
    "9.3",
    "9.4",
    "10.1",
    "10.2",
]
THIRD_LEVEL_8 = [
    "8.2.1",
    "8.2.2",
    "8.2.3",
    "8.2.4",
    "8.2.5",
    "8.2.6",
    "8.3.1",
    "8.3.2",
    "8.3.3",
    "8.3.4",
    "8.4.1",
    "8.4.2",
    "8.4.3",
    "8.5.1",
    "8.5.2",
    "8.5.3",
    "8.6.1",
    "8.6.2",
    "8.6.3",
    "8.7.1",
    "8.7.2",
    "8.7.3",
]


@pytest.fixture(scope="module")
def banks():
    """Every bundled bank, read and validated."""
    found = {}
    for path in sorted(BANKS.glob("*.yaml")):
        result = read_yaml(path.read_bytes(), str(path))
        assert not result.errors, result.errors[:5]
        assert not [p for p in validate_bank(result.bank) if p.severity == "error"]
        found[result.bank.id] = result.bank
    return found


def _counts(bank) -> dict[str, dict[str, int]]:
    items = [Item(q.id, tuple(q.clauses), q.level, q.type) for q in bank.questions]
    return clause_level_counts(items, SECOND_LEVEL + THIRD_LEVEL_8)


def test_foundation_has_200_items_covering_every_clause(banks):
    foundation = banks["foundation"]
    assert len(foundation.questions) >= 200
    assert {q.level for q in foundation.questions} == {"foundation"}
    counts = _counts(foundation)
    thin = [c for c in SECOND_LEVEL if counts[c]["foundation"] < 3]
    thin += [c for c in THIRD_LEVEL_8 if counts[c]["foundation"] < 2]
    assert thin == []
    types = Counter(q.type for q in foundation.questions)
    assert types["single_choice"] > 150 and types["true_false"] and types["multiple_response"]
    tags = Counter(t for q in foundation.questions for t in q.tags)
    assert all(tags[t] >= 5 for t in ("series", "terms", "certification", "2011-changes"))


def test_practitioner_has_12_scenarios_with_5_items_each(banks):
    practitioner = banks["practitioner"]
    per_scenario = Counter(q.scenario for q in practitioner.questions)
    assert len(practitioner.scenarios) >= 12
    assert all(per_scenario[s.id] >= 5 for s in practitioner.scenarios)
    types = {q.type for q in practitioner.questions}
    assert {"single_choice", "multiple_response", "matching", "ordering"} <= types


def test_auditor_has_100_items_and_10_essays_with_rubrics(banks):
    auditor = banks["auditor"]
    assert len(auditor.questions) >= 100
    essays = [q for q in auditor.questions if q.type == "essay"]
    assert len(essays) >= 10 and all(q.rubric and q.model_answer for q in essays)
    tags = Counter(t for q in auditor.questions for t in q.tags)
    assert tags["grading"] >= 10 and tags["principles"] >= 5 and tags["certification-process"] >= 10


def test_every_item_has_an_explanation_and_a_difficulty(banks):
    for bank in banks.values():
        for q in bank.questions:
            assert len(q.explanation) >= 80, q.id
            assert q.difficulty in (1, 2, 3), q.id


def test_question_ids_are_unique_across_banks(banks):
    ids = Counter(q.id for bank in banks.values() for q in bank.questions)
    assert [i for i, n in ids.items() if n > 1] == []
