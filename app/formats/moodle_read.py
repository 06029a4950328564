"""Reading Moodle XML question exports (`<quiz>` of `<question type=…>`) into a bank.

Categories set the category path of the questions that follow; clause numbers in a
category path become clauses when a question has no clause tags. A `description`
question tagged `clausewise-scenario` is a scenario; questions tagged `scenario:<id>`
refer to it. Each other kind is read by the question type whose Moodle hooks name it
(`MoodleHooks.kind`, in the type's `formats.py`); kinds no type reads are listed as
unsupported, not as errors.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from xml.etree.ElementTree import Element

from app.domain import question_types
from app.domain.messages import Message
from app.domain.records import (
    LEVELS,
    BankRecord,
    Location,
    ParseResult,
    Problem,
    QuestionRecord,
    ScenarioRecord,
    Unsupported,
)
from app.formats import type_formats
from app.formats.data_images import data_resolver
from app.formats.html_media import noting, renaming, resolving
from app.formats.moodle_files import legacy_image, missing_references, read_files
from app.formats.moodle_types import (
    LISTS,
    MoodleHooks,
    MoodleItem,
    read_feedback_extras,
    rich_text,
)
from app.formats.tags import apply_tags, read_tags
from app.formats.texts_cases import without_case
from app.formats.xml_support import (
    child_paths,
    local_name,
    make_ids_unique,
    parse_number,
    parse_xml,
    question_id,
    slugify,
)

SCENARIO_TAG = "clausewise-scenario"
SCENARIO_PREFIX = "scenario:"
TOP_CATEGORY = "clausewise"
_CONTEXT_PREFIX = re.compile(r"^\$(?:course|system|module|cat\d*)\$/(?:top/)?", re.IGNORECASE)
_SLUG = re.compile(r"^[a-z0-9-]+$")


def read(content: bytes, source: str = "<input>") -> ParseResult:
    """Read a Moodle XML export; every problem is reported with its element path."""
    stem = PurePath(source).stem if source != "<input>" else ""
    bank = BankRecord(id=slugify(stem, "moodle-import"), title=stem or "Moodle XML import")
    result = ParseResult(bank)
    root = parse_xml(content, source)
    if isinstance(root, Problem):
        result.problems.append(root)
        return result
    name = local_name(root.tag)
    if name != "quiz":
        message = Message("moodle.root", {"name": name})
        result.problems.append(Problem(Location(file=source, path=name), message))
        return result
    reader = _QuizReader(source, result)
    for el, path in child_paths(root, "quiz", LISTS):
        if el.tag == "question":
            where = Location(file=source, path=path)
            pasted = data_resolver(result.bank, result.problems, where)
            names = read_files(el, path, source, result)
            with noting() as notes, resolving(pasted), renaming(names):
                reader.question(el, path)
            result.problems.extend(
                Problem(Location(file=source, path=path), note, "warning") for note in notes
            )
    make_ids_unique(bank.questions, result.problems)
    if b"@@PLUGINFILE@@" in content or b"asset:" in content:  # else no text refers to a file
        missing_references(result, source)
    return result


class _QuizReader:
    """Walks the questions of one quiz, remembering the current category."""

    def __init__(self, source: str, result: ParseResult) -> None:
        self.source = source
        self.result = result
        self.category = ""
        self.number = 0

    def question(self, el: Element, path: str) -> None:
        """Read one <question> element of any type."""
        self.number += 1
        item = MoodleItem(el, path, self.number, self.source, self.result.problems)
        qtype = (el.get("type") or "").strip().lower()
        if qtype == "category":
            self._category(el)
            return
        if not qtype:
            item.error(Message("moodle.no_type", {"question": item.label}))
            return
        tags = [(t.findtext("text") or "").strip() for t in el.findall("tags/tag")]
        if qtype == "description" and SCENARIO_TAG in tags:
            self._scenario(item)
            return
        found = _reader(qtype, el)
        if found is None:
            name = item.name or f"question {self.number}"
            self.result.unsupported.append(Unsupported(qtype, name, item.location()))
            return
        key, hooks = found
        question = _common(item, tags, self.category, self.result.bank.scenarios)
        legacy_image(item.el, item.path, self.source, self.result, question)
        question.type = key
        hooks.read(item, question)
        read_feedback_extras(item, question)
        if not item.failed:
            self.result.bank.questions.append(question)

    def _category(self, el: Element) -> None:
        self.category = (el.findtext("category/text") or "").strip()
        path = _CONTEXT_PREFIX.sub("", self.category).strip("/").split("/")
        if path[0] != TOP_CATEGORY or len(path) > 2:  # clausewise, or clausewise/<bank>
            return
        idnumber = (el.findtext("idnumber") or "").strip()
        if _SLUG.match(idnumber):
            self.result.bank.id = idnumber
        if el.find("info") is not None:
            self.result.bank.description = rich_text(el.find("info"))
            self.result.bank.given.add("description")

    def _scenario(self, item: MoodleItem) -> None:
        idnumber = (item.el.findtext("idnumber") or "").strip()
        fallback = f"scenario-{item.number}"
        scenario_id = (
            idnumber if _SLUG.match(idnumber) else slugify(idnumber or item.name, fallback)
        )
        text = rich_text(item.el.find("questiontext"))
        if not text:
            item.error(
                Message("moodle.scenario_text", {"question": item.label}),
                f"{item.path}/questiontext",
            )
            return
        title = "" if item.name == idnumber else item.name
        self.result.bank.scenarios.append(ScenarioRecord(scenario_id, title, text))


NAME_SEPARATOR = " — "
_EXCERPT = 60


def question_name(key: str, title: str, stem: str) -> str:
    """The name Moodle lists a question by: its id, then its title or the start of its
    stem (cut at a word, with an ellipsis), so questions are told apart in Moodle."""
    return f"{key}{NAME_SEPARATOR}{title or _excerpt(stem)}"


def _excerpt(stem: str) -> str:
    """The first words of a stem as plain text, at most _EXCERPT characters."""
    text = " ".join(re.sub(r"[*_`#>\[\]]", "", stem).split())
    if len(text) <= _EXCERPT:
        return text
    return text[:_EXCERPT].rsplit(" ", 1)[0] + "…"


def _title(name: str, idnumber: str, stem: str) -> str:
    """The title a name gives: none when it is the id, or the id and the stem's start."""
    if name == idnumber or not name:
        return ""
    prefix = f"{idnumber}{NAME_SEPARATOR}"
    if idnumber and name.startswith(prefix):
        rest = name[len(prefix) :]
        return "" if rest == _excerpt(stem) else rest
    return name


def _readers() -> dict[str, list[tuple[str, MoodleHooks]]]:
    """The types that read each Moodle kind, with their hooks, in the registry's order."""
    found: dict[str, list[tuple[str, MoodleHooks]]] = {}
    for kind in question_types.all_types():
        hooks = type_formats.hooks(kind.key).moodle
        if hooks is not None:
            found.setdefault(hooks.kind, []).append((kind.key, hooks))
    return found


def _reader(kind: str, el: Element) -> tuple[str, MoodleHooks] | None:
    """The type that reads a `<question>` of `kind`, and its hooks; None when none does."""
    for key, hooks in _readers().get(kind, []):
        if hooks.accepts(el):
            return key, hooks
    return None


def _common(
    item: MoodleItem, tags: list[str], category: str, cases: list[ScenarioRecord]
) -> QuestionRecord:
    """The fields every question type shares: id, title, texts, marks and tags."""
    el = item.el
    idnumber = (el.findtext("idnumber") or "").strip()
    stem = rich_text(el.find("questiontext"))
    q = QuestionRecord(id=question_id(idnumber, item.name, f"q{item.number}"), type="", stem=stem)
    q.title = _title(item.name, idnumber, stem)
    q.derived_id = not idnumber
    q.explanation = rich_text(el.find("generalfeedback"))
    q.location = item.location()
    if not stem:
        item.error(Message("moodle.no_stem", {"question": item.label}), f"{item.path}/questiontext")
    grade = el.findtext("defaultgrade")
    if grade is not None:
        marks = parse_number(grade)
        if marks is None:
            item.error(
                Message("moodle.defaultgrade", {"question": item.label, "grade": grade.strip()}),
                f"{item.path}/defaultgrade",
            )
        else:
            q.marks = marks
    scenario = [t for t in tags if t.lower().startswith(SCENARIO_PREFIX)]
    if scenario:
        q.scenario = scenario[0][len(SCENARIO_PREFIX) :].strip()
        stem = without_case(cases, q.scenario, q.stem)  # the case our export put on top
        if stem != q.stem:
            q.stem = stem
            q.title = _title(item.name, idnumber, q.stem)
    apply_tags(q, [t for t in tags if t not in scenario], category)
    if read_tags(tags).level is None:
        levels = [s for s in re.split(r"[/|]", category.lower()) if s.strip() in LEVELS]
        if levels:
            q.level = levels[-1].strip()
    return q
