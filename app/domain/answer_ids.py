"""Per-attempt public ids for the parts of a question that a learner refers to.

Authors write options as a, b, c and ordering steps as s1…sn in the correct order, and
imported items number options in the order they were written, so the ids a question is
stored with often give the key away. Learners and API clients therefore never see them:
every option, step, matching prompt and match of an attempt item is shown under an
opaque id derived from a secret of the attempt (HMAC-SHA256 of the item's position, the
part's group and its real id). The ids look random, so neither their values nor their
sort order say anything about the key; they differ from attempt to attempt, and nobody
without the secret can compute them. The same secret always gives the same ids, so
nothing but the secret is stored.
"""

from __future__ import annotations

import base64
import hmac
import secrets

# Parts of one question, by group ("option", "step", "prompt", "match"): their real ids.
Parts = dict[str, list[str]]

_LENGTHS = (8, 16, 32)  # longer ids only in the astronomically rare case of a collision


def new_secret() -> str:
    """A fresh secret for one attempt: 128 random bits as hex."""
    return secrets.token_hex(16)


class AnswerIds:
    """Real id ↔ public id of every part of one question, per group."""

    def __init__(self, to_public: dict[str, dict[str, str]]) -> None:
        self._public = to_public
        self._real = {
            group: {public: real for real, public in ids.items()}
            for group, ids in to_public.items()
        }

    @classmethod
    def identity(cls, parts: Parts) -> AnswerIds:
        """Public ids equal to the real ones: for authors' previews, never for learners."""
        return cls({group: {real: real for real in ids} for group, ids in parts.items()})

    @classmethod
    def derive(cls, secret: str, item: str, parts: Parts) -> AnswerIds:
        """The opaque ids of one attempt item (`item` names it within the attempt)."""
        for length in _LENGTHS:
            mapping = {
                group: {real: _opaque(secret, item, group, real, length) for real in ids}
                for group, ids in parts.items()
            }
            shown = [public for ids in mapping.values() for public in ids.values()]
            if len(set(shown)) == len(shown):
                return cls(mapping)
        raise ValueError("could not derive distinct public ids")  # pragma: no cover

    def public(self, group: str, real: str) -> str:
        """The public id of a part."""
        return self._public[group][real]

    def real(self, group: str, public: object) -> str | None:
        """The real id behind a public id of the group, or None if it is not one."""
        if not isinstance(public, str):
            return None
        return self._real.get(group, {}).get(public.strip())


def secret_order(secret: str, item: str, ids: list[str]) -> list[str]:
    """The ids in an order nobody can predict or reproduce without the attempt's secret.

    A display order drawn from a guessable generator would give the key away: a learner
    who sees the permutation of one item (matching shows one, as its matches are sorted
    texts) could recover the generator's seed and undo the shuffle of an ordering item.
    """
    key = secret.encode()
    return sorted(ids, key=lambda real: _digest(key, item, "order", real))


def _digest(key: bytes, item: str, group: str, real: str) -> bytes:
    """HMAC-SHA256 of one part of an item under the attempt's secret."""
    return hmac.digest(key, "\x1f".join((item, group, real)).encode(), "sha256")


def _opaque(secret: str, item: str, group: str, real: str, length: int) -> str:
    """A keyed hash of the part, as lowercase letters and digits."""
    digest = _digest(secret.encode(), item, group, real)
    # Base32 turns each 5 bytes into 8 letters on their own, so encoding only the bytes
    # the `length` letters come from gives the same letters in a fraction of the time.
    return base64.b32encode(digest[: -(-length * 5 // 8)]).decode().lower()[:length]
