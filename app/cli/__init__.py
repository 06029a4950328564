"""Flask command groups; each command is a thin wrapper over a service."""

from flask import Flask


def register(app: Flask) -> None:
    """Add every command group to the app's CLI."""
    from app.cli.attempts import attempts_cli
    from app.cli.banks import banks_cli
    from app.cli.demo import demo_cli
    from app.cli.jobs import jobs_cli
    from app.cli.readiness import readiness_cli
    from app.cli.reports import reports_cli
    from app.cli.setup import reference_cli, setup_command
    from app.cli.users import users_cli

    app.cli.add_command(setup_command)
    app.cli.add_command(reference_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(banks_cli)
    app.cli.add_command(attempts_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(reports_cli)
    app.cli.add_command(readiness_cli)
    app.cli.add_command(jobs_cli)
