"""What the HTML-to-Markdown conversion keeps beyond text: files, MathML, ruby.

Images and sounds that are files of the import (`@@PLUGINFILE@@/name` in Moodle, a file
a reader's resolver knows, such as a QTI package file or a pasted `data:` image) become
`![alt](asset:name)` and `[label](asset:name)`; presentation MathML and ruby stay as
inline HTML of an allow-list (app/domain/markup_kept.py); an `<object>` of such a file
becomes that file, any other gives way to its fallback content. What cannot be kept is
noted (`noting()`), so the reader can warn where it was.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import unquote

from app.domain.assets import ASSET_SCHEME, clean_name
from app.domain.markup_kept import KEPT_ELEMENTS, MATHML_ATTRIBUTES
from app.domain.messages import Message
from app.formats.html_tree import WS, Node, descendants, escape_markdown, text_content

PLUGINFILE = "@@PLUGINFILE@@/"
# Dropped elements that carried content a reader would miss: each is noted.
NOTED_DROPS = frozenset({"embed", "iframe", "svg", "video", "canvas"})
_MARKDOWN_TEXT = re.compile(r"([\\*`_\[\]<>&])")
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


_RENAMES: ContextVar[dict[str, str] | None] = ContextVar("renames", default=None)


@contextmanager
def renaming(names: dict[str, str]) -> Iterator[None]:
    """Inside the block, a `@@PLUGINFILE@@/name` reference means the bank file
    `names[name]` ("" for a file that was left out)."""
    token = _RENAMES.set(names)
    try:
        yield
    finally:
        _RENAMES.reset(token)


def note(message: Message) -> None:
    """Note something the conversion could not keep (once), when someone is noting."""
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
            renames = _RENAMES.get() if prefix == PLUGINFILE else None
            if renames is not None and name in renames:
                return renames[name]
            return name or None
    resolver = _RESOLVER.get()
    return resolver(url) if resolver is not None and url else None


def dropped(node: Node) -> None:
    """Note a dropped element whose content a reader would miss."""
    if node.tag in NOTED_DROPS:
        note(Message("markup.dropped", {"element": node.tag}))


def _short(text: str) -> str:
    text = text.strip()
    if text.lower().startswith("data:"):
        return text[:30] + "…"
    return text if len(text) <= 80 else text[:80] + "…"


def _label(text: str) -> str:
    """Text for the inside of a Markdown link or image description."""
    return escape_markdown(WS.sub(" ", text)).replace("[", "\\[").replace("]", "\\]").strip()


def image(node: Node) -> str:
    """An `<img>` of a file of the import as its reference; any other as its description."""
    alt = node.attrs.get("alt", "")
    name = asset_name(node.attrs.get("src", ""))
    if name is None:
        note(Message("markup.image", {"src": _short(node.attrs.get("src", ""))}))
    if not name:
        return escape_markdown(alt)
    return f"![{_label(alt)}](asset:{name})"


def audio(node: Node) -> str:
    """An `<audio>` of a file of the import as a link to it; any other is dropped (noted)."""
    sources = [node.attrs.get("src", "")]
    sources += [c.attrs.get("src", "") for c in descendants(node) if c.tag == "source"]
    names = [asset_name(src) for src in sources if src]
    for name in names:
        if name:
            return f"[{_label(name)}](asset:{name})"
    if "" not in names:  # a refused file has its own warning
        note(Message("markup.dropped", {"element": "audio"}))
    return ""


def object_file(node: Node) -> str | None:
    """An `<object>` of an image or sound file of the import, as its Markdown reference
    (its fallback text the description); None, with a note, for any other object."""
    data = node.attrs.get("data", "")
    name = asset_name(data) if data else None
    if name is None:
        note(Message("markup.object", {"data": _short(data)}))
    if not name:
        return None
    label = _label(text_content(node)) or name
    if (node.attrs.get("type") or "").lower().startswith("audio/"):
        return f"[{label}](asset:{name})"
    return f"![{label}](asset:{name})"


def kept(node: Node) -> str:
    """MathML or ruby as inline HTML of allowed elements and attributes only."""
    parts: list[str] = []
    for child in node.children:
        if isinstance(child, str):
            parts.append(_MARKDOWN_TEXT.sub(r"\\\1", WS.sub(" ", child)))
        elif child.tag in KEPT_ELEMENTS:
            parts.append(kept(child))
        else:
            note(Message("markup.dropped", {"element": child.tag}))
    attrs = "".join(
        f' {k}="{html.escape(v, quote=True)}"'
        for k, v in node.attrs.items()
        if k in MATHML_ATTRIBUTES and node.tag not in ("ruby", "rt", "rp")
    )
    return f"<{node.tag}{attrs}>{''.join(parts)}</{node.tag}>"


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
