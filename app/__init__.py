"""The Clausewise application factory: config → extensions → blueprints → cli → errors."""

from __future__ import annotations

import math
import sqlite3
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.config import load_config
from app.deployment import configure_deployment
from app.extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate
from app.integrations import oidc
from app.services import mail, readiness_sums
from app.web.hardening import install_hardening


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build a configured Flask application; `config` overrides the environment (tests)."""
    instance_path = (config or {}).get("INSTANCE_PATH")
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    configure(app, config)
    configure_deployment(app)
    init_extensions(app)
    install_hardening(app)  # bounded ids, security headers, database outages
    register_blueprints(app)
    register_cli(app)
    register_errors(app)
    register_template_context(app)
    readiness_sums.register()  # answers keep the readiness sums current as they are scored
    mail.register()  # letters go out when the transaction that wrote them commits
    register_tasks()
    return app


def configure(app: Flask, overrides: dict[str, Any] | None) -> None:
    """Load settings from the environment and make sure the instance folder exists."""
    app.config.from_mapping(load_config(app.instance_path, overrides))


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """WAL journal, enforced foreign keys and a busy timeout for SQLite connections."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        try:  # readiness sums recency weights in SQL; older SQLite builds lack math functions
            cursor.execute("SELECT exp(0.0), floor(0.5)")
        except sqlite3.OperationalError:
            dbapi_connection.create_function("exp", 1, math.exp, deterministic=True)
            dbapi_connection.create_function("floor", 1, math.floor, deterministic=True)
        cursor.close()


def init_extensions(app: Flask) -> None:
    """Bind every extension to the app and wire the user loaders."""
    from app import models  # noqa: F401  (register every table with the metadata)
    from app.web.auth.loaders import install_loaders
    from app.web.formatting import select_timezone
    from app.web.language import select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(_project_dir() / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    bootstrap.init_app(app)
    limiter.init_app(app)
    install_loaders(login_manager)
    oidc.install(app)  # one Authlib registry per app, for the issuers it is configured with


def _project_dir():
    """The repository root (where migrations/ and question_banks/ live)."""
    from pathlib import Path

    return Path(__file__).resolve().parent.parent


def register_blueprints(app: Flask) -> None:
    """Mount one blueprint per audience."""
    from app.web.admin.routes import bp as admin_bp
    from app.web.api.routes import bp as api_bp
    from app.web.assets.routes import bp as assets_bp
    from app.web.auth.routes import bp as auth_bp
    from app.web.learner.routes import bp as learner_bp
    from app.web.lti.routes import bp as lti_bp
    from app.web.manager.routes import bp as manager_bp
    from app.web.trainer.routes import bp as trainer_bp

    blueprints = (auth_bp, learner_bp, trainer_bp, manager_bp, admin_bp, api_bp, assets_bp, lti_bp)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    csrf.exempt(api_bp)  # the API authenticates by bearer token only, never by cookie


def register_tasks() -> None:
    """Register the background tasks (app/jobs) under their names."""
    import app.jobs  # noqa: F401


def register_cli(app: Flask) -> None:
    """Add the `flask` command groups."""
    from app.cli import register

    register(app)


def register_errors(app: Flask) -> None:
    """Error pages in the app's own look, JSON errors under /api/."""
    from app.errors import register_error_handlers
    from app.web.database_errors import guard_error_handlers

    register_error_handlers(app)
    guard_error_handlers(app)  # last: every handler so far answers an outage it meets with 503


def app_version() -> str:
    """The installed package version, shown in the footer."""
    try:
        return version("clausewise")
    except PackageNotFoundError:
        return "dev"


def register_template_context(app: Flask) -> None:
    """Values every template may use: the version and the role names."""
    from app import localized
    from app.domain.markdown import excerpt
    from app.messages import render as render_message
    from app.messages import render_location
    from app.models import Role, label
    from app.web import attempt_names, content_languages, labels, language
    from app.web.asset_links import md, md_inline
    from app.web.formatting import install_formatting_filters
    from app.web.probability import install_probability_filters
    from app.web.question_type_parts import install_templates

    install_templates(app)
    install_probability_filters(app)
    install_formatting_filters(app)
    localized.install(app)
    attempt_names.install(app)
    language.install(app)  # the page's lang tag and the language switcher
    content_languages.install(app)
    labels.install(app)  # question types and levels in the reader's words

    app.jinja_env.filters["md"] = md
    app.jinja_env.filters["md_inline"] = md_inline
    app.jinja_env.filters["excerpt"] = excerpt
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["message"] = render_message
    app.jinja_env.filters["location"] = render_location

    @app.context_processor
    def inject() -> dict[str, Any]:
        return {"app_version": app_version(), "Role": Role}
