"""Files that belong to a bank (images, audio): their names, types, limits and references.

Question texts refer to a bank's file by a stable Markdown reference, `![alt](asset:name.png)`
for an image and `[label](asset:name.mp3)` for a sound, so the reference survives every
round trip through a file format. The type of a file is told by its first bytes, never
by its name or by what the file claims: only the raster images and audio formats below
are kept (an SVG is a document that can carry scripts, so it is refused).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from app.domain.messages import Message

MAX_ASSET_BYTES = 2 * 1024 * 1024  # one file
MAX_BANK_ASSET_BYTES = 50 * 1024 * 1024  # all the files of one bank
ASSET_SCHEME = "asset:"
# A sanitised name: letters, digits, '.', '_' and '-', starting with a letter or digit.
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# `asset:name` inside Markdown link or image targets: `](asset:name)`.
REFERENCE = re.compile(r"\]\(asset:([A-Za-z0-9][A-Za-z0-9._-]{0,119})\)")
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
AUDIO_TYPES = frozenset({"audio/mpeg", "audio/ogg", "audio/mp4"})
MEDIA_TYPES = IMAGE_TYPES | AUDIO_TYPES
EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "audio/mpeg": ".mp3",
    "audio/ogg": ".ogg",
    "audio/mp4": ".m4a",
}


@dataclass(frozen=True)
class AssetRecord:
    """One file of a bank: its sanitised name, sniffed media type and bytes."""

    name: str
    media_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        """The hex SHA-256 of the bytes: the same file always has the same hash."""
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        """The size in bytes."""
        return len(self.data)


def sniff(data: bytes) -> str | None:
    """The media type of a file by its first bytes, or None when it is not allowed."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"ID3") or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    if data.startswith(b"OggS"):
        return "audio/ogg"
    if data[4:8] == b"ftyp" and data[8:11] in (b"M4A", b"mp4", b"iso", b"M4B"):
        return "audio/mp4"
    return None


def clean_name(name: str) -> str:
    """A safe file name for what a file called itself: no folders, only plain characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    base = _UNSAFE.sub("-", base).replace("-.", ".").strip("-.")
    if len(base) > 120:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 119 - len(ext)] + dot + ext) if dot and len(ext) < 10 else base[:120]
    return base


def check_asset(name: str, data: bytes) -> AssetRecord | Message:
    """A checked asset, or the Message ("asset.*") saying why the file cannot be kept."""
    safe = clean_name(name)
    if not safe or not NAME.match(safe):
        return Message("asset.name", {"name": name})
    if len(data) > MAX_ASSET_BYTES:
        limit = MAX_ASSET_BYTES // 1024
        return Message("asset.too_large", {"name": name, "size": len(data) // 1024, "limit": limit})
    media_type = sniff(data)
    if media_type is None:
        return Message("asset.type", {"name": name})
    return AssetRecord(safe, media_type, data)


def references(text: str) -> list[str]:
    """The asset names a Markdown text refers to, in order of first use."""
    return list(dict.fromkeys(REFERENCE.findall(text))) if ASSET_SCHEME in text else []
