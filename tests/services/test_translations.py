"""Translations stored beside questions: an import writes them without new versions,
editing the source makes them stale, exports carry them, and search finds their text.
Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import pytest

from app import formats
from app.analytics import questions as question_views
from app.domain import translation
from app.formats import native
from app.models import SYSTEM, Question, QuestionTranslation, QuestionVersion, ScenarioTranslation
from app.queries import banks as bank_queries
from app.services.bank_import import ImportOptions, import_files

BANK = """\
bank: {id: duo, title: Bilingual bank, language: en}
scenarios:
  - id: sc-desk
    title: The desk
    text: The desk has 12 agents.
    translations:
      zh-Hans: {title: 服务台, text: 服务台有 12 名坐席。}
questions:
  - id: duo-1
    type: single_choice
    clauses: ["8.6.1"]
    scenario: sc-desk
    stem: What does the desk record first for an incident?
    options:
      - {id: a, text: Its classification and priority, correct: true}
      - {id: b, text: The supplier's invoice number}
    explanation: Clause 8.6.1 expects incidents to be recorded and classified.
    translations:
      zh-Hans:
        stem: 服务台对事件首先记录什么？
        options: {a: 它的分类和优先级, b: 供方的发票编号}
        explanation: 第 8.6.1 条要求记录事件并对其分类。
  - id: duo-2
    type: short_answer
    clauses: ["8.2.6"]
    stem: Which two-word term replaced the CMDB?
    answers: [configuration information]
    explanation: Clause 8.2.6 speaks of configuration information.
    translations:
      zh-Hans:
        stem: 哪个术语取代了 CMDB？
        answers: [配置信息]
        explanation: 第 8.2.6 条使用“配置信息”一词。
"""


def _import(text: str) -> object:
    return import_files(SYSTEM, [("duo.yaml", text.encode())], ImportOptions(publish=True))


def _translation(key: str) -> QuestionTranslation:
    question = Question.query.filter_by(key=key).one()
    return QuestionTranslation.query.filter_by(question_id=question.id, language="zh-Hans").one()


def test_an_import_stores_translations_beside_the_questions(reference):
    report = _import(BANK)
    assert report.ok and report.files[0].translations == 3
    row = _translation("duo-1")
    assert row.source_language == "en"
    assert row.fields["options"] == {"a": "它的分类和优先级", "b": "供方的发票编号"}
    case = ScenarioTranslation.query.one()
    assert (case.scenario_key, case.title) == ("sc-desk", "服务台")
    assert _import(BANK).files[0].translations == 0  # nothing changed, nothing written


def test_correcting_a_translation_makes_no_new_version(reference):
    _import(BANK)
    report = _import(BANK.replace("供方的发票编号", "供方发票的编号"))
    assert (report.files[0].updated, report.files[0].unchanged) == (0, 2)
    assert report.files[0].translations == 1
    assert QuestionVersion.query.count() == 2
    assert _translation("duo-1").fields["options"]["b"] == "供方发票的编号"


def test_editing_the_source_makes_the_translation_stale_until_it_is_redone(reference):
    """The file gives no source hashes: the import takes its translations as made from
    the source as it stands, and keeps that hash while their texts stay the same."""
    _import(BANK)
    edited = BANK.replace("The supplier's invoice number", "The supplier's order number")
    report = _import(edited)
    assert report.ok and report.files[0].updated == 1
    exported = bank_queries.bank_record("duo")
    statuses = {q.id: q.translations["zh-Hans"].status for q in exported.questions}
    assert statuses == {"duo-1": "stale", "duo-2": "current"}
    assert exported.scenarios[0].translations["zh-Hans"].status == "current"
    # The translator redoes it against the new source: a new hash, current again.
    fixed = exported.questions[0]
    fixed.translations["zh-Hans"].source_hash = translation.source_hash(fixed)
    again = native.read_yaml(native.write_yaml(exported).data, "duo.yaml")
    assert again.bank.questions[0].translations["zh-Hans"].status == "current"


def test_an_export_round_trips_the_stored_translations(reference):
    _import(BANK)
    exported = bank_queries.bank_record("duo")
    data = native.write_yaml(exported).data
    result = native.read_yaml(data, "duo.yaml")
    assert result.problems == []
    assert result.bank.questions == exported.questions
    assert result.bank.scenarios == exported.scenarios
    assert b"status: current" in data


def test_search_finds_chinese_translation_text_long_and_short(reference):
    _import(BANK)
    bank = bank_queries.bank_record("duo")
    assert bank is not None
    from app.models import Bank

    bank_id = Bank.query.filter_by(code="duo").one().id

    def found(q: str) -> list[str]:
        page = question_views.question_page(bank_id, question_views.Filters(q=q))
        return [row.key for row in page.rows]

    assert found("发票编号") == ["duo-1"]  # four characters: trigram match
    assert found("配置信息") == ["duo-2"]
    assert found("发票") == ["duo-1"]  # two characters: the pairs index
    assert found("票") == ["duo-1"]  # one character: LIKE
    assert found("分类 优先级") == ["duo-1"]
    # A corrected translation is found by its new words at once (the index follows it).
    _import(BANK.replace("供方的发票编号", "供方的订单号"))
    assert found("订单号") == ["duo-1"]
    assert found("发票") == []


_FILES = {"csv": "duo.csv", "xlsx": "duo.xlsx", "moodlexml": "duo.xml", "qti": "duo.zip"}


def _statuses() -> dict[str, str]:
    exported = bank_queries.bank_record("duo")
    return {q.id: q.translations["zh-Hans"].status for q in exported.questions}


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "moodlexml", "qti"])
def test_other_formats_bring_the_stored_translations_back_and_a_stale_one_stays_stale(
    reference, fmt
):
    """Moodle XML, QTI and the sheets carry translations (issue 19): importing an export
    writes none, and one made from an earlier source stays stale: QTI gives its source
    hash, the others cannot and leave it out (with a warning), keeping the stored one."""
    _import(BANK)
    _import(BANK.replace("The supplier's invoice number", "The supplier's order number"))
    assert _statuses() == {"duo-1": "stale", "duo-2": "current"}
    exported = formats.write_bank(bank_queries.bank_record("duo"), fmt)
    warned = [(w.message.code, w.location.path) for w in exported.warnings]
    assert warned == ([] if fmt == "qti" else [("export.translation_stale", "duo-1")])
    options = ImportOptions(publish=True, fmt=fmt)
    report = import_files(SYSTEM, [(_FILES[fmt], exported.data)], options)
    assert report.ok, [str(p) for p in report.errors]
    assert (report.files[0].unchanged, report.files[0].translations) == (2, 0)
    assert _statuses() == {"duo-1": "stale", "duo-2": "current"}


@pytest.mark.parametrize("fmt", ["csv", "moodlexml"])
def test_a_translation_corrected_in_another_format_is_stored_current(reference, fmt):
    _import(BANK)
    exported = formats.write_bank(bank_queries.bank_record("duo"), fmt).data
    corrected = exported.replace("供方的发票编号".encode(), "供方的订单编号".encode())
    options = ImportOptions(publish=True, fmt=fmt)
    report = import_files(SYSTEM, [(_FILES[fmt], corrected)], options)
    assert report.ok and report.files[0].translations == 1
    assert QuestionVersion.query.count() == 2
    assert _translation("duo-1").fields["options"]["b"] == "供方的订单编号"
    assert _statuses() == {"duo-1": "current", "duo-2": "current"}


def test_every_version_stores_the_hash_of_the_texts_it_holds(banks, make_user):
    """Imports (rows in bulk) and the editor (one row) store each version's source hash:
    that of its record as read back, which translations are compared with."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Role
    from app.services import authoring

    question = Question.query.filter(Question.live_version_id.isnot(None)).first()
    vid = question.current_version_id
    record = bank_queries.version_records([vid])[vid]
    record.stem += " Edited."
    trainer = make_user(role=Role.TRAINER)
    _question, written = authoring.save_question(trainer, question.bank_id, record, question.id)
    assert written
    rows = db.session.execute(select(QuestionVersion.id, QuestionVersion.source_hash)).all()
    records = bank_queries.version_records([vid for vid, _hash in rows])
    assert len(rows) > 100
    assert {vid: made for vid, made in rows} == {
        vid: translation.source_hash(r) for vid, r in records.items()
    }
