"""How guessable a password is, estimated by zxcvbn, with the reason as a code.

zxcvbn counts the guesses an attacker who knows the usual tricks would need: repeats
("passwordpassword"), sequences ("abcdefghij", "123456789012"), keyboard walks
("zaq12wsxcde3", "!@#$%^&*()"), dictionary words, names and dates, and the user's own
e-mail and name. A password must need at least 10^8 guesses (zxcvbn's score 3).

The password is judged as NFKC-normalised (full-width "ＰａｓｓＷｏｒｄ１２３" is
"PassWord123"), and also with its spaces, dots, dashes and underscores taken out, since
zxcvbn treats a separator as a random character: "password password" would otherwise pass.
The weaker of the two readings counts. The reason comes back as a code, never zxcvbn's
English feedback; the web layer turns it into a translated sentence.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from zxcvbn import zxcvbn

MIN_SCORE = 3  # zxcvbn's scale: 3 means at least 10^8 guesses
_ZXCVBN_MAX_LENGTH = 72  # zxcvbn refuses longer input; the first 72 characters are judged
_SEPARATORS = re.compile(r"[\s._\-]+")
# zxcvbn keeps the user's words in a module-level dictionary for the length of one call.
_ZXCVBN_LOCK = threading.Lock()

# The longest match of a weak password, by zxcvbn pattern or dictionary, to our codes.
_DICTIONARY_CODES = {
    "passwords": "common_password",
    "user_inputs": "personal",
    "english_wikipedia": "words",
    "us_tv_and_film": "words",
    "surnames": "words",
    "male_names": "words",
    "female_names": "words",
}
_PATTERN_CODES = {
    "repeat": "repeat",
    "sequence": "sequence",
    "spatial": "keyboard",
    "date": "date",
    "regex": "date",  # zxcvbn's only regex is a recent year
}


@dataclass(frozen=True)
class Strength:
    """zxcvbn's score (0–4) of the weaker reading, and why it is weak when it is."""

    score: int
    reason: str | None  # a code from _DICTIONARY_CODES/_PATTERN_CODES, or "guessable"

    @property
    def strong_enough(self) -> bool:
        """Whether the password needs enough guesses to be accepted."""
        return self.score >= MIN_SCORE


def normalise(password: str) -> str:
    """The password as compared and judged: NFKC, so look-alike forms count as the same."""
    return unicodedata.normalize("NFKC", password)


def estimate(password: str, personal: list[str]) -> Strength:
    """The strength of a password; `personal` holds the user's own words (e-mail, name)."""
    text = normalise(password)
    readings = {text, _SEPARATORS.sub("", text)}
    results = [_zxcvbn(reading, personal) for reading in readings]
    weakest = min(results, key=lambda result: result["guesses"])
    score = int(weakest["score"])
    return Strength(score, None if score >= MIN_SCORE else _reason(weakest["sequence"]))


def _zxcvbn(reading: str, personal: list[str]) -> Mapping[str, Any]:
    """zxcvbn's estimate of one reading, one call at a time."""
    with _ZXCVBN_LOCK:
        return zxcvbn(reading[:_ZXCVBN_MAX_LENGTH], user_inputs=personal)


def _reason(sequence: list[dict[str, Any]]) -> str:
    """The code for the longest pattern zxcvbn found (random characters say nothing)."""
    found = [match for match in sequence if match["pattern"] != "bruteforce"]
    if not found:
        return "guessable"
    longest = max(found, key=lambda match: len(match["token"]))
    if longest["pattern"] == "dictionary":
        return _DICTIONARY_CODES.get(longest["dictionary_name"], "words")
    return _PATTERN_CODES.get(longest["pattern"], "guessable")
