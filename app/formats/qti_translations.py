"""Translations in a QTI package: one item file per language, linked by the manifest.

A QTI item holds one language, named by `xml:lang` on its root. A translated question
is therefore written once per language: `items/<id>.xml` in the bank's language (the
resource's `href`, the file every tool imports) and `items/<id>.<tag>.xml` in each
translation's, with the same identifier and interaction. The translations' files are
listed as further `<file>`s of the question's resource, so tools that know nothing of
them import the source item alone. `<cw:question>` says of each translation what its
item cannot hold exactly (`translations`: href, source hash, title, exact texts, hints;
see qti_meta), as it does for the source.

Reading takes every further `<file>` of a resource that is a QTI item in another
language (or that `<cw:question>` names) as a translation of the resource's item.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

from app.domain.assets import references
from app.domain.messages import Message
from app.domain.records import (
    Location,
    ParseResult,
    Problem,
    QuestionRecord,
    ScenarioRecord,
)
from app.formats.asset_refs import question_references
from app.formats.html_media import noting, resolving
from app.formats.qti_files import PackageFiles, package_path
from app.formats.qti_interactions import QtiHooks
from app.formats.qti_meta import apply_translation_data, translation_data
from app.formats.qti_read import ItemRead, read_item
from app.formats.qti_write import item_xml
from app.formats.translated import (
    case_in,
    case_misfits,
    case_read_back,
    fitting,
    fitting_cases,
    keeps,
    misfits,
    question_in,
    read_back,
)
from app.formats.xml_support import child_paths, local_name

_ITEM_MARKS = (b"assessmentItem", b"qti-assessment-item")


@dataclass
class Written:
    """One translation's item file: its href, bytes, what `<cw:question>` says of it,
    and the bank files it shows."""

    href: str
    data: bytes
    meta: dict[str, Any]
    shown: set[str] = field(default_factory=set)


def translated_items(
    q: QuestionRecord, scenario: ScenarioRecord | None, hooks: QtiHooks, href: str
) -> dict[str, Written]:
    """The item files of a question's translations that fit it, by language tag."""
    found = {}
    cases = fitting_cases(scenario) if scenario is not None else {}
    for tag, t in fitting(q).items():
        shown = question_in(q, t)
        case = case_in(scenario, cases.get(tag))
        target = f"{href.removesuffix('.xml')}.{tag}.xml"
        extra = hooks.metadata(shown) if hooks.metadata is not None else None
        names = set(question_references(shown)) | set(references(case.text if case else ""))
        data = item_xml(shown, case, hooks, tag)
        found[tag] = Written(target, data, translation_data(shown, t.source_hash, target, extra))
        found[tag].shown = names
    return found


@dataclass
class TranslationReader:
    """Reads the translations of the items of one package."""

    files: dict[str, bytes]
    package_files: PackageFiles
    source: str
    result: ParseResult
    # An error located in the manifest, at an element path.
    error: Callable[[str, Message], None]
    # Case texts of translation items (case id, language) → the case in that language.
    cases: dict[tuple[str, str], ScenarioRecord] = field(default_factory=dict)

    def read(
        self,
        resource: Element,
        path: str,
        target: str,
        item: ItemRead,
        entries: dict[str, dict[str, Any]],
    ) -> None:
        """Read the translations of the item at `target` (already read into `item`)."""
        question = item.question
        if question is None:
            return
        named = {str(e.get("href", "")) for e in entries.values()}
        listed = set()
        for file_el, file_path in _files(resource, path):
            href = file_el.get("href") or ""
            listed.add(href)
            found = package_path("", href)
            if found is None or found == target or found not in self.files:
                if href in named:
                    said = {"href": href}
                    self.error(file_path, Message("qti.translation_missing", said))
                continue
            data = self.files[found]
            if href not in named and not (
                b"xml:lang" in data and any(mark in data for mark in _ITEM_MARKS)
            ):
                continue  # a file the item shows, or a stimulus
            self._one(found, file_path, href, item, question, entries)
        for href in sorted(named - listed):
            self.error(
                f"{path}/metadata/question", Message("qti.translation_missing", {"href": href})
            )

    def _one(
        self,
        target: str,
        file_path: str,
        href: str,
        item: ItemRead,
        question: QuestionRecord,
        entries: dict[str, dict[str, Any]],
    ) -> None:
        """One file that may hold a translation of `question`."""
        language = self.result.bank.language
        item_source = f"{self.source}!{target}"
        with noting() as notes, resolving(self.package_files.resolver(target, item_source)):
            copy = read_item(self.files[target], item_source)
        where = Location(file=item_source, path=_path(copy))
        self.result.problems.extend(Problem(where, note, "warning") for note in notes)
        self.result.problems.extend(copy.problems)
        tag = copy.language
        if tag is None:
            self.error(file_path, Message("qti.translation_language", {"href": href}))
            return
        if tag == language or tag == item.language:
            return  # the source again, not a translation
        said = {"href": href, "language": tag}
        if copy.question is None:
            if copy.unsupported is not None:
                self.error(file_path, Message("qti.translation_kind", said))
            return
        if copy.identifier != item.identifier:
            other = {
                "href": href,
                "language": tag,
                "found": copy.identifier,
                "expected": item.identifier,
            }
            self.error(file_path, Message("qti.translation_identifier", other))
            return
        if copy.question.type != question.type:
            self.error(file_path, Message("qti.translation_kind", said))
            return
        if tag in question.translations:
            self.error(file_path, Message("qti.translation_twice", said))
            return
        made_from, errors = apply_translation_data(copy.question, entries.get(tag, {}))
        for message in errors:
            self.error(file_path, message)
        if copy.scenario is not None:
            self.cases.setdefault((copy.scenario.id, tag), copy.scenario)
        t = read_back(question, copy.question, tag, language, made_from)
        found, severity = misfits(question, t)
        where = copy.question.location or where
        self.result.problems += [Problem(where, m, severity) for m in found]
        if keeps(found, severity):
            question.translations[tag] = t

    def case_translations(self, cases: list[ScenarioRecord]) -> None:
        """Translations of case texts read from translation items, for the cases that
        the manifest gave none for."""
        language = self.result.bank.language
        by_id = {case.id: case for case in cases}
        for (case_id, tag), shown in self.cases.items():
            case = by_id.get(case_id)
            if case is None or tag in case.translations:
                continue
            t = case_read_back(case, shown, tag, language)
            if not case_misfits(case, t):
                case.translations[tag] = t


def _files(resource: Element, path: str) -> list[tuple[Element, str]]:
    """The `<file>` children of a resource, with their element paths."""
    return [
        (el, p)
        for el, p in child_paths(resource, path, frozenset({"file"}))
        if local_name(el.tag) == "file"
    ]


def _path(read: ItemRead) -> str | None:
    """The element path of what an item gave (its question's, else none)."""
    if read.question is not None and read.question.location is not None:
        return read.question.location.path
    return None
