"""Background tasks: thin functions of JSON-able arguments, each calling one service or one
integration, safe to run twice. Importing this package registers them all."""

from app.jobs import mail  # noqa: F401
