"""`flask users …`: create and list accounts from the command line."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from app.errors import DomainError
from app.models import SYSTEM, Role
from app.services import users


def _read_password(from_stdin: bool) -> str:
    """The password from standard input (piped) or an interactive hidden prompt."""
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.group("users")
def users_cli() -> None:
    """Manage accounts."""


@users_cli.command("create")
@click.option("--email", required=True, help="E-mail address (unique, any case).")
@click.option("--name", required=True, help="Display name.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice([r.value for r in Role]),
    help="A role; repeat for several.",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create(email: str, name: str, roles: tuple[str, ...], password_stdin: bool) -> None:
    """Create an account; the password is read from stdin, never from the command line."""
    password = _read_password(password_stdin)
    try:
        user = users.create_user(SYSTEM, email, name, password, {Role(r) for r in roles})
    except DomainError as err:
        raise click.ClickException(err.message) from err
    click.echo(f"Created {user.email} ({', '.join(sorted(roles))}).")


@users_cli.command("list")
@with_appcontext
def list_accounts() -> None:
    """List every account with its roles and state."""
    for user in users.list_users(SYSTEM):
        state = "active" if user.active else "deactivated"
        roles = ",".join(sorted(r.value for r in user.roles))
        click.echo(f"{user.id:5}  {user.email:32}  {roles:28}  {state}")


@users_cli.command("set-password")
@click.option("--email", required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def set_password(email: str, password_stdin: bool) -> None:
    """Set an account's password (for operators who lost the demo passwords)."""
    user = users.find_by_email(email)
    if user is None:
        raise click.ClickException(f"No account with e-mail {email}.")
    try:
        revoked = users.set_password(SYSTEM, user.id, _read_password(password_stdin))
    except DomainError as err:
        raise click.ClickException(err.message) from err
    revoked_note = f"; {revoked} API token{'s' if revoked != 1 else ''} revoked" if revoked else ""
    click.echo(
        f"Password set for {user.email}; every session of theirs has been signed out{revoked_note}."
    )


@users_cli.command("token")
@click.option("--email", required=True)
@click.option("--name", default="command line", help="A label to recognise the token by.")
@with_appcontext
def create_token(email: str, name: str) -> None:
    """Create an API bearer token for an account and print it once."""
    from app.services import tokens

    user = users.find_by_email(email)
    if user is None:
        raise click.ClickException(f"No account with e-mail {email}.")
    _token, plain = tokens.create_token(user, name)
    click.echo(plain)
