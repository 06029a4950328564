"""Forms of the LTI pages: the deep linking picker and bare buttons."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not yet in its stubs
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.domain.lti import MAX_COUNT, MIN_COUNT

KIND_CHOICES = [
    SelectChoice("mock", _l("Mock exam — the scheme's timed exam, scored at the end")),
    SelectChoice("drill", _l("Clause drill — questions on the clauses you choose below")),
    SelectChoice("practice", _l("Practice set — questions with the answer after each one")),
]


class DeepLinkForm(FlaskForm):
    """The activity a course author adds: its kind, scheme, clauses, size and title."""

    scheme = HiddenField(validators=[DataRequired()])
    kind = RadioField(_l("Activity"), choices=KIND_CHOICES, default="mock")
    count = IntegerField(
        _l("Number of questions (drills and practice sets)"),
        default=20,
        validators=[Optional(), NumberRange(min=MIN_COUNT, max=MAX_COUNT)],
    )
    title = StringField(
        _l("Title in the course (leave empty for one made from your choices)"),
        validators=[Optional(), Length(max=255)],
    )
    graded = BooleanField(_l("Send scores to the course's grade book"), default=True)


class ActionForm(FlaskForm):
    """A bare CSRF-protected button (start, fill the team, cancel)."""
