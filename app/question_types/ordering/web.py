"""Web parts of ordering: a rank typed for each step, `rank-<step id>`; the editor's
steps in the correct order."""

from __future__ import annotations

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from app.domain.records import QuestionRecord, StepRecord
from app.errors import InvalidInput
from app.web.question_type_parts import Rows, TypeWeb
from app.web.trainer.editor import row_ids, rows_of, shown_rows

BLANK_STEPS = 4


def read_answer(form: MultiDict) -> list[str] | None:
    """Step ids in the order of the ranks typed for them; None when every rank is blank.

    A ranking is only an answer when it numbers every step 1…n, each number once: a
    partial or repeated ranking is refused, never completed or reordered for the learner.
    """
    ranks = {
        name.removeprefix("rank-"): value.strip()
        for name, value in form.items()
        if name.startswith("rank-")
    }
    if not any(ranks.values()):
        return None
    n = len(ranks)
    numbers = {step: whole for step, rank in ranks.items() if (whole := _whole(rank)) is not None}
    if len(numbers) < n:
        raise InvalidInput(_("Give every step a number from 1 to %(n)d.", n=n))
    if sorted(numbers.values()) != list(range(1, n + 1)):
        raise InvalidInput(_("Use each number from 1 to %(n)d once.", n=n))
    return sorted(numbers, key=numbers.__getitem__)


def _whole(text: str) -> int | None:
    """A typed whole number (any script's digits), or None."""
    try:
        return int(text)
    except ValueError:
        return None


def read_record(_form: object, data: MultiDict, record: QuestionRecord) -> None:
    """The steps in the correct order (rows `steps-<n>-text`)."""
    rows = rows_of(data, "steps")
    record.steps = [
        StepRecord(sid, r.get("text", "")) for sid, r in zip(row_ids(rows, "s"), rows, strict=True)
    ]


def editor_rows(record: QuestionRecord | None, posted: MultiDict | None) -> Rows:
    """The step rows to show."""
    found = rows_of(posted, "steps") if posted is not None else None
    return {"steps": shown_rows(record.steps if record else None, found, BLANK_STEPS)}


WEB = TypeWeb(read_answer=read_answer, read_record=read_record, editor_rows=editor_rows)
