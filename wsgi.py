"""The one module-level application object, for `flask --app wsgi` and gunicorn."""

from app import create_app

app = create_app()
