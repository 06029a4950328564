"""The trainer's marking queue: essay answers waiting for marks, and the marking page."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.analytics import marking as marking_queries
from app.errors import Conflict, InvalidInput
from app.models import Role
from app.security import role_required
from app.services import marking
from app.web.trainer.forms import MarkForm
from app.web.trainer.routes import bp


def _filters() -> dict[str, str]:
    """The queue's bank and scheme filters from the query string (empty ones dropped)."""
    return {k: v for k in ("bank", "scheme") if (v := request.args.get(k, "").strip())}


@bp.context_processor
def marking_context() -> dict[str, Any]:
    """Trainer pages may ask how many answers wait (a call: only pages that show it query)."""
    return {"marking_waiting": marking_queries.waiting_count}


@bp.get("/marking")
@role_required(Role.TRAINER, Role.ADMIN)
def marking_queue():
    """Trainers and admins: essay answers waiting for marks, oldest first."""
    filters = _filters()
    return render_template(
        "trainer/marking_queue.html",
        rows=marking_queries.queue(**filters),
        waiting=marking_queries.waiting_count(**filters),
        choices=marking_queries.filter_choices(),
        filters=filters,
        limit=marking_queries.QUEUE_LIMIT,
    )


@bp.route("/marking/<int:response_id>", methods=["GET", "POST"])
@role_required(Role.TRAINER, Role.ADMIN)
def mark_answer(response_id: int):
    """Trainers and admins: mark one essay answer against its rubric, then go to the next."""
    answer = marking_queries.answer_to_mark(response_id)
    if answer is None:
        abort(404)
    form = MarkForm(max_marks=answer.record.marks, marks=answer.awarded, comment=answer.comment)
    if form.validate_on_submit():
        try:
            assert form.marks.data is not None  # InputRequired
            marking.mark_response(current_user, response_id, form.marks.data, form.comment.data)
        except (InvalidInput, Conflict) as err:
            form.marks.errors = [*form.marks.errors, err.message]
        else:
            flash(_("Marks saved for question %(n)d.", n=answer.position), "success")
            return _to_next(_filters())
    return render_template("trainer/mark_answer.html", answer=answer, form=form, filters=_filters())


def _to_next(filters: dict[str, Any]):
    """Redirect to the oldest answer still waiting, or back to the queue when none is left."""
    following = marking_queries.next_waiting(**filters)
    if following is None:
        flash(_("No more answers are waiting for marking."), "info")
        return redirect(url_for("trainer.marking_queue", **filters))
    return redirect(url_for("trainer.mark_answer", response_id=following, **filters))
