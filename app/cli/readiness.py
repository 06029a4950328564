"""`flask readiness rebuild`: learn the readiness calibration and rebuild the kept sums."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from app.extensions import db
from app.models import SYSTEM, ReadinessSum
from app.services import readiness_results, readiness_sums


@click.group("readiness")
def readiness_cli() -> None:
    """The readiness model's kept sums."""


@readiness_cli.command("rebuild")
@with_appcontext
def rebuild_command() -> None:
    """Learn the calibration, rebuild every learner's sums and recompute every kept result
    (safe to repeat; hourly in production keeps the calibration current)."""
    started = time.perf_counter()
    basis = readiness_sums.rebuild(SYSTEM)
    rows = db.session.scalar(select(func.count()).select_from(ReadinessSum)) or 0
    half_life = "none" if basis.half_life_days is None else f"{basis.half_life_days:g} days"
    click.echo(
        f"Readiness sums rebuilt: {rows} rows, half-life {half_life}, repeat weight "
        f"{basis.repeat_weight:g}, in {time.perf_counter() - started:.1f} s."
    )
    _refresh()


@readiness_cli.command("refresh")
@with_appcontext
def refresh_command() -> None:
    """Recompute the kept readiness results that no longer hold (answers changed since, a
    new day, a new basis); every few minutes in production."""
    _refresh()


def _refresh() -> None:
    started = time.perf_counter()
    done = readiness_results.refresh(SYSTEM)
    if not done.schemes:
        click.echo(
            "Readiness results are not kept yet: no scheme's calibration has a population "
            "(too few learners answered lately, or no rebuild yet); pages compute readiness."
        )
        return
    click.echo(
        f"Readiness results refreshed: {done.recomputed} of {done.learners} learners "
        f"recomputed, {done.rows} rows, in {time.perf_counter() - started:.1f} s."
    )
