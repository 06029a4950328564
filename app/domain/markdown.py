"""Markdown for question stems, options, explanations and scenarios, made safe to show.

Authors write CommonMark (with tables); items imported from Moodle XML or QTI carry
raw HTML, so the parser lets HTML through and nh3 then keeps only a short list of
harmless tags and attributes. The sanitiser, not the parser, is the security
boundary: whatever the Markdown layer emits is cleaned before it becomes Markup.
"""

from __future__ import annotations

import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_INLINE_TAGS = {"strong", "em", "b", "i", "u", "code", "sub", "sup", "span", "br", "a", "img"}
_BLOCK_TAGS = _INLINE_TAGS | {
    "p", "pre", "blockquote", "ul", "ol", "li", "hr", "div",
    "table", "thead", "tbody", "tr", "th", "td", "h3", "h4", "h5", "h6",
}  # fmt: skip
# Removed together with their content: showing a script's text is no better than running it.
_DROP_WITH_CONTENT = {
    "script", "style", "iframe", "object", "embed", "noscript", "template",
    "svg", "math", "textarea", "select", "title",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt"},
    "code": {"class"},
    "span": {"class"},
    "div": {"class"},
    # Table column alignment from `|:--|--:|`; the style is filtered to text-align only.
    "th": {"style"},
    "td": {"style"},
}
_LINK_SCHEMES = {"http", "https", "mailto"}
_IMAGE_SCHEMES = {"http", "https"}
# Raster images only: an SVG data URI is a document in its own right.
_DATA_IMAGE = re.compile(r"^data:image/(?:png|jpeg|jpg|gif|webp|avif|bmp)[;,]", re.IGNORECASE)
# Question text sits under the page's own h1 and h2, so Markdown headings move down two.
_HEADING_SHIFT = {"h1": "h3", "h2": "h4", "h3": "h5", "h4": "h6", "h5": "h6", "h6": "h6"}


def _scheme(url: str) -> str:
    """The lower-cased scheme of a URL, or "" when it has none."""
    head, colon, _ = url.strip().partition(":")
    return head.lower() if colon else ""


def _keep_url(tag: str, attribute: str, value: str) -> str | None:
    """Keep links to web and mail addresses and images from the web or inline data."""
    if tag == "a" and attribute == "href":
        return value if _scheme(value) in _LINK_SCHEMES else None
    if tag == "img" and attribute == "src":
        allowed = _scheme(value) in _IMAGE_SCHEMES or _DATA_IMAGE.match(value.strip())
        return value if allowed else None
    return value


def _cleaner(tags: set[str]) -> nh3.Cleaner:
    """A sanitiser that keeps only the given tags and the attributes allowed on them."""
    return nh3.Cleaner(
        tags=tags,
        clean_content_tags=_DROP_WITH_CONTENT,
        attributes={tag: attrs for tag, attrs in _ATTRIBUTES.items() if tag in tags},
        attribute_filter=_keep_url,
        link_rel="noopener noreferrer nofollow",
        url_schemes=_LINK_SCHEMES | _IMAGE_SCHEMES | {"data"},
        url_relative="deny",
        filter_style_properties={"text-align"},
    )


_PARSER = MarkdownIt("commonmark", {"html": True}).enable("table")
_BLOCK_CLEANER = _cleaner(_BLOCK_TAGS)
_INLINE_CLEANER = _cleaner(_INLINE_TAGS)


@lru_cache(maxsize=4096)
def render(text: str) -> Markup:
    """Markdown (or imported HTML) as sanitised block HTML for stems and explanations."""
    if not text:
        return Markup("")
    env: dict[str, object] = {}
    tokens = _PARSER.parse(text, env)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = _HEADING_SHIFT[token.tag]
    html = _PARSER.renderer.render(tokens, _PARSER.options, env)
    return Markup(_BLOCK_CLEANER.clean(html).strip())  # noqa: S704 - cleaned by nh3


@lru_cache(maxsize=4096)
def render_inline(text: str) -> Markup:
    """Markdown as sanitised inline HTML, with no paragraphs, for option texts."""
    if not text:
        return Markup("")
    html = _PARSER.renderInline(text)
    return Markup(_INLINE_CLEANER.clean(html).strip())  # noqa: S704 - cleaned by nh3
