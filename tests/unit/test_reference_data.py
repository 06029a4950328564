"""The reference data in question_banks/ is valid, consistent and matches its README."""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

BANKS = Path(__file__).resolve().parents[2] / "question_banks"
STANDARDS = BANKS / "standards"
SCHEMES = BANKS / "schemes"
README_YAML = re.compile(r"^```yaml\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _numbers(text: str) -> list[str]:
    """Clause numbers written space-separated, as the reference facts list them."""
    return text.split()


SECOND_LEVEL_2018 = _numbers(
    "1.1 1.2 3.1 3.2 4.1 4.2 4.3 4.4 5.1 5.2 5.3 6.1 6.2 6.3 7.1 7.2 7.3 7.4 7.5 7.6 "
    "8.1 8.2 8.3 8.4 8.5 8.6 8.7 9.1 9.2 9.3 9.4 10.1 10.2"
)
THIRD_LEVEL_8 = _numbers(
    "8.2.1 8.2.2 8.2.3 8.2.4 8.2.5 8.2.6 8.3.1 8.3.2 8.3.3 8.3.4 8.4.1 8.4.2 8.4.3 "
    "8.5.1 8.5.2 8.5.3 8.6.1 8.6.2 8.6.3 8.7.1 8.7.2 8.7.3"
)
FOURTH_LEVEL_8 = _numbers(
    "8.3.4.1 8.3.4.2 8.5.1.1 8.5.1.2 8.5.1.3 8.5.2.1 8.5.2.2 8.5.2.3 8.7.3.1 8.7.3.2 8.7.3.3"
)
LEAVES_2011 = _numbers(
    "1.1 1.2 2 3 4.1.1 4.1.2 4.1.3 4.1.4 4.2 4.3.1 4.3.2 4.3.3 4.4.1 4.4.2 "
    "4.5.1 4.5.2 4.5.3 4.5.4.1 4.5.4.2 4.5.4.3 4.5.5.1 4.5.5.2 "
    "5.1 5.2 5.3 5.4 6.1 6.2 6.3.1 6.3.2 6.3.3 6.4 6.5 6.6.1 6.6.2 6.6.3 "
    "7.1 7.2 8.1 8.2 9.1 9.2 9.3"
)


def load(path: Path) -> Any:
    """Read one YAML or JSON data file."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator for one schema of question_banks/schema, checked itself first."""
    schema = json.loads((BANKS / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def errors(name: str, data: Any) -> list[str]:
    """Messages of every schema violation of `data`, with their paths."""
    found = validator(name).iter_errors(data)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in found]


def clause_numbers(tree: dict[str, Any]) -> list[str]:
    """Every clause number of a clause tree, depth first."""
    numbers: list[str] = []
    stack = list(reversed(tree["clauses"]))
    while stack:
        clause = stack.pop()
        numbers.append(clause["number"])
        stack.extend(reversed(clause["children"]))
    return numbers


def leaf_numbers(clauses: list[dict[str, Any]]) -> list[str]:
    """Clause numbers of a tree that have no sub-clauses."""
    leaves: list[str] = []
    for clause in clauses:
        leaves += leaf_numbers(clause["children"]) if clause["children"] else [clause["number"]]
    return leaves


def tree(edition: str) -> dict[str, Any]:
    """The clause tree of one edition of ISO/IEC 20000-1."""
    return load(STANDARDS / f"iso20000-1-{edition}.yaml")


def schema_for(path: Path) -> str:
    """Which schema a file of standards/ or schemes/ must satisfy."""
    if path.parent == SCHEMES:
        return "scheme"
    return "mapping" if path.name.startswith("mapping-") else "standard"


def readme_banks() -> list[dict[str, Any]]:
    """The YAML examples of the README that are whole banks (they hold `questions:`)."""
    text = (BANKS / "README.md").read_text(encoding="utf-8")
    return [yaml.safe_load(b) for b in README_YAML.findall(text) if "questions:" in b]


DATA_FILES = sorted(
    path
    for folder in (STANDARDS, SCHEMES)
    for path in folder.iterdir()
    if path.suffix in {".yaml", ".yml", ".json"}
)


def test_reference_data_files_are_present() -> None:
    names = {p.name for p in DATA_FILES}
    assert {"iso20000-1-2018.yaml", "iso20000-1-2011.yaml", "mapping-2011-2018.yaml"} <= names
    assert {"foundation.yaml", "practitioner.yaml", "auditor.yaml"} <= names


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_every_reference_file_validates_against_its_schema(path: Path) -> None:
    assert errors(schema_for(path), load(path)) == []


@pytest.mark.parametrize("edition", ["2018", "2011"])
def test_clause_trees_nest_by_number_without_duplicates(edition: str) -> None:
    data = tree(edition)
    assert data["edition"] == edition
    numbers = clause_numbers(data)
    assert len(numbers) == len(set(numbers))
    pending = [("", c) for c in data["clauses"]]
    while pending:
        parent, clause = pending.pop()
        if parent:
            assert clause["number"].rsplit(".", 1)[0] == parent
        pending += [(clause["number"], child) for child in clause["children"]]


def test_2018_tree_has_every_expected_clause() -> None:
    data = tree("2018")
    numbers = clause_numbers(data)
    assert [c["number"] for c in data["clauses"]] == [str(n) for n in range(1, 11)]
    assert [n for n in numbers if n.count(".") == 1] == SECOND_LEVEL_2018
    assert [n for n in numbers if n.count(".") == 2 and n.startswith("8.")] == THIRD_LEVEL_8
    assert [n for n in numbers if n.count(".") == 3] == FOURTH_LEVEL_8
    assert {"5.2.1", "5.2.2", "6.2.1", "6.2.2", "7.5.1", "7.5.4"} <= set(numbers)


def test_2018_tree_uses_the_agreed_titles() -> None:
    titles = {}
    pending = list(tree("2018")["clauses"])
    while pending:
        clause = pending.pop()
        titles[clause["number"]] = clause["title"]
        pending += clause["children"]
    assert titles["6.2.1"] == "Establish objectives"
    assert titles["6.2.2"] == "Plan to achieve objectives"
    assert titles["8.5.1"] == "Change management"
    assert titles["10"] == "Improvement"


def test_2011_tree_has_clauses_1_to_9_and_the_listed_sub_clauses() -> None:
    data = tree("2011")
    assert [c["number"] for c in data["clauses"]] == [str(n) for n in range(1, 10)]
    assert leaf_numbers(data["clauses"]) == LEAVES_2011


def test_mapping_sources_and_targets_exist_in_their_editions() -> None:
    mapping = load(STANDARDS / "mapping-2011-2018.yaml")
    old, new = set(clause_numbers(tree("2011"))), set(clause_numbers(tree("2018")))
    for entry in mapping["mappings"]:
        assert entry["from"] in old, entry
        assert set(entry["to"]) <= new, entry
    assert set(mapping["new_in_2018"]) <= new


def test_mapping_covers_every_2011_leaf_once_and_keeps_new_clauses_unmapped() -> None:
    mapping = load(STANDARDS / "mapping-2011-2018.yaml")
    sources = [entry["from"] for entry in mapping["mappings"]]
    assert sorted(sources) == sorted(LEAVES_2011)
    targets = {t for entry in mapping["mappings"] for t in entry["to"]}
    assert targets.isdisjoint(mapping["new_in_2018"])
    by_source = {entry["from"]: entry["to"] for entry in mapping["mappings"]}
    assert by_source["6.1"] == ["8.3.3", "8.2.4"]
    assert by_source["4.5.2"] == ["6.1", "6.2", "6.3"]
    assert by_source["8.1"] == ["8.6.1", "8.6.2"]


def _leaves(clauses: list[dict[str, Any]]) -> list[str]:
    """Every clause number of a tree without children, in document order."""
    return [
        n for c in clauses for n in ([c["number"]] if not c["children"] else _leaves(c["children"]))
    ]


def _related(a: str, b: str) -> bool:
    """True when one clause number is the other or lies under it."""
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def test_every_2018_clause_is_mapped_to_or_listed_as_new() -> None:
    mapping = load(STANDARDS / "mapping-2011-2018.yaml")
    targets = [t for entry in mapping["mappings"] for t in entry["to"]]
    placed = targets + mapping["new_in_2018"]
    unplaced = [
        leaf
        for leaf in _leaves(tree("2018")["clauses"])
        if not any(_related(leaf, p) for p in placed)
    ]
    assert unplaced == []


def test_every_2011_clause_maps_to_2018() -> None:
    mapping = load(STANDARDS / "mapping-2011-2018.yaml")
    by_source = {entry["from"]: entry["to"] for entry in mapping["mappings"]}
    assert sorted(by_source) == sorted(_leaves(tree("2011")["clauses"]))
    assert all(by_source.values())


@pytest.mark.parametrize("name", ["foundation", "practitioner", "auditor"])
def test_scheme_sections_add_up_and_stay_within_the_scheme(name: str) -> None:
    scheme = load(SCHEMES / f"{name}.yaml")
    clauses_2018 = set(clause_numbers(tree("2018")))
    assert scheme["id"] == name
    assert "not an official exam" in scheme["disclaimer"]
    assert sum(section["items"] for section in scheme["sections"]) == scheme["items"]
    assert scheme["level"] in scheme["levels"]
    ids = [section["id"] for section in scheme["sections"]]
    assert len(ids) == len(set(ids))
    for section in scheme["sections"]:
        assert set(section["clauses"]) <= clauses_2018, section["id"]
        assert set(section.get("types", [])) <= set(scheme["allowed_types"]), section["id"]


def test_scheme_formats_follow_the_brief() -> None:
    foundation, practitioner, auditor = (
        load(SCHEMES / f"{n}.yaml") for n in ("foundation", "practitioner", "auditor")
    )
    assert (foundation["items"], foundation["duration_minutes"]) == (40, 60)
    assert foundation["pass_mark"] == pytest.approx(0.65)
    assert (practitioner["items"], practitioner["duration_minutes"]) == (30, 90)
    assert auditor["duration_minutes"] == 120
    assert auditor["pass_mark"] == pytest.approx(0.70)
    assert len(auditor["sections"]) == 4
    assert all(s["min_score"] == pytest.approx(0.5) for s in auditor["sections"])
    assert any(s.get("types") == ["essay"] for s in auditor["sections"])


def test_readme_examples_validate_against_the_bank_schema() -> None:
    banks = readme_banks()
    assert len(banks) >= 8
    for bank in banks:
        assert errors("bank", bank) == [], bank["bank"]["id"]


def test_readme_examples_cover_every_type_and_a_scenario_set() -> None:
    questions = [q for bank in readme_banks() for q in bank["questions"]]
    types = {q["type"] for q in questions}
    assert types == set(validator("bank").schema["$defs"]["question"]["properties"]["type"]["enum"])
    ids = [q["id"] for q in questions]
    assert len(ids) == len(set(ids))
    shared = [q["scenario"] for q in questions if q.get("scenario")]
    assert any(shared.count(s) >= 2 for s in shared)
    for bank in readme_banks():
        scenario_ids = {s["id"] for s in bank.get("scenarios", [])}
        assert {q["scenario"] for q in bank["questions"] if q.get("scenario")} <= scenario_ids


def test_readme_examples_are_consistent_beyond_the_schema() -> None:
    clauses_2018 = set(clause_numbers(tree("2018")))
    for question in (q for bank in readme_banks() for q in bank["questions"]):
        assert set(question["clauses"]) <= clauses_2018, question["id"]
        assert len(question.get("explanation", "")) >= 80, question["id"]
        if question["type"] == "essay":
            assert question["marks"] == sum(c["marks"] for c in question["rubric"])
        if question["type"] == "matching":
            matches = [p["match"] for p in question["pairs"]]
            assert len(matches) == len(set(matches))
        if question["type"] == "multiple_response":
            assert re.search(r"\bTWO\b|\bTHREE\b|Select all", question["stem"])


def _example(question_type: str) -> dict[str, Any]:
    """A deep copy of the README bank whose question is of the given type."""
    for bank in readme_banks():
        if bank["questions"][0]["type"] == question_type and "scenarios" not in bank:
            return copy.deepcopy(bank)
    raise AssertionError(question_type)


def test_bank_schema_rejects_a_misspelt_field() -> None:
    bank = _example("single_choice")
    bank["questions"][0]["explaination"] = bank["questions"][0].pop("explanation")
    assert errors("bank", bank)
    bank = _example("single_choice")
    bank["questions"][0]["options"][0]["corect"] = True
    assert errors("bank", bank)


def test_bank_schema_rejects_fields_of_another_type() -> None:
    bank = _example("true_false")
    bank["questions"][0]["options"] = [{"id": "a", "text": "True", "correct": True}]
    assert errors("bank", bank)


def test_bank_schema_checks_the_keys_of_choice_questions() -> None:
    bank = _example("single_choice")
    bank["questions"][0]["options"][0]["correct"] = True
    assert errors("bank", bank)
    bank = _example("multiple_response")
    for option in bank["questions"][0]["options"]:
        option["correct"] = True
    assert errors("bank", bank)
    bank = _example("multiple_response")
    for option in bank["questions"][0]["options"]:
        option["correct"] = False
    assert errors("bank", bank)


@pytest.mark.parametrize(
    ("question_type", "field"),
    [
        ("true_false", "answer"),
        ("matching", "pairs"),
        ("ordering", "steps"),
        ("short_answer", "answers"),
        ("essay", "rubric"),
    ],
)
def test_bank_schema_requires_the_fields_of_each_type(question_type: str, field: str) -> None:
    bank = _example(question_type)
    del bank["questions"][0][field]
    assert errors("bank", bank)


@pytest.mark.parametrize("clause", [8.5, "8.5.", "clause 8", "8.5.1.2.1", ""])
def test_bank_schema_rejects_malformed_clause_numbers(clause: Any) -> None:
    bank = _example("single_choice")
    bank["questions"][0]["clauses"] = [clause]
    assert errors("bank", bank)
