"""`flask demo seed`: demo learners and their activity, through the real services."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.services.demo_seed import seed_demo

demo_cli = AppGroup("demo", help="Demo data for trying Clausewise out.")


@demo_cli.command("seed")
@click.option("--learners", default=12, show_default=True, type=click.IntRange(1, 5000))
@click.option("--days", default=28, show_default=True, type=click.IntRange(1, 730))
@click.option("--seed", "seed", default=7, show_default=True, type=int)
@click.option("--mocks", default=2, show_default=True, type=click.IntRange(0, 50))
def seed_command(learners: int, days: int, seed: int, mocks: int) -> None:
    """Create demo learners who sit mocks and practice sets (once; repeating does nothing)."""
    report = seed_demo(learners=learners, days=days, seed=seed, mocks=mocks)
    if report.skipped:
        click.echo("Demo activity already exists; nothing was added.")
        return
    click.echo(
        f"Demo activity: {report.learners} learners, {report.attempts} attempts, "
        f"{report.answers} answers over {days} days."
    )
