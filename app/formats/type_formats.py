"""The formats registry: what each question-type plug-in says about each file format.

A plug-in's `formats.py` exports `FORMATS`, a `TypeFormats`. Every hook is optional: a
format the type has no hook for cannot hold the type, and its writer lists such items
as skipped with `cannot_write`'s reason (its reader never produces them). The seven
original types still have their per-format code in the format modules' own tables;
those tables are consulted first, these hooks after (see docs/question-types.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from app import question_types as plugins
from app.domain.records import QuestionRecord
from app.formats.native_fields import FieldReader
from app.formats.native_lines import Path

if TYPE_CHECKING:
    from app.formats.aiken import AikenHooks
    from app.formats.gift_answers import GiftHooks

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

    # Native YAML/JSON: the question keys the type owns, read into and written from
    # `QuestionRecord.data` (the reader reports problems through FieldReader).
    native_keys: tuple[str, ...] = ()
    read_native: Callable[[FieldReader, dict[str, Any], Path], dict[str, Any]] | None = None
    write_native: Callable[[QuestionRecord], dict[str, Any]] | None = None

    # GIFT and Aiken: the type's GIFT hooks (app/formats/gift_*.py defines their type).
    gift: GiftHooks | None = None

    # The type's Aiken hooks, when Aiken can hold it.
    aiken: AikenHooks | None = None

    # Moodle XML: the type's Moodle hooks (app/formats/moodle_*.py defines their type).
    moodle: Any = None

    # QTI 2.1: the type's QTI hooks (app/formats/qti_*.py defines their type).
    qti: Any = None

    # CSV/XLSX: the type's sheet hooks (app/formats/sheet_*.py defines their type).
    sheet: Any = None


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


def cannot_write(key: str, fmt: str) -> str:
    """Why a format cannot hold questions of a type, in plain words."""
    return f"{FORMAT_NAMES.get(fmt, fmt)} cannot express a {key} question"
