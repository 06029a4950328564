"""Trainer pages on a bank as a whole: bulk actions on its question list, its coverage."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not yet in its stubs

from app.analytics import bank_coverage
from app.errors import InvalidInput
from app.models import Role
from app.security import role_required, safe_next_url
from app.services import authoring, bulk_actions
from app.web.trainer.forms import BulkForm
from app.web.trainer.routes import bp

TRAINERS = (Role.TRAINER, Role.ADMIN)


def bulk_form(bank_id: int) -> BulkForm:
    """The list's bulk-action form, offering the other banks the trainer may edit."""
    form = BulkForm()
    form.target_bank.choices = [SelectChoice(0, _("Choose a bank"))] + [
        SelectChoice(b.id, f"{b.title} ({b.code})")
        for b in bulk_actions.editable_banks(current_user)
        if b.id != bank_id
    ]
    return form


def _selected_ids(values: list[str]) -> list[int]:
    """The ticked question ids (digits only; anything else is refused)."""
    if len(values) > bulk_actions.MAX_SELECTED:
        raise InvalidInput(
            _("Select at most %(n)d questions at once.", n=bulk_actions.MAX_SELECTED)
        )
    if not all(v.isdigit() and len(v) < 12 for v in values):
        raise InvalidInput(_("The selection holds something that is not a question."))
    return [int(v) for v in values]


@bp.post("/banks/<int:bank_id>/bulk")
@role_required(*TRAINERS)
def bulk_action(bank_id: int):
    """Trainers: apply one action to the questions ticked in the bank's list."""
    bank = authoring.get_bank(bank_id)
    form = bulk_form(bank.id)
    if not form.validate_on_submit():
        abort(400)
    back = request.form.get("back") or url_for("trainer.bank", bank_id=bank.id)
    if safe_next_url(back) is None:
        back = url_for("trainer.bank", bank_id=bank.id)
    try:
        outcome = bulk_actions.apply(
            current_user,
            bank.id,
            _selected_ids(request.form.getlist("ids")),
            form.action.data or "",
            target_bank_id=form.target_bank.data or None,
            tag=form.tag.data or "",
        )
    except InvalidInput as err:
        flash(err.message, "danger")
        return redirect(back)
    return render_template("trainer/bulk_result.html", bank=bank, outcome=outcome, back=back)


@bp.get("/banks/<int:bank_id>/coverage")
@role_required(*TRAINERS)
def coverage(bank_id: int):
    """Trainers: the bank's live questions per clause and level, and how far they fill
    each scheme's mock blueprint (or the whole pool's, with ?pool=all)."""
    bank = authoring.get_bank(bank_id)
    whole = request.args.get("pool") == "all"
    figures = bank_coverage.bank_coverage(bank.id, whole_pool=whole)
    return render_template("trainer/coverage.html", bank=bank, figures=figures, whole=whole)
