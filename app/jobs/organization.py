"""The organization readiness export, run by a worker for the admin who waits for it."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from app.analytics import organization as org
from app.formats.tables import MIME, table_bytes
from app.messages import render_cells
from app.models.base import utcnow
from app.services import job_runner, long_jobs
from app.services.jobs import task


@task(long_jobs.ORGANIZATION_EXPORT)
def export_organization(
    actor_id: int, name: str, fmt: str, filters: dict[str, Any], basename: str
) -> None:
    """Build the readiness tables with the page's filters and keep the file."""
    running = job_runner.current()
    if running is None:
        raise RuntimeError("this task runs only in a job worker")
    running.progress(0, 2, _("Working out every team's readiness"))
    report = org.organization_report(utcnow(), **filters)
    tables = {"teams": report.teams, "histogram": org.histogram_table(report)}
    chosen = tables if name == "all" else {name: tables[name]}
    running.progress(1, 2, _("Writing the file"))
    spoken = {key: render_cells(table) for key, table in chosen.items()}
    running.save_output(f"{basename}.{fmt}", MIME[fmt], table_bytes(spoken, fmt))
    running.progress(2, 2, _("Done"))
    running.set_result({})
