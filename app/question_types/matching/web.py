"""Web parts of matching: one `match-<prompt id>` select per prompt; the editor's pairs
and the extra responses that match no premise."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import TextAreaField

from app.domain.records import PairRecord, QuestionRecord
from app.web.question_type_parts import Rows, TypeWeb
from app.web.trainer.editor import lines, row_ids, rows_of, shown_rows

BLANK_PAIRS = 3
FIELDS = {
    "extra_matches": TextAreaField(_l("Extra responses that match no premise (one per line)"))
}


def read_answer(form: MultiDict) -> dict[str, str]:
    """Public prompt id -> chosen public match id, for the prompts given a match."""
    return {
        name.removeprefix("match-"): value
        for name, value in form.items()
        if name.startswith("match-") and value
    }


def read_record(form: Any, data: MultiDict, record: QuestionRecord) -> None:
    """The pairs (rows `pairs-<n>-prompt`, `-match`) and the extra responses."""
    rows = rows_of(data, "pairs")
    record.pairs = [
        PairRecord(pid, r.get("prompt", ""), r.get("match", ""))
        for pid, r in zip(row_ids(rows, "p"), rows, strict=True)
    ]
    record.extra_matches = lines(form.extra_matches.data)


def fill_form(form: Any, record: QuestionRecord) -> None:
    """A stored question's extra responses."""
    form.extra_matches.data = "\n".join(record.extra_matches)


def editor_rows(record: QuestionRecord | None, posted: MultiDict | None) -> Rows:
    """The pair rows to show."""
    found = rows_of(posted, "pairs") if posted is not None else None
    return {"pairs": shown_rows(record.pairs if record else None, found, BLANK_PAIRS)}


WEB = TypeWeb(
    read_answer=read_answer,
    editor_fields=FIELDS,
    read_record=read_record,
    fill_form=fill_form,
    editor_rows=editor_rows,
)
