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
from dataclasses import dataclass
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
from app.formats.languages import moodle_code
from app.formats.moodle_files import legacy_image, missing_references, read_files
from app.formats.moodle_lang import (
    MOST_LANGUAGES,
    Scan,
    looks_multilingual,
    plain,
    project,
    scan,
)
from app.formats.moodle_types import (
    LISTS,
    MoodleHooks,
    MoodleItem,
    read_feedback_extras,
    rich_text,
)
from app.formats.tags import apply_tags, read_tags
from app.formats.texts_cases import without_case
from app.formats.translated import (
    case_in,
    case_misfits,
    case_read_back,
    keeps,
    misfits,
    read_back,
)
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


@dataclass
class _Languages:
    """A `<question>` in several languages: the element as written, its runs, the
    source language and the others."""

    el: Element
    scan: Scan
    source: str
    others: list[str]

    def copy(self, item: MoodleItem, tag: str) -> MoodleItem:
        """The question as it reads in one of the other languages; its complaints are
        kept apart (the source's copy has made them already)."""
        el = project(self.el, self.scan, tag, self.source)
        return MoodleItem(el, item.path, item.number, item.source, [])


class _QuizReader:
    """Walks the questions of one quiz, remembering the current category."""

    def __init__(self, source: str, result: ParseResult) -> None:
        self.source = source
        self.result = result
        self.category = ""
        self.number = 0
        # The source language of the file's multilingual texts: the first language of
        # the first run of multilang spans (a Clausewise export writes the source first).
        self.language: str | None = None

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
        case = qtype == "description" and SCENARIO_TAG in tags
        found = None if case else _reader(qtype, el)
        if not case and found is None:
            name = plain(item.name) or f"question {self.number}"
            self.result.unsupported.append(Unsupported(qtype, name, item.location()))
            return
        languages = self._languages(item) if looks_multilingual(el) else None
        if item.failed:
            return
        if found is None:
            self._scenario(item, languages)
            return
        key, hooks = found
        question = self._read(item, key, hooks, tags, self.result.bank.scenarios)
        if item.failed:
            return
        if languages is not None:
            for tag in languages.others:
                self._translation(item, languages, tag, (key, hooks, tags), question)
        self.result.bank.questions.append(question)

    def _read(
        self,
        item: MoodleItem,
        key: str,
        hooks: MoodleHooks,
        tags: list[str],
        cases: list[ScenarioRecord],
    ) -> QuestionRecord:
        """A question of the type `key` from its (possibly one language's) element; a
        Moodle 1.9 image is added to the source's copy only."""
        question = _common(item, tags, self.category, cases)
        if item.problems is self.result.problems:
            legacy_image(item.el, item.path, self.source, self.result, question)
        question.type = key
        hooks.read(item, question)
        read_feedback_extras(item, question)
        return question

    def _languages(self, item: MoodleItem) -> _Languages | None:
        """The languages of a question that names some, its element then read as its
        source; None (with errors) when its markup cannot be read."""
        found = scan(item.el, item.path)
        for path, fault in found.faults:
            item.error(_about(item, fault), path)
        if item.failed:
            return None
        if len(found.languages) > MOST_LANGUAGES:
            crowded = {
                "question": _label(item),
                "count": len(found.languages),
                "most": MOST_LANGUAGES,
            }
            item.error(Message("moodle.lang_too_many", crowded))
            return None
        if self.language is None and found.in_runs:
            self.language = self.result.bank.language = found.in_runs[0]
            self.result.bank.given.add("language")
        source = self.language or self.result.bank.language
        if found.in_runs and source not in found.in_runs:
            said = {"question": _label(item), "code": moodle_code(source)}
            item.error(Message("moodle.lang_no_source", said))
            return None
        for path, gap in found.gaps(source):
            item.error(_about(item, gap), path)
        if item.failed:
            return None
        others = [tag for tag in found.languages if tag != source]
        languages = _Languages(item.el, found, source, others)
        item.el = project(item.el, found, source, source)
        return languages

    def _translation(
        self,
        item: MoodleItem,
        languages: _Languages,
        tag: str,
        kind: tuple[str, MoodleHooks, list[str]],
        question: QuestionRecord,
    ) -> None:
        """Read the question in another language as its translation."""
        copy = languages.copy(item, tag)
        cases = [case_in(s, s.translations.get(tag)) or s for s in self.result.bank.scenarios]
        with noting():  # what the source's copy could not keep is noted already
            shown = self._read(copy, *kind, cases)
        if copy.failed:
            problem = _first(copy)
            said = {"question": item.label, "code": moodle_code(tag), "problem": problem}
            item.error(Message("moodle.lang_unreadable", said))
            return
        t = read_back(question, shown, tag, languages.source)
        found, severity = misfits(question, t)
        self.result.problems += [Problem(item.location(), m, severity) for m in found]
        if keeps(found, severity):
            question.translations[tag] = t

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

    def _scenario(self, item: MoodleItem, languages: _Languages | None) -> None:
        case = _case(item)
        if case is None:
            return
        if languages is not None:
            for tag in languages.others:
                self._case_translation(item, languages, tag, case)
        if not item.failed:
            self.result.bank.scenarios.append(case)

    def _case_translation(
        self, item: MoodleItem, languages: _Languages, tag: str, case: ScenarioRecord
    ) -> None:
        """Read a case text in another language as its translation."""
        copy = languages.copy(item, tag)
        with noting():
            shown = _case(copy)
        if shown is None:
            problem = _first(copy)
            said = {"question": item.label, "code": moodle_code(tag), "problem": problem}
            item.error(Message("moodle.lang_unreadable", said))
            return
        t = case_read_back(case, shown, tag, languages.source)
        found = case_misfits(case, t)
        self.result.problems += [Problem(item.location(), m) for m in found]
        if not found:
            case.translations[tag] = t


def _case(item: MoodleItem) -> ScenarioRecord | None:
    """The case text a `description` question tagged as a scenario holds."""
    idnumber = (item.el.findtext("idnumber") or "").strip()
    fallback = f"scenario-{item.number}"
    scenario_id = idnumber if _SLUG.match(idnumber) else slugify(idnumber or item.name, fallback)
    text = rich_text(item.el.find("questiontext"))
    if not text:
        item.error(
            Message("moodle.scenario_text", {"question": item.label}),
            f"{item.path}/questiontext",
        )
        return None
    title = "" if item.name == idnumber else item.name
    return ScenarioRecord(scenario_id, title, text)


def _about(item: MoodleItem, fault: Message) -> Message:
    """A fault of the language markup, said of the question it is in."""
    return Message("moodle.lang_problem", {"question": _label(item), "problem": fault})


def _label(item: MoodleItem) -> str:
    """What messages call a question whose name may be written in several languages:
    its name in the first, else its position."""
    name = plain(item.name)
    return f"'{name}'" if name else str(item.number)


def _first(copy: MoodleItem) -> Message | str:
    """The first error a language's copy of a question met."""
    errors = [p.message for p in copy.problems if p.severity == "error"]
    return errors[0] if errors else ""


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
