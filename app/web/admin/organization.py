"""The organization page for admins: readiness of every team for every scheme, filtered,
with its exports. (There is no HR role yet: people who need this page are admins.)"""

from __future__ import annotations

from typing import Any

import pandas as pd
from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from app.analytics import organization as org
from app.analytics import team_readiness as tr
from app.formats.tables import FORMATS
from app.models import Role
from app.models.base import utcnow
from app.security import role_required
from app.services import jobs, long_jobs
from app.web import job_pages
from app.web.admin.organization_charts import histogram, sparkline
from app.web.admin.routes import bp
from app.web.exports import download
from app.web.ids import parse_id

SHOWN_ROWS = 12  # team rows on the page before "show all"
EXPORTS = ("teams", "histogram", "all")


def _filters() -> dict[str, Any]:
    """The page's filters from the query string; an unknown scheme or status is a 404,
    a malformed team id a 400."""
    scheme = request.args.get("scheme") or None
    if scheme is not None and scheme not in {s.code for s in org.forecast_schemes()}:
        abort(404)
    status = request.args.get("status") or None
    if status is not None and status not in tr.STATUSES:
        abort(404)
    teams = [parse_id(v, "team") for v in request.args.getlist("team") if v.strip()]
    search = (request.args.get("q") or "").strip()[:100] or None
    return {"scheme_code": scheme, "team_ids": teams or None, "status": status, "search": search}


@bp.get("/organization")
@role_required(Role.ADMIN)
def organization():
    """Admins: readiness of every team and scheme: distributions, trends, worst teams first."""
    filters = _filters()
    report = org.organization_report(utcnow(), **filters)
    rows = report.teams.to_dict("records")
    if request.args.get("rows") == "all" or filters["status"] == "insufficient":
        shown, blind = rows, 0
    else:  # the worst rows with a forecast; rows where nobody has one wait for "show all"
        shown = [r for r in rows if r["forecast"]][:SHOWN_ROWS]
        blind = sum(1 for r in rows if not r["forecast"])
    return render_template(
        "admin/organization.html",
        report=report,
        filters=filters,
        schemes=org.forecast_schemes(),
        rows=shown,
        hidden=len(rows) - len(shown) - blind,
        blind=blind,
        histograms={
            s.scheme.code: histogram(s.histogram, s.counts["insufficient"]) for s in report.schemes
        },
        sparklines={s.scheme.code: sparkline(s.trend["share_ready"]) for s in report.schemes},
        statuses=tr.STATUSES,
        thresholds={"ready": tr.READY_AT, "on_track": tr.ON_TRACK_AT, "rising": tr.RISING},
        query={k: v for k, v in request.args.lists() if k != "rows"},
    )


@bp.get("/organization/<name>.<fmt>")
@role_required(Role.ADMIN)
def organization_export(name: str, fmt: str):
    """Admins: the team table, the histograms, or both (XLSX, JSON) as a download, with
    the page's filters."""
    if name not in EXPORTS or fmt not in FORMATS or (name == "all" and fmt == "csv"):
        abort(404)  # one CSV file holds one table
    if jobs.queue_configured():  # offer to prepare it in the background
        _filters()  # a bad filter is refused here, not in the worker
        return render_template("admin/export_start.html", name=name, fmt=fmt, form=FlaskForm())
    report = org.organization_report(utcnow(), **_filters())
    tables: dict[str, pd.DataFrame] = {
        "teams": report.teams,
        "histogram": org.histogram_table(report),
    }
    chosen = tables if name == "all" else {name: tables[name]}
    scheme = request.args.get("scheme") or "all-schemes"
    return download(chosen, f"organization-readiness-{scheme}-{name}", fmt)


@bp.post("/organization/<name>.<fmt>")
@role_required(Role.ADMIN)
def organization_export_job(name: str, fmt: str):
    """Admins: prepare the organization export (with the page's filters) in the background."""
    if name not in EXPORTS or fmt not in FORMATS or (name == "all" and fmt == "csv"):
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    scheme = request.args.get("scheme") or "all-schemes"
    basename = f"organization-readiness-{scheme}-{name}"
    job = long_jobs.start_organization_export(current_user, name, fmt, _filters(), basename)
    return redirect(url_for("admin.export_job_page", public_id=job.public_id))


@bp.get("/exports/<public_id>")
@role_required(Role.ADMIN)
def export_job_page(public_id: str):
    """Admins: their export job, with its progress and, at the end, its download."""
    found = job_pages.outcome(public_id)
    return render_template(
        "admin/export_job.html",
        found=found,
        job=found.job,
        running=long_jobs.is_running(found.job),
        message=job_pages.state_message(found.job),
        status_url=url_for("admin.export_job_status", public_id=public_id),
    )


@bp.get("/exports/<public_id>/status")
@role_required(Role.ADMIN)
def export_job_status(public_id: str):
    """Admins: how far their export job is (JSON, polled by its page)."""
    return job_pages.status(public_id)


@bp.get("/exports/<public_id>/download")
@role_required(Role.ADMIN)
def export_job_download(public_id: str):
    """Admins: the file their export job made."""
    return job_pages.download(public_id)
