"""What an attempt is called on the learner's pages: a mock by its scheme, practice and
drills by their clauses, a review as a review (a template filter: `attempt|attempt_name`)."""

from __future__ import annotations

from flask import Flask
from flask_babel import gettext as _
from flask_babel import ngettext

from app.localized import localized
from app.models import Attempt, AttemptMode


def attempt_name(attempt: Attempt) -> str:
    """The attempt's name in the reader's language."""
    scheme = localized(attempt.scheme, "title") if attempt.scheme else ""
    clauses = [str(c) for c in (attempt.settings or {}).get("clauses") or []]
    listed = ", ".join(clauses)
    mode = AttemptMode(attempt.mode)
    if mode == AttemptMode.MOCK:
        return scheme or _("Mock exam")
    if mode == AttemptMode.REVIEW:
        return _("Review of the questions due")
    settings = attempt.settings or {}
    if settings.get("retry_of") is not None:
        return _("Retry — the questions you missed")
    only = settings.get("only")
    if only:
        return _only_name(only, clauses, listed)
    if mode == AttemptMode.DRILL:
        if clauses:
            return ngettext("Drill — clause %(c)s", "Drill — clauses %(c)s", len(clauses), c=listed)
        return _("Drill")
    if clauses:
        return ngettext(
            "Practice — clause %(c)s", "Practice — clauses %(c)s", len(clauses), c=listed
        )
    return _("Practice — all clauses")


def _only_name(only: str, clauses: list[str], listed: str) -> str:
    """A practice set or drill of only the unseen, missed or flagged questions."""
    n = len(clauses)
    if only == "unseen":
        if clauses:
            return ngettext(
                "Practice — new questions on clause %(c)s",
                "Practice — new questions on clauses %(c)s",
                n,
                c=listed,
            )
        return _("Practice — questions you have not seen")
    if only == "missed":
        if clauses:
            return ngettext(
                "Practice — questions you missed on clause %(c)s",
                "Practice — questions you missed on clauses %(c)s",
                n,
                c=listed,
            )
        return _("Practice — questions you missed")
    if clauses:
        return ngettext(
            "Practice — questions you flagged on clause %(c)s",
            "Practice — questions you flagged on clauses %(c)s",
            n,
            c=listed,
        )
    return _("Practice — questions you flagged")


def install(app: Flask) -> None:
    """Register the template filter."""
    app.jinja_env.filters["attempt_name"] = attempt_name
