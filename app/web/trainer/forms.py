"""Forms of the trainer workspace."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not yet in its stubs
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.formats import FORMATS

FORMAT_CHOICES = [SelectChoice("auto", _l("Detect from the file"))] + [
    SelectChoice(name, name) for name in FORMATS
]
AFTER_IMPORT_CHOICES = [
    SelectChoice("draft", _l("Keep new and changed questions as drafts")),
    SelectChoice("review", _l("Send new and changed questions for review")),
    SelectChoice("publish", _l("Publish new and changed questions at once")),
]
LEVEL_CHOICES = [
    SelectChoice("", _l("As in the file")),
    SelectChoice("foundation", _l("Foundation")),
    SelectChoice("practitioner", _l("Practitioner")),
    SelectChoice("auditor", _l("Auditor")),
]


class ImportForm(FlaskForm):
    """Upload bank files; by default only check them (dry run)."""

    files = MultipleFileField(_l("Bank files"), validators=[DataRequired()])
    fmt = SelectField(_l("Format"), choices=FORMAT_CHOICES, default="auto")
    bank_code = StringField(
        _l("Import into bank id"),
        validators=[Optional(), Length(max=64), Regexp(r"^[a-z0-9-]+$")],
    )
    clause = StringField(
        _l("Clause for untagged questions"),
        validators=[Optional(), Regexp(r"^\d{1,2}(\.\d{1,2}){0,3}$")],
    )
    level = SelectField(_l("Level"), choices=LEVEL_CHOICES, default="")
    skip_unsupported = BooleanField(_l("Skip items of unsupported kinds"))
    after = SelectField(_l("After import"), choices=AFTER_IMPORT_CHOICES, default="draft")

    def offer_publishing(self, allowed: bool) -> None:
        """Offer "publish at once" only where the review rule lets the trainer publish."""
        if not allowed:
            self.after.choices = [c for c in AFTER_IMPORT_CHOICES if c.value != "publish"]


class ConfirmImportForm(FlaskForm):
    """Confirm an import whose dry run was clean."""

    token = HiddenField(validators=[DataRequired()])
    fmt = HiddenField()
    bank_code = HiddenField()
    clause = HiddenField()
    level = HiddenField()
    skip_unsupported = HiddenField()
    after = HiddenField()
