"""Conversions between Markdown (how Clausewise stores text) and the HTML of Moodle and QTI.

HTML becomes Markdown through a small tree of `Node`s (app/formats/html_tree.py), built
either from an HTML string (Moodle) or from parsed XHTML elements (QTI), so both formats
share one converter. Only text and a few harmless constructs survive: scripts, styles and
unknown markup are dropped, and text that looks like a tag is escaped, so imported HTML
cannot inject markup. Files, MathML, ruby and objects are handled by
app/formats/html_media.py, which notes what cannot be kept.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from app.formats import html_media
from app.formats.html_tree import (
    ATTRS,
    BLOCK,
    WS,
    Node,
    descendants,
    escape_markdown,
    parse_html,
    text_content,
    unescape,
)

BREAK = "\x01"
_MD = MarkdownIt("commonmark", {"html": False})
_SPACES = re.compile(r" {2,}")
_BREAKS = re.compile(rf" ?{BREAK}+ ?")
_SPACE_EOL = re.compile(r" +\n")
_BLANK_LINES = re.compile(r"\n{3,}")
_DROP = frozenset(
    {"script", "style", "head", "title", "embed", "iframe", "svg", "template"}
    | {"button", "select", "textarea", "input", "video", "canvas", "noscript", "param"}
)
_PLAIN_PARAGRAPHS = re.compile(rf"\s*(?:<p(?:\s{ATTRS})?>[^<]*</p>\s*)+")
_PARAGRAPH = re.compile(rf"<p(?:\s{ATTRS})?>([^<]*)</p>")


def html_to_markdown(text: str) -> str:
    """Markdown for an HTML fragment, keeping paragraphs, lists, emphasis and links."""
    if "<" not in text and "&" not in text:
        return escape_markdown(WS.sub(" ", text)).strip()
    if _PLAIN_PARAGRAPHS.fullmatch(text):
        # Most answers and feedback are <p>text</p>: same result, no tree needed.
        texts = _PARAGRAPH.findall(text)
        found = (escape_markdown(WS.sub(" ", unescape(t))).strip() for t in texts)
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


def markdown_to_html(text: str, inline: bool = False) -> str:
    """XHTML-compatible HTML for Markdown text; raw HTML in the text is escaped."""
    html: str = _MD.renderInline(text) if inline else _MD.render(text)
    return html


def _blocks(children: list[Node | str]) -> list[str]:
    blocks: list[str] = []
    pending: list[Node | str] = []
    for child in children:
        if isinstance(child, str) or child.tag not in BLOCK:
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
        html_media.dropped(node)
        return []
    if tag == "object":
        shown = html_media.object_file(node)
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


def _inline(item: Node | str) -> str:
    if isinstance(item, str):
        return escape_markdown(WS.sub(" ", item))
    tag = item.tag
    if tag in _DROP:
        html_media.dropped(item)
        return ""
    if tag == "br":
        return BREAK
    if tag == "img":
        return html_media.image(item)
    if tag == "audio":
        return html_media.audio(item)
    if tag in ("math", "ruby"):
        return html_media.kept(item)
    if tag == "object":
        shown = html_media.object_file(item)
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
        name = html_media.asset_name(href)
        if name and inner.strip():
            return f"[{inner.strip()}](asset:{name})"
        if href and inner.strip() and not href.lower().startswith(("javascript:", "data:")):
            return f"[{inner.strip()}]({href.replace(')', '%29').replace(' ', '%20')})"
    if tag in BLOCK:
        return f" {inner} "
    return inner


def _wrap(mark: str, inner: str) -> str:
    core = inner.strip(" ")
    if not core:
        return inner
    lead = " " if inner.startswith(" ") else ""
    trail = " " if inner.endswith(" ") else ""
    return f"{lead}{mark}{core}{mark}{trail}"


def plain_text(markdown: str) -> str:
    """What a reader sees of a Markdown text, as plain text (markup and tags dropped,
    entities turned into their characters)."""
    return text_content(parse_html(markdown_to_html(markdown))).strip()
