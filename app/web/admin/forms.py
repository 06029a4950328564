"""Forms for managing accounts and the organization's settings."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not yet in its stubs
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.models import Role
from app.web.zone_field import TimeZoneField

ROLE_CHOICES = [SelectChoice(role.value, _l(role.label)) for role in Role]


class RolesField(SelectMultipleField):
    """Roles as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserCreateForm(FlaskForm):
    """A new account."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=120)])
    password = PasswordField(
        _l("Initial password (optional)"), validators=[Optional(), Length(max=200)]
    )
    roles = RolesField(_l("Roles"), choices=ROLE_CHOICES, default=[Role.LEARNER.value])
    time_zone = TimeZoneField(_l("Time zone"))
    submit = SubmitField(_l("Create account"))


class UserEditForm(FlaskForm):
    """An account's roles and whether it may sign in."""

    roles = RolesField(_l("Roles"), choices=ROLE_CHOICES)
    active = BooleanField(_l("Active (may sign in)"))
    time_zone = TimeZoneField(_l("Time zone"))
    submit = SubmitField(_l("Save changes"))


class OrganizationSettingsForm(FlaskForm):
    """Settings of the whole organization."""

    time_zone = TimeZoneField(_l("Organization time zone"))
    submit = SubmitField(_l("Save settings"))


class UserImportForm(FlaskForm):
    """A CSV of accounts, or the checked content sent back to import it."""

    file = FileField(_l("Accounts (CSV)"))
    content = HiddenField()
    submit = SubmitField(_l("Check the file"))


class ConfirmForm(FlaskForm):
    """A CSRF-protected confirmation button."""

    submit = SubmitField(_l("Confirm"))


class RunAgainForm(FlaskForm):
    """A CSRF-protected "run again" button for a failed job."""

    submit = SubmitField(_l("Run again"))
