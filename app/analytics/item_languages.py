"""Item figures by the language an item was shown in, as pure pandas/numpy maths.

An item keeps one set of statistics whatever language it is answered in (a translation
never makes a new version); this breaks them down so that a poor translation shows up
as a gap in facility between the languages.

Input: one row per response, with columns `attempt_id`, `item_id`, `score` (x, the
marks earned), `max_score` (m) and `language` (the language the item was shown in).
Rest scores R = T − x use the attempt's total T over all its items, whatever their
language. Per item and language:

- `n`: the responses; `facility` = mean(x) / m; `sd` = sd(x) / m;
- `discrimination` = corr(x, R) over that language's responses, when there are at least
  DISCRIMINATION_MIN of them and both vary (NaN otherwise).

`language_gaps` flags an item when two of its languages, each with at least
LANGUAGE_MIN responses, differ in facility by GAP or more and by more than twice the
standard error of the difference (√(sd₁²/n₁ + sd₂²/n₂)): a gap chance alone would seldom
make, between languages that should measure the same thing.
"""

from __future__ import annotations

from collections.abc import Hashable
from itertools import combinations

import numpy as np
import pandas as pd

from app.domain.messages import Message

LANGUAGE_MIN = 20
DISCRIMINATION_MIN = 10
GAP = 0.15
COLUMNS = ["item_id", "language", "n", "facility", "sd", "discrimination"]


def language_breakdown(responses: pd.DataFrame) -> pd.DataFrame:
    """One row per item and language it was shown in (see the module docstring)."""
    if responses.empty:
        return pd.DataFrame(columns=COLUMNS)
    frame = responses[["attempt_id", "item_id", "score", "max_score", "language"]].copy()
    frame["language"] = frame["language"].fillna("")
    totals = frame.groupby("attempt_id")["score"].transform("sum")
    frame["rest"] = totals - frame["score"]
    frame["x"] = np.where(frame["max_score"] > 0, frame["score"] / frame["max_score"], np.nan)
    rows = [
        _figures(item, language, group)
        for (item, language), group in frame.groupby(["item_id", "language"], sort=True)
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def _figures(item: Hashable, language: str, group: pd.DataFrame) -> list[object]:
    """n, facility, sd and discrimination of one item in one language."""
    x, rest = group["x"].to_numpy(float), group["rest"].to_numpy(float)
    n = len(x)
    sd = float(np.std(x, ddof=1)) if n > 1 else np.nan
    discrimination = np.nan
    if n >= DISCRIMINATION_MIN and np.ptp(x) > 0 and np.ptp(rest) > 0:
        discrimination = float(np.corrcoef(x, rest)[0, 1])
    return [item, language, n, float(np.mean(x)), sd, discrimination]


def language_gaps(table: pd.DataFrame) -> dict[Hashable, Message]:
    """Item id → why its facility differs between two languages (the widest such gap)."""
    found: dict[Hashable, Message] = {}
    enough = table[table["n"] >= LANGUAGE_MIN]
    for item, group in enough.groupby("item_id", sort=False):
        widest: tuple[float, pd.Series, pd.Series] | None = None
        for (_i, one), (_j, two) in combinations(group.iterrows(), 2):
            gap = abs(one["facility"] - two["facility"])
            error = np.sqrt(one["sd"] ** 2 / one["n"] + two["sd"] ** 2 / two["n"])
            if gap >= GAP and gap > 2 * error and (widest is None or gap > widest[0]):
                widest = (gap, one, two)
        if widest is not None:
            _gap, one, two = widest
            high, low = (one, two) if one["facility"] > two["facility"] else (two, one)
            found[item] = Message(
                "items.language_gap",
                {
                    "high": high["language"],
                    "high_facility": float(high["facility"]),
                    "high_n": int(high["n"]),
                    "low": low["language"],
                    "low_facility": float(low["facility"]),
                    "low_n": int(low["n"]),
                },
            )
    return found
