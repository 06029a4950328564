"""Conversions between Markdown (how Clausewise stores text) and the HTML of Moodle and QTI.

HTML becomes Markdown through a small tree of `Node`s, built either from an HTML string
(Moodle) or from parsed XHTML elements (QTI), so both formats share one converter. Only
text and a few harmless constructs survive: scripts, styles and unknown markup are dropped,
and text that looks like a tag is escaped, so imported HTML cannot inject markup.

Images and sounds that are files of the import (`@@PLUGINFILE@@/name` in Moodle, or
`asset:name` once a reader has matched a package file) become `![alt](asset:name)` and
`[name](asset:name)`; presentation MathML and ruby stay as inline HTML of an allow-list
(app/domain/markup_kept.py); an `<object>` gives way to its fallback content. What
cannot be kept is noted (`noting()`), so the reader can warn where it was.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from urllib.parse import unquote
from xml.etree.ElementTree import Element

from markdown_it import MarkdownIt

from app.domain.assets import ASSET_SCHEME, clean_name
from app.domain.markup_kept import KEPT_ELEMENTS, MATHML_ATTRIBUTES
from app.domain.messages import Message
from app.formats.xml_support import local_name

PLUGINFILE = "@@PLUGINFILE@@/"

BREAK = "\x01"
_MD = MarkdownIt("commonmark", {"html": False})
_WS = re.compile(r"[ \t\r\n\f\xa0]+")
_SPACES = re.compile(r" {2,}")
_BREAKS = re.compile(rf" ?{BREAK}+ ?")
_SPACE_EOL = re.compile(r" +\n")
_BLANK_LINES = re.compile(r"\n{3,}")
_MARKDOWN_SPECIAL = re.compile(r"([\\*`])")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_VOID = frozenset(
    {"br", "img", "hr", "input", "meta", "link", "col", "area", "source", "wbr", "param"}
    | {"embed", "track", "mspace", "mprescripts", "none"}
)
_DROP = frozenset(
    {"script", "style", "head", "title", "embed", "iframe", "svg", "template"}
    | {"button", "select", "textarea", "input", "video", "canvas", "noscript", "param"}
)
# Dropped elements that carried content a reader would miss: each is noted.
_NOTED_DROPS = frozenset({"embed", "iframe", "svg", "video", "canvas"})
_MARKDOWN_TEXT = re.compile(r"([\\*`_\[\]<>&])")
_BLOCK = frozenset(
    {"p", "div", "ul", "ol", "li", "pre", "blockquote", "table", "hr", "section", "article"}
    | {"header", "footer", "figure", "figcaption", "dl", "dt", "dd", "center", "main", "nav"}
    | {"aside", "address", "fieldset", "form", "h1", "h2", "h3", "h4", "h5", "h6"}
)


@dataclass
class Node:
    """A light HTML element: lower-case tag, attributes and children (nodes or text)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def has_class(self, name: str) -> bool:
        """Whether the element's class attribute lists `name`."""
        return name in self.attrs.get("class", "").split()


# A tag's attributes: a quoted value may hold anything but its quote (">" and "<" too);
# outside quotes, ">" ends the tag and "<" may not appear. So a "<" that opens no tag
# stays text, and each failed match stops at the next "<" rather than the end of the
# text (scanning to the end from every "<" took 30 s on 40 KB of "<a"). Possessive
# quantifiers: there is only one way to read the attributes, so never backtrack.
_ATTRS = r"""(?:[^<>"']++|"[^"]*+"|'[^']*+')*+"""
_TAG = re.compile(
    r"<!--.*?(?:-->|$)"
    r"|<!\[CDATA\[(?P<cdata>.*?)(?:\]\]>|$)"
    rf"|<(?P<end>/?)(?P<tag>[A-Za-z][A-Za-z0-9:-]*)(?P<attrs>{_ATTRS})>"
    r"|<![^<>]*>|<\?[^<>]*>",
    re.DOTALL,
)
_ATTR = re.compile(r"([^\s=/]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")
_PLAIN_PARAGRAPHS = re.compile(rf"\s*(?:<p(?:\s{_ATTRS})?>[^<]*</p>\s*)+")
_PARAGRAPH = re.compile(rf"<p(?:\s{_ATTRS})?>([^<]*)</p>")
_RAW_TEXT = frozenset({"script", "style", "textarea", "title"})
# Only these tags' attributes matter to the conversion (href, alt, class).
_ATTR_TAGS = frozenset({"a", "img", "table", "pre", "audio", "source", "object", "embed"})
_ATTR_TAGS |= KEPT_ELEMENTS
_NOTES: ContextVar[list[Message] | None] = ContextVar("notes", default=None)


@contextmanager
def noting() -> Iterator[list[Message]]:
    """Collect what the conversions inside the block could not keep, as Messages."""
    notes: list[Message] = []
    token = _NOTES.set(notes)
    try:
        yield notes
    finally:
        _NOTES.reset(token)


_RESOLVER: ContextVar[Callable[[str], str | None] | None] = ContextVar("resolver", default=None)


@contextmanager
def resolving(resolver: Callable[[str], str | None]) -> Iterator[None]:
    """Inside the block, `resolver(url)` names the bank file a relative URL points at
    (a package file it has added to the bank), or None."""
    token = _RESOLVER.set(resolver)
    try:
        yield
    finally:
        _RESOLVER.reset(token)


def _note(message: Message) -> None:
    notes = _NOTES.get()
    if notes is not None and message not in notes:
        notes.append(message)


def asset_name(url: str) -> str | None:
    """The bank file a URL names (`@@PLUGINFILE@@/…`, `asset:…`, or a file the current
    resolver knows); "" for a file the resolver refused (and warned about); else None."""
    url = url.strip()
    for prefix in (PLUGINFILE, ASSET_SCHEME):
        if url.startswith(prefix):
            name = clean_name(unquote(url[len(prefix) :].split("?")[0]))
            return name or None
    resolver = _RESOLVER.get()
    return resolver(url) if resolver is not None and url else None


def parse_html(text: str) -> Node:
    """A Node tree of an HTML fragment, forgiving unclosed tags; never raises.

    One regular expression finds the tags: several times faster than html.parser on
    the thousands of short fragments of a large Moodle export. Comments, declarations
    and processing instructions are dropped; a CDATA section is kept as literal text.
    """
    root = Node("#root")
    stack = [root]
    pos = 0
    for found in _TAG.finditer(text):
        if found.start() < pos:
            continue  # inside the raw text of a skipped <script> or <style>
        if found.start() > pos:
            stack[-1].children.append(_unescape(text[pos : found.start()]))
        pos = found.end()
        if found["cdata"]:
            stack[-1].children.append(found["cdata"])
            continue
        tag = (found["tag"] or "").lower()
        if not tag:
            continue
        if found["end"]:
            _close(stack, tag)
        else:
            pos = _open(stack, tag, found["attrs"], text, pos)
    if pos < len(text):
        stack[-1].children.append(_unescape(text[pos:]))
    return root


def _unescape(text: str) -> str:
    return html.unescape(text) if "&" in text else text


def _open(stack: list[Node], tag: str, rest: str, text: str, pos: int) -> int:
    top = stack[-1].tag
    if (top == "p" and tag in _BLOCK) or (top == "li" and tag == "li"):
        stack.pop()
    node = Node(tag)
    if tag in _ATTR_TAGS:
        node.attrs = {k.lower(): _unescape(v.strip("\"'")) for k, v in _ATTR.findall(rest)}
    stack[-1].children.append(node)
    if tag in _RAW_TEXT:
        end = re.compile(rf"</{tag}\s*>", re.IGNORECASE).search(text, pos)
        return end.end() if end else len(text)
    if tag not in _VOID and not rest.rstrip().endswith("/"):
        stack.append(node)
    return pos


def _close(stack: list[Node], tag: str) -> None:
    for depth in range(len(stack) - 1, 0, -1):
        if stack[depth].tag == tag:
            del stack[depth:]
            return


def element_node(el: Element, replace: Callable[[Element], str | None] | None = None) -> Node:
    """A Node tree of an XHTML element; `replace` may swap an element for literal text."""
    node = Node(local_name(el.tag).lower(), {local_name(k): v for k, v in el.attrib.items()})
    if el.text:
        node.children.append(el.text)
    for child in el:
        if isinstance(child.tag, str):
            swapped = replace(child) if replace else None
            node.children.append(swapped if swapped is not None else element_node(child, replace))
        if child.tail:
            node.children.append(child.tail)
    return node


def html_to_markdown(text: str) -> str:
    """Markdown for an HTML fragment, keeping paragraphs, lists, emphasis and links."""
    if "<" not in text and "&" not in text:
        return _escape(_WS.sub(" ", text)).strip()
    if _PLAIN_PARAGRAPHS.fullmatch(text):
        # Most answers and feedback are <p>text</p>: same result, no tree needed.
        found = (_escape(_WS.sub(" ", _unescape(t))).strip() for t in _PARAGRAPH.findall(text))
        return "\n\n".join(t for t in found if t)
    return node_to_markdown(parse_html(text))


def node_to_markdown(node: Node) -> str:
    """Markdown for the children of a Node."""
    text = "\n\n".join(_blocks(node.children))
    if " \n" in text:
        text = _SPACE_EOL.sub("\n", text)
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def text_content(node: Node | str) -> str:
    """All the text inside a node, as written."""
    if isinstance(node, str):
        return node
    return "".join(text_content(c) for c in node.children if isinstance(c, str) or c.tag != "br")


def markdown_to_html(text: str, inline: bool = False) -> str:
    """XHTML-compatible HTML for Markdown text; raw HTML in the text is escaped."""
    html: str = _MD.renderInline(text) if inline else _MD.render(text)
    return html


def _escape(text: str) -> str:
    if "\\" in text or "*" in text or "`" in text:
        text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return _TAG_START.sub("&lt;", text) if "<" in text else text


def _blocks(children: list[Node | str]) -> list[str]:
    blocks: list[str] = []
    pending: list[Node | str] = []
    for child in children:
        if isinstance(child, str) or child.tag not in _BLOCK:
            pending.append(child)
            continue
        blocks.append(_paragraph(pending))
        pending = []
        blocks.extend(_block(child))
    blocks.append(_paragraph(pending))
    return [b for b in blocks if b.strip()]


def _paragraph(items: list[Node | str]) -> str:
    if not items:
        return ""
    text = "".join(_inline(i) for i in items)
    if "  " in text:
        text = _SPACES.sub(" ", text)
    text = text.strip(" " + BREAK)
    return _BREAKS.sub("\\\\\n", text) if BREAK in text else text


def _block(node: Node) -> list[str]:
    tag = node.tag
    if tag in _DROP:
        _dropped(node)
        return []
    if tag == "object":
        shown = _object_file(node)
        return [shown] if shown is not None else _blocks(node.children)
    if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
        return ["#" * int(tag[1]) + " " + _paragraph(node.children)]
    if tag in ("ul", "ol"):
        return [_list(node)]
    if tag == "li":
        return ["- " + "\n\n".join(_blocks(node.children)).replace("\n", "\n  ")]
    if tag == "pre":
        return ["```\n" + text_content(node).strip("\n") + "\n```"]
    if tag == "blockquote":
        inner = "\n\n".join(_blocks(node.children))
        return ["\n".join(f"> {line}" if line else ">" for line in inner.splitlines())]
    if tag == "table":
        return [_table(node)]
    if tag == "hr":
        return ["---"]
    return _blocks(node.children)


def _list(node: Node) -> str:
    lines: list[str] = []
    for child in node.children:
        if isinstance(child, str) or child.tag in _DROP:
            continue
        marker = f"{len(lines) + 1}. " if node.tag == "ol" else "- "
        body = "\n\n".join(_blocks(child.children if child.tag == "li" else [child]))
        lines.append(marker + body.replace("\n", "\n" + " " * len(marker)))
    return "\n".join(lines)


def _table(node: Node) -> str:
    rows = [r for r in descendants(node) if r.tag == "tr"]
    lines: list[str] = []
    for row in rows:
        cells = [c for c in row.children if isinstance(c, Node) and c.tag in ("td", "th")]
        texts = [_paragraph(c.children).replace("\n", " ").replace("|", "\\|") for c in cells]
        lines.append("| " + " | ".join(texts) + " |")
        if len(lines) == 1:
            lines.append("|" + " --- |" * len(cells))
    return "\n".join(lines)


def descendants(node: Node) -> list[Node]:
    """Every Node below a node, depth first."""
    found: list[Node] = []
    for child in node.children:
        if isinstance(child, Node):
            found.append(child)
            found.extend(descendants(child))
    return found


def _dropped(node: Node) -> None:
    if node.tag in _NOTED_DROPS:
        _note(Message("markup.dropped", {"element": node.tag}))


def _short(text: str) -> str:
    text = text.strip()
    if text.lower().startswith("data:"):
        return text[:30] + "…"
    return text if len(text) <= 80 else text[:80] + "…"


def _label(text: str) -> str:
    """Text for the inside of a Markdown link or image description."""
    return _escape(_WS.sub(" ", text)).replace("[", "\\[").replace("]", "\\]").strip()


def _image(node: Node) -> str:
    alt = node.attrs.get("alt", "")
    name = asset_name(node.attrs.get("src", ""))
    if name is None:
        _note(Message("markup.image", {"src": _short(node.attrs.get("src", ""))}))
    if not name:
        return _escape(alt)
    return f"![{_label(alt)}](asset:{name})"


def _audio(node: Node) -> str:
    sources = [node.attrs.get("src", "")]
    sources += [c.attrs.get("src", "") for c in descendants(node) if c.tag == "source"]
    names = [asset_name(src) for src in sources if src]
    for name in names:
        if name:
            return f"[{_label(name)}](asset:{name})"
    if "" not in names:  # a refused file has its own warning
        _note(Message("markup.dropped", {"element": "audio"}))
    return ""


def _object_file(node: Node) -> str | None:
    """An `<object>` of an image or sound file of the import, as its Markdown reference
    (its fallback text the description); None, with a note, for any other object."""
    data = node.attrs.get("data", "")
    name = asset_name(data) if data else None
    if name is None:
        _note(Message("markup.object", {"data": _short(data)}))
    if not name:
        return None
    label = _label(text_content(node)) or name
    if (node.attrs.get("type") or "").lower().startswith("audio/"):
        return f"[{label}](asset:{name})"
    return f"![{label}](asset:{name})"


def _kept(node: Node) -> str:
    """MathML or ruby as inline HTML of allowed elements and attributes only."""
    parts: list[str] = []
    for child in node.children:
        if isinstance(child, str):
            parts.append(_MARKDOWN_TEXT.sub(r"\\\1", _WS.sub(" ", child)))
        elif child.tag in KEPT_ELEMENTS:
            parts.append(_kept(child))
        else:
            _note(Message("markup.dropped", {"element": child.tag}))
    attrs = "".join(
        f' {k}="{html.escape(v, quote=True)}"'
        for k, v in node.attrs.items()
        if k in MATHML_ATTRIBUTES and node.tag not in ("ruby", "rt", "rp")
    )
    return f"<{node.tag}{attrs}>{''.join(parts)}</{node.tag}>"


def _inline(item: Node | str) -> str:
    if isinstance(item, str):
        return _escape(_WS.sub(" ", item))
    tag = item.tag
    if tag in _DROP:
        _dropped(item)
        return ""
    if tag == "br":
        return BREAK
    if tag == "img":
        return _image(item)
    if tag == "audio":
        return _audio(item)
    if tag in ("math", "ruby"):
        return _kept(item)
    if tag == "object":
        shown = _object_file(item)
        return shown if shown is not None else "".join(_inline(c) for c in item.children)
    if tag == "code":
        return "`" + text_content(item).replace("`", "") + "`"
    inner = "".join(_inline(c) for c in item.children)
    if tag in ("strong", "b"):
        return _wrap("**", inner)
    if tag in ("em", "i"):
        return _wrap("*", inner)
    if tag == "a":
        href = item.attrs.get("href", "").strip()
        name = asset_name(href)
        if name and inner.strip():
            return f"[{inner.strip()}](asset:{name})"
        if href and inner.strip() and not href.lower().startswith(("javascript:", "data:")):
            return f"[{inner.strip()}]({href.replace(')', '%29').replace(' ', '%20')})"
    if tag in _BLOCK:
        return f" {inner} "
    return inner


def _wrap(mark: str, inner: str) -> str:
    core = inner.strip(" ")
    if not core:
        return inner
    lead = " " if inner.startswith(" ") else ""
    trail = " " if inner.endswith(" ") else ""
    return f"{lead}{mark}{core}{mark}{trail}"


_KEPT_TAG = re.compile(
    r"&lt;(/?)(" + "|".join(sorted(KEPT_ELEMENTS, key=len, reverse=True)) + r")"
    r"((?: [a-z]+=&quot;[^&<>]*&quot;)*)&gt;"
)
_KEPT_ATTR = re.compile(r" ([a-z]+)=&quot;([^&<>]*)&quot;")


def with_kept_markup(html: str) -> str:
    """HTML rendered without raw HTML, with the MathML and ruby tags the text holds (as
    the import writes them) made tags again; other attributes are dropped."""

    def tag(found: re.Match[str]) -> str:
        attrs = "".join(
            f' {k}="{v}"' for k, v in _KEPT_ATTR.findall(found[3]) if k in MATHML_ATTRIBUTES
        )
        return f"<{found[1]}{found[2]}{'' if found[1] else attrs}>"

    return _KEPT_TAG.sub(tag, html)


def plain_text(markdown: str) -> str:
    """What a reader sees of a Markdown text, as plain text (markup and tags dropped,
    entities turned into their characters)."""
    return text_content(parse_html(markdown_to_html(markdown))).strip()


def escape_text(text: str) -> str:
    """Text escaped for HTML element content."""
    return html.escape(text, quote=False)
