"""The contract every question type fulfils, and small helpers the types share.

A question type is a stateless object registered by key. It checks a question's
definition, says what a learner may see, normalises a learner's raw response, grades
it as a fraction of the marks, and knows the expected score of a random guess.

Learners refer to the parts of a question (options, steps, matching prompts and
matches) by public ids (`AnswerIds`, opaque and per attempt): the learner view, the
responses a learner sends and the responses echoed back to them all use public ids,
and `parse_response` turns them into the real ids that are stored and graded. Without
`ids` (authors' previews, tests) the public ids are the real ones.

A definition's problems are `Message`s, never sentences: the checks every type shares
use the codes of `TEXTS` below ("type.*"), and each plug-in keeps the sentences of its
own codes ("<key>.*") in a `TEXTS` of its `domain.py`; `app.messages` renders them.
A malformed response is refused the same way: `parse_response` raises `ResponseError`,
a ValueError holding such a `Message`, which the web renders for the learner.
"""

from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, ClassVar

from app.domain.answer_ids import AnswerIds, Parts
from app.domain.messages import N_, Message, Text, ngettext
from app.domain.records import QuestionRecord

# The sentences of the checks every type shares, and of the choice types' options.
# A count of parts without text keeps today's English, "(s)" and all, in both forms;
# the count lets a translation choose its own plural forms.
TEXTS: dict[str, Text] = {
    "type.stem_empty": N_("the stem is empty"),
    "type.marks_not_positive": N_("marks must be more than 0; it has %(marks)s"),
    "type.option_without_id": N_("every option needs an id"),
    "type.repeated_option_ids": N_("option ids must be unique; repeated: %(ids)s"),
    "type.option_without_text": ngettext(
        "%(num)d option(s) have no text", "%(num)d option(s) have no text"
    ),
    "type.repeated_options": N_("each option needs a different text; repeated: %(texts)s"),
    # what is wrong with a learner's response to a choice type (ResponseError); the id
    # comes quoted as typed
    "type.answer_not_option_list": N_("the answer must be a list of option ids"),
    "type.chosen_option_not_id": N_("every chosen option must be given by its id"),
    "type.no_such_option": N_("there is no option %(id)s in this question"),
}

# Type-specific fields of QuestionRecord and their empty values: a type that does not
# use a field must leave it empty, so a stray field is reported instead of ignored.
TYPE_FIELDS: dict[str, object] = {
    "options": [],
    "answer": None,
    "feedback_true": "",
    "feedback_false": "",
    "pairs": [],
    "extra_matches": [],
    "steps": [],
    "answers": [],
    "rubric": [],
    "model_answer": "",
    "data": {},
}


class ResponseError(ValueError):
    """What is wrong with a learner's raw response: a `Message`, never a sentence.

    The web renders `message` (app.messages.render); `str()` gives the source English
    of the same sentence, for logs and tests that run without a translation.
    """

    def __init__(self, message: Message) -> None:
        super().__init__(message.code)
        self.message = message

    def __str__(self) -> str:
        """The sentence in source English with its parameters; the code if it has none."""
        from app.domain.question_types import texts

        text = texts().get(self.message.code)
        if text is None:
            return self.message.code
        if isinstance(text, tuple):
            text = text[0] if self.message.count == 1 else text[1]
        params = dict(self.message.params)
        if self.message.count is not None:
            params.setdefault("num", self.message.count)
        return text % params if params else text


class QuestionType(ABC):
    """One kind of question: validation, learner view, response parsing and grading."""

    key: ClassVar[str]
    sort_order: ClassVar[int] = 100  # where the type sits in lists (editor menu, filters)
    label: ClassVar[str]  # English, marked N_ for the catalogue; translated where shown
    auto_graded: ClassVar[bool] = True
    fields: ClassVar[tuple[str, ...]] = ()
    # What each group of `data_texts` holds, as the translation sheet labels one of its
    # texts by id: {"items": N_("Item %(id)s")}; English, translated where shown.
    data_labels: ClassVar[dict[str, str]] = {}

    def validate(self, q: QuestionRecord) -> list[Message]:
        """The problems with the question's definition; empty when it is usable."""
        problems: list[Message] = []
        if not q.stem.strip():
            problems.append(Message("type.stem_empty"))
        if not q.marks > 0:
            problems.append(Message("type.marks_not_positive", {"marks": number(q.marks)}))
        for name, empty in TYPE_FIELDS.items():
            if name not in self.fields and getattr(q, name) != empty:
                problems.append(self.unused_field(name))
        return problems + self.check(q)

    @abstractmethod
    def check(self, q: QuestionRecord) -> list[Message]:
        """Problems with the fields that only this type uses."""

    @abstractmethod
    def unused_field(self, field: str) -> Message:
        """The problem of a field (or fields, joined) this type does not use.

        One sentence per type, which names the type ("a true/false question does not
        use options; remove it"), so each plug-in says it with a code of its own.
        """

    def learner_view(
        self, q: QuestionRecord, order: list[str] | None = None, ids: AnswerIds | None = None
    ) -> dict[str, Any]:
        """What a learner may see before answering: never the key, feedback or real ids."""
        view: dict[str, Any] = {"type": self.key, "stem": q.stem, "marks": q.marks}
        view.update(self.view_fields(q, order, self.ids_for(q, ids)))
        return view

    def view_fields(
        self, q: QuestionRecord, order: list[str] | None, ids: AnswerIds
    ) -> dict[str, Any]:
        """Type-specific additions to the learner view, under public ids."""
        return {}

    def parts(self, q: QuestionRecord) -> Parts:
        """The real ids of the parts a learner refers to, by group; empty if none."""
        return {}

    def ids_for(self, q: QuestionRecord, ids: AnswerIds | None) -> AnswerIds:
        """The given public ids, or the real ids themselves when none are given."""
        return ids if ids is not None else AnswerIds.identity(self.parts(q))

    def public_response(self, q: QuestionRecord, value: object, ids: AnswerIds | None) -> object:
        """A stored (parsed) response as the learner gave it, in public ids."""
        return value

    def shuffle_ids(self, q: QuestionRecord) -> list[str]:
        """Ids whose display order may be shuffled; empty when nothing is shuffled."""
        return []

    def data_texts(self, q: QuestionRecord) -> dict[str, dict[str, str]] | None:
        """The translatable texts of the type's own fields (`data`), by group and by the
        stable id of their part: `{"categories": {"inc": "Incident"}, "items": {…}}`.

        None (the default) when the type cannot translate its data: an item with `data`
        then shows only in its source language (app.domain.localized).
        """
        return None

    def translated_data(
        self, q: QuestionRecord, texts: dict[str, dict[str, str]]
    ) -> dict[str, Any]:
        """A copy of `data` with the given texts (shaped as `data_texts`) in place of the
        source's; ids, keys and order never change, and a part given no text keeps its
        own. The default, for a type that cannot translate its data, changes nothing."""
        return copy.deepcopy(q.data)

    @abstractmethod
    def parse_response(
        self, q: QuestionRecord, raw: object, ids: AnswerIds | None = None
    ) -> object:
        """A raw response in public ids, checked and turned into real ids.

        None when unanswered; `ResponseError` (a ValueError) says what is wrong.
        """

    @abstractmethod
    def grade(self, q: QuestionRecord, response: object) -> float | None:
        """Fraction of the marks (0..1) a parsed response earns; None if a trainer must mark."""

    @abstractmethod
    def random_guess(self, q: QuestionRecord) -> float:
        """Expected fraction of the marks earned by answering at random."""

    @abstractmethod
    def correct_response(self, q: QuestionRecord) -> object:
        """The key, in the same shape as parse_response returns."""


def number(value: float) -> str:
    """A number as a person writes it: 2 rather than 2.0."""
    return str(int(value)) if float(value).is_integer() else str(value)


def normalise_text(text: str) -> str:
    """Text compared ignoring case and spacing."""
    return " ".join(text.split()).casefold()


def is_blank(raw: object) -> bool:
    """True for the ways a form or JSON says 'no answer'."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, list | tuple | set | frozenset | dict):
        return len(raw) == 0
    return False


def id_problems(
    ids: list[str], missing: Message, repeated: Callable[[str], Message]
) -> list[Message]:
    """Empty or repeated ids among the parts of a question.

    `missing` is the problem of a part without an id; `repeated` makes the problem that
    names the repeated ids (joined by ", "). Each kind of part has sentences of its own.
    """
    problems = []
    if any(not i.strip() for i in ids):
        problems.append(missing)
    twice = sorted({i for i in ids if i.strip() and ids.count(i) > 1})
    if twice:
        problems.append(repeated(", ".join(twice)))
    return problems


def text_problems(
    texts: list[str], empty: Callable[[int], Message], repeated: Callable[[str], Message]
) -> list[Message]:
    """Empty or repeated texts among the parts of a question.

    `empty` makes the problem that counts the parts without text; `repeated` the one that
    names the repeated texts (normalised, joined by "; "). Each kind of part has
    sentences of its own.
    """
    problems = []
    blank = sum(1 for t in texts if not t.strip())
    if blank:
        problems.append(empty(blank))
    seen = [normalise_text(t) for t in texts if t.strip()]
    twice = sorted({t for t in seen if seen.count(t) > 1})
    if twice:
        problems.append(repeated("; ".join(twice)))
    return problems


def ordered(ids: list[str], order: list[str] | None) -> list[str]:
    """The ids in the given display order, which must list each of them exactly once."""
    if order is None:
        return list(ids)
    if sorted(order) != sorted(ids):
        raise ValueError("the display order must list every id of the question exactly once")
    return list(order)


def display_ids(texts: list[str], prefix: str, avoid: set[str]) -> dict[str, str]:
    """Stable ids for texts, numbered in alphabetical order so they reveal nothing.

    The prefix grows until no generated id equals one of `avoid`, so a display id
    can never be mistaken for a real id of the question.
    """
    ranked = sorted(dict.fromkeys(texts), key=lambda t: (normalise_text(t), t))
    while any(f"{prefix}{n}" in avoid for n in range(1, len(ranked) + 1)):
        prefix += prefix[-1]
    return {text: f"{prefix}{n}" for n, text in enumerate(ranked, start=1)}


def id_list(raw: object, not_list: Message, not_id: Message) -> list[str]:
    """A raw response that should be a list of ids, as a list of strings.

    `not_list` and `not_id` refuse a response which is no list, or lists something other
    than ids; each kind of part has sentences of its own.
    """
    if isinstance(raw, str):
        return [raw.strip()]
    if not isinstance(raw, list | tuple | set | frozenset):
        raise ResponseError(not_list)
    if not all(isinstance(item, str) for item in raw):
        raise ResponseError(not_id)
    return [item.strip() for item in raw]


def bounded_text(
    raw: object, limit: int, not_text: Message, too_long: Callable[[str, str], Message]
) -> str | None:
    """A free-text response, None when blank; `ResponseError` if not text or too long.

    `not_text` refuses a response that is no text; `too_long` makes the problem from the
    limit and the length, both written with thousands separators. Each type has its own.
    """
    if is_blank(raw):
        return None
    if not isinstance(raw, str):
        raise ResponseError(not_text)
    if len(raw) > limit:
        raise ResponseError(too_long(format(limit, ","), format(len(raw), ",")))
    return raw.strip()


class ChoiceType(QuestionType):
    """A type whose parts are `options` a learner picks from: single choice, multiple
    response. Each checks its options' ids and texts alike, shows them under public ids
    in display order, and lets them be shuffled; it adds its own rules on how many
    options there are and how many are correct."""

    fields: ClassVar[tuple[str, ...]] = ("options",)

    def check(self, q: QuestionRecord) -> list[Message]:
        """Options with ids and distinct texts, then the type's own rules on them."""
        return option_problems(q) + self.check_options(q)

    @abstractmethod
    def check_options(self, q: QuestionRecord) -> list[Message]:
        """The type's rules on the number of options and of correct ones."""

    def view_fields(
        self, q: QuestionRecord, order: list[str] | None, ids: AnswerIds
    ) -> dict[str, Any]:
        """The options, in display order."""
        return {"options": option_view(q, order, ids)}

    def parts(self, q: QuestionRecord) -> Parts:
        """The options."""
        return {"option": [o.id for o in q.options]}

    def shuffle_ids(self, q: QuestionRecord) -> list[str]:
        """Options may be shown in any order."""
        return [o.id for o in q.options]


def option_problems(q: QuestionRecord) -> list[Message]:
    """Id and text problems shared by the choice types."""
    return id_problems(
        [o.id for o in q.options],
        Message("type.option_without_id"),
        lambda ids: Message("type.repeated_option_ids", {"ids": ids}),
    ) + text_problems(
        [o.text for o in q.options],
        lambda blank: Message("type.option_without_text", count=blank),
        lambda texts: Message("type.repeated_options", {"texts": texts}),
    )


def option_view(q: QuestionRecord, order: list[str] | None, ids: AnswerIds) -> list[dict[str, str]]:
    """Public option ids and texts in display order, without correct flags or feedback."""
    by_id = {o.id: o.text for o in q.options}
    return [{"id": ids.public("option", i), "text": by_id[i]} for i in ordered(list(by_id), order)]


def no_such_option(public: str) -> Message:
    """The problem of a chosen option id (quoted as typed) the question does not have."""
    return Message("type.no_such_option", {"id": public})


def real_ids(
    ids: AnswerIds, group: str, given: list[str], unknown: Callable[[str], Message]
) -> list[str]:
    """The real ids behind public ones; `unknown` makes the `ResponseError` that names
    the first unknown one, quoted as typed."""
    found = []
    for public in given:
        real = ids.real(group, public)
        if real is None:
            raise ResponseError(unknown(repr(public)))
        found.append(real)
    return found


# The problems of a pairing response, in this order: not a mapping, an unknown left id,
# a right that is no id, an unknown right id (the unknown ones made from the id as typed).
PairErrors = tuple[Message, Callable[[str], Message], Message, Callable[[str], Message]]


def real_pairs(
    raw: object, ids: AnswerIds, left: str, right: str, errors: PairErrors
) -> dict[str, str] | None:
    """A response pairing public `left` ids with public `right` ids, read back as real
    ones; blank pairs are left out, and nothing paired is None. `errors` are the type's
    own problems for each way the response can be malformed (see `PairErrors`)."""
    if is_blank(raw):
        return None
    not_mapping, unknown_left, not_id, unknown_right = errors
    if not isinstance(raw, dict):
        raise ResponseError(not_mapping)
    paired: dict[str, str] = {}
    for given, value in raw.items():
        real_left = ids.real(left, given)
        if real_left is None:
            raise ResponseError(unknown_left(repr(given)))
        if is_blank(value):
            continue
        if not isinstance(value, str):
            raise ResponseError(not_id)
        real_right = ids.real(right, value)
        if real_right is None:
            raise ResponseError(unknown_right(repr(value)))
        paired[real_left] = real_right
    return paired or None
