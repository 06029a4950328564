"""Language codes as other tools write them, and the BCP 47 tags Clausewise keeps.

Clausewise tags languages in BCP 47 (`en`, `zh-Hans`, `pt-BR`), as the native format,
QTI's `xml:lang` and the spreadsheet `language` column write them. Moodle names its
language packs in lower case with underscores (`en`, `pt_br`, and `zh_cn` for
Simplified Chinese). `tag_of` reads any of these spellings, and the common aliases of
Chinese (`zh-CN`, `zh_hans`, …); `moodle_code` writes a tag as Moodle names its pack.
"""

from __future__ import annotations

from app.domain.translation import LANGUAGE_TAG

# Spellings of Chinese that name a script through a region (lower case, hyphens).
_ALIASES = {
    "zh-cn": "zh-Hans",
    "zh-hans": "zh-Hans",
    "zh-hans-cn": "zh-Hans",
    "zh-tw": "zh-Hant",
    "zh-hant": "zh-Hant",
    "zh-hant-tw": "zh-Hant",
}
# Tags whose Moodle language pack is named otherwise than the tag in lower case.
_MOODLE = {"zh-Hans": "zh_cn", "zh-Hant": "zh_tw"}


def tag_of(code: str) -> str | None:
    """The BCP 47 tag a language code stands for (`zh_cn` → `zh-Hans`, `pt_br` →
    `pt-BR`), or None when the code is no language tag at all."""
    text = code.strip().replace("_", "-")
    if text.lower() in _ALIASES:
        return _ALIASES[text.lower()]
    first, *rest = text.split("-")
    tag = "-".join([first.lower(), *(_subtag(part) for part in rest)])
    return tag if LANGUAGE_TAG.match(tag) else None


def _subtag(part: str) -> str:
    """A subtag in its usual case: a script titled (Hans), a region in capitals (BR)."""
    if len(part) == 4 and part.isalpha():
        return part.title()
    if (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
        return part.upper()
    return part.lower()


def moodle_code(tag: str) -> str:
    """The name of a tag's Moodle language pack: `zh-Hans` → `zh_cn`, `pt-BR` → `pt_br`."""
    return _MOODLE.get(tag) or tag.lower().replace("-", "_")
