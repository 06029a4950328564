"""The essay type in the file formats: one hook per format that can hold it.

Each section below is owned by one format; a format without a hook lists these
questions as skipped on export (see app/formats/type_formats.py).
"""

from __future__ import annotations

from app.domain.records import QuestionRecord
from app.formats.gift_answers import GiftHooks, Reporter
from app.formats.type_formats import TypeFormats

# --- native YAML/JSON ---------------------------------------------------------------

NATIVE_KEYS: tuple[str, ...] = ()
READ_NATIVE = None
WRITE_NATIVE = None


# --- GIFT ---------------------------------------------------------------------------


def read_gift(ctx: Reporter, q: QuestionRecord, body: str, base: int) -> None:
    """An empty answer block: rubric and model answer come from the metadata comment."""


def write_gift(q: QuestionRecord) -> list[str]:
    """Nothing between the braces."""
    return []


GIFT = GiftHooks(kinds=("essay",), read=read_gift, write=write_gift)


# --- Aiken --------------------------------------------------------------------------

AIKEN = None


# --- Moodle XML ---------------------------------------------------------------------

MOODLE = None


# --- QTI 2.1 ------------------------------------------------------------------------

QTI = None


# --- CSV/XLSX -----------------------------------------------------------------------

SHEET = None


FORMATS = TypeFormats(
    native_keys=NATIVE_KEYS,
    read_native=READ_NATIVE,
    write_native=WRITE_NATIVE,
    gift=GIFT,
    aiken=AIKEN,
    moodle=MOODLE,
    qti=QTI,
    sheet=SHEET,
)
