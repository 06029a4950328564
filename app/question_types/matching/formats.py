"""The matching type in the file formats: one hook per format that can hold it.

Each section below is owned by one format; a format without a hook lists these
questions as skipped on export (see app/formats/type_formats.py).
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from app.domain.messages import Message
from app.domain.records import PairRecord, QuestionRecord
from app.formats.qti_interactions import (
    ItemParts,
    PairMessages,
    QtiHooks,
    match_sets,
    read_pairs,
)
from app.formats.qti_model import ItemReader
from app.formats.qti_write import declaration, set_inline, sub
from app.formats.type_formats import TypeFormats

# --- native YAML/JSON ---------------------------------------------------------------

NATIVE_KEYS: tuple[str, ...] = ()
READ_NATIVE = None
WRITE_NATIVE = None


# --- GIFT ---------------------------------------------------------------------------

GIFT = None


# --- Aiken --------------------------------------------------------------------------

AIKEN = None


# --- Moodle XML ---------------------------------------------------------------------

MOODLE = None


# --- QTI 2.1 ------------------------------------------------------------------------

# A matchInteraction: the prompts in the first simpleMatchSet, the matches (and the extra
# ones) in the second, the pairs as directedPair correct responses, each worth its share
# of the marks. The fallback for matchInteractions classification does not claim, so a
# foreign matchInteraction reads as matching.

_PAIRS = PairMessages(
    unknown=lambda value: Message("qti.pair_unknown", {"value": value}),
    repeated=lambda choice: Message("qti.prompt_paired_twice", {"choice": choice}),
    missing=lambda choice: Message("qti.prompt_unpaired", {"choice": choice}),
)


def write_qti(q: QuestionRecord) -> ItemParts:
    """Prompts and matches as two sets; matches get the identifiers m1, m2, ..."""
    el = Element("matchInteraction", responseIdentifier="RESPONSE", shuffle="true")
    el.set("maxAssociations", str(len(q.pairs)))
    prompts, responses = sub(el, "simpleMatchSet"), sub(el, "simpleMatchSet")
    targets = [p.match for p in q.pairs] + list(q.extra_matches)
    for pair in q.pairs:
        set_inline(
            sub(prompts, "simpleAssociableChoice", identifier=pair.id, matchMax="1"), pair.prompt
        )
    for number, text in enumerate(targets, start=1):
        set_inline(
            sub(responses, "simpleAssociableChoice", identifier=f"m{number}", matchMax="1"), text
        )
    keys = [f"{pair.id} m{number}" for number, pair in enumerate(q.pairs, start=1)]
    mapping = [(value, q.marks / max(len(keys), 1)) for value in keys]
    return ItemParts([el], declaration("multiple", "directedPair", keys, mapping, q.marks), "map")


def read_qti(reader: ItemReader, el: Element, path: str, q: QuestionRecord) -> None:
    """directedPair values pair a prompt of the first set with a response of the second."""
    q.type = "matching"
    decl = reader.declaration(el, path)
    sets = match_sets(reader, el, path)
    if sets is None:
        return
    prompts = {i: t for i, t, _, _ in sets[0]}
    targets = {i: t for i, t, _, _ in sets[1]}
    paired = read_pairs(reader, decl, prompts, targets, _PAIRS) if decl else None
    if paired is None:
        return
    q.pairs = [PairRecord(s, prompts[s], targets[paired[s]]) for s in prompts if s in paired]
    used = set(paired.values())
    q.extra_matches = [text for ident, text in targets.items() if ident not in used]


QTI = QtiHooks("matchInteraction", write_qti, read_qti)


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
