"""Pass probabilities on pages: no false precision, a range that says what it is, and a point
that never shows outside its own range."""

from __future__ import annotations

import math

import numpy as np
import pytest
from jinja2 import Environment

from app.web.probability import Chance, chance, chance_mark, chance_of, percent, whole_percent


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.734, "73%"),
        (0.725, "73%"),  # halves round up
        (0.015, "2%"),
        (0.01, "1%"),
        (0.0049, "< 1%"),
        (0.0, "< 1%"),
        (0.99, "99%"),
        (0.9949, "99%"),
        (0.995, "> 99%"),
        (1.0, "> 99%"),
        (None, "–"),
        (math.nan, "–"),
        (np.float64(0.5), "50%"),
    ],
)
def test_a_probability_shows_as_a_whole_percent_never_0_or_100(value, shown):
    assert percent(value) == shown


@pytest.mark.parametrize(
    ("p", "low", "high", "text"),
    [
        (0.72, 0.61, 0.80, "72% (range 61–80%)"),
        (1.0, 1.0, 1.0, "> 99%"),  # "100% (100–100%)" once
        (0.9996, 0.998, 1.0, "> 99%"),  # both ends look the same: no range
        (0.0, 0.0, 0.0, "< 1%"),
        (0.97, 0.93, 0.999, "97% (range 93% to > 99%)"),
        (0.02, 0.001, 0.06, "2% (range < 1% to 6%)"),
        (0.5, None, None, "50%"),
        (0.5, math.nan, math.nan, "50%"),
    ],
)
def test_a_range_is_shown_only_when_it_says_more_than_the_point(p, low, high, text):
    assert chance_of(p, low, high).text() == text


def test_a_point_outside_its_range_is_clipped_into_it():
    # The model's point is a mean, its range two percentiles: near 0 or 1 the mean can
    # fall outside (the readiness model gives 0.98594 with a range of 0.98644–1.0).
    above = chance_of(0.9859, 0.9864, 1.0)
    assert above.point == 0.9864 and above.text() == "99% (range 99% to > 99%)"
    below = chance_of(0.00598, 1e-13, 0.0021)
    assert below.point == 0.0021 and below.text() == "< 1%"
    assert chance_mark(0.40, 0.45, 0.60) == 0.45 and chance_mark(0.70, 0.45, 0.60) == 0.60
    assert chance_mark(None) is None
    assert chance_of(0.5, 0.6, 0.4).low == 0.4  # ends given the wrong way round


def test_no_displayed_point_lies_outside_its_displayed_range():
    rng = np.random.default_rng(1)
    for _ in range(5000):
        low, p, high = sorted(rng.random(3) ** rng.choice([1, 8]))
        for point in (p, low - rng.random() * 0.01, high + rng.random() * 0.01):
            shown = chance_of(point, low, high)
            assert whole_percent(low) <= whole_percent(shown.point) <= whole_percent(high)


def test_the_filter_gives_markup_with_a_hover_and_plain_text_without_a_range():
    html = str(chance(0.72, 0.61, 0.80))
    assert html.startswith('<span class="cw-chance" title="')
    assert "between 61% and 80%" in html and "10th to 90th percentile" in html
    assert '<span class="cw-chance-point">72%</span>' in html and "(range 61–80%)" in html
    assert str(chance(1.0, 1.0, 1.0)) == "&gt; 99%"  # escaped text, no hover
    assert str(chance(None, None, None)) == "–"
    assert Chance(0.3).hover() == "Estimated chance of passing the exam today."


def test_templates_use_the_filter_for_points_and_ranges(flask_app):
    env: Environment = flask_app.jinja_env
    with flask_app.test_request_context():
        page = env.from_string("{{ p|chance }} · {{ p|chance(lo, hi) }}").render(
            p=0.0001, lo=0.0, hi=0.0003
        )
    assert page == "&lt; 1% · &lt; 1%"
