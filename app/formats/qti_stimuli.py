"""QTI stimuli: case texts that items share, kept in files of their own.

An item refers to a stimulus with `<assessmentStimulusRef identifier href title>` (QTI
2.2; `qti-assessment-stimulus-ref` in 3.0), the href relative to the item. The stimulus
file's `stimulusBody` becomes one of the bank's scenarios, attached to every item that
refers to it, so the case text is kept once and shown with each of its questions. A
stimulus that is missing or cannot be read is a warning at the reference: the item is
still imported, without its case.
"""

from __future__ import annotations

import posixpath
from xml.etree.ElementTree import Element

from app.domain.messages import Message
from app.domain.records import Location, Problem, ScenarioRecord
from app.formats.html_markdown import node_to_markdown
from app.formats.html_media import resolving
from app.formats.html_tree import element_node
from app.formats.qti_files import PackageFiles, package_path
from app.formats.qti_model import attr, children, kind
from app.formats.xml_support import local_name, parse_xml, slugify


class Stimuli:
    """The stimuli of one package, each read once, by package path."""

    def __init__(self, files: dict[str, bytes], package_files: PackageFiles, source: str) -> None:
        self.files, self.package_files, self.source = files, package_files, source
        self.read: dict[str, ScenarioRecord | None] = {}
        self.problems: list[Problem] = []

    def case_of(self, item_path: str, item: bytes) -> ScenarioRecord | None:
        """The scenario of the first usable stimulus an item refers to (None when it has
        none); a question has one case text, so a further one is a warning."""
        if b"timulusRef" not in item and b"stimulus-ref" not in item:
            return None  # most items have none: no second parse
        root = parse_xml(item, item_path)
        if isinstance(root, Problem):
            return None  # the item reader reports it
        path = local_name(root.tag)
        found: ScenarioRecord | None = None
        for ref, ref_path in children(root, path, "assessmentStimulusRef"):
            where = Location(file=f"{self.source}!{item_path}", path=ref_path)
            href = attr(ref, "href") or ""
            target = package_path(posixpath.dirname(item_path), href)
            if target is None or target not in self.files:
                self._warn(where, Message("markup.stimulus_missing", {"href": href}))
                continue
            if target not in self.read:
                self.read[target] = self._stimulus(target, ref, where, href)
            case = self.read[target]
            if case is not None and found is not None:
                self._warn(where, Message("markup.stimulus_extra", {"href": href}))
            found = found or case
        return found

    def _stimulus(
        self, target: str, ref: Element, where: Location, href: str
    ) -> ScenarioRecord | None:
        source = f"{self.source}!{target}"
        root = parse_xml(self.files[target], source)
        if isinstance(root, Problem):
            self.problems.append(root)
            return None
        bodies = [el for el in root if kind(el) == "stimulusBody"]
        if kind(root) != "assessmentStimulus" or not bodies:
            self._warn(where, Message("markup.stimulus_shape", {"href": href}))
            return None
        with resolving(self.package_files.resolver(target, source)):
            text = node_to_markdown(element_node(bodies[0]))
        if not text:
            self._warn(where, Message("markup.stimulus_empty", {"href": href}))
            return None
        identifier = attr(root, "identifier") or attr(ref, "identifier") or ""
        title = (root.get("title") or ref.get("title") or "").strip()
        return ScenarioRecord(slugify(identifier or title, "stimulus"), title, text)

    def _warn(self, where: Location, message: Message) -> None:
        self.problems.append(Problem(where, message, "warning"))
