"""Trainer pages for authoring: banks, the question list, the editor, review and history."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not yet in its stubs

from app.analytics import item_report, question_history, translation_states
from app.analytics import questions as question_views
from app.domain import question_types
from app.domain.records import LEVELS
from app.errors import Conflict, InvalidInput
from app.messages import render
from app.models import Bank, QuestionStatus, Role
from app.queries import translations as translation_queries
from app.queries.banks import current_version
from app.security import role_required, safe_next_url
from app.services import authoring, translation_editing
from app.services.authoring import ValidationFailed
from app.web import question_type_parts
from app.web.trainer.bulk import bulk_form
from app.web.trainer.editor import (
    ClauseNode,
    clause_tree,
    editor_rows,
    fill_form,
    question_form,
    record_from,
)
from app.web.trainer.editor_preview import opening_preview
from app.web.trainer.forms import BankForm, QuestionForm, ScenarioForm, SettingsForm, WorkflowForm
from app.web.trainer.routes import bp

TRAINERS = (Role.TRAINER, Role.ADMIN)
EM_SPACE = "\u2003"  # indents clause titles by depth in the picker
STATUS_LABELS = {status: status.label for status in QuestionStatus}


@bp.route("/banks/new", methods=["GET", "POST"])
@role_required(*TRAINERS)
def new_bank():
    """Trainers: create a bank."""
    form = BankForm()
    if form.validate_on_submit():
        try:
            bank = authoring.save_bank(
                current_user,
                form.code.data,
                form.title.data,
                form.description.data or "",
                form.licence.data or "",
            )
        except InvalidInput as err:
            form.code.errors.append(err.message)
        else:
            flash(_("Bank %(code)s created.", code=bank.code), "success")
            return redirect(url_for("trainer.bank", bank_id=bank.id))
    return render_template("trainer/bank_form.html", form=form, bank=None)


@bp.route("/banks/<int:bank_id>/settings", methods=["GET", "POST"])
@role_required(*TRAINERS)
def bank_settings(bank_id: int):
    """Trainers: a bank's title, description and licence."""
    bank = authoring.get_bank(bank_id)
    form = BankForm(obj=bank)
    form.code.render_kw = {"readonly": True}
    if form.validate_on_submit():
        try:
            authoring.save_bank(
                current_user,
                bank.code,
                form.title.data or "",
                form.description.data or "",
                form.licence.data or "",
                bank_id=bank.id,
            )
        except InvalidInput as err:
            form.title.errors = [*form.title.errors, err.message]
        else:
            flash(_("Bank saved."), "success")
            return redirect(url_for("trainer.bank", bank_id=bank.id))
    return render_template("trainer/bank_form.html", form=form, bank=bank)


def _languages(bank: Bank) -> list[str]:
    """The languages the bank's items are, or may be, translated into."""
    return translation_editing.languages_for(bank, translation_queries.languages_in_bank(bank.id))


def _filters(bank_id: int, languages: list[str]) -> question_views.Filters:
    """The list filters from the query string (a translation filter without a language
    asks about the first language the bank's items are translated into)."""
    args = request.args
    difficulty = args.get("difficulty", "")
    flagged = item_report.flagged_keys(bank_id) if args.get("flagged") else None
    standing = args.get("translation", "")
    standing = standing if standing in translation_states.STATUSES and languages else ""
    language = args.get("language", "")
    language = language if language in languages else (languages[0] if languages else "")
    return question_views.Filters(
        q=args.get("q", "")[:200],
        clause=args.get("clause", "")[:20],
        level=args.get("level", "") if args.get("level") in LEVELS else "",
        type=args.get("type", "") if args.get("type") in set(question_types.keys()) else "",
        status=args.get("status", "") if args.get("status") in STATUS_LABELS else "",
        difficulty=int(difficulty) if difficulty in ("1", "2", "3") else None,
        keys=flagged,
        translation=standing,
        language=language,
    )


@bp.get("/banks/<int:bank_id>")
@role_required(*TRAINERS)
def bank(bank_id: int):
    """Trainers: the bank's questions, filtered, searched and paged."""
    the_bank = authoring.get_bank(bank_id)
    languages = _languages(the_bank)
    filters = _filters(bank_id, languages)
    page = question_views.question_page(
        bank_id, filters, request.args.get("page", 1, type=int), languages
    )
    return render_template(
        "trainer/bank.html",
        bank=the_bank,
        page=page,
        filters=filters,
        types=question_types.all_types(),
        levels=LEVELS,
        statuses=STATUS_LABELS,
        clauses=question_views.clause_choices(),
        bulk_form=bulk_form(the_bank.id),
        files=question_views.bank_files(bank_id),
        languages=languages,
        translation_statuses=translation_states.STATUSES,
    )


def _editor_choices(form: QuestionForm, bank_id: int) -> list[ClauseNode]:
    """Clause and scenario choices of the editor; the clause tree of its picker."""
    clauses = question_views.clause_choices()
    form.clauses.choices = [SelectChoice(n, f"{EM_SPACE * d}{n} {t}") for n, t, d in clauses]
    form.scenario.choices = [SelectChoice("", _("None"))] + [
        SelectChoice(key, f"{key} · {title}")
        for key, title in question_views.scenario_choices(bank_id)
    ]
    return clause_tree(clauses)


def _render_editor(
    form, bank, qtype: str, tree, question=None, record=None, problems=None, translations=()
):
    """The editor page for a new or existing question (`tree`: the clause picker's;
    `translations`: how the stored question's translations stand)."""
    kind = question_types.get(qtype)
    hooks = question_type_parts.hooks(qtype)
    posted = request.form if request.method == "POST" else None
    return render_template(
        "trainer/question_edit.html",
        form=form,
        bank=bank,
        kind=kind,
        question=question,
        rows=editor_rows(qtype, record, posted),
        marks_help=hooks.marks_help,
        problems=problems or [],
        translations=translations,
        clause_tree=tree,
        preview=opening_preview(form, bank.id, qtype, record),
        # A plug-in type's own editor fields: what was posted, else the stored values.
        type_values=request.form if request.method == "POST" else {},
        stored_values=(
            hooks.editor_values(record)
            if hooks.editor_values is not None and record is not None
            else {}
        ),
    )


@bp.route("/banks/<int:bank_id>/questions/new", methods=["GET", "POST"])
@role_required(*TRAINERS)
def new_question(bank_id: int):
    """Trainers: write a new question of the chosen type."""
    the_bank = authoring.get_bank(bank_id)
    qtype = request.args.get("type", "single_choice")
    if qtype not in set(question_types.keys()):
        abort(404)
    form = question_form(qtype)()
    tree = _editor_choices(form, bank_id)
    problems = []
    if form.validate_on_submit():
        record = record_from(form, request.form, qtype)
        try:
            question, _written = authoring.save_question(current_user, bank_id, record)
        except ValidationFailed as failed:
            problems = [render(p.message) for p in failed.problems]
        except InvalidInput as err:
            problems = [err.message]
        else:
            flash(_("Question %(key)s saved as a draft.", key=question.key), "success")
            return redirect(url_for("trainer.question", question_id=question.id))
    return _render_editor(form, the_bank, qtype, tree, problems=problems)


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@role_required(*TRAINERS)
def edit_question(question_id: int):
    """Trainers: change a question; a changed one gets a new version."""
    question = authoring.get_question(question_id)
    stored = question_views.current_record(question)
    form = question_form(stored.type)()
    tree = _editor_choices(form, question.bank_id)
    problems: list[str] = []
    record = stored
    if request.method == "GET":
        fill_form(form, stored)
        form.base_version.data = current_version(question).number
    elif form.validate_on_submit():
        record = record_from(form, request.form, stored.type)
        try:
            _q, written = authoring.save_question(
                current_user, question.bank_id, record, question.id, form.base_version.data
            )
        except (ValidationFailed, InvalidInput, Conflict) as failed:
            failures = getattr(failed, "problems", None) or [failed]
            problems = [render(p.message) for p in failures]
            if isinstance(failed, Conflict):  # seen now: saving again replaces it
                form.base_version.raw_data = [str(current_version(question).number)]
        else:
            if written and question.has_pending_change:
                flash(
                    _(
                        "Saved as version %(n)d. The published version stays in exams "
                        "until this change is approved.",
                        n=current_version(question).number,
                    ),
                    "success",
                )
            elif written:
                flash(_("Saved as version %(n)d.", n=current_version(question).number), "success")
            else:
                flash(_("Nothing changed, so no new version was made."), "info")
            return redirect(url_for("trainer.question", question_id=question.id))
    form.key.render_kw = {"readonly": True}
    standing = translation_states.of_question(question.id, stored, _languages(question.bank))
    return _render_editor(
        form, question.bank, stored.type, tree, question, record, problems, standing
    )


@bp.get("/questions/<int:question_id>")
@role_required(*TRAINERS)
def question(question_id: int):
    """Trainers: a question as learners see it, its key, workflow and history."""
    the_question = authoring.get_question(question_id)
    record = question_views.current_record(the_question)
    kind = question_types.get(record.type)
    return render_template(
        "trainer/question.html",
        question=the_question,
        record=record,
        kind=kind,
        view=kind.learner_view(record),
        history=question_history.history(the_question),
        events=question_history.workflow_events(the_question),
        live_change=question_history.changes_against_live([the_question]).get(the_question.id),
        actions=authoring.available_actions(the_question, current_user),
        awaits_other=the_question.status == "in_review"
        and "approve" not in authoring.available_actions(the_question, current_user),
        form=WorkflowForm(),
        statuses=STATUS_LABELS,
        titles=dict((n, t) for n, t, _d in question_views.clause_choices()),
        translations=translation_states.of_question(
            the_question.id,
            record,
            _languages(the_question.bank),
            question_views.live_record(the_question),
        ),
    )


@bp.post("/questions/<int:question_id>/workflow")
@role_required(*TRAINERS)
def question_workflow(question_id: int):
    """Trainers: submit, approve, return, retire or restore a question."""
    form = WorkflowForm()
    if not form.validate_on_submit():
        abort(400)
    back = request.form.get("next") or url_for("trainer.question", question_id=question_id)
    if safe_next_url(back) is None:  # never an open redirect: refused before anything changes
        raise InvalidInput(_("The field “next” must be the address of a page on this site."))
    question = authoring.transition(
        current_user,
        question_id,
        form.action.data or "",
        form.comment.data or "",
        seen_version=form.version.data,
    )
    flash(
        _("The question is now %(status)s.", status=STATUS_LABELS[question.status].lower()),
        "success",
    )
    return redirect(back)


@bp.route("/banks/<int:bank_id>/scenarios", methods=["GET", "POST"])
@role_required(*TRAINERS)
def scenarios(bank_id: int):
    """Trainers: the bank's scenarios; add one, or change one by giving its id again."""
    the_bank = authoring.get_bank(bank_id)
    form = ScenarioForm()
    editing = request.args.get("edit", "")
    if request.method == "GET" and editing:
        found = question_views.scenario(bank_id, editing)
        if found is not None:
            form.key.data, form.title.data, form.text.data = found
    if form.validate_on_submit():
        try:
            _scenario, revised = authoring.save_scenario(
                current_user,
                bank_id,
                form.key.data or "",
                form.title.data or "",
                form.text.data or "",
            )
        except InvalidInput as err:
            form.key.errors = [*form.key.errors, err.message]
        else:
            if revised:
                flash(
                    ngettext(
                        "Scenario %(key)s saved. The question using it has a new version "
                        "with this text; a published one keeps the old text in exams until "
                        "the change is approved.",
                        "Scenario %(key)s saved. The %(num)d questions using it have new "
                        "versions with this text; published ones keep the old text in exams "
                        "until the change is approved.",
                        revised,
                        key=form.key.data,
                    ),
                    "success",
                )
            else:
                flash(_("Scenario %(key)s saved.", key=form.key.data), "success")
            return redirect(url_for("trainer.scenarios", bank_id=bank_id))
    rows = question_views.scenario_rows(bank_id)
    languages = _languages(the_bank)
    return render_template(
        "trainer/scenarios.html",
        bank=the_bank,
        form=form,
        rows=rows,
        translations=translation_states.scenario_statuses(
            bank_id, [(key, title, text) for key, title, text, _used in rows], languages
        ),
    )


@bp.route("/review", methods=["GET", "POST"])
@role_required(*TRAINERS)
def review_queue():
    """Trainers: questions waiting for review; admins also set the review rule here."""
    settings = SettingsForm(single_trainer=authoring.single_trainer_mode())
    if request.method == "POST":
        if not current_user.has_any_role(Role.ADMIN):
            abort(403)
        if settings.validate_on_submit():
            authoring.set_single_trainer_mode(current_user, settings.single_trainer.data)
            flash(_("Review rule saved."), "success")
            return redirect(url_for("trainer.review_queue"))
    return render_template(
        "trainer/review.html",
        rows=question_views.review_queue(),
        settings=settings,
        single=authoring.single_trainer_mode(),
        form=WorkflowForm(),
    )
