"""What an attempt is called on the learner's pages: a mock by its scheme, practice and
drills by their clauses, a review as a review (a template filter: `attempt|attempt_name`)."""

from __future__ import annotations

from flask import Flask
from flask_babel import gettext as _
from flask_babel import ngettext

from app.models import Attempt, AttemptMode


def attempt_name(attempt: Attempt) -> str:
    """The attempt's name in the reader's language."""
    scheme = attempt.scheme.title if attempt.scheme else ""
    clauses = [str(c) for c in (attempt.settings or {}).get("clauses") or []]
    listed = ", ".join(clauses)
    mode = AttemptMode(attempt.mode)
    if mode == AttemptMode.MOCK:
        return scheme or _("Mock exam")
    if mode == AttemptMode.REVIEW:
        return _("Review of the questions due")
    if mode == AttemptMode.DRILL:
        if clauses:
            return ngettext("Drill — clause %(c)s", "Drill — clauses %(c)s", len(clauses), c=listed)
        return _("Drill")
    if clauses:
        return ngettext(
            "Practice — clause %(c)s", "Practice — clauses %(c)s", len(clauses), c=listed
        )
    return _("Practice — all clauses")


def install(app: Flask) -> None:
    """Register the template filter."""
    app.jinja_env.filters["attempt_name"] = attempt_name
