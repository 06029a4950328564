"""The learner's pages: choose a scheme, take attempts, see results and history."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.analytics import drills as drill_views
from app.analytics import overview
from app.analytics import team_readiness as tr
from app.analytics.learner_progress import learner_progress
from app.domain import question_types
from app.domain.records import clause_sort_key
from app.errors import Conflict, InvalidInput, NotFound
from app.models import AttemptStatus, Role
from app.models.base import utcnow
from app.queries import attempts as attempt_views
from app.security import role_required
from app.services import answering, attempts, team_invitations
from app.web.charts import LineChart, line_chart
from app.web.learner.forms import ActionForm, StartForm, confidence, raw_response

bp = Blueprint("learner", __name__, url_prefix="/learn", template_folder="templates")


def _wants_json() -> bool:
    """The autosave script asks for JSON; a plain form post gets a redirect."""
    return request.accept_mimetypes.best == "application/json"


@bp.get("/")
@role_required(Role.LEARNER)
def home():
    """Learners: schemes to prepare for, unfinished attempts and the latest results."""
    rows = attempt_views.history_rows(current_user.id)
    for attempt in rows:  # an attempt past its deadline is closed, never offered to resume
        answering.expire_if_overdue(attempt)
    return render_template(
        "learner/home.html",
        schemes=overview.schemes(),
        counts=overview.published_counts_by_level(),
        open_attempts=[a for a in rows if a.status == AttemptStatus.OPEN],
        recent=[a for a in rows if a.status in AttemptStatus.closed()][:5],
        drills=drill_views.learner_drills(current_user.id),
        invitations=team_invitations.for_invitee(current_user, "member"),
        form=StartForm(formdata=None),
    )


@bp.post("/attempts")
@role_required(Role.LEARNER)
def start():
    """Learners: start a mock exam, practice set, drill or review."""
    form = StartForm()
    if not form.validate_on_submit():
        flash(_("Check the options and try again."), "danger")
        return redirect(url_for("learner.home"))
    clauses = [c.strip() for c in (form.clauses.data or "").split(",") if c.strip()]
    options = attempts.StartOptions(
        mode=form.mode.data,
        clauses=clauses,
        count=form.count.data or 20,
        layout=form.layout.data,
        cbm=bool(form.cbm.data),
    )
    try:
        if request.form.get("then") == "discard":  # chosen on the page below
            answering.discard_attempt(current_user, request.form.get("replace", type=int) or 0)
        else:
            same = answering.open_attempt_like(current_user, form.scheme.data, form.mode.data)
            if same is not None:  # resume it, or discard it and start the new one
                return render_template("learner/open_attempt.html", same=same, posted=request.form)
        attempt = attempts.start_attempt(current_user, form.scheme.data, options)
    except (InvalidInput, Conflict, NotFound) as err:
        flash(err.message, "danger")
        return redirect(url_for("learner.home"))
    return redirect(url_for("learner.take", attempt_id=attempt.id))


@bp.post("/attempts/<int:attempt_id>/discard")
@role_required(Role.LEARNER)
def discard(attempt_id: int):
    """Learners: close an unfinished practice set, drill or review without scoring it."""
    ActionForm().validate_on_submit() or abort(400)
    try:
        answering.discard_attempt(current_user, attempt_id)
    except Conflict as err:
        flash(err.message, "danger")
    else:
        flash(_("Discarded. The answers you checked still count; the others do not."), "success")
    return redirect(url_for("learner.home"))


@bp.get("/attempts/<int:attempt_id>")
@role_required(Role.LEARNER)
def take(attempt_id: int):
    """Learners: answer their own open attempt (one item per page or all on one)."""
    attempt = answering.own_attempt(current_user, attempt_id)
    answering.expire_if_overdue(attempt)
    if attempt.status != AttemptStatus.OPEN:
        return redirect(url_for("learner.result", attempt_id=attempt.id))
    layout = request.args.get("layout", attempt.settings.get("layout", "single"))
    return _take_page(attempt, request.args.get("q", 1, type=int), layout)


def _take_page(attempt, current: int, layout: str, refused: dict | None = None) -> str:
    """The exam page; `refused` keeps what the learner typed into an answer that was
    refused, with the reason: {"position": n, "form": posted form, "error": message}."""
    items = attempt_views.item_views(attempt, reveal=False)
    current = min(max(current, 1), len(items))
    layout = layout if layout in ("single", "all") else "single"
    shown = items if layout == "all" else [items[current - 1]]
    return render_template(
        "learner/take.html",
        attempt=attempt,
        seconds_left=_seconds_left(attempt),
        items=items,
        shown=shown,
        current=current,
        layout=layout,
        form=ActionForm(),
        refused=refused or {},
    )


@bp.post("/attempts/<int:attempt_id>/answers/<int:position>")
@role_required(Role.LEARNER)
def save_answer(attempt_id: int, position: int):
    """Learners: autosave one answer (JSON for the script, a redirect without it)."""
    form = ActionForm()
    if not form.validate_on_submit():
        return {"error": _("The form expired; reload the page.")}, 400
    attempt = answering.own_attempt(current_user, attempt_id)
    answering.expire_if_overdue(attempt)
    kind = _kind_of(attempt, position)
    layout = request.form.get("layout") if request.form.get("layout") == "all" else None
    if _is_checked(attempt, position) and not _wants_json() and request.form.get("go"):
        # a checked practice answer is locked: the page's navigation buttons still post
        # the form, and they should move on rather than be refused
        return _back(attempt_id, position, request.form.get("go", type=int) or position, layout)
    try:
        saved = answering.record_answer(
            current_user,
            attempt_id,
            position,
            raw_response(kind, request.form),
            confidence(request.form),
        )
    except (InvalidInput, Conflict) as err:
        if _wants_json():
            return {"error": err.message}, err.status
        if isinstance(err, InvalidInput):  # show the page again with what was typed
            layout = request.form.get("layout", attempt.settings.get("layout", "single"))
            refused = {"position": position, "form": request.form, "error": err.message}
            return _take_page(attempt, position, layout, refused), err.status
        flash(err.message, "danger")
        return redirect(url_for("learner.take", attempt_id=attempt_id, q=position))
    if _wants_json():
        return {"saved_at": saved.isoformat()}
    if request.form.get("check"):
        try:
            answering.check_practice_answer(current_user, attempt_id, position)
        except (InvalidInput, Conflict) as err:  # nothing chosen, or the key is embargoed
            attempt = answering.own_attempt(current_user, attempt_id)
            layout = request.form.get("layout", attempt.settings.get("layout", "single"))
            refused = {"position": position, "error": err.message, "saved": True}
            return _take_page(attempt, position, layout, refused), err.status
        return _back(attempt_id, position, position, layout, f"q{position}-feedback")
    return _back(attempt_id, position, request.form.get("go", type=int) or position, layout)


def _back(
    attempt_id: int, position: int, following: int, layout: str | None, anchor: str | None = None
) -> Response:
    """To the question to show next; on the all-on-one page, scrolled to the one acted on.
    `anchor` names the part of the page to scroll to and focus (a checked answer's feedback)."""
    anchor = anchor or (f"q{position}" if layout == "all" else None)
    target = position if layout == "all" else following
    return redirect(
        url_for("learner.take", attempt_id=attempt_id, q=target, layout=layout, _anchor=anchor)
    )


def _is_checked(attempt, position: int) -> bool:
    """True when the practice answer at a position was checked, and so is locked."""
    return any(i.position == position and i.checked_at is not None for i in attempt.items)


def _kind_of(attempt, position: int) -> str:
    """The question type at a position of an attempt."""
    for item in attempt.items:
        if item.position == position:
            return item.version.type
    abort(404)


@bp.post("/attempts/<int:attempt_id>/flags/<int:position>")
@role_required(Role.LEARNER)
def flag(attempt_id: int, position: int):
    """Learners: flag or unflag an item for review."""
    ActionForm().validate_on_submit() or abort(400)
    flagged = request.form.get("flagged") == "1"
    answering.set_flag(current_user, attempt_id, position, flagged)
    if _wants_json():
        return {"flagged": flagged}
    layout = request.form.get("layout") if request.form.get("layout") == "all" else None
    return _back(attempt_id, position, position, layout)


@bp.get("/attempts/<int:attempt_id>/submit")
@role_required(Role.LEARNER)
def confirm_submit(attempt_id: int):
    """Learners: what they are about to hand in (answered, unanswered, flagged, each
    linked), and the button that submits."""
    attempt = answering.own_attempt(current_user, attempt_id)
    answering.expire_if_overdue(attempt)
    if attempt.status != AttemptStatus.OPEN:
        return redirect(url_for("learner.result", attempt_id=attempt.id))
    items = attempt_views.item_views(attempt, reveal=False)
    return render_template(
        "learner/submit.html",
        attempt=attempt,
        items=items,
        unanswered=[i for i in items if not i.answered],
        flagged=[i for i in items if i.flagged],
        layout=request.args.get("layout", attempt.settings.get("layout", "single")),
        seconds_left=_seconds_left(attempt),
    )


def _seconds_left(attempt) -> int:
    """Whole seconds to the attempt's deadline by the server's clock (0 without one)."""
    if attempt.deadline_at is None:
        return 0
    return max(0, int((attempt.deadline_at - utcnow()).total_seconds()))


@bp.post("/attempts/<int:attempt_id>/submit")
@role_required(Role.LEARNER)
def submit(attempt_id: int):
    """Learners: hand in the attempt; a repeated submit shows the same result."""
    ActionForm().validate_on_submit() or abort(400)
    answering.submit_attempt(current_user, attempt_id)
    return redirect(url_for("learner.result", attempt_id=attempt_id))


@bp.get("/attempts/<int:attempt_id>/result")
@role_required(Role.LEARNER)
def result(attempt_id: int):
    """Learners: score, sections, clause subscores and (when allowed) each item reviewed."""
    attempt = answering.own_attempt(current_user, attempt_id)
    answering.expire_if_overdue(attempt)
    if attempt.status == AttemptStatus.OPEN:
        return redirect(url_for("learner.take", attempt_id=attempt.id))
    if attempt.status == AttemptStatus.DISCARDED:
        flash(_("This attempt was discarded: it has no result."), "info")
        return redirect(url_for("learner.history"))
    reveal = attempt_views.may_reveal(attempt)
    items = attempt_views.item_views(attempt, reveal=reveal)
    outcomes = {item.position: _outcome(item) for item in items}
    show = request.args.get("show", "all")
    show = show if show in RESULT_FILTERS else "all"
    groups = {
        "all": items,
        "wrong": [i for i in items if outcomes[i.position] in MISSED],
        "flagged": [i for i in items if i.flagged],
    }
    rows = attempt_views.clause_rows(attempt, reveal)
    return render_template(
        "learner/result.html",
        attempt=attempt,
        reveal=reveal,
        opens_at=attempt_views.review_opens_at(attempt),
        result=attempt_views.visible_result(attempt, reveal),
        clause_rows=rows,
        weakest=_weakest_clauses(rows) if reveal else [],
        items=groups[show],
        outcomes=outcomes,
        show=show,
        counts={name: len(group) for name, group in groups.items()},
        labels={t.key: t.label for t in question_types.all_types()},
    )


RESULT_FILTERS = ("all", "wrong", "flagged")
MISSED = ("wrong", "partly", "unanswered")  # the outcomes the "wrong" filter shows
WEAKEST = 3  # clauses a "drill these clauses" button offers


def _outcome(item) -> str:
    """right, partly, wrong, unanswered or pending (an essay awaiting its mark); hidden
    while the key is (the review is closed)."""
    if item.key is None:
        return "hidden"
    score = item.key.get("score")
    if score is None:
        return "pending" if item.answered else "unanswered"
    if score >= 0.999:
        return "right"
    return "partly" if score > 0 else "wrong"


def _weakest_clauses(rows: list[tuple[str, str, dict]]) -> list[tuple[str, str, float]]:
    """Up to WEAKEST second-level clauses below full marks: weakest first, then those
    with the most marks lost, then in document order."""
    found = [
        (clause, title, float(figures["percent"]), float(figures["max"] - figures["score"]))
        for clause, title, figures in rows
        if clause.count(".") == 1 and figures.get("max") and figures["percent"] < 99.95
    ]
    found.sort(key=lambda row: (row[2], -row[3], clause_sort_key(row[0])))
    return [(clause, title, percent) for clause, title, percent, _lost in found[:WEAKEST]]


@bp.get("/history")
@role_required(Role.LEARNER)
def history():
    """Learners: every attempt and the score trend per scheme."""
    return render_template(
        "learner/history.html",
        attempts=attempt_views.history_rows(current_user.id),
        trend=attempt_views.score_trend(current_user.id),
    )


@bp.get("/progress")
@role_required(Role.LEARNER)
def progress():
    """Learners: their own pass probability per scheme, mastery, weakest clauses and trend."""
    report = learner_progress(current_user.id, utcnow())
    return render_template(
        "learner/progress.html",
        report=report,
        charts={p.scheme.code: _trend_chart(p.trend) for p in report.schemes},
        ready_at=tr.READY_AT,
        on_track_at=tr.ON_TRACK_AT,
        rising=tr.RISING,
    )


def _trend_chart(trend: list[tuple[datetime, float | None]]) -> LineChart:
    """The weekly pass probabilities as a line chart (gaps where there was no forecast)."""
    series = [(moment.strftime("%d %b"), value) for moment, value in trend]
    return line_chart(series, width=400, height=180, threshold=tr.READY_AT)
