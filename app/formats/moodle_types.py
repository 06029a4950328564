"""How each Moodle XML question type becomes a Clausewise question.

A builder fills the type-specific fields of a QuestionRecord from one `<question>`
element and reports what is wrong in plain words, with the element path of the fault.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from app.domain.records import (
    Location,
    OptionRecord,
    PairRecord,
    Problem,
    QuestionRecord,
    RubricCriterion,
    StepRecord,
)
from app.formats.grader_notes import read_grader_notes
from app.formats.html_markdown import Node, html_to_markdown, parse_html
from app.formats.xml_support import child_paths, format_number, option_letter, parse_number

LISTS = frozenset({"question", "answer", "subquestion", "tag"})


def rich_text(holder: Element | None, default_format: str = "html") -> str:
    """Markdown for a Moodle text holder (`<questiontext format=…><text>`)."""
    if holder is None:
        return ""
    raw = holder.findtext("text") or ""
    if (holder.get("format") or default_format).lower() == "html":
        return html_to_markdown(raw)
    return raw.strip()


@dataclass
class Answer:
    """One `<answer>` of a question, read once."""

    path: str
    number: int
    text: str
    plain: str
    fraction: float
    feedback: str


@dataclass
class MoodleItem:
    """The `<question>` being read: where it is, what to call it, and its complaints."""

    el: Element
    path: str
    number: int
    source: str
    problems: list[Problem]
    failed: bool = False

    @property
    def name(self) -> str:
        """The question's <name>, stripped."""
        return (self.el.findtext("name/text") or "").strip()

    @property
    def label(self) -> str:
        """How messages name this question."""
        return f"question '{self.name}'" if self.name else f"question {self.number}"

    def location(self, path: str | None = None) -> Location:
        """The location of the question or of one of its elements."""
        return Location(file=self.source, path=path or self.path)

    def error(self, message: str, path: str | None = None) -> None:
        """Record an error that keeps this question out of the import."""
        self.failed = True
        self.problems.append(Problem(self.location(path), f"{self.label}: {message}"))

    def warn(self, message: str, path: str | None = None) -> None:
        """Record a warning; the question is still imported."""
        self.problems.append(Problem(self.location(path), f"{self.label}: {message}", "warning"))

    def children(self, name: str) -> list[tuple[Element, str]]:
        """Direct children with a given name, with their element paths."""
        return [(c, p) for c, p in child_paths(self.el, self.path, LISTS) if c.tag == name]

    def answers(self) -> list[Answer]:
        """Every <answer>, with its fraction checked."""
        found = []
        for number, (el, path) in enumerate(self.children("answer"), start=1):
            raw = el.get("fraction")
            fraction = 0.0 if raw is None else parse_number(raw)
            if fraction is None:
                self.error(f"answer {number} has fraction '{raw}', which is not a number", path)
                fraction = 0.0
            plain = (el.findtext("text") or "").strip()
            text = rich_text(el, "moodle_auto_format")
            feedback = rich_text(el.find("feedback"))
            found.append(Answer(path, number, text, plain, fraction, feedback))
        return found


def _flag(text: str | None, default: bool) -> bool:
    value = (text or "").strip().lower()
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no"):
        return False
    return default


def _full(fraction: float) -> bool:
    return abs(fraction - 100.0) < 1e-4


def build_multichoice(item: MoodleItem, q: QuestionRecord) -> None:
    """Single choice, or multiple response when <single> is false."""
    answers = item.answers()
    if len(answers) < 2:
        item.error(f"multichoice needs at least two answers; it has {len(answers)}")
    for a in answers:
        if not a.text:
            item.error(f"answer {a.number} has no text", a.path)
    if _flag(item.el.findtext("single"), True):
        _single(item, q, answers)
    else:
        _multiple(item, q, answers)


def _single(item: MoodleItem, q: QuestionRecord, answers: list[Answer]) -> None:
    full = [a for a in answers if _full(a.fraction)]
    if len(full) != 1:
        item.error(
            f"multichoice with <single>true</single> has {len(full)} answers with "
            "fraction 100; exactly one is needed"
        )
    for a in answers:
        if 0 < a.fraction < 100 and not _full(a.fraction):
            item.warn(
                f"answer {a.number} has fraction {format_number(a.fraction)}; Clausewise "
                "gives no partial credit in single choice, so it is read as wrong",
                a.path,
            )
    q.type = "single_choice"
    q.options = _options(answers, lambda a: _full(a.fraction))


def _multiple(item: MoodleItem, q: QuestionRecord, answers: list[Answer]) -> None:
    right = [a for a in answers if a.fraction > 0]
    q.type = "multiple_response"
    if not right:
        item.error(
            "multichoice with <single>false</single> has no answer with a positive "
            "fraction; at least one is needed"
        )
    elif len(right) == len(answers):
        item.error(
            "every answer has a positive fraction; multiple response needs at least "
            "one wrong answer, or ticking everything would earn full marks"
        )
    elif len(right) == 1:
        q.type = "single_choice"
        item.warn(
            "multichoice with <single>false</single> has only one answer with a positive "
            "fraction, so it is read as single choice"
        )
    q.options = _options(answers, lambda a: a.fraction > 0)


def _options(answers: list[Answer], correct: Callable[[Answer], bool]) -> list[OptionRecord]:
    return [
        OptionRecord(option_letter(i), a.text, correct(a), a.feedback)
        for i, a in enumerate(answers)
    ]


def build_truefalse(item: MoodleItem, q: QuestionRecord) -> None:
    """True/false from the answers whose text is 'true' and 'false'."""
    answers = {a.plain.lower(): a for a in item.answers()}
    true, false = answers.get("true"), answers.get("false")
    q.type = "true_false"
    if true is None or false is None:
        item.error("truefalse needs one answer 'true' and one answer 'false'")
        return
    if (true.fraction > 0) == (false.fraction > 0):
        item.error("truefalse needs fraction 100 on exactly one of its answers 'true' and 'false'")
    q.answer = true.fraction > 0
    q.feedback_true, q.feedback_false = true.feedback, false.feedback


def build_shortanswer(item: MoodleItem, q: QuestionRecord) -> None:
    """Short answer: the answers with fraction 100 are accepted."""
    q.type = "short_answer"
    for a in item.answers():
        if not _full(a.fraction):
            if a.fraction > 0:
                item.warn(
                    f"answer '{a.plain}' has fraction {format_number(a.fraction)}; Clausewise "
                    "accepts an answer fully or not at all, so it is left out",
                    a.path,
                )
            continue
        if not a.plain:
            item.error(f"answer {a.number} has fraction 100 but no text", a.path)
        elif "*" in a.plain:
            message = f"answer '{a.plain}' uses Moodle's wildcard '*', matched literally here"
            item.warn(message, a.path)
        if a.plain and a.plain not in q.answers:
            q.answers.append(a.plain)
    if not q.answers:
        item.error("shortanswer has no answer with fraction 100")
    if _flag(item.el.findtext("usecase"), False):
        item.warn("it is case-sensitive in Moodle; Clausewise ignores case in short answers")


def build_matching(item: MoodleItem, q: QuestionRecord) -> None:
    """Matching: subquestions with text are pairs, those without text extra matches."""
    q.type = "matching"
    for number, (sub, path) in enumerate(item.children("subquestion"), start=1):
        prompt = rich_text(sub)
        match = (sub.findtext("answer/text") or "").strip()
        if not match:
            if prompt:
                item.error(f"subquestion {number} has no answer text", path)
        elif prompt:
            q.pairs.append(PairRecord(f"p{len(q.pairs) + 1}", prompt, match))
        else:
            q.extra_matches.append(match)
    if len(q.pairs) < 2:
        item.error(f"matching needs at least two subquestions with text; it has {len(q.pairs)}")


def build_ordering(item: MoodleItem, q: QuestionRecord) -> None:
    """Ordering (qtype_ordering): answers in the correct order, or sorted by fraction."""
    q.type = "ordering"
    answers = item.answers()
    if len({a.fraction for a in answers}) == len(answers):
        answers.sort(key=lambda a: a.fraction)
    for a in answers:
        if not a.text:
            item.error(f"answer {a.number} has no text", a.path)
    q.steps = [StepRecord(f"s{i}", a.text) for i, a in enumerate(answers, start=1)]
    if len(q.steps) < 2:
        item.error(f"ordering needs at least two answers to put in order; it has {len(q.steps)}")


def build_essay(item: MoodleItem, q: QuestionRecord) -> None:
    """Essay: rubric and model answer from the grader information."""
    q.type = "essay"
    holder = item.el.find("graderinfo")
    raw = "" if holder is None else holder.findtext("text") or ""
    is_html = holder is not None and (holder.get("format") or "html").lower() == "html"
    notes = read_grader_notes(parse_html(raw) if is_html else Node("#root"))
    for message in notes.errors:
        item.error(message, f"{item.path}/graderinfo")
    q.model_answer = notes.model_answer
    if notes.has_rubric and not notes.rubric and not notes.errors:
        item.error("its rubric table has no rows", f"{item.path}/graderinfo")
    if notes.rubric:
        total = sum(c.marks for c in notes.rubric)
        if item.el.find("defaultgrade") is not None and abs(total - q.marks) > 1e-6:
            item.warn(
                f"defaultgrade {format_number(q.marks)} differs from the rubric total "
                f"{format_number(total)}; the rubric total is used"
            )
        q.rubric, q.marks = notes.rubric, total
        return
    if not notes.has_rubric:
        guidance = html_to_markdown(raw) if is_html else raw.strip()
        q.rubric = [RubricCriterion("Overall answer", q.marks, guidance)]
        item.warn(
            f"it has no Clausewise rubric, so one criterion worth {format_number(q.marks)} "
            "marks was made, with the grader information as its guidance"
        )


BUILDERS: dict[str, Callable[[MoodleItem, QuestionRecord], None]] = {
    "multichoice": build_multichoice,
    "truefalse": build_truefalse,
    "shortanswer": build_shortanswer,
    "matching": build_matching,
    "ordering": build_ordering,
    "essay": build_essay,
}
