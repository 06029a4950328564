"""What the lower layers say to a person: a code with parameters, never a sentence.

Domain, formats and analytics return `Message`s; the words live in one table
(`app.messages`), where web and CLI render them through Flask-Babel, so a translator
sees whole sentences and no layer below the web glues English together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Message:
    """A code naming a sentence, its parameters, and `count` when it has plural forms."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    count: int | None = None

    def __hash__(self) -> int:
        return hash((self.code, tuple(sorted(self.params.items())), self.count))


def N_(message: str) -> str:
    """Mark a sentence for the translation catalogue; it is translated when rendered."""
    return message


def ngettext(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular and plural sentence for the catalogue; translated when rendered.

    Named so that extraction with the keyword `ngettext` records a plural entry.
    """
    return singular, plural


# The sentence of a code: one message id, or a (singular, plural) pair.
Text = str | tuple[str, str]
