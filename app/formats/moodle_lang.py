"""Several languages in one Moodle XML question: the multilang filters' markup.

Moodle's multilang filter shows one of a run of spans, the one of the reader's
language (`<span lang="en" class="multilang">…</span><span lang="zh_cn"
class="multilang">…</span>`; the older `<lang lang="en">…</lang>` too). The multilang2
filter does the same with `{mlang en}…{mlang}` blocks, `{mlang en,fr}` for several
languages and `{mlang other}` for the rest. Text outside such a run is shared by every
language. Codes are Moodle's (`zh_cn`); app.formats.languages maps them to tags.

Writing (`merge`) puts the texts of a question's copies, one per language, into one
element: every `<text>` that differs between them becomes a run of multilang spans,
the source first. Elements a language has a different number of (the accepted answers
of a short answer, compared with a learner's answer as written, so never marked up)
are added for that language with a `lang` attribute, which Moodle ignores.

Reading (`scan`, then `project`) finds every run in a question and gives the question
as it reads in one language: each run replaced by that language's text, and for each
kind of child element, the children marked with `lang="…"` for that language in place
of the unmarked ones (the source keeps the unmarked ones).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from app.domain.messages import Message
from app.formats.languages import moodle_code, tag_of
from app.formats.moodle_types import LISTS
from app.formats.xml_support import child_paths

OTHER = "other"
LANG = "lang"
# Each pattern stops at the next `<` or `{` (and an attribute name starts only where no
# name character stands before it), so a hostile text that never closes a tag or a
# block is read in one pass rather than rescanned to its end from every position.
_TAGS = re.compile(r"<(/?)(span|lang)\b([^<>]*)>", re.IGNORECASE)
_ATTRS = re.compile(r"""(?<![\w:-])([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_MLANG = re.compile(r"\{mlang(?:\s+([^{}]*))?\}", re.IGNORECASE)
_MARKUP = re.compile(r"<[^<>]*>|\{mlang[^{}]*\}")
_HINTS = ("multilang", "{mlang", "<lang")
# The most languages one question may name: each is read as a whole copy of it, and one
# `{mlang aaa,aab,…}` block of a few bytes could otherwise name thousands.
MOST_LANGUAGES = 30


@dataclass
class Run:
    """Consecutive language blocks: each block's languages (tags, or `other`) and text."""

    blocks: list[tuple[tuple[str, ...], str]] = field(default_factory=list)

    def text_in(self, tag: str) -> str | None:
        """The block for `tag`, else the one for other languages; None when neither."""
        for tags, text in self.blocks:
            if tag in tags:
                return text
        return next((text for tags, text in self.blocks if OTHER in tags), None)

    def languages(self) -> list[str]:
        """The language tags the run names, in order."""
        return [tag for tags, _text in self.blocks for tag in tags if tag != OTHER]


Part = str | Run


def looks_multilingual(el: Element) -> bool:
    """Whether any text or child of a `<question>` may hold more than one language."""
    return any(
        child.get(LANG) is not None or any(h in (child.text or "") for h in _HINTS)
        for child in el.iter()
    )


def parse(text: str) -> tuple[list[Part], list[Message]]:
    """A text's shared parts and language runs, and what is wrong with its markup (the
    reader says it of the question, through moodle.lang_problem)."""
    faults: list[Message] = []
    parts: list[Part] = []
    for part in _span_parts(text, faults):
        parts.extend(_mlang_parts(part, faults) if isinstance(part, str) else [part])
    return _joined(parts), faults


def _span_parts(text: str, faults: list[Message]) -> list[Part]:
    """The text split at runs of multilang spans (and old `<lang>` elements)."""
    tags = list(_TAGS.finditer(text))
    blocks: list[tuple[int, int, str, str]] = []  # start, end, code, content
    i = 0
    while i < len(tags):
        opening = tags[i]
        code = _block_code(opening)
        if code is None:
            i += 1
            continue
        name, depth, j = opening.group(2).lower(), 1, i + 1
        while j < len(tags) and depth:
            if tags[j].group(2).lower() == name:
                depth += -1 if tags[j].group(1) else 1
            j += 1
        if depth:
            faults.append(Message("moodle.lang_unclosed", {"code": code}))
            return [text]
        closing = tags[j - 1]
        blocks.append((opening.start(), closing.end(), code, text[opening.end() : closing.start()]))
        i = j
    return _runs(text, blocks, faults)


def _block_code(tag: re.Match[str]) -> str | None:
    """The language code of an opening multilang span or `<lang>`, else None."""
    if tag.group(1):
        return None
    attrs = {
        m.group(1).lower(): next(v for v in m.groups()[1:] if v is not None)
        for m in _ATTRS.finditer(tag.group(3))
    }
    if LANG not in attrs:
        return None
    if tag.group(2).lower() == "lang" or "multilang" in attrs.get("class", "").split():
        return attrs[LANG]
    return None


def _runs(text: str, blocks: list[tuple[int, int, str, str]], faults: list[Message]) -> list[Part]:
    """Blocks separated by nothing but white space make one run; the rest is shared."""
    parts: list[Part] = []
    position, run = 0, None
    for start, end, code, content in blocks:
        between = text[position:start]
        if run is None or between.strip():
            if between:
                parts.append(between)
            run = Run()
            parts.append(run)
        tags = _tags((code,), faults)
        run.blocks.append((tags, content))
        position = end
    if position < len(text):
        parts.append(text[position:])
    for part in parts:
        if isinstance(part, Run):
            _check_twice(part, faults)
    return parts


def _mlang_parts(text: str, faults: list[Message]) -> list[Part]:
    """A shared text split at runs of `{mlang xx}…{mlang}` blocks."""
    if "{mlang" not in text.lower():
        return [text]
    parts: list[Part] = []
    position, run = 0, None
    marks = list(_MLANG.finditer(text))
    i = 0
    while i < len(marks):
        opening = marks[i]
        codes = (opening.group(1) or "").strip()
        if not codes:
            faults.append(Message("moodle.lang_stray_close"))
            return [text]
        if i + 1 >= len(marks) or (marks[i + 1].group(1) or "").strip():
            faults.append(Message("moodle.lang_unclosed", {"code": codes}))
            return [text]
        closing = marks[i + 1]
        between = text[position : opening.start()]
        if run is None or between.strip():
            if between:
                parts.append(between)
            run = Run()
            parts.append(run)
        split = tuple(c.strip() for c in codes.split(",") if c.strip())
        run.blocks.append((_tags(split, faults), text[opening.end() : closing.start()]))
        position, i = closing.end(), i + 2
    if position < len(text):
        parts.append(text[position:])
    for part in parts:
        if isinstance(part, Run):
            _check_twice(part, faults)
    return parts


def _tags(codes: tuple[str, ...], faults: list[Message]) -> tuple[str, ...]:
    """The tags of some Moodle language codes (`other` kept); a fault for each unknown."""
    found = []
    for code in codes:
        tag = OTHER if code.strip().lower() == OTHER else tag_of(code)
        if tag is None:
            faults.append(Message("moodle.lang_unknown", {"code": code}))
        else:
            found.append(tag)
    return tuple(found)


def _check_twice(run: Run, faults: list[Message]) -> None:
    """A fault for a language given twice within one run."""
    counts = Counter(tag for tags, _text in run.blocks for tag in tags)
    for tag, count in counts.items():
        if count > 1:
            faults.append(Message("moodle.lang_twice", {"code": moodle_code(tag)}))


def _joined(parts: list[Part]) -> list[Part]:
    """Neighbouring shared texts as one."""
    joined: list[Part] = []
    for part in parts:
        if isinstance(part, str) and joined and isinstance(joined[-1], str):
            joined[-1] += part
        else:
            joined.append(part)
    return joined


def plain(text: str) -> str:
    """A text of a question named in several languages, in the first (for messages
    about a question whose languages cannot be told apart)."""
    parts, faults = parse(text)
    runs = [p for p in parts if isinstance(p, Run)]
    if faults or not runs or not runs[0].blocks:
        return _MARKUP.sub("", text).strip()
    first = runs[0].blocks[0][0]
    shown = text_in(parts, first[0]) if first else None
    return (shown if shown is not None else runs[0].blocks[0][1]).strip()


def text_in(parts: list[Part], tag: str) -> str | None:
    """A parsed text as it reads in one language; None when a run has nothing for it."""
    out = []
    for part in parts:
        text = part if isinstance(part, str) else part.text_in(tag)
        if text is None:
            return None
        out.append(text)
    return "".join(out)


@dataclass
class Scan:
    """What a `<question>` says in which languages.

    `texts`: the parsed text of each element holding a run, by the element's id;
    `in_runs`: the languages the runs name, in the order first met (the first is the
    file's source when the reader has none yet); `marked`: those of children marked
    with a `lang` attribute; `faults`: (element path, message) of the markup that
    cannot be read; `paths`: each element's path, by its id.
    """

    texts: dict[int, list[Part]] = field(default_factory=dict)
    in_runs: list[str] = field(default_factory=list)
    marked: list[str] = field(default_factory=list)
    faults: list[tuple[str, Message]] = field(default_factory=list)
    paths: dict[int, str] = field(default_factory=dict)

    @property
    def languages(self) -> list[str]:
        """Every language the question names, runs first."""
        return list(dict.fromkeys([*self.in_runs, *self.marked]))

    def gaps(self, source: str) -> list[tuple[str, Message]]:
        """A fault at each text with a run that has nothing in a language the question
        has (the source among them)."""
        found = []
        wanted = list(dict.fromkeys([source, *self.languages]))
        for key, parts in self.texts.items():
            for tag in wanted:
                if text_in(parts, tag) is None:
                    said = Message("moodle.lang_missing", {"code": moodle_code(tag)})
                    found.append((self.paths[key], said))
        return found


def scan(el: Element, path: str) -> Scan:
    """Every language run of a `<question>` and every child marked with a language."""
    found = Scan()
    for child, child_path in _walk(el, path):
        found.paths[id(child)] = child_path
        marked = child.get(LANG)
        if marked is not None:
            tag = tag_of(marked)
            if tag is None:
                found.faults.append((child_path, Message("moodle.lang_unknown", {"code": marked})))
            else:
                found.marked.append(tag)
        text = child.text or ""
        if not any(h in text for h in _HINTS):
            continue
        parts, faults = parse(text)
        found.faults += [(child_path, fault) for fault in faults]
        runs = [p for p in parts if isinstance(p, Run)]
        if runs and not faults:
            found.texts[id(child)] = parts
            found.in_runs += [tag for run in runs for tag in run.languages()]
    found.in_runs = list(dict.fromkeys(found.in_runs))
    return found


def _walk(el: Element, path: str) -> Iterator[tuple[Element, str]]:
    """The element and everything below it, with element paths."""
    yield el, path
    for child, child_path in child_paths(el, path, LISTS):
        yield from _walk(child, child_path)


def project(el: Element, found: Scan, tag: str, source: str) -> Element:
    """A copy of a `<question>` as it reads in one language."""
    copy = Element(el.tag, {k: v for k, v in el.attrib.items() if k != LANG})
    parts = found.texts.get(id(el))
    copy.text = el.text if parts is None else text_in(parts, tag)
    copy.tail = el.tail
    for child in _children_in(el, tag, source):
        copy.append(project(child, found, tag, source))
    return copy


def _children_in(el: Element, tag: str, source: str) -> list[Element]:
    """The children an element has in one language: for each name, those marked for
    that language if any are (the source: those marked for it), else the unmarked."""
    marked_for = {
        child.tag
        for child in el
        if child.get(LANG) is not None and tag_of(child.get(LANG) or "") == tag
    }
    kept = []
    for child in el:
        mark = child.get(LANG)
        mine = mark is not None and tag_of(mark) == tag
        if mine or (mark is None and (tag == source or child.tag not in marked_for)):
            kept.append(child)
    return kept


# --- writing -------------------------------------------------------------------------


def spans(texts: dict[str, str]) -> str:
    """A run of multilang spans, one per language, in the order given."""
    return "".join(
        f'<span lang="{moodle_code(tag)}" class="multilang">{text}</span>'
        for tag, text in texts.items()
    )


def merge(el: Element, copies: dict[str, Element], source: str, apart: frozenset[str]) -> None:
    """Merge copies of a `<question>` (by language tag, the source's `el` itself) into
    `el`: texts that differ become multilang runs; children named in `apart`, and any
    that a language has a different number of, are added for that language with a
    `lang` attribute."""
    if not copies:
        return
    if el.tag == "text":
        texts = {source: el.text or ""} | {tag: c.text or "" for tag, c in copies.items()}
        if len(set(texts.values())) > 1:
            el.text = spans(texts)
    for name in dict.fromkeys(child.tag for child in el):
        mine = [child for child in el if child.tag == name]
        theirs = {tag: [c for c in copy if c.tag == name] for tag, copy in copies.items()}
        paired = {
            tag: found
            for tag, found in theirs.items()
            if name not in apart and len(found) == len(mine)
        }
        for n, child in enumerate(mine):
            merge(child, {tag: found[n] for tag, found in paired.items()}, source, apart)
        at = list(el).index(mine[-1]) + 1
        for tag, found in theirs.items():
            if tag in paired:
                continue
            for child in found:
                child.set(LANG, moodle_code(tag))
                el.insert(at, child)
                at += 1
