"""The learner's pages: choose a scheme, take attempts, see results and history."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from app.analytics import custom_tests, exam_languages, overview
from app.analytics import drills as drill_views
from app.analytics import reviews as review_views
from app.analytics import team_readiness as tr
from app.analytics.learner_progress import learner_progress
from app.domain import question_types
from app.domain.records import clause_sort_key
from app.errors import Conflict, InvalidInput, NotFound
from app.models import AttemptStatus, Role
from app.models.base import utcnow
from app.models.user import WEEKLY_GOAL_MOST
from app.queries import attempts as attempt_views
from app.security import role_required
from app.services import answering, attempts, recall, team_invitations, users
from app.web.charts import LineChart, line_chart
from app.web.content_languages import page_language
from app.web.formatting import day, day_month, pct
from app.web.ids import parse_id
from app.web.learner.forms import (
    ActionForm,
    StartForm,
    WeeklyGoalForm,
    confidence,
    raw_response,
)

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
    schemes = overview.schemes()
    return render_template(
        "learner/home.html",
        schemes=schemes,
        reviews=review_views.review_outlook(current_user.id, schemes),
        counts=overview.published_counts_by_level(),
        open_attempts=[a for a in rows if a.status == AttemptStatus.OPEN],
        recent=[a for a in rows if a.status in AttemptStatus.closed()][:5],
        withholding=attempt_views.attempts_withholding(current_user.id),
        drills=drill_views.learner_drills(current_user.id),
        invitations=team_invitations.for_invitee(current_user, "member"),
        form=StartForm(formdata=None),
        **_language_choices(schemes),
    )


def _language_choices(schemes: list) -> dict:
    """The languages each scheme's exams can be sat in, and the one offered first: the
    interface language when most of the items have it (template values)."""
    choices = exam_languages.choices_by_scheme(schemes)
    here = page_language()
    return {
        "languages": choices,
        "default_language": {
            code: exam_languages.default_choice(found, here) for code, found in choices.items()
        },
    }


@bp.post("/attempts")
@role_required(Role.LEARNER)
def start():
    """Learners: start a mock exam, practice set, drill or review."""
    form = StartForm()
    back = url_for("learner.home")
    if request.form.get("from") == "custom" and form.scheme.data:
        back = url_for("learner.custom", scheme_code=form.scheme.data)
    if not form.validate_on_submit():
        flash(_("Check the options and try again."), "danger")
        return redirect(back)
    typed = (form.clauses.data or "").split(",") + request.form.getlist("clause")
    clauses = list(dict.fromkeys(c.strip() for c in typed if c.strip()))  # ticked in the tree
    options = attempts.StartOptions(
        mode=form.mode.data,
        clauses=clauses,
        count=form.count.data or 20,
        layout=form.layout.data,
        cbm=bool(form.cbm.data),
        only=form.only.data or "",
        retry_of=form.retry.data,
        feedback=form.feedback.data or "each",
        language=(form.language.data or "").strip(),
        interface=page_language(),
    )
    replacing = None
    try:
        if request.form.get("then") == "discard":  # chosen on the page below
            replacing = parse_id(request.form.get("replace"), "replace")
        if replacing is None:
            same = answering.open_attempt_like(current_user, form.scheme.data, form.mode.data)
            if same is not None:  # resume it, or discard it and start the new one
                posted = {**request.form.to_dict(), "clauses": ", ".join(clauses)}
                return render_template("learner/open_attempt.html", same=same, posted=posted)
        attempt = attempts.start_attempt(current_user, form.scheme.data, options, replacing)
    except (InvalidInput, Conflict, NotFound) as err:
        flash(err.message, "danger")
        return redirect(back)
    return redirect(url_for("learner.take", attempt_id=attempt.id))


@bp.get("/schemes/<scheme_code>/custom")
@role_required(Role.LEARNER)
def custom(scheme_code: str):
    """Learners: build a practice set from the clause tree, with a size, a question filter
    and when the answers are shown."""
    scheme = next((s for s in overview.schemes() if s.code == scheme_code), None)
    if scheme is None:
        abort(404)
    return render_template(
        "learner/custom.html",
        scheme=scheme,
        menu=custom_tests.menu(scheme, current_user.id),
        form=StartForm(formdata=None),
        **_language_choices([scheme]),
    )


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


@bp.post("/attempts/<int:attempt_id>/language/<int:position>")
@role_required(Role.LEARNER)
def switch_language(attempt_id: int, position: int):
    """Learners: show a question of their open practice set in its other language."""
    ActionForm().validate_on_submit() or abort(400)
    layout = request.form.get("layout") if request.form.get("layout") == "all" else None
    try:
        answering.switch_language(current_user, attempt_id, position)
    except Conflict as err:
        flash(err.message, "danger")
    return _back(attempt_id, position, position, layout, f"q{position}-title")


@bp.post("/attempts/<int:attempt_id>/recall/<int:position>")
@role_required(Role.LEARNER)
def rate_recall(attempt_id: int, position: int):
    """Learners: say how well they recalled a checked answer of their open review set."""
    ActionForm().validate_on_submit() or abort(400)
    layout = request.form.get("layout") if request.form.get("layout") == "all" else None
    try:
        recall.rate_recall(current_user, attempt_id, position, request.form.get("recall", ""))
    except InvalidInput as err:  # the page again, with the reason beside the question
        attempt = answering.own_attempt(current_user, attempt_id)
        refused = {"position": position, "error": err.message, "saved": True}
        return _take_page(attempt, position, layout or "single", refused), err.status
    except Conflict as err:
        flash(err.message, "danger")
    else:
        flash(_("Saved: your rating sets when this question comes back."), "success")
    return _back(attempt_id, position, position, layout)


@bp.get("/reviews")
@role_required(Role.LEARNER)
def reviews():
    """Learners: the questions coming back for review, each with its next due date."""
    return render_template(
        "learner/reviews.html",
        rows=review_views.upcoming_reviews(current_user.id),
        outlook=review_views.review_outlook(current_user.id, overview.schemes()),
    )


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
    withheld = attempt_views.withheld_positions(attempt)  # read once for both
    rows = attempt_views.clause_rows(attempt, reveal, withheld)
    order = "clause" if request.args.get("order") == "clause" else "weakest"
    return render_template(
        "learner/result.html",
        attempt=attempt,
        reveal=reveal,
        opens_at=attempt_views.review_opens_at(attempt),
        result=attempt_views.visible_result(attempt, reveal, withheld),
        clause_rows=rows if order == "clause" else _weakest_first(rows, nested=reveal),
        order=order,
        weakest=_weakest_clauses(rows) if reveal else [],
        retry_count=len(groups["wrong"]) if reveal and attempt.scheme else 0,
        items=groups[show],
        outcomes=outcomes,
        show=show,
        counts={name: len(group) for name, group in groups.items()},
        labels={t.key: _(t.label) for t in question_types.all_types()},
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


def _weakest_first(rows: list[tuple[str, str, dict]], nested: bool) -> list[tuple[str, str, dict]]:
    """Clause rows weakest first, then by marks lost, then in document order. Nested rows
    move with their second-level clause and stay in document order under it; pooled rows
    (the review is closed) are sorted one by one."""
    families: dict[str, list[tuple[str, str, dict]]] = {}
    for n, row in enumerate(rows):  # rows come in document order: a family's head first
        family = ".".join(row[0].split(".")[:2]) if nested else str(n)
        families.setdefault(family, []).append(row)

    def rank(family: list[tuple[str, str, dict]]) -> tuple[float, float, str]:
        figures = family[0][2]
        lost = float(figures.get("max", 0) - figures.get("score", 0))
        return float(figures.get("percent", 0)), -lost, clause_sort_key(family[0][0])

    return [row for family in sorted(families.values(), key=rank) for row in family]


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
    trend = attempt_views.score_trend(current_user.id)
    marks = {s.title: s.exam_blueprint.pass_mark for s in overview.schemes()}
    return render_template(
        "learner/history.html",
        attempts=attempt_views.history_rows(current_user.id),
        withholding=attempt_views.attempts_withholding(current_user.id),
        trend=trend,
        charts={title: _score_chart(points, marks.get(title)) for title, points in trend.items()},
    )


@bp.get("/progress")
@role_required(Role.LEARNER)
def progress():
    """Learners: their own pass probability per scheme, mastery by clause, trend and goal."""
    report = learner_progress(current_user.id, utcnow())
    return render_template(
        "learner/progress.html",
        report=report,
        trends={p.scheme.code: _week_endings(p.trend) for p in report.schemes},
        charts={p.scheme.code: _trend_chart(p.trend) for p in report.schemes},
        goal_form=WeeklyGoalForm(formdata=None, goal=report.goal.goal),
        goal_most=WEEKLY_GOAL_MOST,
        ready_at=tr.READY_AT,
        on_track_at=tr.ON_TRACK_AT,
        rising=tr.RISING,
    )


@bp.post("/progress/goal")
@role_required(Role.LEARNER)
def set_goal():
    """Learners: set their own weekly goal (questions per week, 0 for none)."""
    form = WeeklyGoalForm()
    if not form.validate_on_submit():
        flash(
            _("Enter a whole number of questions from 0 to %(most)d.", most=WEEKLY_GOAL_MOST),
            "danger",
        )
        return redirect(url_for("learner.progress", _anchor="goal"))
    users.set_weekly_goal(current_user, form.goal.data)
    if form.goal.data:
        goal = form.goal.data
        flash(
            ngettext(
                "Your weekly goal is now %(num)d question.",
                "Your weekly goal is now %(num)d questions.",
                goal,
            ),
            "success",
        )
    else:
        flash(_("You have no weekly goal now."), "success")
    return redirect(url_for("learner.progress", _anchor="goal"))


def _week_endings(trend: list[tuple[datetime, float | None]]) -> list[tuple[date, float | None]]:
    """The trend's moments as the last day each covers: a week's end (Monday 00:00 UTC)
    is shown as its Sunday; the last moment, now, as today."""
    return [((moment - timedelta(seconds=1)).date(), value) for moment, value in trend]


def _trend_chart(trend: list[tuple[datetime, float | None]]) -> LineChart:
    """The weekly pass probabilities as a line chart (gaps where there was no forecast),
    with its axes titled and a legend naming the line and the threshold."""
    series = [(day_month(end), value) for end, value in _week_endings(trend)]
    return line_chart(
        series,
        width=380,
        height=210,
        threshold=tr.READY_AT,
        y_title=_("Chance of passing (%)"),
        x_title=_("Week ending (UTC)"),
        series_name=_("Your chance of passing"),
        threshold_name=_("Likely to pass: %(p)s or more", p=pct(tr.READY_AT)),
        most_labels=4,
    )


def _score_chart(points: list[tuple[datetime, float]], pass_mark: float | None) -> LineChart:
    """A scheme's mock exam scores in the order sat (dated on the reader's clocks), with
    the exam's pass mark."""
    series = [(day(at), percent / 100) for at, percent in points]
    return line_chart(
        series,
        width=440,
        height=220,
        threshold=pass_mark,
        y_title=_("Score (%)"),
        x_title=_("Date submitted"),
        series_name=_("Your mock exam score"),
        threshold_name=(_("Pass mark: %(p)s", p=pct(pass_mark)) if pass_mark is not None else ""),
        most_labels=5,
    )
