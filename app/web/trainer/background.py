"""Trainers' imports and exports run as background jobs (when a job queue is set): the
page that starts an export, and the job page that follows one to its report or file."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from app import formats
from app.models import Role
from app.security import role_required
from app.services import long_jobs
from app.web import job_pages
from app.web.trainer.forms import ConfirmImportForm
from app.web.trainer.routes import MIME, SUFFIX, bp


def export_start(code: str):
    """The page that offers to prepare a bank's export in the background."""
    fmt = request.args.get("format", "yaml")
    if fmt not in formats.FORMATS:
        abort(400)
    return render_template("trainer/export_start.html", code=code, fmt=fmt, form=FlaskForm())


@bp.post("/banks/<code>/export")
@role_required(Role.TRAINER, Role.ADMIN)
def export_bank_job(code: str):
    """Trainers: start preparing a bank's export (?format=…) in the background."""
    fmt = request.args.get("format", "yaml")
    if not FlaskForm().validate_on_submit() or fmt not in formats.FORMATS:
        abort(400)
    filename = f"{code}.{SUFFIX.get(fmt, fmt)}"
    job = long_jobs.start_bank_export(current_user, code, fmt, filename, MIME[fmt])
    return redirect(url_for("trainer.job_page", public_id=job.public_id))


def _confirm(found: job_pages.Outcome) -> ConfirmImportForm | None:
    """The "import now" form of a clean dry run: its options, and the job's files."""
    options = found.job.kwargs.get("options", {})
    report = found.job.result.get("report") or {}
    if not options.get("dry_run") or not report.get("ok"):
        return None
    after = "publish" if options["publish"] else "review" if options["review"] else "draft"
    return ConfirmImportForm(
        formdata=None,
        job=found.job.public_id,
        fmt=options["fmt"],
        bank_code=options["bank_code"] or "",
        clause=options["clause"] or "",
        level=options["level"] or "",
        skip_unsupported=str(options["skip_unsupported"]),
        skip_invalid=str(options["skip_invalid"]),
        after=after,
    )


@bp.get("/jobs/<public_id>")
@role_required(Role.TRAINER, Role.ADMIN)
def job_page(public_id: str):
    """Trainers: their import or export, with its progress and, at the end, its report
    or its download."""
    found = job_pages.outcome(public_id)
    report = found.job.result.get("report")
    return render_template(
        "trainer/job.html",
        found=found,
        job=found.job,
        running=long_jobs.is_running(found.job),
        message=job_pages.state_message(found.job),
        report=long_jobs.report_from_json(report) if report else None,
        confirm=_confirm(found),
        status_url=url_for("trainer.job_status", public_id=public_id),
    )


@bp.get("/jobs/<public_id>/status")
@role_required(Role.TRAINER, Role.ADMIN)
def job_status(public_id: str):
    """Trainers: how far their job is (JSON, polled by the job page)."""
    return job_pages.status(public_id)


@bp.get("/jobs/<public_id>/download")
@role_required(Role.TRAINER, Role.ADMIN)
def job_download(public_id: str):
    """Trainers: the file their export job made."""
    return job_pages.download(public_id)
