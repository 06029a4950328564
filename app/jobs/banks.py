"""Long bank imports and exports, run by a worker for the trainer who waits for them
(see app/services/long_jobs.py, which starts them)."""

from __future__ import annotations

from flask_babel import gettext as _

from app import formats
from app.errors import DomainError, PermissionDenied
from app.extensions import db
from app.models import User
from app.queries import banks as bank_queries
from app.services import bank_import, job_runner, long_jobs
from app.services.jobs import task


def _running() -> job_runner.RunningJob:
    running = job_runner.current()
    if running is None:
        raise RuntimeError("this task runs only in a job worker")
    return running


@task(long_jobs.IMPORT)
def import_banks(actor_id: int, options: dict) -> None:
    """Import (or dry-run) the job's files; the report is the job's result. Running it
    twice is harmless: a second import of the same files changes nothing."""
    running = _running()
    actor = db.session.get(User, actor_id)
    try:
        if actor is None or not actor.active:
            raise PermissionDenied(_("This account can no longer import."))
        report = bank_import.import_files(
            actor,
            running.input_files(),
            bank_import.ImportOptions(**options),
            progress=running.progress,
        )
    except DomainError as refused:  # a person's mistake or right: report it, never retry
        db.session.rollback()
        running.set_result({"error": refused.message})
        return
    running.set_result({"report": long_jobs.report_to_json(report)})


@task(long_jobs.BANK_EXPORT)
def export_bank(actor_id: int, code: str, fmt: str, filename: str, media_type: str) -> None:
    """Write a bank in a format and keep the file for its download."""
    running = _running()
    running.progress(0, 3, _("Reading the bank %(bank)s", bank=code))
    record = bank_queries.bank_record(code)
    if record is None:
        running.set_result({"error": _("The bank %(bank)s no longer exists.", bank=code)})
        return
    running.progress(1, 3, _("Writing the file (%(format)s)", format=fmt))
    result = formats.write_bank(record, fmt)
    running.progress(2, 3, _("Saving the file"))
    data = result.data.encode() if isinstance(result.data, str) else result.data
    running.save_output(filename, media_type, data)
    running.progress(3, 3, _("Done"))
    running.set_result({"skipped": len(result.skipped), "warnings": len(result.warnings)})
