"""Trainer pages for translations: a question's or case text's translation beside its
source texts, field by field, to write, correct or confirm (the sheet).

The sheet's text fields are named after their slot (app.domain.translation_slots); the
page reads back exactly the source's slots, so a posted field the source lacks is never
stored. Saving goes through `app.services.translation_editing`, which checks the
translation fits its source and marks it current.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.analytics import translation_states
from app.analytics.translation_states import Sheet
from app.domain import question_types
from app.domain.glossary import avoided_in
from app.domain.lint_glossary import is_simplified_chinese
from app.domain.records import ScenarioRecord
from app.domain.translation_slots import Path, Slot, fields_from
from app.errors import Conflict, InvalidInput
from app.messages import render
from app.models import Bank, Role
from app.queries import translations as translation_queries
from app.security import role_required
from app.services import authoring, translation_editing
from app.services.translation_editing import TranslationInvalid
from app.web.trainer.forms import TranslationForm
from app.web.trainer.routes import bp

TRAINERS = (Role.TRAINER, Role.ADMIN)


def input_name(slot: Slot) -> str:
    """The form field of a slot: `t-stem`, `t-options-b`, `t-rubric-1-guidance`."""
    return "t-" + "-".join(str(step) for step in slot.path)


def slot_label(slot: Slot, kind: str = "") -> str:
    """What a slot is, as its label says: "Option b", "Rubric line 2: criterion"; a text
    of a type's own fields as the type (`kind`, its key) names it: "Category inc"."""
    path = slot.path
    name, part = path[0], path[1] if len(path) > 1 else None
    number = part + 1 if isinstance(part, int) else 0
    if name == "data" and len(path) == 3:
        label = question_types.get(kind).data_labels.get(str(part))
        if label:
            return _(label, id=path[2])
        return _("Text %(id)s of %(group)s", id=path[2], group=part)
    if name == "options":
        return _("Option %(id)s", id=part)
    if name == "option_feedback":
        return _("Feedback on option %(id)s", id=part)
    if name == "pairs":
        if path[-1] == "prompt":
            return _("Pair %(id)s: premise", id=part)
        return _("Pair %(id)s: matching response", id=part)
    if name == "extra_matches":
        return _("Extra response %(n)d", n=number)
    if name == "steps":
        return _("Step %(id)s", id=part)
    if name == "rubric":
        if path[-1] == "guidance":
            return _("Rubric line %(n)d: guidance for markers", n=number)
        return _("Rubric line %(n)d: criterion", n=number)
    if name == "hints":
        return _("Hint %(n)d", n=number)
    return _TEXT_LABELS.get(str(name), lambda: str(name))()


_TEXT_LABELS = {
    "title": lambda: _("Title"),
    "stem": lambda: _("Question"),
    "text": lambda: _("Case text"),
    "answers": lambda: _("Accepted answers (one per line)"),
    "model_answer": lambda: _("Model answer"),
    "explanation": lambda: _("Explanation"),
    "correct_feedback": lambda: _("Feedback for a right answer"),
    "partial_feedback": lambda: _("Feedback for a partly right answer"),
    "incorrect_feedback": lambda: _("Feedback for a wrong answer"),
    "feedback_true": lambda: _("Feedback for “true”"),
    "feedback_false": lambda: _("Feedback for “false”"),
}


def _posted(sheet: Sheet) -> dict[Path, str]:
    """The texts posted for the sheet's slots."""
    return {slot.path: request.form.get(input_name(slot), "") for slot in sheet.slots}


_BLANK = frozenset({"translation.empty", "translation.no_answers"})


def _refusal(
    sheet: Sheet, texts: Mapping[Path, str], failed: TranslationInvalid
) -> tuple[list[str], set[Path]]:
    """What the page says of a refused sheet, and the slots to mark. Every empty slot is
    marked and counted in one sentence (the checks name only a field's first); any other
    problem is said as the checks word it and marks the slots of the part it names."""
    blank = {slot.path for slot in sheet.slots if not texts.get(slot.path, "").strip()}
    others = [(place, m) for place, m in failed.problems if m.code not in _BLANK]
    marked = blank | {
        slot.path
        for slot in sheet.slots
        for place, _m in others
        if place and tuple(slot.path[: len(place)]) == tuple(place)
    }
    said = (
        [
            ngettext(
                "%(num)d text is not translated yet; it is marked below.",
                "%(num)d texts are not translated yet; each is marked below.",
                len(blank),
            )
        ]
        if blank
        else []
    )
    return said + [render(m) for _place, m in others], marked


def _glossary_notes(sheet: Sheet, texts: Mapping[Path, str]) -> dict[Path, list[str]]:
    """For a Simplified Chinese translation: the renderings each text uses that the
    glossary avoids, as the lint words them for the bank."""
    if not is_simplified_chinese(sheet.language):
        return {}
    english = sheet.source_language == "en"
    notes: dict[Path, list[str]] = {}
    for slot in sheet.slots:
        if slot.lines:  # accepted answers may hold everyday renderings on purpose
            continue
        for use in avoided_in(texts.get(slot.path, ""), slot.source if english else None):
            notes.setdefault(slot.path, []).append(
                _(
                    "The glossary avoids “%(avoided)s” for “%(term)s”: write “%(preferred)s”.",
                    avoided=use.avoid.text,
                    term=use.term.english,
                    preferred=use.term.chinese,
                )
            )
    return notes


def _rows(text: str) -> int:
    """A textarea's height for a text: its lines, long ones wrapping, 2 to 12."""
    lines = sum(1 + len(line) // 70 for line in text.split("\n"))
    return max(2, min(12, lines))


def _render(sheet: Sheet, form: TranslationForm, texts, problems, invalid, **page):
    """The sheet page."""
    return render_template(
        "trainer/translation_edit.html",
        sheet=sheet,
        form=form,
        texts=texts,
        problems=problems,
        invalid=invalid,
        notes=_glossary_notes(sheet, texts),
        input_name=input_name,
        slot_label=slot_label,
        rows=_rows,
        max_text=translation_editing.MAX_TEXT,
        **page,
    )


def _language_or_404(bank: Bank, language: str, existing: set[str]) -> None:
    """Only a language the bank's items may be translated into has a sheet."""
    if language not in translation_editing.languages_for(bank, existing):
        abort(404)


def _seen(form: TranslationForm) -> dict[str, str | None]:
    """What the posted sheet was made from (None where the post does not say)."""
    return {
        "made_from": form.made_from.data or None,
        "base": form.base.data if form.base.raw_data else None,
    }


def _keep_seen(form: TranslationForm, sheet: Sheet) -> None:
    """After a clash, the page shows the sheet as it is now: saving again is made from
    what it shows (as the question editor does after a newer version)."""
    form.made_from.raw_data = [sheet.made_from]
    form.base.raw_data = [sheet.base]


@bp.route("/questions/<int:question_id>/translations/<language>", methods=["GET", "POST"])
@role_required(*TRAINERS)
def question_translation(question_id: int, language: str):
    """Trainers: a question's translation beside its source texts, to write or correct."""
    question = authoring.get_question(question_id)
    existing = set(translation_queries.of_questions([question.id]).get(question.id, {}))
    _language_or_404(question.bank, language, existing)
    sheet = translation_states.question_sheet(question, language)
    form = TranslationForm()
    texts = dict(sheet.values)
    problems: list[str] = []
    invalid: set[Path] = set()
    if request.method == "GET":
        form.made_from.data, form.base.data = sheet.made_from, sheet.base
    elif form.validate_on_submit():
        texts = _posted(sheet)
        try:
            _row, written = translation_editing.save_question_translation(
                current_user,
                question.id,
                language,
                fields_from(sheet.slots, texts),
                **_seen(form),
            )
        except TranslationInvalid as failed:
            problems, invalid = _refusal(sheet, texts, failed)
        except (InvalidInput, Conflict) as failed:
            problems = [failed.message]
            if isinstance(failed, Conflict):
                _keep_seen(form, sheet)
        else:
            _flash_saved(written)
            return redirect(url_for("trainer.question", question_id=question.id))
    else:
        problems = [e for errors in form.errors.values() for e in errors]
    return _render(
        sheet,
        form,
        texts,
        problems,
        invalid,
        bank=question.bank,
        question=question,
        case=None,
        back=url_for("trainer.question", question_id=question.id),
    )


@bp.route("/banks/<int:bank_id>/scenarios/<key>/translations/<language>", methods=["GET", "POST"])
@role_required(*TRAINERS)
def scenario_translation(bank_id: int, key: str, language: str):
    """Trainers: a case text's translation beside its title and text."""
    bank = authoring.get_bank(bank_id)
    scenario = translation_editing.current_scenario(bank.id, key)
    existing = set(translation_queries.of_scenario(bank.id, key))
    _language_or_404(bank, language, existing)
    case = ScenarioRecord(key, scenario.title, scenario.text)
    sheet = translation_states.scenario_sheet(bank.id, bank.language, case, language)
    form = TranslationForm()
    texts = dict(sheet.values)
    problems: list[str] = []
    invalid: set[Path] = set()
    if request.method == "GET":
        form.made_from.data, form.base.data = sheet.made_from, sheet.base
    elif form.validate_on_submit():
        texts = _posted(sheet)
        try:
            _row, written = translation_editing.save_scenario_translation(
                current_user,
                bank.id,
                key,
                language,
                texts.get(("title",), ""),
                texts.get(("text",), ""),
                **_seen(form),
            )
        except TranslationInvalid as failed:
            problems, invalid = _refusal(sheet, texts, failed)
        except (InvalidInput, Conflict) as failed:
            problems = [failed.message]
            if isinstance(failed, Conflict):
                _keep_seen(form, sheet)
        else:
            _flash_saved(written)
            return redirect(url_for("trainer.scenarios", bank_id=bank.id))
    else:
        problems = [e for errors in form.errors.values() for e in errors]
    return _render(
        sheet,
        form,
        texts,
        problems,
        invalid,
        bank=bank,
        question=None,
        case=case,
        back=url_for("trainer.scenarios", bank_id=bank.id),
    )


def _flash_saved(written: bool) -> None:
    """Say what a save did."""
    if written:
        flash(
            _("Translation saved. It is current: made from the source texts as they are now."),
            "success",
        )
    else:
        flash(_("Nothing changed, so the translation was not saved again."), "info")
