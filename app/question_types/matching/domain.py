"""Matching: pair each prompt with the response that belongs to it.

Several prompts may share one match, as in Moodle's matching questions (frog and newt
both -> amphibian): their pairs simply repeat the match's text. A match is its text, so
a shared match is written the same way in each of its pairs; extra matches (which fit
no prompt) each differ from every other match.

Learners see the prompts in their authored order and every distinct offered match (the
pairs' matches plus `extra_matches`), each once, in alphabetical or shuffled order, all
under public ids; a shared match has one public id, derived from its text like any
other, so nothing but the texts the learner reads says which prompts share it.
A learner's response maps public prompt ids to public match ids; it is stored as real
prompt ids mapped to match texts. The display order of the matches is kept as internal
ids numbered alphabetically (m1, m2…), which are never shown.
Score: the share of prompts matched right. A random assignment matches each prompt
with probability 1/(number of distinct offered matches), which is the random-guess score.
"""

from __future__ import annotations

from app.domain.answer_ids import AnswerIds, Parts
from app.domain.messages import N_, Message, Text, ngettext
from app.domain.question_types.base import (
    PairErrors,
    QuestionType,
    display_ids,
    id_problems,
    normalise_text,
    ordered,
    real_pairs,
    text_problems,
)
from app.domain.records import QuestionRecord

TEXTS: dict[str, Text] = {
    "matching.unused_field": N_("a matching question does not use %(field)s; remove it"),
    "matching.pair_without_id": N_("every pair needs an id"),
    "matching.repeated_pair_ids": N_("pair ids must be unique; repeated: %(ids)s"),
    "matching.prompt_without_text": ngettext(
        "%(num)d prompt(s) have no text", "%(num)d prompt(s) have no text"
    ),
    "matching.repeated_prompts": N_("each prompt needs a different text; repeated: %(texts)s"),
    "matching.match_without_text": ngettext(
        "%(num)d match(s) have no text", "%(num)d match(s) have no text"
    ),
    "matching.shared_match_spelling": N_(
        "prompts may share a match, but it must be written the same way in each pair; "
        "written differently: %(texts)s"
    ),
    "matching.repeated_extra_matches": N_(
        "each extra match needs a text no other match has (prompts may share a match, "
        "extra matches may not repeat one); repeated: %(texts)s"
    ),
    "matching.too_few_matches": N_(
        "a matching question needs at least 2 different matches to choose from; it has %(matches)s"
    ),
    "matching.too_few_pairs": N_("a matching question needs at least 2 pairs; it has %(pairs)s"),
    # what is wrong with a learner's response (ResponseError)
    "matching.answer_not_pairs": N_("a matching answer pairs prompt ids with chosen match ids"),
    "matching.no_such_prompt": N_("there is no prompt %(id)s in this question"),
    "matching.chosen_match_not_id": N_("each chosen match must be given by its id"),
    "matching.no_such_match": N_("%(id)s is not one of the offered matches"),
}

_PAIR_ERRORS: PairErrors = (
    Message("matching.answer_not_pairs"),
    lambda public: Message("matching.no_such_prompt", {"id": public}),
    Message("matching.chosen_match_not_id"),
    lambda public: Message("matching.no_such_match", {"id": public}),
)


def offered_matches(q: QuestionRecord) -> list[str]:
    """Every match a learner may choose from, each once (a shared match is one match):
    the pairs' matches in the order of their first pair, then the extra ones."""
    return list(dict.fromkeys([p.match for p in q.pairs] + list(q.extra_matches)))


def _spelling_problems(q: QuestionRecord) -> list[Message]:
    """Pairs whose matches differ only in case or spacing: two matches on the learner's
    list that read alike, where one shared match was meant."""
    spellings: dict[str, set[str]] = {}
    for p in q.pairs:
        if p.match.strip():
            spellings.setdefault(normalise_text(p.match), set()).add(p.match)
    differing = [" / ".join(sorted(s)) for s in spellings.values() if len(s) > 1]
    if not differing:
        return []
    return [Message("matching.shared_match_spelling", {"texts": "; ".join(sorted(differing))})]


def _extra_problems(q: QuestionRecord) -> list[Message]:
    """Extra matches that repeat a pair's match or another extra match."""
    seen = {normalise_text(p.match) for p in q.pairs if p.match.strip()}
    repeated: set[str] = set()
    for text in (normalise_text(t) for t in q.extra_matches if t.strip()):
        if text in seen:
            repeated.add(text)
        seen.add(text)
    if not repeated:
        return []
    return [Message("matching.repeated_extra_matches", {"texts": "; ".join(sorted(repeated))})]


def _source(q: QuestionRecord) -> QuestionRecord:
    """The record whose match texts name the matches: a translated record's source.

    A learner who sees the question in another language answers with the same public
    ids in the same order, and the answer is stored and graded by the source's texts."""
    return q.translated_from or q


def shown_matches(q: QuestionRecord) -> dict[str, str]:
    """Source match text → the text the learner reads (its translation, where shown)."""
    source = _source(q)
    if source is q:
        return {text: text for text in offered_matches(q)}
    shown = {p.match: t.match for p, t in zip(source.pairs, q.pairs, strict=True)}
    shown |= dict(zip(source.extra_matches, q.extra_matches, strict=True))
    return shown


def match_ids(q: QuestionRecord) -> dict[str, str]:
    """Internal display-order id of every offered match, keyed by the match text."""
    texts = offered_matches(q)
    return display_ids(texts, "m", set(texts))


class Matching(QuestionType):
    """Prompts paired with matches (several may share one), optionally padded with
    extra matches."""

    key = "matching"
    sort_order = 40
    label = N_("Matching")
    fields = ("pairs", "extra_matches")

    def check(self, q: QuestionRecord) -> list[Message]:
        """Two or more pairs, unique prompt ids, distinct prompts, each shared match
        written alike, extra matches unlike any other, and two or more matches to choose."""
        problems = id_problems(
            [p.id for p in q.pairs],
            Message("matching.pair_without_id"),
            lambda ids: Message("matching.repeated_pair_ids", {"ids": ids}),
        )
        problems += text_problems(
            [p.prompt for p in q.pairs],
            lambda blank: Message("matching.prompt_without_text", count=blank),
            lambda texts: Message("matching.repeated_prompts", {"texts": texts}),
        )
        blank = sum(1 for t in [p.match for p in q.pairs] + q.extra_matches if not t.strip())
        if blank:
            problems.append(Message("matching.match_without_text", count=blank))
        problems += _spelling_problems(q) + _extra_problems(q)
        if len(q.pairs) < 2:
            problems.append(Message("matching.too_few_pairs", {"pairs": len(q.pairs)}))
        choices = {normalise_text(t) for t in offered_matches(q) if t.strip()}
        if len(q.pairs) >= 2 and not blank and len(choices) < 2:
            problems.append(Message("matching.too_few_matches", {"matches": len(choices)}))
        return problems

    def unused_field(self, field: str) -> Message:
        """A matching question does not use `field`."""
        return Message("matching.unused_field", {"field": field})

    def view_fields(self, q: QuestionRecord, order: list[str] | None, ids: AnswerIds) -> dict:
        """The prompts, and every offered match once in display order, under public ids
        (a shared match is one entry: nothing on it says which prompts it belongs to)."""
        by_id = {mid: text for text, mid in match_ids(_source(q)).items()}
        shown = shown_matches(q)
        return {
            "prompts": [{"id": ids.public("prompt", p.id), "text": p.prompt} for p in q.pairs],
            "matches": [
                {"id": ids.public("match", by_id[i]), "text": shown[by_id[i]]}
                for i in ordered(self.shuffle_ids(q), order)
            ],
        }

    def parts(self, q: QuestionRecord) -> Parts:
        """The prompts (by pair id) and the distinct offered matches (by their source text)."""
        source = _source(q)
        return {"prompt": [p.id for p in source.pairs], "match": list(match_ids(source))}

    def shuffle_ids(self, q: QuestionRecord) -> list[str]:
        """The display ids of the offered matches (the same in every language)."""
        return sorted(match_ids(_source(q)).values(), key=lambda i: int(i.lstrip("m")))

    def parse_response(
        self, q: QuestionRecord, raw: object, ids: AnswerIds | None = None
    ) -> dict[str, str] | None:
        """Real prompt id -> chosen match text; prompts left blank are left out."""
        return real_pairs(raw, self.ids_for(q, ids), "prompt", "match", _PAIR_ERRORS)

    def public_response(self, q: QuestionRecord, value: object, ids: AnswerIds | None) -> object:
        """Public prompt id -> public match id."""
        if not isinstance(value, dict):
            return value
        ids = self.ids_for(q, ids)
        return {ids.public("prompt", p): ids.public("match", m) for p, m in value.items()}

    def grade(self, q: QuestionRecord, response: object) -> float:
        """The share of prompts given their own match (a shared match is right for each
        of its prompts); by the source's texts, in whatever language it was shown."""
        q = _source(q)
        if not isinstance(response, dict) or not q.pairs:
            return 0.0
        right = sum(1 for p in q.pairs if response.get(p.id) == p.match)
        return right / len(q.pairs)

    def random_guess(self, q: QuestionRecord) -> float:
        """Each prompt is right with probability 1/(number of offered matches)."""
        offered = len(offered_matches(_source(q)))
        return 1.0 / offered if offered else 0.0

    def correct_response(self, q: QuestionRecord) -> dict[str, str]:
        """Each prompt id with its match (by the source's text, as responses are stored)."""
        return {p.id: p.match for p in _source(q).pairs}


TYPE = Matching()
