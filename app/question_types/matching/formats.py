"""The matching type in the file formats: one hook per format that can hold it.

Each section below is owned by one format; a format without a hook lists these
questions as skipped on export (see app/formats/type_formats.py).
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from app.domain.messages import Message
from app.domain.records import PairRecord, QuestionRecord
from app.formats.moodle_types import MoodleHooks, MoodleItem, rich_text, sub
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


def write_moodle(el: Element, q: QuestionRecord) -> None:
    """One subquestion per pair, then one without text per extra match."""
    sub(el, "shuffleanswers", "true")
    rows = [(p.prompt, p.match) for p in q.pairs] + [("", m) for m in q.extra_matches]
    for prompt, match in rows:
        subquestion = sub(el, "subquestion", format="markdown")
        sub(subquestion, "text", prompt)
        sub(sub(subquestion, "answer"), "text", match)


def read_moodle(item: MoodleItem, q: QuestionRecord) -> None:
    """Matching: subquestions with text are pairs, those without text extra matches."""
    for number, (subquestion, path) in enumerate(item.children("subquestion"), start=1):
        prompt = rich_text(subquestion)
        match = (subquestion.findtext("answer/text") or "").strip()
        if not match:
            if prompt:
                item.error(
                    Message(
                        "moodle.subquestion_answer", {"question": item.label, "subquestion": number}
                    ),
                    path,
                )
        elif prompt:
            q.pairs.append(PairRecord(f"p{len(q.pairs) + 1}", prompt, match))
        else:
            q.extra_matches.append(match)
    if len(q.pairs) < 2:
        item.error(
            Message("moodle.matching_pairs", {"question": item.label, "count": len(q.pairs)})
        )


MOODLE = MoodleHooks(kind="matching", write=write_moodle, read=read_moodle)


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
