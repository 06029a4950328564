"""Forms of the learner's pages, and reading an answer from a posted form."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not yet in its stubs
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from app.models import AttemptMode
from app.models.user import WEEKLY_GOAL_MOST
from app.web import question_type_parts
from app.web.ids import MAX_ID

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

ONLY_CHOICES = [
    SelectChoice("", _l("Any question")),
    SelectChoice("unseen", _l("Only questions I have not seen")),
    SelectChoice("missed", _l("Only questions I missed last time")),
    SelectChoice("flagged", _l("Only questions I flagged")),
]
FEEDBACK_CHOICES = [
    SelectChoice("each", _l("After each question (practice)")),
    SelectChoice("end", _l("At the end, like an exam")),
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
    only = SelectField(_l("Questions"), choices=ONLY_CHOICES, default="")
    feedback = SelectField(_l("Answers"), choices=FEEDBACK_CHOICES, default="each")
    retry = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
    # The exam language's tag (the page offers the scheme's); the service checks it.
    language = StringField(_l("Exam language"), validators=[Optional()])


class WeeklyGoalForm(FlaskForm):
    """The learner's weekly goal: questions to answer per week, 0 for none."""

    goal = IntegerField(
        _l("Weekly goal: questions per week (0 for none)"),
        validators=[InputRequired(), NumberRange(min=0, max=WEEKLY_GOAL_MOST)],
    )


class ActionForm(FlaskForm):
    """A bare CSRF-protected button (flag, submit, check)."""


def raw_response(kind: str, form: MultiDict) -> Any:
    """The learner's answer as posted by the answer form of a question type."""
    return question_type_parts.hooks(kind).read_answer(form)


def confidence(form: MultiDict) -> int | None:
    """The optional confidence rating (1, 2 or 3) posted with an answer."""
    value = form.get("confidence", "")
    return int(value) if value in ("1", "2", "3") else None
