"""IMS content packages of QTI items: a zip with imsmanifest.xml and one file per item.

Reading follows each item resource's href, checked to stay inside the package, and
applies the Clausewise metadata of the manifest (see qti_meta). Writing produces a QTI
2.1 package: the manifest, then `items/<id>.xml` for every question QTI can hold, and
`items/<id>.<tag>.xml` for each of its translations (see qti_translations).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import unquote
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from app.domain.assets import references
from app.domain.messages import Message
from app.domain.records import (
    BankRecord,
    ExportResult,
    Location,
    ParseResult,
    Problem,
    ScenarioRecord,
    Unsupported,
)
from app.formats import export_notes
from app.formats.asset_refs import question_references
from app.formats.html_media import noting, resolving
from app.formats.qti_files import ASSET_FOLDER, PackageFiles
from app.formats.qti_interactions import qti_hooks
from app.formats.qti_meta import (
    BANK_TAG,
    CW_NS,
    QUESTION_TAG,
    apply_bank_json,
    apply_question_data,
    bank_json,
    load_json,
    question_json,
    translation_entries,
)
from app.formats.qti_read import ItemRead, read_item
from app.formats.qti_stimuli import Stimuli
from app.formats.qti_translations import TranslationReader, Written, translated_items
from app.formats.qti_write import identifier, item_xml
from app.formats.safe_zip import open_package
from app.formats.xml_support import child_paths, local_name, make_ids_unique, parse_xml, slugify

MANIFEST = "imsmanifest.xml"
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
_LISTS = frozenset({"resource", "file"})
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def empty_bank(source: str, fallback: str) -> BankRecord:
    """A bank named after the uploaded file, to be filled by a reader."""
    stem = PurePath(source).stem if source != "<input>" else ""
    return BankRecord(id=slugify(stem, fallback), title=stem or "QTI import")


def read_package(content: bytes, source: str) -> ParseResult:
    """Read every item a content package's manifest lists."""
    result = ParseResult(empty_bank(source, "qti-import"))
    files = open_package(content, source)
    if isinstance(files, list):
        result.problems.extend(files)
        return result
    if MANIFEST not in files:
        result.problems.append(Problem(Location(file=source), Message("qti.no_manifest")))
        return result
    manifest_file = f"{source}!{MANIFEST}"
    lines: dict[int, int] = {}
    root = parse_xml(files[MANIFEST], manifest_file, lines)
    if isinstance(root, Problem):
        result.problems.append(root)
        return result
    reader = _ManifestReader(files, source, manifest_file, result)
    reader.lines = _path_lines(root, lines)
    reader.run(root)
    make_ids_unique(result.bank.questions, result.problems)
    return result


class _ManifestReader:
    """Reads the bank metadata and the item resources of one manifest."""

    def __init__(
        self, files: dict[str, bytes], source: str, manifest_file: str, result: ParseResult
    ) -> None:
        self.files, self.source, self.manifest_file = files, source, manifest_file
        self.result = result
        self.item_scenarios: dict[str, ScenarioRecord] = {}
        self.lines: dict[str, int] = {}
        self.package_files = PackageFiles(files, result.bank, result.problems)
        self.stimuli = Stimuli(files, self.package_files, source)
        self.translations = TranslationReader(files, self.package_files, source, result, self.error)

    def error(self, path: str, message: Message) -> None:
        """An error located in the manifest, at the line of its element (or of the
        nearest element above it that the manifest has)."""
        line, above = None, path
        while above and line is None:
            line = self.lines.get(above)
            above = above.rpartition("/")[0]
        where = Location(file=self.manifest_file, line=line, path=path)
        self.result.problems.append(Problem(where, message))

    def run(self, root: Element) -> None:
        """Read the whole manifest."""
        if local_name(root.tag) != "manifest":
            self.error(local_name(root.tag), Message("qti.manifest_root_element"))
            return
        listed_scenarios = False
        for el, path in child_paths(root, "manifest", _LISTS):
            if local_name(el.tag) == "metadata":
                listed_scenarios = self._bank_metadata(el, path) or listed_scenarios
        resources = [
            (el, path)
            for holder, holder_path in child_paths(root, "manifest", _LISTS)
            if local_name(holder.tag) == "resources"
            for el, path in child_paths(holder, holder_path, _LISTS)
            if (el.get("type") or "").startswith("imsqti_item")
        ]
        if not resources:
            self.error("manifest/resources", Message("qti.no_resources"))
        for el, path in resources:
            self._resource(el, path)
        if not listed_scenarios:
            self.result.bank.scenarios.extend(self.item_scenarios.values())
            self.translations.case_translations(self.result.bank.scenarios)
        self.result.problems.extend(self.stimuli.problems)
        known = {s.id for s in self.result.bank.scenarios}
        for case in self.stimuli.read.values():
            if case is not None and case.id not in known:
                self.result.bank.scenarios.append(case)
                known.add(case.id)

    def _bank_metadata(self, metadata: Element, path: str) -> bool:
        found = metadata.find(BANK_TAG)
        if found is None:
            return False
        listed, errors = apply_bank_json(self.result.bank, found.text)
        for message in errors:
            self.error(f"{path}/bank", message)
        return listed

    def _resource(self, el: Element, path: str) -> None:
        name = el.get("identifier") or path
        href = el.get("href") or next(
            (f.get("href") for f in el if local_name(f.tag) == "file"), ""
        )
        target = _resolve(href or "")
        if not href:
            self.error(path, Message("qti.resource_no_href", {"resource": name}))
            return
        if target is None:
            self.error(path, Message("qti.resource_outside", {"resource": name, "href": href}))
            return
        if target not in self.files:
            self.error(path, Message("qti.resource_missing", {"resource": name, "href": href}))
            return
        item_source = f"{self.source}!{target}"
        with noting() as notes, resolving(self.package_files.resolver(target, item_source)):
            read = read_item(self.files[target], item_source)
        where = Location(file=item_source, path=_item_path(read))
        self.result.problems.extend(Problem(where, note, "warning") for note in notes)
        self.result.problems.extend(read.problems)
        if read.unsupported is not None:
            self.result.unsupported.append(read.unsupported)
        if read.scenario is not None:
            self.item_scenarios.setdefault(read.scenario.id, read.scenario)
        if read.question is None:
            return
        bank = self.result.bank
        if read.language is not None and "language" not in bank.given:
            bank.language = read.language  # no bank metadata: the first item's language
            bank.given.add("language")
        case = self.stimuli.case_of(target, self.files[target])
        if case is not None and read.question.scenario is None:
            read.question.scenario = case.id
        metadata = next((m for m in el if local_name(m.tag) == "metadata"), None)
        found = metadata.find(QUESTION_TAG) if metadata is not None else None
        rubric = read.question.rubric
        data, errors = load_json(found.text) if found is not None else ({}, [])
        entries, wrong = translation_entries(data)
        for message in [*errors, *apply_question_data(read.question, data), *wrong]:
            said = Message("qti.resource_problem", {"resource": name, "problem": message})
            self.error(f"{path}/metadata/question", said)
        if read.rubric_warning is not None and read.question.rubric is rubric:
            self.result.problems.append(read.rubric_warning)
        self.translations.read(el, path, target, read, entries)
        bank.questions.append(read.question)


def _item_path(read: ItemRead) -> str | None:
    """The element path of what an item gave (its question's, else none)."""
    if read.question is not None and read.question.location is not None:
        return read.question.location.path
    return None


def _path_lines(root: Element, by_element: dict[int, int]) -> dict[str, int]:
    """The line of each element path of the manifest, as the reader names them."""
    found = {"manifest": by_element.get(id(root), 0)}
    stack = [(root, "manifest")]
    while stack:
        el, path = stack.pop()
        for child, child_path in child_paths(el, path, _LISTS):
            found[child_path] = by_element.get(id(child), 0)
            stack.append((child, child_path))
    return {path: line for path, line in found.items() if line}


def _resolve(href: str) -> str | None:
    """The package entry an href names, or None when it would leave the package."""
    name = unquote(href.split("#", 1)[0]).strip()
    if (
        not name
        or "\\" in name
        or name.startswith("/")
        or re.match(r"^[A-Za-z][A-Za-z+.-]*:", name)
    ):
        return None
    normal = posixpath.normpath(name)
    return None if normal == ".." or normal.startswith("../") else normal


def write_package(bank: BankRecord) -> ExportResult:
    """A QTI 2.1 content package of a bank; questions QTI cannot hold are skipped."""
    scenarios = {s.id: s for s in bank.scenarios}
    skipped: list[Unsupported] = []
    warnings: list[Problem] = []
    items: list[_Item] = []
    used: set[str] = set()
    for q in bank.questions:
        hooks = qti_hooks(q.type)
        if hooks is None:
            skipped.append(Unsupported(q.type, q.id, Location(path=q.id)))
            continue
        href = _item_href(q.id, used)
        scenario = scenarios.get(q.scenario) if q.scenario else None
        extra = hooks.metadata(q) if hooks.metadata is not None else None
        names = set(question_references(q)) | set(references(scenario.text if scenario else ""))
        translated = translated_items(q, scenario, hooks, href)
        names = names.union(*(t.shown for t in translated.values()))
        shown = [a.name for a in bank.assets if a.name in names]
        data = item_xml(q, scenario, hooks, bank.language)
        meta = question_json(q, extra, {tag: t.meta for tag, t in translated.items()})
        items.append(_Item(q.id, href, data, meta, shown, list(translated.values())))
        warnings += export_notes.hints_in_qti_metadata(q)
        lost = export_notes.lost_feedback(q, "QTI")
        if lost and hooks.write(q).processing is None:  # no score, no outcome to show it by
            warnings += lost
    files = sorted({name for item in items for name in item.shown})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _add(archive, MANIFEST, _manifest(bank, items))
        for item in items:
            _add(archive, item.href, item.data)
            for written in item.translations:
                _add(archive, written.href, written.data)
        by_name = {a.name: a for a in bank.assets}
        for name in files:
            _add(archive, f"{ASSET_FOLDER}/{name}", by_name[name].data)
    return ExportResult(buffer.getvalue(), skipped, warnings)


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    # A fixed timestamp makes the same bank give the same bytes.
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def _item_href(question_id: str, used: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]", "-", question_id).lstrip(".") or "item"
    name, number = base, 1
    while name.lower() in used:
        number += 1
        name = f"{base}-{number}"
    used.add(name.lower())
    return f"items/{name}.xml"


@dataclass
class _Item:
    """One question's resource: its item file, metadata, the bank files it shows and
    its translations' item files."""

    question_id: str
    href: str
    data: bytes
    meta: str
    shown: list[str]
    translations: list[Written]


def _manifest(bank: BankRecord, items: list[_Item]) -> bytes:
    root = Element(
        "manifest",
        {"xmlns": CP_NS, "xmlns:cw": CW_NS, "identifier": f"MANIFEST-{identifier(bank.id)}"},
    )
    metadata = SubElement(root, "metadata")
    SubElement(metadata, "schema").text = "QTIv2.1 Package"
    SubElement(metadata, "schemaversion").text = "1.0.0"
    SubElement(metadata, "cw:bank").text = bank_json(bank)
    SubElement(root, "organizations")
    resources = SubElement(root, "resources")
    for item in items:
        ident = identifier(item.question_id)
        attrs = {"identifier": f"RES-{ident}", "type": "imsqti_item_xmlv2p1"}
        resource = SubElement(resources, "resource", attrs, href=item.href)
        SubElement(SubElement(resource, "metadata"), "cw:question").text = item.meta
        SubElement(resource, "file", href=item.href)
        for written in item.translations:
            SubElement(resource, "file", href=written.href)
        for name in item.shown:
            SubElement(resource, "file", href=f"{ASSET_FOLDER}/{name}")
    indent(root, space="  ")
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n"
    return text.encode("utf-8")
