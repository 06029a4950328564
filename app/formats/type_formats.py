"""The formats registry: what each question-type plug-in says about each file format.

A plug-in's `formats.py` exports `FORMATS`, a `TypeFormats`, with one hook per format
(native keys and readers, `GiftHooks`, `AikenHooks`, `MoodleHooks`, `QtiHooks`,
`SheetHooks`, each defined by its format's module). The format modules know the types
only through these hooks. Every hook is optional: a format the type has no hook for
cannot hold it, so its writer lists such items as skipped with `cannot_write`'s reason
and its reader never produces them (see docs/question-types.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from app import question_types as plugins
from app.domain.messages import Message
from app.domain.records import QuestionRecord
from app.formats.moodle_types import MoodleHooks
from app.formats.native_fields import FieldReader
from app.formats.native_lines import Path

if TYPE_CHECKING:
    from app.formats.aiken import AikenHooks
    from app.formats.gift_answers import GiftHooks
    from app.formats.qti_interactions import QtiHooks
    from app.formats.sheet_types import SheetHooks

# Format names as users see them, for messages.
FORMAT_NAMES = {
    "native": "native YAML/JSON",
    "gift": "GIFT",
    "aiken": "Aiken",
    "moodle": "Moodle XML",
    "qti": "QTI 2.1",
    "sheet": "CSV/XLSX",
}


@dataclass(frozen=True)
class TypeFormats:
    """A question type's readers and writers, per format; None means it has none."""

    # Native YAML/JSON: the question keys the type owns, beyond those every question
    # shares. `read_native` returns the values it read by key: a key naming a field of
    # QuestionRecord (options, answer, rubric, …) sets that field, any other goes into
    # `QuestionRecord.data`, and "marks" is the marks when the file gives none; it
    # reports problems through FieldReader. `write_native`
    # returns the keys to write, empty ones left out, in the order they are written; a
    # "marks" key among them has the question's marks written even when they are 1.
    native_keys: tuple[str, ...] = ()
    read_native: Callable[[FieldReader, dict[str, Any], Path], dict[str, Any]] | None = None
    write_native: Callable[[QuestionRecord], dict[str, Any]] | None = None

    # GIFT and Aiken: the type's GIFT hooks (app/formats/gift_*.py defines their type).
    gift: GiftHooks | None = None

    # The type's Aiken hooks, when Aiken can hold it.
    aiken: AikenHooks | None = None

    # Moodle XML: the type's Moodle hooks (app/formats/moodle_*.py defines their type).
    moodle: MoodleHooks | None = None

    # QTI 2.1: the type's QTI hooks (app/formats/qti_*.py defines their type).
    qti: QtiHooks | None = None

    # CSV/XLSX: the type's columns, row reader and cell writer (app/formats/sheet_types.py).
    sheet: SheetHooks | None = None


_NONE = TypeFormats()


@cache
def _registry() -> dict[str, TypeFormats]:
    """Every plug-in's `formats.FORMATS` by type key, loaded on first use."""
    found: dict[str, TypeFormats] = {}
    for package in plugins.packages():
        module = plugins.part(package, "formats")
        if module is not None:
            found[package] = module.FORMATS
    return found


def hooks(key: str) -> TypeFormats:
    """The format hooks of the type `key`; all None when it gives none."""
    return _registry().get(key, _NONE)


def native_keys() -> tuple[str, ...]:
    """Every native question key some plug-in owns."""
    return tuple(dict.fromkeys(k for h in _registry().values() for k in h.native_keys))


def native_owner(key: str) -> TypeFormats | None:
    """The first type (in the registry's order) that owns a native question key."""
    return next((h for h in _registry().values() if key in h.native_keys), None)


def cannot_write(key: str, fmt: str) -> Message:
    """Why a format cannot hold questions of a type (rendered by app.messages)."""
    return Message("file.cannot_write", {"format": FORMAT_NAMES.get(fmt, fmt), "type": key})
