"""Common and breached passwords: the 30,000 most frequent passwords of public breach
corpora, as packaged with zxcvbn, plus the words of this site.

The list is read once, on first use, into a frozenset: a check is a few set look-ups.
A password counts as common when it is on the list as typed (ignoring case), or when
what is left after stripping digits and symbols from its ends ("dragon" in "Dragon2024!"),
or its letters read back from look-alike digits and symbols ("p@ssw0rd"), or the
password with its spaces and dashes taken out ("correct horse battery staple"), is on it.
"""

from __future__ import annotations

import re
from functools import cache

# Words an attacker tries first against this site in particular.
SITE_WORDS = frozenset(
    {"clausewise", "iso20000", "iso20000-1", "iso/iec20000", "itsm", "servicemanagement"}
)
# Phrases famous for being passwords (published as examples), which no frequency list ranks.
WELL_KNOWN_PHRASES = frozenset(
    {
        "correcthorsebatterystaple",
        "thequickbrownfoxjumpsoverthelazydog",
        "loremipsumdolorsitamet",
        "maytheforcebewithyou",
        "tobeornottobe",
        "opensesame",
    }
)
_SEPARATORS = re.compile(r"[\s._\-]+")
_LOOKALIKES = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s",
                             "5": "s", "7": "t", "+": "t"})  # fmt: skip
_ENDS = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_SHORTEST_CORE = 3


@cache
def common_passwords() -> frozenset[str]:
    """The packaged list of common and breached passwords, lower-cased, loaded once."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    listed = frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"])
    return listed | SITE_WORDS | WELL_KNOWN_PHRASES


def _candidates(password: str) -> set[str]:
    """The password (lower-cased) and its core without ends, each also de-disguised and
    with its separators taken out."""
    lowered = password.lower()
    core = _ENDS.sub("", lowered)
    bases = {lowered, core} if len(core) >= _SHORTEST_CORE else {lowered}
    found: set[str] = set()
    for base in bases:
        found |= {base, base.translate(_LOOKALIKES), _SEPARATORS.sub("", base)}
    return found


def is_common(password: str) -> bool:
    """True when the password, or its core, is a common or breached password."""
    words = common_passwords()
    return any(candidate in words for candidate in _candidates(password))
