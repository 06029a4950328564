"""Reading and writing a QTI item's conditional feedback, kept per outcome.

QTI shows a `modalFeedback` (after the response is processed) or a `feedbackBlock` (in
the item body) when its outcome variable holds its identifier (`showHide="show"`), or
unless it does (`showHide="hide"`). Reading, each is put where Clausewise keeps it:

- keyed on a choice (its outcome is a copy of the response, as in "FEEDBACK = RESPONSE",
  or its identifier names a choice): that choice's feedback;
- keyed on an outcome name (`correct`, `partially_correct`, `incorrect`, and their
  usual spellings): the question's combined feedback for that outcome;
- shown whatever the answer (`showHide="hide"`, or no outcome at all): the explanation.

Anything else is conditional in a way Clausewise cannot follow: it goes to the
explanation with a warning, so nothing is silently lost or silently shown to all.

Writing, the combined feedback is one `modalFeedback` per outcome on the outcome
FEEDBACKBASIC, which response processing sets from the score.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from app.domain.messages import Message
from app.domain.records import COMBINED_FEEDBACK, QuestionRecord
from app.formats.qti_model import ItemReader, attr, descendants, kind, markdown_of
from app.formats.xml_support import format_number, sub

OUTCOME = "FEEDBACKBASIC"
# The identifier each combined feedback field is written with.
WRITTEN = dict(zip(COMBINED_FEEDBACK, ("correct", "partially_correct", "incorrect"), strict=True))
# Identifiers read as an outcome, compared in lower case without '_', '-' or spaces.
_OUTCOMES = {
    "correct": "correct_feedback",
    "right": "correct_feedback",
    "partiallycorrect": "partial_feedback",
    "partlycorrect": "partial_feedback",
    "partial": "partial_feedback",
    "incorrect": "incorrect_feedback",
    "wrong": "incorrect_feedback",
}
_CHOICE_KINDS = ("simpleChoice", "simpleAssociableChoice", "inlineChoice", "hottext", "gapText")


def read_feedback(reader: ItemReader, q: QuestionRecord, interaction: Element) -> None:
    """Put each modalFeedback and feedbackBlock of the item where it belongs."""
    found = [(el, p) for el, p in descendants(reader.root, reader.path) if _is_feedback(el)]
    copies, set_somewhere = _outcomes_set(reader)
    choice_ids = _choice_ids(interaction)
    general: list[str] = []
    for el, el_path in found:
        text = markdown_of(el)
        if not text:
            continue
        target = _target(el, copies, choice_ids, set_somewhere)
        if target == "general":
            general.append(text)
        elif target in COMBINED_FEEDBACK:
            setattr(q, target, _joined(getattr(q, target), text))
        elif target.startswith("choice:"):
            if not _to_choice(q, choice_ids, target.removeprefix("choice:"), text):
                general.append(text)  # a choice with no feedback of its own
        else:
            general.append(text)
            shown = {"identifier": attr(el, "identifier") or "", "outcome": target}
            reader.warn(Message("qti.feedback_condition", shown), el_path)
    q.explanation = "\n\n".join(general)


def _is_feedback(el: Element) -> bool:
    return kind(el) in ("modalFeedback", "feedbackBlock")


def _joined(before: str, text: str) -> str:
    return f"{before}\n\n{text}" if before else text


def _target(
    el: Element, copies: set[str], choice_ids: dict[str, str], set_somewhere: set[str]
) -> str:
    """Where one feedback goes: "general", a combined feedback field, "choice:<id>",
    or the outcome it hangs on when Clausewise cannot follow it. Feedback on an outcome
    that nothing sets (a template's processing sets SCORE only) is meant for everyone."""
    outcome = attr(el, "outcomeIdentifier") or ""
    ident = (attr(el, "identifier") or "").strip()
    if not outcome or (attr(el, "showHide") or "show").strip() == "hide":
        return "general"
    if outcome in copies and ident in choice_ids:
        return f"choice:{ident}"
    named = _OUTCOMES.get("".join(ch for ch in ident.lower() if ch not in "_- "))
    if named is not None:
        return named
    if ident in choice_ids:
        return f"choice:{ident}"
    return outcome if outcome in set_somewhere else "general"


def _outcomes_set(reader: ItemReader) -> tuple[set[str], set[str]]:
    """The outcomes response processing sets to the response itself (choice feedback),
    and every outcome it sets."""
    responses = set(reader.declarations)
    copies, every = set(), set()
    for el in reader.root.iter():
        if kind(el) != "setOutcomeValue":
            continue
        outcome = attr(el, "identifier") or ""
        every.add(outcome)
        value = [c for c in el if isinstance(c.tag, str)]
        is_variable = len(value) == 1 and kind(value[0]) == "variable"
        if is_variable and attr(value[0], "identifier") in responses:
            copies.add(outcome)
    return copies, every


def _choice_ids(interaction: Element) -> dict[str, str]:
    """Choice identifier -> its text, for the choices of the interaction."""
    found: dict[str, str] = {}
    for el in interaction.iter():  # matchInteraction keeps its choices in match sets
        if kind(el) in _CHOICE_KINDS and attr(el, "identifier"):
            found.setdefault(attr(el, "identifier") or "", markdown_of(el))
    return found


def _to_choice(q: QuestionRecord, choice_ids: dict[str, str], ident: str, text: str) -> bool:
    """Add to a choice's feedback: an option's, or true/false's for the choice 'True' or
    'False'; False when the question keeps no feedback for that choice."""
    for option in q.options:
        if option.id == ident:
            option.feedback = _joined(option.feedback, text)
            return True
    said = choice_ids.get(ident, "").strip().lower()
    if q.type == "true_false" and said in ("true", "false"):
        name = f"feedback_{said}"
        setattr(q, name, _joined(getattr(q, name), text))
        return True
    return False


# --- writing ---------------------------------------------------------------------------


def has_combined(q: QuestionRecord) -> bool:
    """Whether the question has any combined feedback."""
    return any(getattr(q, name) for name in COMBINED_FEEDBACK)


def outcome_rules(rp: Element, marks: float) -> None:
    """FEEDBACKBASIC from SCORE: full marks correct, some partially correct, else incorrect.

    Full marks are compared with a margin of a millionth of the marks: a score made by
    multiplying and dividing (ordering) may miss the exact figure by a rounding.
    """
    condition = sub(rp, "responseCondition")
    full = sub(condition, "responseIf")
    at_least = sub(full, "gte")
    sub(at_least, "variable", identifier="SCORE")
    sub(at_least, "baseValue", format_number(marks * 0.999999, 9), baseType="float")
    _feedback_value(full, "correct")
    some = sub(condition, "responseElseIf")
    above = sub(some, "gt")
    sub(above, "variable", identifier="SCORE")
    sub(above, "baseValue", "0", baseType="float")
    _feedback_value(some, "partially_correct")
    _feedback_value(sub(condition, "responseElse"), "incorrect")


def _feedback_value(parent: Element, value: str) -> None:
    outcome = sub(parent, "setOutcomeValue", identifier=OUTCOME)
    sub(outcome, "baseValue", value, baseType="identifier")
