"""HTML fragments as a light tree of `Node`s, and escaping text for Markdown.

The Moodle and QTI readers build the tree from an HTML string (`parse_html`, forgiving
unclosed tags) or from parsed XHTML elements (`element_node`); app/formats/html_markdown.py
turns it into Markdown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from app.domain.markup_kept import KEPT_ELEMENTS
from app.formats.xml_support import local_name

WS = re.compile(r"[ \t\r\n\f\xa0]+")
_MARKDOWN_SPECIAL = re.compile(r"([\\*`])")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_VOID = frozenset(
    {"br", "img", "hr", "input", "meta", "link", "col", "area", "source", "wbr", "param"}
    | {"embed", "track", "mspace", "mprescripts", "none"}
)
BLOCK = frozenset(
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
ATTRS = r"""(?:[^<>"']++|"[^"]*+"|'[^']*+')*+"""
_TAG = re.compile(
    r"<!--.*?(?:-->|$)"
    r"|<!\[CDATA\[(?P<cdata>.*?)(?:\]\]>|$)"
    rf"|<(?P<end>/?)(?P<tag>[A-Za-z][A-Za-z0-9:-]*)(?P<attrs>{ATTRS})>"
    r"|<![^<>]*>|<\?[^<>]*>",
    re.DOTALL,
)
_ATTR = re.compile(r"([^\s=/]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")
_RAW_TEXT = frozenset({"script", "style", "textarea", "title"})
# Only these tags' attributes matter to the conversion (href, alt, class).
_ATTR_TAGS = frozenset({"a", "img", "table", "pre", "audio", "source", "object", "embed"})
_ATTR_TAGS |= KEPT_ELEMENTS


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
            stack[-1].children.append(unescape(text[pos : found.start()]))
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
        stack[-1].children.append(unescape(text[pos:]))
    return root


def unescape(text: str) -> str:
    return html.unescape(text) if "&" in text else text


def _open(stack: list[Node], tag: str, rest: str, text: str, pos: int) -> int:
    top = stack[-1].tag
    if (top == "p" and tag in BLOCK) or (top == "li" and tag == "li"):
        stack.pop()
    node = Node(tag)
    if tag in _ATTR_TAGS:
        node.attrs = {k.lower(): unescape(v.strip("\"'")) for k, v in _ATTR.findall(rest)}
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


def text_content(node: Node | str) -> str:
    """All the text inside a node, as written."""
    if isinstance(node, str):
        return node
    return "".join(text_content(c) for c in node.children if isinstance(c, str) or c.tag != "br")


def descendants(node: Node) -> list[Node]:
    """Every Node below a node, depth first."""
    found: list[Node] = []
    for child in node.children:
        if isinstance(child, Node):
            found.append(child)
            found.extend(descendants(child))
    return found


def escape_markdown(text: str) -> str:
    if "\\" in text or "*" in text or "`" in text:
        text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return _TAG_START.sub("&lt;", text) if "<" in text else text


def escape_text(text: str) -> str:
    """Text escaped for HTML element content."""
    return html.escape(text, quote=False)
