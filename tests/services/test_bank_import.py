"""Importing banks: atomic, idempotent, versioned, with located errors."""

from pathlib import Path

import pytest

from app.errors import PermissionDenied
from app.extensions import db
from app.models import SYSTEM, Bank, Question, QuestionVersion, Role
from app.queries import banks as bank_queries
from app.services.bank_import import ImportOptions, import_files

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


def _import(text: str, name: str = "demo.yaml", **options) -> object:
    return import_files(SYSTEM, [(name, text.encode())], ImportOptions(**options))


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
    result = import_files(SYSTEM, [good, bad], ImportOptions())
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
    result = import_files(SYSTEM, [(str(p), p.read_bytes()) for p in paths], ImportOptions())
    assert result.ok, [str(p) for p in result.errors][:10]
    assert sum(f.created for f in result.files) >= 400


@pytest.mark.parametrize("fmt", ["yaml", "json", "csv", "xlsx", "gift", "moodlexml", "qti"])
def test_every_type_survives_export_and_reimport(reference, fmt):
    from app import formats
    from tests.unit.formats.sample import every_type_bank

    sample = formats.write_bank(every_type_bank(), "yaml").data
    assert import_files(SYSTEM, [("sample.yaml", sample)], ImportOptions()).ok
    exported = formats.write_bank(bank_queries.bank_record("sample"), fmt)
    again = import_files(SYSTEM, [(f"sample.{fmt}", exported.data)], ImportOptions(fmt=fmt))
    assert again.ok, [str(p) for p in again.errors]
    report = again.files[0]
    assert report.unchanged == 7 - len(exported.skipped), (report, exported.skipped)
    assert report.created == report.updated == 0


# --- an existing bank keeps the metadata a file does not carry (issue 13, point 5) -------

DESCRIBED = BANK.replace(
    "{id: demo, title: Demo bank}",
    "{id: demo, title: Demo bank, licence: CC-BY-4.0, description: Questions for the desk.}",
)
PLAIN_GIFT = "::Desk first:: Who records an incident first? {=The service desk ~The supplier}\n"


def _bank_details() -> tuple[str, str, str]:
    bank = Bank.query.filter_by(code="demo").one()
    return bank.title, bank.description, bank.licence


def test_importing_a_plain_gift_file_keeps_the_banks_title_description_and_licence(reference):
    _import(DESCRIBED)
    result = _import(PLAIN_GIFT, "desk-extra.gift", bank_code="demo", clause="8.6.1")
    assert result.ok and result.files[0].created == 1
    assert _bank_details() == ("Demo bank", "Questions for the desk.", "CC-BY-4.0")
    assert result.files[0].bank_changes == [] and not result.files[0].new_bank


def test_metadata_a_file_carries_is_applied_and_the_dry_run_shows_the_change(reference):
    _import(DESCRIBED)
    retitled = '// clausewise-bank: {"id": "demo", "title": "Service desk"}\n\n' + PLAIN_GIFT
    dry = _import(retitled, "desk.gift", clause="8.6.1", dry_run=True)
    assert dry.files[0].bank_changes == [("title", "Demo bank", "Service desk")]
    assert _bank_details()[0] == "Demo bank"
    _import(retitled, "desk.gift", clause="8.6.1")
    assert _bank_details() == ("Service desk", "Questions for the desk.", "CC-BY-4.0")


# --- imports follow the review rule (issue 13, point 6) --------------------------------

REKEYED = BANK.replace("priority, correct: true}", "priority}").replace(
    "invoice number}", "invoice number, correct: true}"
)


def _live_version(key: str) -> int | None:
    return bank_queries.published_pool()[1].get(key)


def test_a_trainers_reimport_of_a_changed_published_question_waits_for_review(reference, make_user):
    from app.services import authoring

    _import(BANK, publish=True)
    live = _live_version("demo-1")
    author, reviewer = make_user(role=Role.TRAINER), make_user(role=Role.TRAINER)
    result = import_files(author, [("demo.yaml", REKEYED.encode())], ImportOptions())
    assert result.ok and result.files[0].updated == 1
    assert _live_version("demo-1") == live, "the new key went live without review"
    assert result.files[0].held == 1
    question = Question.query.filter_by(key="demo-1").one()
    assert question.status == "draft" and question.live_version_id == live
    authoring.transition(author, question.id, "submit")
    with pytest.raises(PermissionDenied):
        authoring.transition(author, question.id, "approve")
    authoring.transition(reviewer, question.id, "approve")
    assert _live_version("demo-1") == question.current_version_id != live


def test_a_trainer_may_not_publish_an_import_under_four_eyes(reference, make_user):
    trainer = make_user(role=Role.TRAINER)
    files = [("demo.yaml", BANK.encode())]
    with pytest.raises(PermissionDenied):
        import_files(trainer, files, ImportOptions(publish=True))
    assert Question.query.count() == 0 and _live_version("demo-1") is None
    assert import_files(trainer, files, ImportOptions(review=True)).ok
    questions = Question.query.all()
    assert {(q.status, q.review_requested_by_id) for q in questions} == {("in_review", trainer.id)}
    assert _live_version("demo-1") is None


def test_in_single_trainer_mode_a_trainer_may_publish_an_import(reference, make_user):
    from app.services import authoring

    authoring.set_single_trainer_mode(make_user(role=Role.ADMIN), True)
    trainer = make_user(role=Role.TRAINER)
    assert import_files(trainer, [("demo.yaml", BANK.encode())], ImportOptions(publish=True)).ok
    assert _live_version("demo-1") is not None and _live_version("demo-2") is not None


def test_the_operator_makes_a_change_live_only_with_publish(reference):
    _import(BANK, publish=True)
    live = _live_version("demo-1")
    held = _import(REKEYED)
    assert _live_version("demo-1") == live and held.files[0].held == 1
    assert Question.query.filter_by(key="demo-1").one().status == "draft"
    again = _import(REKEYED.replace("recorded first", "logged first"), publish=True)
    assert again.files[0].updated == 1 and again.files[0].held == 0
    question = Question.query.filter_by(key="demo-1").one()
    assert question.status == "published"
    assert _live_version("demo-1") == question.current_version_id != live


# --- missing reference data (issue 13, point 8) ----------------------------------------


def test_import_without_clause_trees_says_where_and_how_to_load_them(app):
    result = _import(BANK)
    assert not result.ok and not result.written
    messages = [str(p) for p in result.errors]
    assert any("flask --app wsgi reference load" in m for m in messages), messages
    assert any(m.startswith("demo.yaml:5") and "8.6.1" in m for m in messages), messages
    assert Bank.query.count() == 0 and Question.query.count() == 0


CASED = BANK.replace(
    "    stem: What is recorded first", "    scenario: sc-desk\n    stem: What is recorded first"
)


def test_a_changed_case_text_in_an_import_waits_for_review_with_its_questions(reference, make_user):
    """Re-importing a bank whose case text changed: the question using it gets a new
    version with the new text (held for review); the live version keeps the old text."""
    _import(CASED, publish=True)
    live = _live_version("demo-1")
    trainer = make_user(role=Role.TRAINER)
    changed = CASED.replace("The desk has 12 agents.", "The desk has 40 agents.")
    result = import_files(trainer, [("demo.yaml", changed.encode())], ImportOptions())
    assert result.ok and result.files[0].updated == 1 and result.files[0].held == 1
    assert _live_version("demo-1") == live
    assert db.session.get(QuestionVersion, live).scenario.text == "The desk has 12 agents."
    question = Question.query.filter_by(key="demo-1").one()
    assert question.current_version.scenario.text == "The desk has 40 agents."
    again = import_files(trainer, [("demo.yaml", changed.encode())], ImportOptions())
    assert (again.files[0].updated, again.files[0].unchanged) == (0, 2)
    exported = bank_queries.bank_record("demo")
    assert [s.text for s in exported.scenarios] == ["The desk has 40 agents."]


DATA = Path(__file__).resolve().parents[1] / "data" / "partial"


def test_partial_mode_imports_the_valid_questions_and_lists_the_others(reference):
    content = (DATA / "mixed.gift").read_bytes()
    whole = import_files(SYSTEM, [("mixed.gift", content)], ImportOptions())
    assert not whole.ok and Question.query.count() == 0  # all or nothing stays the default
    partial = import_files(SYSTEM, [("mixed.gift", content)], ImportOptions(skip_invalid=True))
    assert partial.ok and partial.written
    assert sorted(q.key for q in Question.query) == ["P-1", "P-4"]
    (report,) = partial.files
    assert report.created == 2 and report.questions == 2
    places = sorted(str(p.location) for p in report.skipped)
    assert len(places) == 2 and all("mixed.gift" in p for p in places)
    assert any("99.1" in str(p) for p in report.skipped)


def test_partial_mode_reads_two_valid_aiken_questions_of_four(reference):
    content = (DATA / "four_questions.aiken").read_bytes()
    options = ImportOptions(skip_invalid=True, clause="8.1", bank_code="aiken-four")
    result = import_files(SYSTEM, [("four.aiken", content)], options)
    assert result.ok, [str(p) for p in result.errors]
    assert Question.query.count() == 2
    assert len(result.files[0].skipped) == 2


def test_partial_mode_still_stops_at_an_error_about_the_whole_file(reference):
    bad_bank = BANK.replace("{id: demo, title: Demo bank}", "{id: 'no spaces allowed', title: X}")
    result = _import(bad_bank, skip_invalid=True)
    assert not result.ok and Question.query.count() == 0
    unreadable = import_files(
        SYSTEM, [("x.gift", b"::Only::broken {=a ~b\n")], ImportOptions(skip_invalid=True)
    )
    assert not unreadable.ok  # nothing readable at all is not a partial import


def test_a_partial_dry_run_writes_nothing(reference):
    content = (DATA / "mixed.gift").read_bytes()
    options = ImportOptions(skip_invalid=True, dry_run=True)
    result = import_files(SYSTEM, [("mixed.gift", content)], options)
    assert result.ok and not result.written and result.files[0].created == 2
    assert Question.query.count() == 0


def test_ids_made_from_titles_are_scoped_to_their_bank(reference):
    gift = "::Scope::Which document states the SMS scope? {=The scope statement ~A memo}\n"
    first = import_files(
        SYSTEM, [("a.gift", gift.encode())], ImportOptions(bank_code="team-a", clause="4.3")
    )
    second = import_files(
        SYSTEM, [("b.gift", gift.encode())], ImportOptions(bank_code="team-b", clause="4.3")
    )
    assert first.ok and second.ok, [str(p) for p in second.errors]
    assert sorted(q.key for q in Question.query) == ["team-a-scope", "team-b-scope"]
    again = import_files(
        SYSTEM, [("a.gift", gift.encode())], ImportOptions(bank_code="team-a", clause="4.3")
    )
    assert again.files[0].unchanged == 1 and Question.query.count() == 2
    given = "// [id:SD-9]\n" + gift  # an id the file gives stays as it is
    import_files(SYSTEM, [("c.gift", given.encode())], ImportOptions(bank_code="c", clause="4.3"))
    assert Question.query.filter_by(key="SD-9").count() == 1
