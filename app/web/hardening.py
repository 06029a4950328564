"""What every request gets whatever blueprint serves it: bounded ids, and clean answers
when the database refuses a number or cannot be reached."""

from __future__ import annotations

from flask import Flask

from app.web.database_errors import install_database_error_handlers
from app.web.ids import install_bounded_ids


def install_hardening(app: Flask) -> None:
    """Install the app-wide protections; must run before the blueprints are registered."""
    install_bounded_ids(app)
    install_database_error_handlers(app)
