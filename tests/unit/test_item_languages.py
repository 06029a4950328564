"""Item figures by language: facility and discrimination per language, and a flag when a
translation's facility falls well apart from the source's."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from app.analytics.item_languages import GAP, language_breakdown, language_gaps
from app.messages import render


def _responses(per_language: dict[str, list[float]], others: int = 4) -> pd.DataFrame:
    """Attempts holding item 1 (scored as listed, in its language) and `others` more
    items whose scores follow item 1's, so that rest scores track ability."""
    rows = []
    attempt = 0
    for language, scores in per_language.items():
        for score in scores:
            attempt += 1
            rows.append((attempt, 1, score, 1.0, language))
            for item in range(2, 2 + others):
                rows.append((attempt, item, score, 1.0, "en"))
    return pd.DataFrame(rows, columns=["attempt_id", "item_id", "score", "max_score", "language"])


def test_each_language_gets_its_own_n_facility_and_discrimination():
    rng = np.random.default_rng(1)
    english = list(rng.integers(0, 2, 60).astype(float))
    chinese = list(rng.integers(0, 2, 8).astype(float))
    table = language_breakdown(_responses({"en": english, "zh-Hans": chinese}))
    item = table[table["item_id"] == 1].set_index("language")
    assert item.loc["en", "n"] == 60 and item.loc["zh-Hans", "n"] == 8
    assert math.isclose(item.loc["en", "facility"], sum(english) / 60)
    assert item.loc["en", "discrimination"] > 0.9  # the rest scores follow item 1
    assert math.isnan(item.loc["zh-Hans", "discrimination"])  # too few to say


def test_a_large_gap_between_languages_is_flagged_and_a_small_one_is_not():
    wide = _responses({"en": [1.0] * 30 + [0.0] * 10, "zh-Hans": [1.0] * 10 + [0.0] * 20})
    gaps = language_gaps(language_breakdown(wide))
    assert set(gaps) == {1}
    text = render(gaps[1])
    assert "0.75 in en (40 answers) against 0.33 in zh-Hans (30 answers)" in text
    narrow = _responses({"en": [1.0] * 30 + [0.0] * 10, "zh-Hans": [1.0] * 21 + [0.0] * 9})
    assert abs(0.75 - 0.70) < GAP and language_gaps(language_breakdown(narrow)) == {}


def test_a_gap_needs_enough_answers_in_both_languages():
    few = _responses({"en": [1.0] * 40, "zh-Hans": [0.0] * 5})
    assert language_gaps(language_breakdown(few)) == {}


def test_no_responses_give_an_empty_table():
    empty = pd.DataFrame(columns=["attempt_id", "item_id", "score", "max_score", "language"])
    assert language_breakdown(empty).empty
