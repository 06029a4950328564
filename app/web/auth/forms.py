"""Forms for signing in and changing one's password."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from app.web.zone_field import TimeZoneField


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me signed in on this device"))
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class PasswordChangeForm(FlaskForm):
    """The current password and a new one, twice."""

    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new", message=_l("The two new passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))


class LogoutForm(FlaskForm):
    """A CSRF-protected sign-out button."""

    submit = SubmitField(_l("Sign out"))


class TokenForm(FlaskForm):
    """A name for a new API token."""

    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=80)])
    submit = SubmitField(_l("Create token"))


class TimeZoneForm(FlaskForm):
    """The zone whose clocks the user's pages show and deadlines are typed in."""

    time_zone = TimeZoneField(_l("Time zone"))
    submit = SubmitField(_l("Save time zone"))


class LanguageForm(FlaskForm):
    """The language switcher: a locale id ("" lets the browser decide) and where to return."""

    language = HiddenField()
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    """The e-mail address of an account whose password is forgotten."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    submit = SubmitField(_l("Send me a link"))


class NewPasswordForm(FlaskForm):
    """A new password, twice (after a reset link or an invitation)."""

    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new", message=_l("The two new passwords differ."))],
    )
    submit = SubmitField(_l("Save password"))


class DrillEmailsForm(FlaskForm):
    """Whether to be e-mailed when a drill is assigned."""

    drill_emails = BooleanField(_l("E-mail me when a drill is assigned to one of my teams"))
    submit = SubmitField(_l("Save"))
