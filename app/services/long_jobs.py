"""Long imports and exports as background jobs (when a queue is configured): the person
who starts one follows its progress on a page and gets its report or its file there.

Each start checks the person's right here, as the inline route would; the task (in
app/jobs/) checks again when it runs, since roles may change in between.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app import formats
from app.domain.records import Location, Problem
from app.errors import NotFound, PermissionDenied
from app.extensions import db
from app.messages import render
from app.models import Bank, Job, JobFile, JobState, Role, User
from app.services import jobs
from app.services.bank_import import FileReport, ImportOptions, ImportReport, may_import

IMPORT, BANK_EXPORT, ORGANIZATION_EXPORT = "banks.import", "banks.export", "organization.export"


def start_import(actor: User, files: list[tuple[str, bytes]], options: ImportOptions) -> Job:
    """Queue an import (or its dry run, per `options.dry_run`) of uploaded files."""
    may_import(actor)
    return jobs.store(IMPORT, {"actor_id": actor.id, "options": asdict(options)}, actor, files)


def start_confirmed_import(actor: User, dry_run_id: str) -> Job:
    """Queue the import of the files of the actor's own clean dry run, with the options
    that dry run checked."""
    may_import(actor)
    dry_run = db.session.scalar(select(Job).where(Job.public_id == dry_run_id))
    clean = dry_run is not None and dry_run.result.get("report", {}).get("ok")
    if dry_run is None or dry_run.owner_id != actor.id or dry_run.name != IMPORT or not clean:
        raise NotFound(_("That upload has expired; upload the file again."))
    files = db.session.execute(
        select(JobFile.name, JobFile.data)
        .where(JobFile.job_id == dry_run.id, JobFile.role == "input")
        .order_by(JobFile.id)
    ).all()
    if not files:
        raise NotFound(_("That upload has expired; upload the file again."))
    options = ImportOptions(**{**dry_run.kwargs["options"], "dry_run": False})
    return start_import(actor, [(name, data) for name, data in files], options)


def start_bank_export(actor: User, code: str, fmt: str, filename: str, media_type: str) -> Job:
    """Queue the export of a bank in a format, saved as `filename`."""
    if not actor.has_any_role(Role.TRAINER, Role.ADMIN):
        raise PermissionDenied(_("Only trainers and administrators may export question banks."))
    if (
        fmt not in formats.FORMATS
        or db.session.scalar(select(Bank.id).where(Bank.code == code)) is None
    ):
        raise NotFound(_("There is no such bank or format."))
    kwargs = {"actor_id": actor.id, "code": code, "fmt": fmt}
    return jobs.store(
        BANK_EXPORT, {**kwargs, "filename": filename, "media_type": media_type}, actor
    )


def start_organization_export(
    actor: User, name: str, fmt: str, filters: dict[str, Any], basename: str
) -> Job:
    """Queue the organization readiness export (its tables, with the page's filters)."""
    if not actor.has_any_role(Role.ADMIN):
        raise PermissionDenied(_("Only administrators may export the organization's readiness."))
    kwargs = {"actor_id": actor.id, "name": name, "fmt": fmt, "filters": filters}
    return jobs.store(ORGANIZATION_EXPORT, {**kwargs, "basename": basename}, actor)


def is_running(job: Job) -> bool:
    """Whether the job has still to finish (queued, running or waiting to retry)."""
    return job.state not in (JobState.DONE, JobState.FAILED)


# An import report travels as JSON, its messages written in the owner's language.


def _problem(problem: Problem) -> dict[str, Any]:
    return {
        "location": asdict(problem.location),
        "message": render(problem.message),
        "severity": problem.severity,
    }


def report_to_json(report: ImportReport) -> dict[str, Any]:
    """The report as JSON (messages rendered now, in the current locale)."""
    files = []
    for f in report.files:
        data = asdict(f)
        data["problems"] = [_problem(p) for p in f.problems]
        data["skipped"] = [_problem(p) for p in f.skipped]
        files.append(data)
    return {"files": files, "dry_run": report.dry_run, "written": report.written, "ok": report.ok}


def _problem_from(data: dict[str, Any]) -> Problem:
    return Problem(Location(**data["location"]), data["message"], data["severity"])


def report_from_json(data: dict[str, Any]) -> ImportReport:
    """The report back as the dataclasses the import page renders."""
    files = []
    for f in data["files"]:
        fields = {k: v for k, v in f.items() if k not in ("problems", "skipped", "bank_changes")}
        report = FileReport(**fields)
        report.bank_changes = [(a, b, c) for a, b, c in f["bank_changes"]]
        report.problems = [_problem_from(p) for p in f["problems"]]
        report.skipped = [_problem_from(p) for p in f["skipped"]]
        files.append(report)
    return ImportReport(files, data["dry_run"], data["written"])
