"""Writing translations in the side-by-side editor: only a bank's editors may, a
translation must fit its source to be saved, and saving marks it current, audited, in one
transaction. Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import pytest

from app.analytics import questions as question_views
from app.analytics import translation_states
from app.domain import translation
from app.errors import Conflict, InvalidInput, PermissionDenied
from app.models import (
    SYSTEM,
    AuditEvent,
    Bank,
    Question,
    QuestionTranslation,
    Role,
    ScenarioTranslation,
)
from app.services import translation_editing
from app.services.bank_import import ImportOptions, import_files
from app.services.translation_editing import TranslationInvalid
from tests.concurrency import in_other_request
from tests.services.test_translations import BANK

ZH = {
    "stem": "服务台对事件首先记录什么？",
    "options": {"a": "它的分类和优先级", "b": "供方的发票编号"},
    "explanation": "第 8.6.1 条要求记录事件并对其分类。",
}


def _import(text: str = BANK) -> None:
    report = import_files(SYSTEM, [("duo.yaml", text.encode())], ImportOptions(publish=True))
    assert report.ok, [str(p) for p in report.errors]


def _question(key: str = "duo-1") -> Question:
    return Question.query.filter_by(key=key).one()


def _row(key: str = "duo-1", language: str = "zh-Hans") -> QuestionTranslation | None:
    return QuestionTranslation.query.filter_by(
        question_id=_question(key).id, language=language
    ).one_or_none()


def _status(key: str = "duo-1") -> str:
    question = _question(key)
    return translation_states.statuses([question.id], ["zh-Hans"])[question.id]["zh-Hans"]


@pytest.fixture
def trainer(reference, make_user):
    _import()
    return make_user(role=Role.TRAINER)


def test_only_trainers_and_admins_save_translations(trainer, make_user):
    stored = dict(_row().fields)
    for role in (Role.LEARNER, Role.MANAGER):
        with pytest.raises(PermissionDenied):
            translation_editing.save_question_translation(
                make_user(role=role), _question().id, "zh-Hans", {**ZH, "stem": "改了？"}
            )
    assert _row().fields == stored
    admin = make_user(role=Role.ADMIN)
    _saved, written = translation_editing.save_question_translation(
        admin, _question().id, "zh-Hans", {**ZH, "stem": "服务台首先记录事件的什么？"}
    )
    assert written and _row().fields["stem"] == "服务台首先记录事件的什么？"


def test_a_translation_must_fit_its_source_or_nothing_is_written(trainer):
    stored = dict(_row().fields)
    unknown = {**ZH, "options": {"a": "分类", "b": "发票", "z": "多出的选项"}}
    with pytest.raises(TranslationInvalid) as refused:
        translation_editing.save_question_translation(trainer, _question().id, "zh-Hans", unknown)
    assert [place for place, _message in refused.value.problems] == [("options", "z")]
    with pytest.raises(TranslationInvalid) as empty:
        translation_editing.save_question_translation(
            trainer, _question().id, "zh-Hans", {**ZH, "stem": "  "}
        )
    assert [place for place, _m in empty.value.problems] == [("stem",)]
    without = {k: v for k, v in ZH.items() if k != "explanation"}
    with pytest.raises(TranslationInvalid):
        translation_editing.save_question_translation(trainer, _question().id, "zh-Hans", without)
    assert _row().fields == stored
    assert AuditEvent.query.filter_by(action="question.translated").count() == 0


def test_saving_a_stale_translation_marks_it_current_and_is_audited(trainer):
    _import(BANK.replace("The supplier's invoice number", "The supplier's order number"))
    assert _status() == "stale"
    fixed = {**ZH, "options": {"a": "它的分类和优先级", "b": "供方的订单编号"}}
    row, written = translation_editing.save_question_translation(
        trainer, _question().id, "zh-Hans", fixed
    )
    record = question_views.current_record(_question())
    assert written and row.source_hash == translation.source_hash(record)
    assert _status() == "current" and row.updated_by_id == trainer.id
    event = AuditEvent.query.filter_by(action="question.translated").one()
    assert (event.actor_id, event.object_type, event.object_id) == (
        trainer.id,
        "question",
        str(_question().id),
    )
    assert event.detail["language"] == "zh-Hans" and event.detail["status_was"] == "stale"
    # Saving the same again writes nothing, and audits nothing.
    _same, written = translation_editing.save_question_translation(
        trainer, _question().id, "zh-Hans", fixed
    )
    assert not written and AuditEvent.query.filter_by(action="question.translated").count() == 1


def test_confirming_an_unchanged_stale_translation_makes_it_current(trainer):
    _import(BANK.replace("The supplier's invoice number", "The supplier's invoice no."))
    assert _status() == "stale"
    _saved, written = translation_editing.save_question_translation(
        trainer, _question().id, "zh-Hans", ZH
    )
    assert written and _status() == "current"


def test_a_translation_into_a_new_language_is_added(trainer):
    bank = Bank.query.filter_by(code="duo").one()
    assert translation_editing.languages_for(bank, {"zh-Hans"}) == ["zh-Hans"]
    _question().bank.language = "zh-Hans"  # as if the bank were written in Chinese
    question = _question("duo-2")
    english = {
        "stem": "Which term replaced the CMDB?",
        "answers": ["configuration information", "config info"],
        "explanation": "Clause 8.2.6 speaks of configuration information.",
    }
    _saved, written = translation_editing.save_question_translation(
        trainer, question.id, "en", english
    )
    assert written and _row("duo-2", "en").fields["answers"] == english["answers"]
    assert AuditEvent.query.filter_by(action="question.translated").one().detail["status_was"] == (
        "missing"
    )


def test_a_language_the_bank_cannot_be_translated_into_is_refused(trainer):
    for language in ("en", "fr", "zh_Hans", ""):
        with pytest.raises(InvalidInput):
            translation_editing.save_question_translation(trainer, _question().id, language, ZH)


def test_a_save_made_from_older_source_texts_or_over_a_newer_save_is_refused(trainer):
    record = question_views.current_record(_question())
    now = translation.source_hash(record)
    base = translation_editing.fields_digest(dict(_row().fields))
    with pytest.raises(Conflict):
        translation_editing.save_question_translation(
            trainer, _question().id, "zh-Hans", ZH, made_from="0" * 12, base=base
        )
    with pytest.raises(Conflict):
        translation_editing.save_question_translation(
            trainer, _question().id, "zh-Hans", ZH, made_from=now, base="f" * 12
        )
    changed = {**ZH, "stem": "服务台首先记录事件的什么？"}
    _saved, written = translation_editing.save_question_translation(
        trainer, _question().id, "zh-Hans", changed, made_from=now, base=base
    )
    assert written


def test_a_case_text_translation_is_saved_current_and_must_have_both_texts(trainer):
    bank = Bank.query.filter_by(code="duo").one()
    import_files(
        SYSTEM,
        [("duo.yaml", BANK.replace("12 agents", "14 agents").encode())],
        ImportOptions(publish=True),
    )
    case = translation_states.scenario_statuses(
        bank.id, [("sc-desk", "The desk", "The desk has 14 agents.")], ["zh-Hans"]
    )
    assert case == {"sc-desk": {"zh-Hans": "stale"}}
    with pytest.raises(TranslationInvalid):
        translation_editing.save_scenario_translation(
            trainer, bank.id, "sc-desk", "zh-Hans", "", "服务台有 14 名坐席。"
        )
    row, written = translation_editing.save_scenario_translation(
        trainer, bank.id, "sc-desk", "zh-Hans", "服务台", "服务台有 14 名坐席。"
    )
    assert written and ScenarioTranslation.query.one().text == "服务台有 14 名坐席。"
    case = translation_states.scenario_statuses(
        bank.id, [("sc-desk", "The desk", "The desk has 14 agents.")], ["zh-Hans"]
    )
    assert case == {"sc-desk": {"zh-Hans": "current"}} and row.updated_by_id == trainer.id
    event = AuditEvent.query.filter_by(action="scenario.translated").one()
    assert event.object_type == "scenario" and event.detail["key"] == "sc-desk"


def test_two_saves_over_the_same_stored_translation_at_once_the_second_is_refused(
    app, trainer, monkeypatch
):
    """Both trainers' pages showed the same stored translation; the other save commits
    after this one has checked what is stored but before it writes: this one is refused
    (no silent overwrite of the other's texts)."""
    from sqlalchemy.orm import Session

    question_id = _question().id
    translation_editing.save_question_translation(trainer, question_id, "zh-Hans", ZH)
    base = translation_editing.fields_digest(ZH)
    theirs = ZH | {"stem": "服务台对每个事件首先记录什么？"}
    mine = ZH | {"stem": "服务台首先记录事件的什么？"}
    trainer_id = trainer.id
    real, done = translation_editing._check_lengths, []

    def other_save() -> None:
        from app.extensions import db
        from app.models import User

        other = db.session.get(User, trainer_id)
        translation_editing.save_question_translation(
            other, question_id, "zh-Hans", theirs, base=base
        )

    def checked_then_race(fields):
        if not done:
            done.append(True)
            in_other_request(app, other_save)
        return real(fields)

    monkeypatch.setattr(translation_editing, "_check_lengths", checked_then_race)
    with pytest.raises(Conflict, match="Someone else saved"):
        translation_editing.save_question_translation(
            trainer, question_id, "zh-Hans", mine, base=base
        )
    from app.extensions import db

    db.session.rollback()
    with Session(db.engine) as fresh:
        stored = fresh.get(QuestionTranslation, _row().id)
        assert stored.fields["stem"] == theirs["stem"]
