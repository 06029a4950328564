"""The manager's readiness pages: team dashboard, learner drill-down, drills, exports, evidence."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.analytics import drills as drill_views
from app.analytics import evidence as evidence_views
from app.analytics import overview, team_tables
from app.analytics import team_readiness as tr
from app.analytics.learner_drilldown import learner_drilldown
from app.analytics.readiness import sections_of
from app.errors import Conflict, InvalidInput
from app.formats.xml_support import slugify
from app.models import Scheme
from app.models.base import utcnow
from app.queries import banks as bank_queries
from app.security import role_required
from app.services import teams
from app.web.charts import line_chart
from app.web.exports import download
from app.web.formatting import day_month, local, reader_zone_name, when
from app.web.manager.forms import DrillForm
from app.web.manager.routes import MANAGERS, bp

TABLES = ("members", "targets", "heatmap", "weakest", "trend", "drills")


@bp.app_template_filter("ago")
def ago(value: datetime | None) -> str:
    """A time as "today", "yesterday", "5 days ago" or "3 weeks ago" (days of the
    reader's calendar)."""
    if value is None or pd.isna(value):
        return _("never")
    days = (local(utcnow()).date() - local(pd.Timestamp(value).to_pydatetime()).date()).days
    if days <= 0:
        return _("today")
    if days == 1:
        return _("yesterday")
    if days < 21:
        return _("%(n)d days ago", n=days)
    return _("%(n)d weeks ago", n=days // 7)


def _chosen_scheme(team_id: int) -> Scheme:
    """The scheme asked for, else the first one a target names, else the first active one."""
    active = overview.schemes()
    if not active:
        abort(404)
    wanted = request.args.get("scheme")
    chosen = next((s for s in active if s.code == wanted), None)
    if chosen is None:
        targeted = [s for s in tr.target_schemes(team_id) if s.active]
        chosen = targeted[0] if targeted else active[0]
    return chosen


def _heatmap(report: tr.TeamReport) -> dict:
    """Rows of (member, cells) and the team-average row, each cell (mastery, evidence)."""
    cells = {
        (row.learner_id, row.clause): (row.mastery, row.evidence)
        for row in report.mastery.itertuples(index=False)
    }
    seen = report.mastery[report.mastery["evidence"] >= 1.0]
    average = seen.groupby("clause")["mastery"].mean().to_dict()

    def cell(value: float | None, evidence: float) -> dict:
        shown = value if evidence >= 1.0 else None
        return {"value": shown, "evidence": evidence}

    rows = []
    for person in report.people.itertuples(index=False):
        row = [cell(*cells.get((person.learner_id, c), (None, 0.0))) for c in report.clauses]
        rows.append({"id": person.learner_id, "name": person.name, "cells": row})
    team_row = [cell(average.get(c), 1.0 if c in average else 0.0) for c in report.clauses]
    return {"rows": rows, "team": team_row}


def _trend_chart(trend: pd.DataFrame, now: datetime, column: str = "mean_p_pass"):
    """Line chart of a per-week value over the last weeks (gaps where nothing is known)."""
    values = dict(zip(trend["week_end"], trend[column], strict=True)) if len(trend) else {}
    series = []
    for moment in tr.week_ends(now):
        stamp = pd.Timestamp(moment).tz_convert("UTC")
        series.append((day_month(stamp.date()), values.get(stamp)))  # weeks end in UTC
    return line_chart(series, threshold=tr.READY_AT)


@bp.get("/teams/<int:team_id>")
@role_required(*MANAGERS)
def team(team_id: int):
    """Managers: the team's readiness dashboard for a scheme."""
    scheme = _chosen_scheme(team_id)
    return _dashboard(team_id, scheme, DrillForm(formdata=None, scheme=scheme.code))


def _dashboard(
    team_id: int, scheme: Scheme, form: DrillForm, refused: dict[str, Any] | None = None
) -> str:
    """The dashboard; `refused` says why a drill was not assigned, and what could be."""
    team = teams.get_team(current_user, team_id)
    now = utcnow()
    report = tr.team_report(team_id, scheme, now)
    titles = bank_queries.clause_titles("2018")
    return render_template(
        "manager/dashboard.html",
        team=team,
        scheme=scheme,
        schemes=overview.schemes(),
        report=report,
        rows=report.table.to_dict("records"),
        sections=sections_of(scheme.exam_blueprint),
        heatmap=_heatmap(report),
        titles=titles,
        trend=_trend_chart(report.team_trend, now),
        drills=drill_views.team_drills(team_id, report.people["learner_id"].tolist()),
        drill_form=form,
        drill_sizes=teams.DRILL_SIZES,
        refused=refused,
        ready_at=tr.READY_AT,
        now=now,
    )


@bp.get("/teams/<int:team_id>/learners/<int:user_id>")
@role_required(*MANAGERS)
def learner(team_id: int, user_id: int):
    """Managers: one member's readiness per scheme, trend, clause mastery and attempts."""
    team = teams.get_team(current_user, team_id)
    person = teams.get_member(current_user, team_id, user_id)
    scheme = _chosen_scheme(team_id)
    now = utcnow()
    drilldown = learner_drilldown(team_id, user_id, scheme, now)
    return render_template(
        "manager/learner.html",
        team=team,
        person=person,
        scheme=scheme,
        schemes=drilldown.schemes,
        forecasts=drilldown.forecasts,
        trend=_trend_chart(drilldown.trend, now, "p_pass"),
        mastery=drilldown.mastery,
        titles=drilldown.titles,
        attempts=drilldown.attempts,
        reference=evidence_views.reference,
        drills=drilldown.drills,
    )


@bp.post("/teams/<int:team_id>/drills")
@role_required(*MANAGERS)
def assign_drill(team_id: int):
    """Managers: ask the team's members to drill a clause.

    A drill refused (a bad form, a duplicate, or more questions than the bank holds on the
    clause) shows the dashboard again with the form as posted and why, and writes nothing.
    """
    form = DrillForm()
    scheme = form.scheme.data or ""
    if not form.validate_on_submit():
        problems = "; ".join(f"{form[k].label.text}: {v[0]}" for k, v in form.errors.items())
        return _refused(team_id, form, _("The drill was not assigned: %(p)s", p=problems), 400)
    try:
        drill = teams.assign_drill(
            current_user,
            team_id,
            scheme,
            form.clause.data or "",
            form.questions.data or 10,
            form.note.data or "",
            form.due_on.data,
            form.due_time.data,
        )
    except teams.ShortBankForDrill as short:
        offer = short.available if short.can_offer else None
        return _refused(team_id, form, short.message, short.status, offer)
    except (InvalidInput, Conflict) as err:
        return _refused(team_id, form, err.message, err.status)
    flash(
        _("Drill on clause %(c)s assigned: it is on your members' home pages.", c=drill.clause),
        "success",
    )
    return redirect(url_for("manager.team", team_id=team_id, scheme=scheme) + "#drills")


def _refused(
    team_id: int, form: DrillForm, message: str, status: int, offer: int | None = None
) -> tuple[str, int]:
    """The dashboard again, for the posted scheme, saying why the drill was refused."""
    teams.get_team(current_user, team_id)  # strangers learn nothing from a refusal
    scheme = next((s for s in overview.schemes() if s.code == form.scheme.data), None)
    scheme = scheme or _chosen_scheme(team_id)
    form.scheme.data = scheme.code
    refused = {"message": message, "offer": offer, "clause": (form.clause.data or "").strip()}
    return _dashboard(team_id, scheme, form, refused), status


@bp.post("/drills/<int:drill_id>/withdraw")
@role_required(*MANAGERS)
def withdraw_drill(drill_id: int):
    """Managers: withdraw a drill assignment."""
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    team_id = teams.withdraw_drill(current_user, drill_id)
    flash(_("Drill withdrawn."), "success")
    return redirect(url_for("manager.team", team_id=team_id) + "#drills")


@bp.get("/teams/<int:team_id>/export/<name>.<fmt>")
@role_required(*MANAGERS)
def export(team_id: int, name: str, fmt: str):
    """Managers: one dashboard table (or `all` of them) as CSV, XLSX or JSON."""
    team = teams.get_team(current_user, team_id)
    scheme = _chosen_scheme(team_id)
    tables = team_tables.dashboard_tables(team_id, scheme, utcnow())
    if name != "all" and name not in tables:
        abort(404)
    if name == "all" and fmt == "csv":
        abort(404)  # one CSV file holds one table
    chosen = tables if name == "all" else {name: tables[name]}
    return download(chosen, f"{slugify(team.name, 'team')}-{scheme.code}-{name}", fmt)


@bp.get("/teams/<int:team_id>/evidence")
@role_required(*MANAGERS)
def evidence(team_id: int):
    """Managers: the printable competence evidence pack (clause 7.2)."""
    team = teams.get_team(current_user, team_id)
    now = utcnow()
    tables = team_tables.evidence_tables(team_id, now)
    return render_template(
        "manager/evidence.html",
        team=team,
        now=now,
        competence=tables["competence"].to_dict("records"),
        attempts=tables["mock exams"].to_dict("records"),
        managers=[
            name for _id, name, _e, role in overview.team_people(team_id) if role == "manager"
        ],
    )


@bp.get("/teams/<int:team_id>/evidence.<fmt>")
@role_required(*MANAGERS)
def evidence_export(team_id: int, fmt: str):
    """Managers: the evidence pack as XLSX (two sheets and an about sheet) or JSON."""
    team = teams.get_team(current_user, team_id)
    if fmt not in ("xlsx", "json"):
        abort(404)
    now = utcnow()
    tables = team_tables.evidence_tables(team_id, now)
    about = pd.DataFrame(
        {
            "item": [
                "Team",
                f"Generated at ({reader_zone_name()})",
                "Generated by",
                "What this is",
                "References",
            ],
            "value": [
                team.name,
                when(now),
                current_user.display_name,
                _(
                    "Evidence of competence (ISO/IEC 20000-1, clause 7.2) from Clausewise mock "
                    "exams: who passed which qualification scheme's mock, when, with which score."
                ),
                _("CW-A followed by a number is a Clausewise attempt; trainers can open it."),
            ],
        }
    )
    shares = ("first_pass_score", "best_score", "latest_score", "score", "pass_mark")
    percent = {sheet: dict.fromkeys(shares, "0.0%") for sheet in tables}
    return download(
        {"about": about, **tables},
        f"{slugify(team.name, 'team')}-competence-evidence",
        fmt,
        percent,
    )
