"""`flask reports readiness`: a team's readiness as CSV, XLSX or JSON, for scripts and HR."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import pandas as pd
from flask.cli import with_appcontext
from sqlalchemy import func, select

from app.analytics import overview, team_tables
from app.analytics import team_readiness as tr
from app.extensions import db
from app.formats.tables import table_bytes
from app.messages import render_cells
from app.models import Team
from app.models.base import utcnow


@click.group("reports")
def reports_cli() -> None:
    """Reports for managers and auditors."""


def _team(value: str) -> Team:
    """A team by id or by name (case-insensitive)."""
    team = db.session.get(Team, int(value)) if value.isdigit() else None
    if team is None:
        team = db.session.scalars(
            select(Team).where(func.lower(Team.name) == value.lower())
        ).first()
    if team is None:
        raise click.BadParameter(f"no team with id or name {value!r}", param_hint="--team")
    return team


@reports_cli.command("readiness")
@click.option("--team", "team_ref", required=True, help="Team id or name.")
@click.option("--scheme", help="Scheme code (default: the schemes the team's targets name).")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), default="csv", show_default=True
)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write.")
@with_appcontext
def readiness_command(team_ref: str, scheme: str | None, fmt: str, output: Path | None) -> None:
    """One row per member and scheme: status, pass probability with its range, trend."""
    team = _team(team_ref)
    active = {s.code: s for s in overview.schemes()}
    if scheme is not None and scheme not in active:
        known = ", ".join(active)
        raise click.BadParameter(
            f"unknown scheme {scheme!r}; use one of {known}", param_hint="--scheme"
        )
    chosen = [active[scheme]] if scheme else (tr.target_schemes(team.id) or list(active.values()))
    if fmt == "xlsx" and output is None:
        raise click.UsageError("XLSX is binary: give --output FILE.")
    now = utcnow()
    if fmt == "json":
        document = team_tables.readiness_document(team, chosen, now, render_cells)
        data = (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode()
        members = len(document["schemes"][chosen[0].code]["members"])
    else:
        tables, _targets = team_tables.scheme_tables(team.id, chosen, now)
        tables = {s.code: render_cells(tables[s.code].drop(columns=["learner_id"])) for s in chosen}
        members = len(next(iter(tables.values())))
        if fmt == "csv":
            parts = [t.assign(scheme=code) for code, t in tables.items()]
            long = pd.concat(parts, ignore_index=True)
            data = table_bytes({"readiness": long[["scheme", *long.columns.drop("scheme")]]}, "csv")
        else:
            data = table_bytes(tables, "xlsx")
    if output is None:
        sys.stdout.buffer.write(data)
        return
    output.write_bytes(data)
    click.echo(f"Wrote {output} ({members} members, {len(chosen)} scheme(s)).", err=True)
