"""`flask attempts …`: housekeeping of learners' attempts."""

import click
from flask.cli import with_appcontext

from app.services.answering import expire_overdue


@click.group("attempts")
def attempts_cli() -> None:
    """Learners' attempts."""


@attempts_cli.command("expire")
@with_appcontext
def expire() -> None:
    """Finalise every open attempt whose deadline has passed (safe to run from cron)."""
    click.echo(f"Finalised {expire_overdue()} overdue attempt(s).")
