"""Importing banks: atomic, idempotent, versioned, with located errors."""

from pathlib import Path

import pytest

from app.analytics import banks as bank_queries
from app.errors import PermissionDenied
from app.models import Bank, Question, QuestionVersion
from app.security import Role
from app.services.bank_import import ImportOptions, import_files
from app.services.reference import load_reference_data

ROOT = Path(__file__).resolve().parents[2] / "question_banks"

BANK = """\
bank: {id: demo, title: Demo bank}
scenarios:
  - {id: sc-desk, title: A desk, text: "The desk has 12 agents."}
questions:
  - id: demo-1
    type: single_choice
    level: foundation
    clauses: ["8.6.1"]
    stem: What is recorded first for an incident at the desk?
    options:
      - {id: a, text: Its classification and priority, correct: true}
      - {id: b, text: The supplier's invoice number}
    explanation: Clause 8.6.1 expects incidents to be recorded, classified and prioritised.
  - id: demo-2
    type: true_false
    level: foundation
    clauses: ["6.1"]
    edition: "2011"
    stem: This item is tagged with a 2011 clause number.
    answer: true
    explanation: Clause 6.1 of the 2011 edition covered service level management.
"""


@pytest.fixture
def reference(app):
    """Clause trees and mappings loaded."""
    load_reference_data(ROOT)


def _import(text: str, name: str = "demo.yaml", **options) -> object:
    return import_files(None, [(name, text.encode())], ImportOptions(**options))


def test_import_creates_questions_and_reimport_changes_nothing(reference):
    first = _import(BANK)
    assert first.ok and first.written and first.files[0].created == 2
    again = _import(BANK)
    assert (again.files[0].created, again.files[0].updated, again.files[0].unchanged) == (0, 0, 2)
    assert Question.query.count() == 2 and QuestionVersion.query.count() == 2


def test_changed_question_gets_a_new_version(reference):
    _import(BANK)
    changed = _import(BANK.replace("What is recorded first", "What is logged first"))
    assert changed.files[0].updated == 1
    question = Question.query.filter_by(key="demo-1").one()
    assert [v.number for v in question.versions] == [1, 2]
    assert question.current_version.stem.startswith("What is logged first")
    assert question.versions[0].stem.startswith("What is recorded first")


def test_any_error_writes_nothing_and_says_where(reference):
    broken = BANK.replace('clauses: ["8.6.1"]', 'clauses: ["99.9"]')
    result = _import(broken)
    assert not result.ok and not result.written
    messages = [str(p) for p in result.errors]
    assert any("demo.yaml:5" in m and "99.9" in m for m in messages), messages
    assert Bank.query.count() == 0 and Question.query.count() == 0


def test_one_bad_file_stops_the_whole_import(reference):
    good = ("good.yaml", BANK.encode())
    bad = ("bad.gift", b"::Q1:: What? {=right ~wrong ~}\n")
    result = import_files(None, [good, bad], ImportOptions())
    assert not result.ok and Question.query.count() == 0


def test_dry_run_reports_changes_but_writes_nothing(reference):
    result = _import(BANK, dry_run=True)
    assert result.ok and not result.written and result.files[0].created == 2
    assert Bank.query.count() == 0


def test_unsupported_items_block_unless_skipped(reference):
    gift = (
        "::Good:: Which clause covers problem management? {=8.6.3 ~8.6.1 ~8.5.1}\n\n"
        "::Numbers:: How many days? {#3:1}\n"
    )
    blocked = _import(gift, "items.gift", clause="8.6.3")
    assert not blocked.ok
    assert any("Numbers" in str(p) and "items.gift:3" in str(p) for p in blocked.errors)
    assert Question.query.count() == 0
    skipped = _import(gift, "items.gift", clause="8.6.3", skip_unsupported=True)
    assert skipped.ok and Question.query.count() == 1


def test_ids_belonging_to_another_bank_are_refused(reference):
    _import(BANK)
    other = BANK.replace("{id: demo, title: Demo bank}", "{id: other, title: Other}")
    result = _import(other, "other.yaml")
    assert not result.ok
    assert any("already belongs to bank 'demo'" in str(p) for p in result.errors)


def test_learners_may_not_import(reference, make_user):
    with pytest.raises(PermissionDenied):
        import_files(make_user(role=Role.LEARNER), [("x.yaml", BANK.encode())], ImportOptions())


def test_question_tagged_2011_is_found_by_the_mapped_2018_clause(reference):
    _import(BANK)
    # 2011 clause 6.1 (service level management) maps to 2018 clause 8.3.3.
    assert bank_queries.question_keys_for_clause("8.3.3") == ["demo-2"]
    assert bank_queries.question_keys_for_clause("8.3") == ["demo-2"]
    assert bank_queries.question_keys_for_clause("8.6") == ["demo-1"]


def test_export_returns_what_was_imported(reference):
    _import(BANK)
    record = bank_queries.bank_record("demo")
    assert [q.id for q in record.questions] == ["demo-1", "demo-2"]
    assert record.questions[0].options[0].correct is True
    assert record.scenarios[0].text == "The desk has 12 agents."


def test_bundled_banks_import_cleanly(reference):
    paths = sorted((ROOT / "banks").glob("*.yaml"))
    result = import_files(None, [(str(p), p.read_bytes()) for p in paths], ImportOptions())
    assert result.ok, [str(p) for p in result.errors][:10]
    assert sum(f.created for f in result.files) >= 400


@pytest.mark.parametrize("fmt", ["yaml", "json", "csv", "xlsx", "gift", "moodlexml", "qti"])
def test_every_type_survives_export_and_reimport(reference, fmt):
    from app import formats
    from tests.unit.formats.sample import every_type_bank

    sample = formats.write_bank(every_type_bank(), "yaml").data
    assert import_files(None, [("sample.yaml", sample)], ImportOptions()).ok
    exported = formats.write_bank(bank_queries.bank_record("sample"), fmt)
    again = import_files(None, [(f"sample.{fmt}", exported.data)], ImportOptions(fmt=fmt))
    assert again.ok, [str(p) for p in again.errors]
    report = again.files[0]
    assert report.unchanged == 7 - len(exported.skipped), (report, exported.skipped)
    assert report.created == report.updated == 0
