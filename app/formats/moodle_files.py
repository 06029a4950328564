"""The files of a Moodle XML export: `<file name=… encoding="base64">` in text holders.

Moodle keeps a question's images and sounds beside the text that shows them, and the
text refers to them as `@@PLUGINFILE@@/name`. Each file becomes a bank asset (its type
told from its bytes, app/domain/assets.py); a file that cannot be kept is a warning at
its element, and so is a reference to a file the export does not hold.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from app.domain.assets import AssetRecord, check_asset, clean_name, references
from app.domain.messages import Message
from app.domain.records import Location, ParseResult, Problem, QuestionRecord
from app.formats.asset_refs import question_references
from app.formats.data_images import add_asset
from app.formats.xml_support import child_paths

_LISTS = frozenset({"question", "answer", "subquestion", "tag", "file"})


def file_elements(el: Element, path: str) -> Iterator[tuple[Element, str]]:
    """Every `<file>` below an element, with its element path."""
    for child, child_path in child_paths(el, path, _LISTS):
        if child.tag == "file":
            yield child, child_path
        else:
            yield from file_elements(child, child_path)


def read_files(el: Element, path: str, source: str, result: ParseResult) -> dict[str, str]:
    """Add the files of one `<question>` to the bank's assets, warning about the others.

    Returns the question's names (as its texts refer to them, cleaned) → the names in the
    bank: another question's file of the same name gets a new one; a file left out maps
    to "" (its texts show the description; the file has its warning)."""
    names: dict[str, str] = {}
    if next(el.iter("file"), None) is None:
        return names  # most questions have none: skip the walk that names element paths
    for file_el, file_path in file_elements(el, path):
        name = (file_el.get("name") or "").strip()
        where = Location(file=source, path=file_path)
        try:
            data = base64.b64decode("".join((file_el.text or "").split()), validate=True)
        except (binascii.Error, ValueError):
            result.problems.append(_warning(where, Message("asset.not_base64", {"name": name})))
            names[clean_name(name)] = ""
            continue
        asset = check_asset(name, data)
        if isinstance(asset, Message):
            result.problems.append(_warning(where, asset))
            names[clean_name(name)] = ""
            continue
        names[asset.name] = add_asset(result.bank, asset)
    return names


def legacy_image(
    el: Element, path: str, source: str, result: ParseResult, question: QuestionRecord
) -> None:
    """The image of a Moodle 1.9 question (`<image>name</image>` with `<image_base64>`),
    shown after the question text, as Moodle's own import places it."""
    encoded = el.find("image_base64")
    if encoded is None or not (encoded.text or "").strip():
        return
    name = (el.findtext("image") or "image").strip()
    where = Location(file=source, path=f"{path}/image_base64")
    try:
        data = base64.b64decode("".join((encoded.text or "").split()), validate=True)
    except (binascii.Error, ValueError):
        result.problems.append(_warning(where, Message("asset.not_base64", {"name": name})))
        return
    asset = check_asset(name, data)
    if isinstance(asset, Message):
        result.problems.append(_warning(where, asset))
        return
    kept = add_asset(result.bank, asset)
    if kept:
        question.stem = f"{question.stem}\n\n![](asset:{kept})".strip()


def missing_references(result: ParseResult, source: str) -> None:
    """Warn about each question text that refers to a file the bank has not got."""
    names = {a.name for a in result.bank.assets}
    # A file left out already has its warning, at its own element.
    names |= {
        clean_name(str(p.message.params.get("name", "")))
        for p in result.problems
        if isinstance(p.message, Message) and p.message.code.startswith("asset.")
    }
    for case in result.bank.scenarios:
        for name in references(case.text):
            if name not in names:
                where = Location(file=source, path=case.id)
                result.problems.append(_warning(where, Message("asset.missing", {"name": name})))
    for q in result.bank.questions:
        for name in question_references(q):
            if name not in names:
                where = q.location or Location(path=q.id)
                result.problems.append(_warning(where, Message("asset.missing", {"name": name})))


def _warning(where: Location, message: Message) -> Problem:
    return Problem(where, message, "warning")


def attach_files(root: Element, assets: list[AssetRecord]) -> list[str]:
    """Point every text holder's `asset:` references at Moodle files and attach them.

    Returns the names referred to that the bank has no file for."""
    if not any("asset:" in (t.text or "") for t in root.iter("text")):
        return []  # nothing shows a file: skip the walk over every holder
    by_name = {a.name: a for a in assets}
    missing: list[str] = []
    for holder in root.iter():
        text_el = holder.find("text")
        if text_el is None or not text_el.text or "asset:" not in text_el.text:
            continue
        names = references(text_el.text)
        for name in names:
            text_el.text = text_el.text.replace(f"](asset:{name})", f"](@@PLUGINFILE@@/{name})")
            asset = by_name.get(name)
            if asset is None:
                missing.append(name)
                continue
            file_el = Element("file", name=name, path="/", encoding="base64")
            file_el.text = base64.b64encode(asset.data).decode("ascii")
            holder.append(file_el)
    return missing
