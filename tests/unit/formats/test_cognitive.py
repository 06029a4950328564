"""The cognitive level (recall, understand, apply): read, written, checked and hashed."""

from __future__ import annotations

import pytest

from app.domain.content import content_hash
from app.domain.validation import validate_bank
from app.formats import native, read_file, write_bank
from app.formats.tags import apply_tags, write_tags
from app.messages import render
from tests.unit.formats.sample import every_type_bank

YAML = b"""format: clausewise-bank/1
bank: {id: cog, title: Cognitive levels}
questions:
  - id: cog-1
    type: true_false
    clauses: ["8.6.1"]
    cognitive: apply
    stem: A user reports an outage; the desk records it as an incident.
    answer: true
  - id: cog-2
    type: true_false
    clauses: ["8.6.1"]
    stem: Incidents are recorded.
    answer: true
"""


def test_native_files_carry_the_level_and_leave_it_out_when_untagged():
    result = native.read_yaml(YAML, "cog.yaml")
    assert result.problems == []
    tagged, untagged = result.bank.questions
    assert (tagged.cognitive, untagged.cognitive) == ("apply", None)
    written = native.write_yaml(result.bank).data
    assert written.count(b"cognitive: apply") == 1 and written.count(b"cognitive") == 1
    again = native.read_yaml(written, "again.yaml").bank
    assert [q.cognitive for q in again.questions] == ["apply", None]


def test_an_unknown_level_is_refused_with_the_levels_it_may_be():
    bank = native.read_yaml(YAML.replace(b"cognitive: apply", b"cognitive: analyse"), "x").bank
    problems = [render(p.message) for p in validate_bank(bank, None)]
    assert problems == [
        "question cog-1: the cognitive level 'analyse' is not one of recall, understand, apply"
    ]


def test_untagged_questions_keep_their_hash_and_a_level_makes_a_new_one():
    q = every_type_bank().questions[0]
    before = content_hash(q)
    q.cognitive = "recall"
    assert content_hash(q) != before
    q.cognitive = None
    assert content_hash(q) == before


def test_formats_without_a_field_carry_the_level_as_a_tag():
    q = every_type_bank().questions[0]
    q.cognitive = "understand"
    tags = write_tags(q)
    assert "cognitive:understand" in tags
    copy = every_type_bank().questions[0]
    copy.tags = []
    apply_tags(copy, tags)
    assert copy.cognitive == "understand"
    assert "cognitive:understand" not in copy.tags


@pytest.mark.parametrize("fmt", ["yaml", "json", "gift", "moodlexml", "qti", "csv", "xlsx"])
def test_every_writable_format_keeps_the_level_on_a_round_trip(fmt: str):
    bank = every_type_bank()
    levels = ["recall", "understand", "apply", None]
    for number, q in enumerate(bank.questions):
        q.cognitive = levels[number % len(levels)]
    export = write_bank(bank, fmt)
    back = read_file(export.data, f"bank.{fmt}", fmt)
    assert not back.errors, [render(p.message) for p in back.errors]
    skipped = {u.name for u in export.skipped}
    expected = {q.id: q.cognitive for q in bank.questions if q.id not in skipped}
    assert {q.id: q.cognitive for q in back.bank.questions} == expected


def test_a_sheet_with_an_unknown_level_is_refused_at_its_cell():
    data = b"id,type,clauses,cognitive,stem,correct\nq1,true_false,8.6.1,analyse,Changes?,true\n"
    bank = read_file(data, "bank.csv").bank
    assert [render(p.message) for p in validate_bank(bank, None)] == [
        "question q1: the cognitive level 'analyse' is not one of recall, understand, apply"
    ]
