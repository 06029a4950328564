"""The question editor's live preview: the unsaved form drawn as learners see it.

The learner's own templates draw it (`trainer/_item_preview.html` includes the learner's
partials) from the views an attempt would build (`app.queries.item_preview`), so the
preview cannot differ from what learners are shown.
"""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.analytics import questions as question_views
from app.domain import question_types
from app.domain.records import QuestionRecord, ScenarioRecord
from app.errors import InvalidInput
from app.messages import render
from app.models import Role
from app.queries import item_preview
from app.security import role_required
from app.services import authoring
from app.web.trainer.editor import question_form, record_from
from app.web.trainer.forms import QuestionForm
from app.web.trainer.routes import bp


@bp.post("/banks/<int:bank_id>/questions/preview")
@role_required(Role.TRAINER, Role.ADMIN)
def preview_question(bank_id: int):
    """Trainers: the unsaved editor form of a question in the bank, as learners see it,
    with what a save would refuse; writes nothing."""
    qtype = request.args.get("type", "")
    if qtype not in set(question_types.keys()):
        abort(404)
    form = question_form(qtype)()
    form.validate()  # fills `data`; an unfinished question is previewed all the same
    try:
        record = record_from(form, request.form, qtype)
    except (ValueError, InvalidInput):
        return _("The form cannot be previewed: check the difficulty and the marks."), 400
    checked = authoring.check_question(current_user, bank_id, record)  # role and bank
    return render_template(
        "trainer/_item_preview.html",
        preview=learner_preview(bank_id, record),
        problems=[render(p.message) for p in checked],
    )


def learner_preview(bank_id: int, record: QuestionRecord) -> item_preview.Preview | None:
    """The learner's views of an unsaved question (the key only once the question is
    complete); None when it is too unfinished to draw."""
    found = question_views.scenario(bank_id, record.scenario) if record.scenario else None
    case = ScenarioRecord(*found) if found else None
    complete = not question_types.get(record.type).validate(record)
    record.bank_id = bank_id  # its texts show the bank's files, as learners' pages do
    try:
        return item_preview.preview(record, case, complete)
    except (ValueError, KeyError):  # parts without ids or texts yet: the problems say which
        return None


def opening_preview(
    form: QuestionForm, bank_id: int, qtype: str, record: QuestionRecord | None
) -> item_preview.Preview | None:
    """The preview the editor opens with: what was posted, else the stored question."""
    if request.method == "POST":
        try:
            record = record_from(form, request.form, qtype)
        except (ValueError, InvalidInput):
            return None
    return learner_preview(bank_id, record) if record is not None else None
