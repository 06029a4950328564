"""Common and breached passwords: the 30,000 most frequent passwords of public breach
corpora, as packaged with zxcvbn, plus the words of this site.

The list is read once, on first use, into a frozenset: a check is a few set look-ups.
A password counts as common when it is on the list as typed (ignoring case), or when
what is left after stripping digits and symbols from its ends ("dragon" in "Dragon2024!"),
or its letters read back from look-alike digits and symbols ("p@ssw0rd"), is on it.
"""

from __future__ import annotations

import re
from functools import cache

# Words an attacker tries first against this site in particular.
SITE_WORDS = frozenset(
    {"clausewise", "iso20000", "iso20000-1", "iso/iec20000", "itsm", "servicemanagement"}
)
_LOOKALIKES = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s",
                             "5": "s", "7": "t", "+": "t"})  # fmt: skip
_ENDS = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_SHORTEST_CORE = 3


@cache
def common_passwords() -> frozenset[str]:
    """The packaged list of common and breached passwords, lower-cased, loaded once."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"]) | SITE_WORDS


def _candidates(password: str) -> set[str]:
    """The password as typed (lower-cased), its core without ends, and both de-disguised."""
    lowered = password.lower()
    core = _ENDS.sub("", lowered)
    found = {lowered, lowered.translate(_LOOKALIKES)}
    if len(core) >= _SHORTEST_CORE:
        found |= {core, core.translate(_LOOKALIKES)}
    return found


def is_common(password: str) -> bool:
    """True when the password, or its core, is a common or breached password."""
    words = common_passwords()
    return any(candidate in words for candidate in _candidates(password))
