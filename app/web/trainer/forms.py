"""Forms of the trainer workspace."""

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    DecimalField,
    FieldList,
    FloatField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not yet in its stubs
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import HiddenInput, NumberInput

from app.domain.records import LEVELS
from app.formats import FORMATS
from app.services.marking import MAX_COMMENT_LENGTH

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
    skip_invalid = BooleanField(_l("Import the valid questions and list the ones left out"))
    after = SelectField(_l("After import"), choices=AFTER_IMPORT_CHOICES, default="draft")

    def offer_publishing(self, allowed: bool) -> None:
        """Offer "publish at once" only where the review rule lets the trainer publish."""
        if not allowed:
            self.after.choices = [c for c in AFTER_IMPORT_CHOICES if c.value != "publish"]


class ConfirmImportForm(FlaskForm):
    """Confirm an import whose dry run was clean."""

    token = HiddenField()  # the staged upload of an inline dry run, or:
    job = HiddenField()  # the dry-run job whose files to import (with a job queue)
    fmt = HiddenField()
    bank_code = HiddenField()
    clause = HiddenField()
    level = HiddenField()
    skip_unsupported = HiddenField()
    skip_invalid = HiddenField()
    after = HiddenField()


class BankForm(FlaskForm):
    """A bank's code, title, description and licence."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=64), Regexp(r"^[a-z0-9-]+$")],
        description=_l("Lowercase letters, digits and hyphens; used in file names and the CLI."),
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    licence = StringField(_l("Licence"), validators=[Optional(), Length(max=64)])


class WorkflowForm(FlaskForm):
    """One workflow action on a question, with an optional comment."""

    action = HiddenField(validators=[DataRequired()])
    version = IntegerField(validators=[DataRequired(), NumberRange(min=1, max=1_000_000)])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)])


BULK_ACTION_CHOICES = [
    SelectChoice("submit", _l("Send for review")),
    SelectChoice("retire", _l("Retire")),
    SelectChoice("move", _l("Move to another bank")),
    SelectChoice("add_tag", _l("Add a tag")),
    SelectChoice("remove_tag", _l("Remove a tag")),
]


class BulkForm(FlaskForm):
    """One action on the questions ticked in the list (their ids come as `ids`)."""

    action = SelectField(_l("With the selected questions"), choices=BULK_ACTION_CHOICES)
    target_bank = SelectField(_l("Move to bank"), coerce=int, validate_choice=False, default=0)
    tag = StringField(_l("Tag"), validators=[Optional(), Length(max=200)])


class ScenarioForm(FlaskForm):
    """A case text that several questions share."""

    key = StringField(
        _l("Scenario id"),
        validators=[DataRequired(), Length(max=100), Regexp(r"^[a-z0-9-]+$")],
        description=_l("Lowercase letters, digits and hyphens, e.g. cloud-provider-2."),
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    text = TextAreaField(_l("Case text"), validators=[DataRequired(), Length(max=20_000)])


class TranslationForm(FlaskForm):
    """A translation's sheet: its texts are read by slot (app.web.trainer.translations);
    the form holds the CSRF token and what the sheet was made from."""

    # The source hash the trainer translated from, and the stored translation's digest.
    made_from = HiddenField(validators=[Optional(), Length(max=64)])
    base = HiddenField(validators=[Optional(), Length(max=64)])


class SettingsForm(FlaskForm):
    """Admins: the review rule."""

    single_trainer = BooleanField(
        _l("Single-trainer mode: authors may approve their own questions")
    )


class MarkForm(FlaskForm):
    """A trainer's marks for one essay answer and a comment the learner will read."""

    marks = FloatField(
        _l("Marks awarded"),
        validators=[InputRequired(_l("Enter the marks awarded."))],
        widget=NumberInput(step="any", min=0),
    )
    comment = TextAreaField(
        _l("Comment for the learner"),
        validators=[Length(max=MAX_COMMENT_LENGTH)],
        render_kw={"rows": 6},
    )
    submit = SubmitField(_l("Save marks"))

    def __init__(self, *args: Any, max_marks: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_marks = max_marks
        self.marks.render_kw = {"max": f"{max_marks:g}"}

    def validate_marks(self, field: FloatField) -> None:
        """Marks run from 0 to the question's marks."""
        if field.data is not None and not 0 <= field.data <= self.max_marks:
            most = format(self.max_marks, "g")
            raise ValidationError(_("Give between 0 and %(max)s marks for this answer.", max=most))


class HintForm(Form):
    """One hint of a question (a sub-form: the question form holds the CSRF token)."""

    text = TextAreaField(_l("Hint"), validators=[Optional(), Length(max=5000)])
    show_num_correct = BooleanField(_l("Say how many parts of the answer are right"))
    clear_wrong = BooleanField(_l("Clear the wrong parts before the next try"))


class QuestionForm(FlaskForm):
    """The fields every question has; each type adds its own (`editor.question_form`)."""

    key = StringField(
        _l("Question id"),
        validators=[DataRequired(), Length(max=100), Regexp(r"^[A-Za-z0-9._-]+$")],
        description=_l("Stable and unique, e.g. f-8.2.4-03. It cannot change later."),
    )
    title = StringField(_l("Title"), validators=[Optional(), Length(max=200)])
    stem = TextAreaField(_l("Question"), validators=[DataRequired()])
    level = SelectField(
        _l("Level"), choices=[c for c in LEVEL_CHOICES if c.value in LEVELS], default="foundation"
    )
    difficulty = SelectField(
        _l("Difficulty"),
        choices=[
            SelectChoice("1", _l("1 · easy")),
            SelectChoice("2", _l("2 · medium")),
            SelectChoice("3", _l("3 · hard")),
        ],
        default="2",
    )
    cognitive = SelectField(
        _l("Thinking asked for"),
        choices=[
            SelectChoice("", _l("Not set")),
            SelectChoice("recall", _l("Recall: remember a fact or term")),
            SelectChoice("understand", _l("Understand: explain or tell apart")),
            SelectChoice("apply", _l("Apply: judge a situation")),
        ],
        default="",
    )
    # An int default shows as "1"; the stubs want a Decimal, which would show as "1.00".
    marks = DecimalField(  # type: ignore[call-overload]
        _l("Marks"), default=1, validators=[NumberRange(min=0.1, max=100)]
    )
    clauses = SelectMultipleField(_l("Clauses (ISO/IEC 20000-1:2018)"), choices=[])
    scenario = SelectField(_l("Scenario"), choices=[], default="")
    explanation = TextAreaField(
        _l("Explanation"),
        description=_l("Why the key is right and the tempting options are wrong; name the clause."),
    )
    tags = StringField(_l("Tags"), description=_l("Comma-separated."))
    correct_feedback = TextAreaField(
        _l("Feedback for a right answer"),
        description=_l("Shown with an answer that earns full marks."),
        validators=[Optional(), Length(max=5000)],
    )
    partial_feedback = TextAreaField(
        _l("Feedback for a partly right answer"),
        description=_l("Shown with an answer that earns some of the marks."),
        validators=[Optional(), Length(max=5000)],
    )
    incorrect_feedback = TextAreaField(
        _l("Feedback for a wrong answer"),
        description=_l("Shown with an answer that earns no marks."),
        validators=[Optional(), Length(max=5000)],
    )
    hints = FieldList(FormField(HintForm), min_entries=1, max_entries=50)
    # the version the editor was opened on (a save over a newer one is refused first)
    base_version = IntegerField(
        widget=HiddenInput(), validators=[Optional(), NumberRange(min=1, max=1_000_000)]
    )
