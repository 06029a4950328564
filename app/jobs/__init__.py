"""The background tasks: thin functions, each calling one service or one integration,
registered by name with `app.services.jobs.task` and safe to run twice.

Importing this package registers them all; the app factory does, so the web processes
(which enqueue) and the workers (which run) know the same names.
"""

from app.jobs import banks, lti, mail, organization, xapi  # noqa: F401
