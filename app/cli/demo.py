"""`flask demo seed`: demo teams, learners and their activity, through the real services."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.services.demo_seed import seed_demo
from app.services.demo_teams import FIXED_MANAGER

demo_cli = AppGroup("demo", help="Demo data for trying Clausewise out.")


@demo_cli.command("seed")
@click.option("--learners", default=18, show_default=True, type=click.IntRange(1, 5000))
@click.option("--teams", default=3, show_default=True, type=click.IntRange(0, 50))
@click.option("--days", default=56, show_default=True, type=click.IntRange(1, 730))
@click.option("--seed", "seed", default=7, show_default=True, type=int)
@click.option("--mocks", default=2, show_default=True, type=click.IntRange(0, 50))
def seed_command(learners: int, teams: int, days: int, seed: int, mocks: int) -> None:
    """Create demo teams and learners who sit mocks and practice sets; repeating adds nothing."""
    report = seed_demo(learners=learners, teams=teams, days=days, seed=seed, mocks=mocks)
    if report.skipped:
        click.echo("Demo activity and teams already exist; nothing was added.")
        return
    if report.learners:
        click.echo(
            f"Demo activity: {report.learners} learners, {report.attempts} attempts, "
            f"{report.answers} answers over {days} days."
        )
    if report.teams:
        click.echo(
            f"Demo teams: {report.teams}, with {report.targets} targets; "
            f"new manager accounts: {report.managers}."
        )
    if report.fixed_manager_teams:
        click.echo(f"{FIXED_MANAGER} manages {report.fixed_manager_teams} of the teams.")
