"""Scoring attempts: totals, section minimums, pending essays, clause subscores and CBM."""

from __future__ import annotations

import json
import random
from typing import Any

import numpy as np
import pytest

from app.domain.blueprint import parse_blueprint
from app.domain.scoring import (
    OTHER,
    ClauseScore,
    ItemScore,
    SectionScore,
    certainty_based,
    pooled_clause_scores,
    rolled_up_clauses,
    score_attempt,
)

PLAN: dict[str, Any] = {
    "sections": [
        {"id": "alpha", "title": "Alpha", "clauses": ["4"], "items": 4, "min_score": 0.5},
        {"id": "beta", "title": "Beta", "clauses": ["8"], "items": 2, "min_score": 0.5},
    ]
}


def score(
    item_id: str, section: str, marks: float, fraction: float | None, *clauses: str
) -> ItemScore:
    """One graded slot."""
    return ItemScore(item_id, section, clauses or ("4.1",), marks, fraction)


def alpha_full() -> list[ItemScore]:
    """Section alpha answered perfectly: 6 of 6 marks."""
    return [
        score("a1", "alpha", 1, 1.0),
        score("a2", "alpha", 1, 1.0),
        score("a3", "alpha", 2, 1.0),
        score("a4", "alpha", 2, 1.0),
    ]


def test_a_weak_section_fails_an_attempt_whose_total_clears_the_pass_mark():
    # alpha 6/6; beta 0 + 2 × 0.75 = 1.5 of 4 = 37.5 %; total 7.5 of 10 = 75 % ≥ 60 %.
    items = [*alpha_full(), score("b1", "beta", 2, 0.0), score("b2", "beta", 2, 0.75)]
    result = score_attempt(items, parse_blueprint(PLAN), pass_mark=0.6)
    assert (result.score, result.max_score, result.percent) == (7.5, 10, 75.0)
    assert result.pending == 0
    assert result.sections == [
        SectionScore("alpha", "Alpha", 6.0, 6.0, 100.0, 0.5, True),
        SectionScore("beta", "Beta", 1.5, 4.0, 37.5, 0.5, False),
    ]
    assert result.passed is False


def test_meeting_every_section_minimum_exactly_passes():
    # beta 2 × 0.25 + 2 × 0.75 = 2 of 4 = 50 %, exactly its minimum; total 8 of 10.
    items = [*alpha_full(), score("b1", "beta", 2, 0.25), score("b2", "beta", 2, 0.75)]
    result = score_attempt(items, parse_blueprint(PLAN), pass_mark=0.6)
    assert result.sections[1].met is True
    assert result.percent == 80.0
    assert result.passed is True


def test_a_pass_mark_reached_exactly_survives_float_rounding():
    # 0.7 × 10 is 7.000000000000001 in floating point; 7 of 10 must still pass at 70 %.
    items = [score(f"q{i}", "", 1, 1.0 if i < 7 else 0.0) for i in range(10)]
    assert score_attempt(items, None, pass_mark=0.7).passed is True
    assert score_attempt(items, None, pass_mark=0.71).passed is False


def test_a_pending_essay_counts_nothing_yet_and_holds_back_the_verdict():
    items = [
        *alpha_full(),
        score("b1", "beta", 2, 0.25),
        score("essay", "beta", 4, None),
    ]
    result = score_attempt(items, parse_blueprint(PLAN), pass_mark=0.6)
    assert (result.score, result.max_score, result.pending) == (6.5, 12, 1)
    assert result.passed is None
    alpha, beta = result.sections
    assert alpha.met is True  # already met: marking can only add marks
    assert (beta.score, beta.max, beta.percent) == (0.5, 6.0, pytest.approx(8.3333, abs=1e-4))
    assert beta.met is None  # the essay could still lift beta over its minimum


def test_without_a_pass_mark_there_is_no_verdict_and_sections_come_from_the_items():
    items = [score("p1", "", 1, 1.0), score("x1", "extra", 2, 0.5)]
    result = score_attempt(items, None, pass_mark=None)
    assert result.passed is None
    assert result.sections == [SectionScore("extra", "extra", 1.0, 2.0, 50.0, None, True)]


def test_a_pass_mark_must_be_a_fraction():
    with pytest.raises(ValueError, match="fraction"):
        score_attempt([score("q", "", 1, 1.0)], None, pass_mark=65)


def test_clause_subscores_roll_up_to_the_second_level_and_count_an_item_once():
    items = [
        score("x", "", 1, 1.0, "8.5.1.3"),
        score("y", "", 2, 0.5, "8.5.1", "8.5.2"),
        score("z", "", 1, 0.0, "8"),
        score("w", "", 1, 1.0, "4.1"),
    ]
    clauses = score_attempt(items, None, None).clauses
    assert list(clauses) == ["4.1", "8", "8.5", "8.5.1", "8.5.1.3", "8.5.2"]
    assert clauses["8.5.1.3"] == ClauseScore(1.0, 1.0, 100.0)
    assert clauses["8.5.1"] == ClauseScore(2.0, 3.0, pytest.approx(66.6667, abs=1e-4))
    assert clauses["8.5.2"] == ClauseScore(1.0, 2.0, 50.0)
    assert clauses["8.5"] == ClauseScore(2.0, 3.0, pytest.approx(66.6667, abs=1e-4))
    assert clauses["8"] == ClauseScore(0.0, 1.0, 0.0)  # x and y stop at 8.5
    assert "4" not in clauses


def test_rolled_up_clauses_stop_at_the_second_level():
    assert rolled_up_clauses(("8.5.1.3",)) == {"8.5", "8.5.1", "8.5.1.3"}
    assert rolled_up_clauses(("10",)) == {"10"}
    assert rolled_up_clauses(("8.10", "8.1.2")) == {"8.10", "8.1", "8.1.2"}


def test_clause_numbers_sort_segment_by_segment():
    items = [score(c, "", 1, 1.0, c) for c in ("10.1", "8.10", "8.2", "9.1")]
    assert list(score_attempt(items, None, None).clauses) == ["8.2", "8.10", "9.1", "10.1"]


def test_the_result_becomes_json_ready_data():
    items = [*alpha_full(), score("b1", "beta", 3, 1 / 3), score("essay", "beta", 4, None)]
    data = score_attempt(items, parse_blueprint(PLAN), pass_mark=0.6).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["score"] == 7.0
    assert data["pending"] == 1
    assert data["passed"] is None
    assert data["sections"][1] == {
        "id": "beta",
        "title": "Beta",
        "score": 1.0,
        "max": 7.0,
        "percent": 14.29,
        "min_score": 0.5,
        "met": None,
    }
    assert data["clauses"]["4.1"] == {"score": 7.0, "max": 13.0, "percent": 53.85}


@pytest.mark.parametrize(
    ("fraction", "certainty", "marks"),
    [
        (1.0, 1, 1.0),
        (1.0, 2, 2.0),
        (1.0, 3, 3.0),
        (0.0, 1, 0.0),
        (0.0, 2, -2.0),
        (0.0, 3, -6.0),
        (0.5, 3, -6.0),  # partly right counts as wrong
        (0.9995, 2, 2.0),  # rounding of a full answer still counts as right
        (1.0, None, 1.0),  # no certainty given: certainty 1
        (0.0, None, 0.0),
        (None, 3, None),  # awaiting a trainer
    ],
)
def test_certainty_based_marks_follow_the_table(
    fraction: float | None, certainty: int | None, marks: float | None
):
    assert certainty_based(fraction, certainty) == marks


def test_certainty_outside_one_to_three_is_refused():
    with pytest.raises(ValueError, match="1, 2 or 3"):
        certainty_based(1.0, 4)


# --- pooled clause results while the review is closed ---------------------------------------


def _random_mock(rng: random.Random) -> list[ItemScore]:
    """Items of a mock: sections of 3-8 items, each with 0-3 clauses."""
    clauses = ["4.1", "5.2", "6.1", "7.5.1", "8.1", "8.5.1.2", "8.7.3", "9.2", "10.2"]
    items = []
    for section in range(rng.randint(1, 6)):
        for _ in range(rng.randint(3, 8)):
            tags = tuple(rng.sample(clauses, rng.randint(0, 3)))
            items.append(ItemScore(str(len(items)), f"s{section}", tags, 1.0, rng.random()))
    return items


def test_pooled_rows_partition_each_section_and_none_is_thinner_than_three():
    rng = random.Random(13)
    for _ in range(300):
        items = _random_mock(rng)
        rows = pooled_clause_scores(items)
        assert sum(r.items for r in rows) == len(items)
        assert sum(r.score for r in rows) == pytest.approx(sum(i.earned for i in items))
        for section in {i.section for i in items}:
            mine = [r for r in rows if r.section == section]
            assert sum(r.items for r in mine) == sum(1 for i in items if i.section == section)
        assert all(r.items >= 3 for r in rows)
        assert all("." not in c for r in rows for c in r.clauses)


def test_no_item_score_is_a_combination_of_the_figures_shown():
    """Pooled rows, sections and the total: no sum and difference of them isolates an item
    (its indicator vector is never in their span)."""
    rng = random.Random(29)
    for _ in range(200):
        items = _random_mock(rng)
        index = {item.item_id: n for n, item in enumerate(items)}
        groups = [[i for i in items if i.section == s] for s in {i.section for i in items}]
        shown = [*groups, items]
        members = {}  # rebuild each row's items from its section and clauses
        for item in items:
            first = min(item.clauses, key=_order) if item.clauses else OTHER
            members.setdefault((item.section, first.split(".")[0]), []).append(item)
        for row in pooled_clause_scores(items):
            shown.append(
                [
                    i
                    for (s, c), g in members.items()
                    if s == row.section
                    and (
                        c in row.clauses
                        or (
                            OTHER in row.clauses and c not in _named(pooled_clause_scores(items), s)
                        )
                    )
                    for i in g
                ]
            )
        matrix = np.zeros((len(shown), len(items)))
        for r, group in enumerate(shown):
            for item in group:
                matrix[r, index[item.item_id]] = 1
        rank = np.linalg.matrix_rank(matrix)
        for n in range(len(items)):
            unit = np.zeros(len(items))
            unit[n] = 1
            assert np.linalg.matrix_rank(np.vstack([matrix, unit])) > rank


def _order(clause: str) -> tuple:
    return tuple(int(p) for p in clause.split("."))


def _named(rows, section: str) -> set[str]:
    """Clauses with a row of their own (not only 'other') in a section."""
    return {c for r in rows if r.section == section for c in r.clauses if c != OTHER}


def test_a_lone_item_joins_the_smallest_clause_and_items_count_under_their_first_clause():
    items = [ItemScore(str(n), "a", ("8.5.1", "4.1"), 1, 1.0) for n in range(3)]
    items += [ItemScore(str(n), "a", ("9.2",), 1, 0.0) for n in range(3, 7)]
    items.append(ItemScore("7", "a", ("10.2",), 1, 0.0))
    items += [ItemScore(str(n), "b", ("4.1",), 1, 1.0) for n in range(8, 11)]
    rows = pooled_clause_scores(items)
    assert [(r.section, r.clauses, r.items, r.score) for r in rows] == [
        ("a", ("4", OTHER), 4, 3.0),
        ("a", ("9",), 4, 0.0),
        ("b", ("4",), 3, 3.0),
    ]
