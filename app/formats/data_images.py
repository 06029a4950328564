"""Images pasted into a text as `data:` URIs: kept as files of the bank.

Editors (Moodle's among them) embed pasted images as base64 `data:` URIs. Kept inline,
every copy of the text would carry the bytes; so the reader turns each into a bank
asset named by its hash (`image-<sha256 prefix>.png`), the same image always giving
the same name, and the text refers to it as `asset:name`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Callable

from app.domain.assets import EXTENSIONS, AssetRecord, check_asset, sniff
from app.domain.messages import Message
from app.domain.records import BankRecord, Location, Problem

_DATA_URI = re.compile(r"^data:[^,;]*(?:;[^,;]*)*;base64,(.*)$", re.IGNORECASE | re.DOTALL)


def data_asset(url: str) -> AssetRecord | Message | None:
    """The asset a base64 `data:` URI holds, a Message when it cannot be kept, or None
    when the URL is no such URI."""
    found = _DATA_URI.match(url.strip())
    if found is None:
        return None
    try:
        data = base64.b64decode("".join(found.group(1).split()), validate=True)
    except (binascii.Error, ValueError):
        return Message("asset.not_base64", {"name": "data:"})
    media_type = sniff(data)
    extension = EXTENSIONS.get(media_type or "", ".bin")
    name = f"image-{hashlib.sha256(data).hexdigest()[:16]}{extension}"
    return check_asset(name, data)


def add_asset(bank: BankRecord, asset: AssetRecord) -> str:
    """Add a file to the bank (once) and return its name there. Another file of that name
    (Moodle keeps files per question, so many are called `image.png`) makes this one
    `<stem>-<first 8 hex of its SHA-256><extension>`: each text keeps its own image."""
    same = next((a for a in bank.assets if a.name == asset.name), None)
    if same is None:
        bank.assets.append(asset)
        return asset.name
    if same.sha256 == asset.sha256:
        return asset.name
    stem, dot, extension = asset.name.rpartition(".")
    base = stem if dot else asset.name
    renamed = f"{base[:100]}-{asset.sha256[:8]}{dot}{extension if dot else ''}"
    return add_asset(bank, AssetRecord(renamed, asset.media_type, asset.data))


def data_resolver(
    bank: BankRecord, problems: list[Problem], where: Location
) -> Callable[[str], str | None]:
    """A resolver (see html_media.resolving) that keeps `data:` images as bank files
    ("" for one it refused, with a warning)."""

    def resolve(url: str) -> str | None:
        asset = data_asset(url)
        if asset is None:
            return None
        if isinstance(asset, Message):
            problems.append(Problem(where, asset, "warning"))
            return ""
        return add_asset(bank, asset)

    return resolve
