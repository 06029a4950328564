"""Importing matching questions whose prompts share a match (issue 18, point 5): the
Moodle, GIFT and QTI files that used to be refused now import, and their exports come
back unchanged."""

from pathlib import Path

import pytest

from app import formats
from app.messages import render_problem
from app.models import SYSTEM, QuestionVersion
from app.queries import banks as bank_queries
from app.services.bank_import import ImportOptions, import_files

DATA = Path(__file__).resolve().parents[1] / "data"
FIXTURES = {
    "matching/shared.yaml": "yaml",
    "matching/shared.csv": "csv",
    "gift/valid/matching_shared.gift": "gift",
    "moodlexml/matching_shared_answers.xml": "moodlexml",
    "qti/item21_match_shared.xml": "qti",
}


def _import(name: str, data: bytes, fmt: str) -> object:
    options = ImportOptions(fmt=fmt, bank_code="shared", clause="8.6.1")
    return import_files(SYSTEM, [(name, data)], options)


@pytest.mark.parametrize("name", list(FIXTURES))
def test_a_file_with_shared_matches_imports_and_its_export_reimports_unchanged(reference, name):
    fmt = FIXTURES[name]
    first = _import(Path(name).name, (DATA / name).read_bytes(), fmt)
    assert first.ok, [str(p) for p in first.errors]
    created = first.files[0].created
    assert created >= 1
    stored = QuestionVersion.query.filter_by(type="matching").all()
    assert any(len({p["match"] for p in v.body["pairs"]}) < len(v.body["pairs"]) for v in stored), (
        "no stored question shares a match"
    )
    exported = formats.write_bank(bank_queries.bank_record("shared"), fmt)
    assert exported.skipped == []
    name_back = {"moodlexml": "back.xml", "qti": "back.zip"}.get(fmt, f"back.{fmt}")
    again = _import(name_back, exported.data, fmt)
    assert again.ok, [str(p) for p in again.errors]
    report = again.files[0]
    assert (report.unchanged, report.created, report.updated) == (created, 0, 0)


def test_a_shared_answer_spelt_two_ways_is_refused_and_nothing_is_written(reference):
    name = "moodlexml/malformed/matching_shared_answer_spelt_twice.xml"
    refused = _import("owners.xml", (DATA / name).read_bytes(), "moodlexml")
    assert not refused.ok and not refused.written
    said = " ".join(render_problem(p) for p in refused.errors)
    assert "must be written the same way in each pair" in said
    assert QuestionVersion.query.count() == 0
