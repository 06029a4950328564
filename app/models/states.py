"""The core states as column types and translated labels.

The enums themselves live in `app.domain.states` (pure, so the review rules can key on
them) and are exported from `app.models` with everything else a service reads.
"""

from __future__ import annotations

import enum
from typing import Any, TypeVar

from flask_babel import gettext
from sqlalchemy import Dialect, String
from sqlalchemy.types import TypeDecorator

from app.domain.states import AttemptMode, AttemptStatus, QuestionStatus

__all__ = ["AttemptMode", "AttemptStatus", "QuestionStatus", "StrEnumColumn", "label"]

E = TypeVar("E", bound=enum.StrEnum)


class StrEnumColumn(TypeDecorator[E]):
    """A StrEnum stored as its plain string (the schema keeps VARCHAR), read back as
    the member. A value outside the enum is refused on the way in."""

    impl = String
    cache_ok = True

    def __init__(self, enum_type: type[E], length: int = 16) -> None:
        super().__init__(length)
        self.enum_type = enum_type

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        """Store the member's string; refuse strings that name no member."""
        return None if value is None else self.enum_type(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> E | None:
        """Read the stored string back as the member."""
        return None if value is None else self.enum_type(value)


def label(member: enum.StrEnum) -> str:
    """The member's label in the reader's language (a template filter: `a.mode|label`)."""
    return gettext(member.label)  # type: ignore[attr-defined]
