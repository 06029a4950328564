"""What every request gets whatever blueprint serves it: bounded ids, security headers
(with the class helpers that let pages draw bars without inline styles), and clean
answers when the database refuses a number or cannot be reached."""

from __future__ import annotations

from flask import Flask

from app.web.database_errors import install_database_error_handlers
from app.web.headers import install_security_headers
from app.web.ids import install_bounded_ids
from app.web.scales import install_scale_filters


def install_hardening(app: Flask) -> None:
    """Install the app-wide protections; must run before the blueprints are registered."""
    install_bounded_ids(app)
    install_security_headers(app)
    install_scale_filters(app)
    install_database_error_handlers(app)
