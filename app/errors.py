"""Domain exceptions raised by services, and the handlers that turn them into responses."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import login_manager

log = logging.getLogger(__name__)


class DomainError(Exception):
    """Base of errors a person can cause; the message is safe to show them."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    """The request is malformed or breaks a rule; nothing was changed."""

    status = 400


class Unauthenticated(DomainError):
    """The request carries no valid credentials."""

    status = 401


class PermissionDenied(DomainError):
    """The acting user may not do this."""

    status = 403


class NotFound(DomainError):
    """The thing does not exist, or the acting user may not know that it does."""

    status = 404


class Conflict(DomainError):
    """The request clashes with the current state (a duplicate, a closed attempt…)."""

    status = 409


def _wants_json() -> bool:
    """API paths and JSON clients get JSON errors; browsers get pages."""
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _respond(status: int, title: str, message: str):
    """Render one error as JSON or as a page in the app's own look."""
    if _wants_json():
        return jsonify(error={"status": status, "title": title, "message": message}), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _titles() -> dict[int, str]:
    """Human titles of the HTTP errors we render ourselves."""
    return {
        400: _("Bad request"),
        401: _("Sign in required"),
        403: _("Not allowed"),
        404: _("Page not found"),
        405: _("Method not allowed"),
        409: _("Conflict"),
        413: _("File too large"),
        429: _("Too many requests"),
        500: _("Something went wrong"),
    }


def register_error_handlers(app: Flask) -> None:
    """Install handlers for domain errors, HTTP errors, CSRF failures and crashes."""

    @app.errorhandler(DomainError)
    def domain_error(err: DomainError):
        return _respond(err.status, _titles().get(err.status, _("Error")), err.message)

    @app.errorhandler(CSRFError)
    def csrf_error(err: CSRFError):
        message = _(
            "The form expired or was not sent from this site. Reload the page and try again."
        )
        return _respond(400, _("Form expired"), message)

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        status = err.code or 500
        if status == 401 and not _wants_json():
            return login_manager.unauthorized()
        return _respond(status, _titles().get(status, err.name), err.description or "")

    @app.errorhandler(Exception)
    def crash(err: Exception):
        return crash_response(err)


def crash_response(err: Exception):
    """Log an error we caused, with its traceback, and answer 500 with no details."""
    log.error("unhandled error on %s %s", request.method, request.path, exc_info=err)
    message = _("The error has been logged. Please try again in a moment.")
    return _respond(500, _titles()[500], message)


def error_response(status: int, title: str, message: str):
    """One error as JSON (under /api/) or as a page, for handlers installed elsewhere."""
    return _respond(status, title, message)
