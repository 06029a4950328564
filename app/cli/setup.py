"""`flask setup` (migrations, reference data, demo accounts) and `flask reference load`."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from app.messages import render_problem
from app.models import SYSTEM
from app.services.bank_import import ImportOptions, import_files
from app.services.demo import ensure_demo_accounts
from app.services.reference import load_reference_data


def _banks_root() -> Path:
    """The question_banks folder the app is configured with."""
    return Path(current_app.config["QUESTION_BANKS_DIR"])


def _credentials_file() -> Path:
    """Where the one-time demo passwords are kept for the operator (instance/, not in git)."""
    return Path(current_app.instance_path) / "demo-accounts.txt"


def _report_demo_accounts() -> None:
    """Create missing demo accounts and print their passwords this once."""
    created = ensure_demo_accounts()
    path = _credentials_file()
    if created:
        lines = [f"{a.role.value:8}  {a.email:28}  {a.password}" for a in created]
        with path.open("a", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        os.chmod(path, 0o600)
        click.echo("Demo accounts created (role, e-mail, password) — shown once:")
        for line in lines:
            click.echo(f"  {line}")
        click.echo(f"(also kept in {path})")
    else:
        click.echo(f"Demo accounts already exist; their passwords are in {path}.")


@click.command("setup")
@with_appcontext
def setup_command() -> None:
    """Apply migrations, load reference data and create demo accounts (safe to repeat)."""
    Path(current_app.instance_path).mkdir(parents=True, exist_ok=True)
    upgrade()
    report = load_reference_data(_banks_root())
    click.echo(f"Reference data: {report} added.")
    _load_bundled_banks()
    _report_demo_accounts()


def _load_bundled_banks() -> None:
    """Import (or refresh) the bundled banks of question_banks/banks/, published."""
    paths = sorted((_banks_root() / "banks").glob("*.yaml"))
    files = [(str(p), p.read_bytes()) for p in paths]
    result = import_files(SYSTEM, files, ImportOptions(publish=True))
    if not result.ok:
        for problem in result.errors:
            click.echo(f"  {render_problem(problem)}", err=True)
        raise click.ClickException("The bundled banks did not import; nothing was written.")
    for f in result.files:
        click.echo(f"Bank {f.bank_code}: {f.created} new, {f.updated} changed, {f.unchanged} same.")


@click.group("reference")
def reference_cli() -> None:
    """Standards, clause mappings and qualification schemes."""


@reference_cli.command("load")
@with_appcontext
def reference_load() -> None:
    """Load clause trees, mappings and schemes from question_banks/."""
    report = load_reference_data(_banks_root())
    click.echo(f"Reference data: {report} added.")
