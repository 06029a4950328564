"""The files of a QTI content package that items show: images and sounds.

An item refers to a package file by a URL relative to the item (`<img src>`, or an
`<object data>` of an image or sound). Each file it reaches becomes a bank asset (its
type told from its bytes, app/domain/assets.py) and the text refers to it as
`asset:name`. A file that is missing or cannot be kept is a warning at the item; an
export writes the bank's files as `assets/<name>`, listed in the manifest.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from urllib.parse import unquote

from app.domain.assets import check_asset
from app.domain.messages import Message
from app.domain.records import BankRecord, Location, Problem
from app.formats.data_images import add_asset, data_resolver

ASSET_FOLDER = "assets"


class PackageFiles:
    """Resolves items' URLs to package files, adding those it keeps to the bank."""

    def __init__(self, files: dict[str, bytes], bank: BankRecord, problems: list[Problem]) -> None:
        self.files, self.bank, self.problems = files, bank, problems
        self.kept: dict[str, str] = {}  # package path → asset name

    def resolver(self, item_path: str, source: str) -> Callable[[str], str | None]:
        """A resolver for the URLs of the item at `item_path` (warnings go to `source`)."""
        base = posixpath.dirname(item_path)

        def resolve(url: str) -> str | None:
            if url.strip().lower().startswith("data:"):
                return data_resolver(self.bank, self.problems, Location(file=source))(url)
            target = package_path(base, url)
            if target is None or target not in self.files:
                return None
            return self._keep(target, Location(file=source))

        return resolve

    def _keep(self, target: str, where: Location) -> str:
        """The asset name of a package file, or "" when it was refused (with a warning)."""
        if target in self.kept:
            return self.kept[target]
        asset = check_asset(posixpath.basename(target), self.files[target])
        if isinstance(asset, Message):
            self.problems.append(Problem(where, asset, "warning"))
            self.kept[target] = ""  # refused once, warned once
            return ""
        self.kept[target] = add_asset(self.bank, asset)
        return self.kept[target]


def package_path(base: str, url: str) -> str | None:
    """The package entry a relative URL of a file in folder `base` names, or None when
    it is not a relative URL or would leave the package."""
    name = unquote(url.split("#", 1)[0].split("?", 1)[0]).strip()
    if not name or "\\" in name or name.startswith("/") or ":" in name.split("/", 1)[0]:
        return None
    normal = posixpath.normpath(posixpath.join(base, name))
    return None if normal == ".." or normal.startswith("../") else normal
