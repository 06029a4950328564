"""Forms of the learner's pages, and reading an answer from a posted form."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, NumberRange, Optional

from app.errors import InvalidInput
from app.models import AttemptMode

MODE_CHOICES = [
    SelectChoice(AttemptMode.MOCK, _l("Mock exam — timed, results at the end")),
    SelectChoice(AttemptMode.PRACTICE, _l("Practice — see the answer after each question")),
    SelectChoice(AttemptMode.DRILL, _l("Clause drill — weighted to your weakest clauses")),
    SelectChoice(AttemptMode.REVIEW, _l("Review — questions you missed or that are due")),
]
LAYOUT_CHOICES = [
    SelectChoice("single", _l("One question per page")),
    SelectChoice("all", _l("All questions on one page")),
]


class StartForm(FlaskForm):
    """Start an attempt at a scheme."""

    scheme = HiddenField(validators=[DataRequired()])
    mode = SelectField(_l("Mode"), choices=MODE_CHOICES, default=AttemptMode.MOCK)
    count = IntegerField(
        _l("Number of questions (practice, drill, review)"),
        default=20,
        validators=[Optional(), NumberRange(min=1, max=100)],
    )
    clauses = StringField(_l("Clauses (practice), e.g. 8.5, 8.6.1"), validators=[Optional()])
    layout = SelectField(_l("Layout"), choices=LAYOUT_CHOICES, default="single")
    cbm = BooleanField(_l("Rate my confidence (certainty-based marking)"))


class ActionForm(FlaskForm):
    """A bare CSRF-protected button (flag, submit, check)."""


def raw_response(kind: str, form: MultiDict) -> Any:
    """The learner's answer as posted by the answer form of a question type."""
    if kind == "multiple_response":
        return form.getlist("response")
    if kind == "matching":
        return {
            name.removeprefix("match-"): value
            for name, value in form.items()
            if name.startswith("match-") and value
        }
    if kind == "ordering":
        return ranked_steps(form)
    return form.get("response")


def ranked_steps(form: MultiDict) -> list[str] | None:
    """Step ids in the order of the ranks typed for them; None when every rank is blank.

    A ranking is only an answer when it numbers every step 1…n, each number once: a
    partial or repeated ranking is refused, never completed or reordered for the learner.
    """
    ranks = {
        name.removeprefix("rank-"): value.strip()
        for name, value in form.items()
        if name.startswith("rank-")
    }
    if not any(ranks.values()):
        return None
    n = len(ranks)
    numbers = {step: whole for step, rank in ranks.items() if (whole := _whole(rank)) is not None}
    if len(numbers) < n:
        raise InvalidInput(_("Give every step a number from 1 to %(n)d.", n=n))
    if sorted(numbers.values()) != list(range(1, n + 1)):
        raise InvalidInput(_("Use each number from 1 to %(n)d once.", n=n))
    return sorted(numbers, key=numbers.__getitem__)


def _whole(text: str) -> int | None:
    """A typed whole number (any script's digits), or None."""
    try:
        return int(text)
    except ValueError:
        return None


def confidence(form: MultiDict) -> int | None:
    """The optional confidence rating (1, 2 or 3) posted with an answer."""
    value = form.get("confidence", "")
    return int(value) if value in ("1", "2", "3") else None
