"""Markdown for question stems, options, explanations and scenarios, made safe to show.

Authors write CommonMark (with tables); items imported from Moodle XML or QTI carry
raw HTML, so the parser lets HTML through and nh3 then keeps only a short list of
harmless tags and attributes. The sanitiser, not the parser, is the security
boundary: whatever the Markdown layer emits is cleaned before it becomes Markup.

Content may neither reach outside nor dress up as the app: images keep only inline
raster data or a file of the question's own bank (`asset:name`, addressed under
`asset_base`; a remote source would make every viewer's browser call that address),
and no element keeps a `class` or `style`, so imported text cannot borrow the app's
CSS classes to cover the page or pose as its buttons. Table alignment from Markdown
survives as the `align` attribute. Presentation MathML and ruby annotations are kept
(app/domain/markup_kept.py).
"""

from __future__ import annotations

import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

from app.domain.assets import NAME as ASSET_NAME
from app.domain.markup_kept import KEPT_ELEMENTS, MATHML_ATTRIBUTES, MATHML_ELEMENTS

_INLINE_TAGS = {"strong", "em", "b", "i", "u", "code", "sub", "sup", "span", "br", "a", "img"}
_INLINE_TAGS |= KEPT_ELEMENTS
_BLOCK_TAGS = _INLINE_TAGS | {
    "p", "pre", "blockquote", "ul", "ol", "li", "hr", "div",
    "table", "thead", "tbody", "tr", "th", "td", "h3", "h4", "h5", "h6",
}  # fmt: skip
# Removed together with their content: showing a script's text is no better than running it.
_DROP_WITH_CONTENT = {
    "script", "style", "iframe", "object", "embed", "noscript", "template",
    "svg", "textarea", "select", "title",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt"},
    # Table column alignment from `|:--|--:|` (see _align_tables).
    "th": {"align"},
    "td": {"align"},
} | {tag: set(MATHML_ATTRIBUTES) for tag in MATHML_ELEMENTS}
_LINK_SCHEMES = {"http", "https", "mailto"}
_ALIGNMENTS = {"left", "center", "right"}
_TEXT_ALIGN = re.compile(r"^\s*text-align\s*:\s*(left|center|right)\s*;?\s*$")
# Raster images only: an SVG data URI is a document in its own right.
_DATA_IMAGE = re.compile(r"^data:image/(?:png|jpeg|jpg|gif|webp|avif|bmp)[;,]", re.IGNORECASE)
# Question text sits under the page's own h1 and h2, so Markdown headings move down two.
_HEADING_SHIFT = {"h1": "h3", "h2": "h4", "h3": "h5", "h4": "h6", "h5": "h6", "h6": "h6"}


def _scheme(url: str) -> str:
    """The lower-cased scheme of a URL, or "" when it has none."""
    head, colon, _ = url.strip().partition(":")
    return head.lower() if colon else ""


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Keep links to web and mail addresses, images of inline raster data, and alignment."""
    if tag == "a" and attribute == "href":
        return value if _scheme(value) in _LINK_SCHEMES or _is_asset(value) else None
    if tag == "img" and attribute == "src":
        return value if _DATA_IMAGE.match(value.strip()) or _is_asset(value) else None
    if attribute == "align":
        return value.lower() if value.lower() in _ALIGNMENTS else None
    return value


def _is_asset(url: str) -> bool:
    """A reference to a file of the bank: `asset:` and a sanitised name."""
    return url.startswith("asset:") and bool(ASSET_NAME.match(url[6:]))


_ASSET_ATTRIBUTE = re.compile(r'(src|href)="asset:([A-Za-z0-9][A-Za-z0-9._-]*)"')


def _point_at_assets(html: str, asset_base: str | None) -> str:
    """Sanitised HTML with its `asset:` references made addresses under `asset_base`; with
    no base (a text shown outside its bank) images show their description instead."""
    if "asset:" not in html:
        return html
    if asset_base is None:
        return _ASSET_ATTRIBUTE.sub("", html)
    return _ASSET_ATTRIBUTE.sub(lambda m: f'{m.group(1)}="{asset_base}{m.group(2)}"', html)


def _cleaner(tags: set[str]) -> nh3.Cleaner:
    """A sanitiser that keeps only the given tags and the attributes allowed on them."""
    return nh3.Cleaner(
        tags=tags,
        clean_content_tags=_DROP_WITH_CONTENT,
        attributes={tag: attrs for tag, attrs in _ATTRIBUTES.items() if tag in tags},
        attribute_filter=_keep_attribute,
        link_rel="noopener noreferrer nofollow",
        url_schemes=_LINK_SCHEMES | {"data", "asset"},
        url_relative="deny",
    )


_PARSER = MarkdownIt("commonmark", {"html": True}).enable("table")
# Option, pair, step and rubric texts are written in fields of several lines: a line
# break there stays a line break (in a stem one is a space, as Markdown has it).
_INLINE_PARSER = MarkdownIt("commonmark", {"html": True, "breaks": True})
_BLOCK_CLEANER = _cleaner(_BLOCK_TAGS)
_INLINE_CLEANER = _cleaner(_INLINE_TAGS)


@lru_cache(maxsize=4096)
def render(text: str, asset_base: str | None = None) -> Markup:
    """Markdown (or imported HTML) as sanitised block HTML for stems and explanations;
    files of the bank are addressed under `asset_base` (e.g. "/banks/3/assets/")."""
    if not text:
        return Markup("")
    env: dict[str, object] = {}
    tokens = _PARSER.parse(text, env)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = _HEADING_SHIFT[token.tag]
        elif token.type in ("th_open", "td_open"):
            _align_cell(token)
    html = _PARSER.renderer.render(tokens, _PARSER.options, env)
    cleaned = _point_at_assets(_BLOCK_CLEANER.clean(html).strip(), asset_base)
    return Markup(cleaned)  # noqa: S704 - cleaned by nh3


def _align_cell(token: Token) -> None:
    """Markdown table alignment as the `align` attribute, since no style attribute is kept."""
    style = str(token.attrs.pop("style", ""))
    found = _TEXT_ALIGN.match(style)
    if found:
        token.attrs["align"] = found.group(1)


@lru_cache(maxsize=4096)
def excerpt(text: str, length: int = 120) -> str:
    """The start of a Markdown text as plain words (markup dropped), cut at a word."""
    words = " ".join(render(text).striptags().split())
    if len(words) <= length:
        return words
    return words[:length].rsplit(" ", 1)[0] + "…"


def render_inline(text: str, asset_base: str | None = None) -> Markup:
    """Markdown as sanitised inline HTML, with no paragraphs, for option texts; a line
    break is kept as one."""
    if not text:
        return Markup("")
    html = _INLINE_PARSER.renderInline(text.replace("\r\n", "\n"))
    cleaned = _point_at_assets(_INLINE_CLEANER.clean(html).strip(), asset_base)
    return Markup(cleaned)  # noqa: S704 - cleaned by nh3
