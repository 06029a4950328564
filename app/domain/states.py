"""The named states of the core records: attempt modes and statuses, question statuses.

They are StrEnums, so a member equals its stored string ("open" == AttemptStatus.OPEN)
and the database keeps plain strings. Each member has an English label, marked for
extraction here and translated where it is shown (`app.models.states.label`): the
domain knows nothing of Flask-Babel.
"""

from __future__ import annotations

import enum


def N_(message: str) -> str:
    """Mark `message` for the translation catalogue; it is translated when shown."""
    return message


class _Labelled(enum.StrEnum):
    """A state with an English label (a catalogue message id), from `_LABELS`."""

    @property
    def label(self) -> str:
        """The English label (a catalogue message id)."""
        return _LABELS[type(self)][self]


class AttemptMode(_Labelled):
    """What kind of sitting an attempt is."""

    MOCK = "mock"
    PRACTICE = "practice"
    DRILL = "drill"
    REVIEW = "review"


class AttemptStatus(_Labelled):
    """Where an attempt is in its life: open until submitted or closed at its deadline;
    a practice set, drill or review may be discarded instead (never scored: only the
    answers already checked count, as they did once checked)."""

    OPEN = "open"
    SUBMITTED = "submitted"
    EXPIRED = "expired"
    DISCARDED = "discarded"

    @classmethod
    def closed(cls) -> tuple[AttemptStatus, ...]:
        """The statuses of an attempt that takes no more answers."""
        return (cls.SUBMITTED, cls.EXPIRED)


class QuestionStatus(_Labelled):
    """A question's review workflow status (see `app.domain.review`)."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    RETIRED = "retired"


# Per enum, since members of different enums may share a value.
_LABELS: dict[type[_Labelled], dict[str, str]] = {
    AttemptMode: {
        AttemptMode.MOCK: N_("Mock exam"),
        AttemptMode.PRACTICE: N_("Practice"),
        AttemptMode.DRILL: N_("Drill"),
        AttemptMode.REVIEW: N_("Review"),
    },
    AttemptStatus: {
        # Shown in running text and table cells beside "in progress", hence lower case.
        AttemptStatus.OPEN: N_("in progress"),
        AttemptStatus.SUBMITTED: N_("submitted"),
        AttemptStatus.EXPIRED: N_("time ran out"),
        AttemptStatus.DISCARDED: N_("discarded"),
    },
    QuestionStatus: {
        QuestionStatus.DRAFT: N_("Draft"),
        QuestionStatus.IN_REVIEW: N_("In review"),
        QuestionStatus.PUBLISHED: N_("Published"),
        QuestionStatus.RETIRED: N_("Retired"),
    },
}
