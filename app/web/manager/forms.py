"""Forms of the manager's pages: teams, people, targets and drills."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not yet in its stubs
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class TeamForm(FlaskForm):
    """A new team."""

    name = StringField(_l("Team name"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])


class PersonForm(FlaskForm):
    """Add someone to a team by e-mail."""

    email = StringField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice("member", _l("Member")), SelectChoice("manager", _l("Manager"))],
        default="member",
    )


class RemoveForm(FlaskForm):
    """Remove someone from a team."""

    user_id = HiddenField(validators=[DataRequired()])
    role = HiddenField(validators=[DataRequired()])


class RosterForm(FlaskForm):
    """A CSV roster: a column `email` and optionally `role`."""

    roster = FileField(_l("Roster (CSV)"), validators=[FileRequired()])


class TargetForm(FlaskForm):
    """A readiness target."""

    scheme = SelectField(_l("Qualification"), choices=[])
    # An int default shows as "90"; the stubs want a Decimal, which would show as "90.00".
    share = DecimalField(  # type: ignore[call-overload]
        _l("Share of members ready (%)"), default=90, validators=[NumberRange(min=1, max=100)]
    )
    due_on = DateField(_l("Due date"), validators=[DataRequired()])
    due_time = TimeField(_l("Time (optional)"), validators=[Optional()])
    named = StringField(
        _l("Or these members (e-mails, comma-separated)"), validators=[Optional(), Length(max=2000)]
    )
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])


class DrillForm(FlaskForm):
    """Assign a clause drill to a team."""

    scheme = HiddenField(validators=[DataRequired()])
    clause = StringField(_l("Clause"), validators=[DataRequired(), Length(max=16)])
    questions = IntegerField(
        _l("Questions"), default=10, validators=[Optional(), NumberRange(min=5, max=50)]
    )
    note = StringField(_l("Note to learners"), validators=[Optional(), Length(max=200)])
    due_on = DateField(_l("By (optional)"), validators=[Optional()])
    due_time = TimeField(_l("Time (optional)"), validators=[Optional()])
