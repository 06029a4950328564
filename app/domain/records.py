"""Plain records of banks, scenarios and questions, shared by formats, services and exams.

These dataclasses are the one in-memory shape of a question bank. File formats turn
files into them and back; the question-type registry validates and grades them;
services persist them. Nothing here knows about Flask or the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.domain.assets import AssetRecord
from app.domain.messages import Message

LEVELS: tuple[str, ...] = ("foundation", "practitioner", "auditor")
EDITIONS: tuple[str, ...] = ("2018", "2011")

# What an item asks of a candidate, from least to most: remember a fact, explain or
# recognise it in a description, or apply it to a situation.
COGNITIVE_LEVELS = ("recall", "understand", "apply")


@dataclass(frozen=True)
class Location:
    """Where something sits in a source file: a line, a row/column or an XML path."""

    file: str = ""
    line: int | None = None
    row: int | None = None
    column: str | None = None
    path: str | None = None

    def __str__(self) -> str:
        """For logs; people read `app.messages.render_location`, in catalogue phrases."""
        where = self.file or "<input>"
        if self.line is not None and self.path:
            return f"{where}:{self.line} ({self.path})"
        if self.line is not None:
            return f"{where}:{self.line}"
        if self.row is not None:
            col = f", column {self.column}" if self.column else ""
            return f"{where}: row {self.row}{col}"
        if self.path:
            return f"{where}: {self.path}"
        return where


@dataclass
class OptionRecord:
    """One answer option of a choice question, with optional feedback for the learner."""

    id: str
    text: str
    correct: bool = False
    feedback: str = ""


@dataclass
class PairRecord:
    """One premise of a matching question and the response that belongs to it."""

    id: str
    prompt: str
    match: str


@dataclass
class StepRecord:
    """One element of an ordering question; records are kept in the correct order."""

    id: str
    text: str


@dataclass
class RubricCriterion:
    """One line of an essay marking rubric."""

    criterion: str
    marks: float
    guidance: str = ""


@dataclass
class HintRecord:
    """One hint shown after a wrong try, as Moodle's interactive mode gives them.

    `show_num_correct` says how many parts of the answer are right; `clear_wrong`
    takes the wrong parts away before the next try (Moodle's `shownumcorrect` and
    `clearwrong` options).
    """

    text: str
    show_num_correct: bool = False
    clear_wrong: bool = False


@dataclass
class TranslationRecord:
    """An item's texts in another language, kept beside its source texts.

    `fields` holds the translated texts in the shape of the native format's
    `translations` entries (app.domain.translation describes it): `stem`, `options`
    (option id → text), `pairs` (pair id → {prompt, match}), `rubric` (a list in the
    source order) and so on. `source_hash` identifies the source texts it was made from;
    `status` is "stale" when the item's source texts hash differently now, else "current"
    (worked out by whoever reads it, never trusted from a file).
    """

    language: str
    source_language: str
    source_hash: str
    fields: dict[str, Any] = field(default_factory=dict)
    status: str = "current"
    # True when the file gave no source hash and the reader took the source as it stands:
    # an import then keeps the hash already stored with the same texts.
    assumed_hash: bool = field(default=False, compare=False, repr=False)


@dataclass
class ScenarioRecord:
    """A case text shared by several questions of one bank."""

    id: str
    title: str
    text: str
    # Its translations by language tag: `fields` holds `title` and `text`.
    translations: dict[str, TranslationRecord] = field(default_factory=dict)


@dataclass
class QuestionRecord:
    """One question, whatever its type; only the fields of its type are meaningful.

    - single_choice / multiple_response: `options` (with `correct` flags)
    - true_false: `answer` (True or False), optional `feedback_true` / `feedback_false`
    - matching: `pairs`, optional `extra_matches` (responses that match no premise)
    - ordering: `steps` in the correct order
    - short_answer: `answers` (accepted answers; case and spacing are ignored)
    - essay: `rubric` and an optional `model_answer`
    - any other plug-in type: `data`, plain JSON-ready values the type alone reads

    Any type may carry combined feedback, shown by the outcome of a graded answer
    (`correct_feedback` for full marks, `partial_feedback` for some, `incorrect_feedback`
    for none), and `hints` for the tries after a wrong one.
    """

    id: str
    type: str
    stem: str
    level: str = "foundation"
    clauses: list[str] = field(default_factory=list)
    edition: str = "2018"
    difficulty: int = 2
    cognitive: str | None = None  # recall, understand or apply (COGNITIVE_LEVELS); None: untagged
    marks: float = 1.0
    title: str = ""
    explanation: str = ""
    tags: list[str] = field(default_factory=list)
    scenario: str | None = None
    options: list[OptionRecord] = field(default_factory=list)
    answer: bool | None = None
    feedback_true: str = ""
    feedback_false: str = ""
    pairs: list[PairRecord] = field(default_factory=list)
    extra_matches: list[str] = field(default_factory=list)
    steps: list[StepRecord] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    rubric: list[RubricCriterion] = field(default_factory=list)
    model_answer: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    correct_feedback: str = ""
    partial_feedback: str = ""
    incorrect_feedback: str = ""
    hints: list[HintRecord] = field(default_factory=list)
    # The item's translations by language tag (BCP 47, e.g. "zh-Hans"); not content: a
    # translation never makes a new version (app.domain.content leaves it out).
    translations: dict[str, TranslationRecord] = field(default_factory=dict)
    location: Location | None = field(default=None, compare=False, repr=False)
    # The database id of the bank a stored question belongs to (set when read from the
    # database), so a view can address the bank's files; never part of the content.
    bank_id: int | None = field(default=None, compare=False, repr=False)
    # True when the reader made the id up (from a title, a name or a position): the
    # import then scopes it to the bank, so unrelated files never share ids.
    derived_id: bool = field(default=False, compare=False, repr=False)
    # Set on the record a learner sees in another language (app.domain.translation
    # .localize): the source record, whose ids, texts-as-ids (matching) and key count.
    translated_from: QuestionRecord | None = field(default=None, compare=False, repr=False)
    # The hash of its translatable texts once worked out for a shared record that never
    # changes (app.domain.translation.current_hash); never copied by dataclasses.replace.
    source_hash_seen: str | None = field(default=None, init=False, compare=False, repr=False)


@dataclass
class BankRecord:
    """A whole bank: metadata, scenarios and questions, as read from one file."""

    id: str
    title: str
    language: str = "en"
    licence: str = ""
    edition: str = "2018"
    description: str = ""
    scenarios: list[ScenarioRecord] = field(default_factory=list)
    questions: list[QuestionRecord] = field(default_factory=list)
    # The bank's files (images, audio) its texts refer to as `asset:name`.
    assets: list[AssetRecord] = field(default_factory=list)
    # The metadata fields the file itself carried (readers fill in the others, e.g. a
    # title from the file name): an import keeps an existing bank's other fields.
    given: set[str] = field(default_factory=set, compare=False, repr=False)


# The combined feedback fields, in the order correct, partly correct, incorrect.
COMBINED_FEEDBACK: tuple[str, ...] = ("correct_feedback", "partial_feedback", "incorrect_feedback")


def has_feedback_extras(q: QuestionRecord) -> bool:
    """Whether a question carries combined feedback or hints."""
    return bool(q.hints) or any(getattr(q, name) for name in COMBINED_FEEDBACK)


def outcome_feedback(q: QuestionRecord, fraction: float | None) -> str:
    """The combined feedback for an answer earning `fraction` of the marks; '' if none."""
    if fraction is None:
        return ""
    if fraction >= 0.999:
        return q.correct_feedback
    return q.partial_feedback if fraction > 0 else q.incorrect_feedback


BANK_FIELDS: tuple[str, ...] = ("title", "language", "licence", "edition", "description")


@dataclass(frozen=True)
class Problem:
    """A located complaint about input: an error stops an import, a warning does not."""

    location: Location
    message: str | Message  # a Message where the layer has been converted (app.messages)
    severity: str = "error"

    def __str__(self) -> str:
        """For logs; people read `app.messages.render_problem`, which has the words."""
        return f"{self.location}: {self.severity}: {self.message}"


@dataclass
class Unsupported:
    """An item of a kind Clausewise does not grade, reported by name and position."""

    kind: str
    name: str
    location: Location
    reason: Message | None = None  # why a writer could not express it, when it says


@dataclass
class ParseResult:
    """What a format reader returns: the bank it read and everything it complained about."""

    bank: BankRecord
    problems: list[Problem] = field(default_factory=list)
    unsupported: list[Unsupported] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """Problems that must stop an import."""
        return [p for p in self.problems if p.severity == "error"]


@dataclass
class ExportResult:
    """What a format writer returns: the file's bytes, the items it could not express,
    and warnings about parts of written items it had to leave out (located by item)."""

    data: bytes
    skipped: list[Unsupported] = field(default_factory=list)
    # What the file lost, located by question: parts of written items the format leaves
    # out (combined feedback, hints) and, for a format that cannot carry the bank's
    # files, the files it keeps only as `asset:` references.
    warnings: list[Problem] = field(default_factory=list)


def clause_sort_key(number: str) -> str:
    """A string that sorts clause numbers numerically: "8.10" after "8.9", "10" after "9"."""
    return ".".join(f"{int(part):03d}" if part.isdigit() else part for part in number.split("."))
