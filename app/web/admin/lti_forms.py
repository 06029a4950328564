"""Forms of the LTI administration pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not yet in its stubs
from wtforms.validators import Optional

from app.models import Role
from app.web.admin.forms import RolesField

INSTRUCTOR_CHOICES = [
    SelectChoice(Role.TRAINER.value, _l("Trainer (marks essays, edits question banks)")),
    SelectChoice(Role.MANAGER.value, _l("Manager (follows the course's team)")),
]


class PlatformForm(FlaskForm):
    """A platform registration; the service checks every field and names what is wrong."""

    name = StringField(_l("Name"))
    issuer = URLField(_l("Platform ID (issuer)"))
    client_id = StringField(_l("Client ID"))
    deployment_ids = TextAreaField(_l("Deployment IDs, one a line"))
    auth_login_url = URLField(_l("Authentication request URL"))
    auth_token_url = URLField(_l("Access token URL"))
    auth_audience = StringField(_l("Token audience, if not the access token URL"))
    jwks_url = URLField(_l("Public keyset URL"), validators=[Optional()])
    public_key = TextAreaField(_l("Or the platform's public key (PEM or JWK)"))
    instructor_roles = RolesField(_l("Instructors become"), choices=INSTRUCTOR_CHOICES)
    admins_are_admins = BooleanField(_l("The platform's administrators become administrators here"))
    link_by_email = BooleanField(_l("Link a first launch to the account with the same e-mail"))
    active = BooleanField(_l("Active (launches and grade sync are allowed)"))


class ConfirmForm(FlaskForm):
    """A bare CSRF-protected button (rotate the key, delete a registration)."""
