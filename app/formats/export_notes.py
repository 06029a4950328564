"""Warnings of a writer about parts of a question its format cannot hold.

A writer that writes a question but must leave part of it out (combined feedback or
hints in GIFT or Aiken, an essay's rubric in GIFT) says so in its ExportResult's
warnings, located at the question, with codes "export.*" (app/formats/texts.py).
"""

from __future__ import annotations

from app.domain.messages import Message
from app.domain.records import COMBINED_FEEDBACK, Location, Problem, QuestionRecord


def _warning(q: QuestionRecord, message: Message) -> Problem:
    return Problem(Location(path=q.id), message, "warning")


def lost_feedback(q: QuestionRecord, fmt: str) -> list[Problem]:
    """A warning when the question has combined feedback the format cannot hold."""
    if not any(getattr(q, name) for name in COMBINED_FEEDBACK):
        return []
    return [_warning(q, Message("export.feedback_lost", {"question": q.id, "format": fmt}))]


def lost_hints(q: QuestionRecord, fmt: str) -> list[Problem]:
    """A warning when the question has hints the format cannot hold."""
    if not q.hints:
        return []
    message = Message("export.hints_lost", {"question": q.id, "format": fmt}, count=len(q.hints))
    return [_warning(q, message)]


def hints_in_qti_metadata(q: QuestionRecord) -> list[Problem]:
    """A warning when the question's hints travel only in the QTI package's metadata."""
    if not q.hints:
        return []
    params = {"question": q.id}
    return [_warning(q, Message("export.hints_qti", params, count=len(q.hints)))]


def hints_ignored_by_moodle(q: QuestionRecord, kind: str) -> list[Problem]:
    """A warning when Moodle's import of the question's kind reads no hints."""
    if not q.hints:
        return []
    params = {"question": q.id, "kind": kind}
    return [_warning(q, Message("export.hints_moodle_kind", params, count=len(q.hints)))]


def lost_extras(q: QuestionRecord, fmt: str) -> list[Problem]:
    """Warnings for the combined feedback and the hints a format holds neither of."""
    return lost_feedback(q, fmt) + lost_hints(q, fmt)


def rubric_outside_gift(q: QuestionRecord) -> list[Problem]:
    """A warning for an essay whose rubric GIFT itself cannot carry (Clausewise reads it
    back from its metadata comment; Moodle and other tools do not)."""
    if not q.rubric:
        return []
    params = {"question": q.id, "count": len(q.rubric)}
    return [_warning(q, Message("export.rubric_gift", params))]
