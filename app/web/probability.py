"""Pass probabilities as every page shows them: no false precision, a range that says what it is.

A model's 0.9996 is not "100%": a chance that rounds to 100% shows as "> 99%", one that
rounds to 0% as "< 1%". A range (the 10th to 90th percentile of the learner's pass chance
given the evidence, `app.analytics.readiness`) shows beside the point as "72% (range
61–80%)", with a hover that says what it means; pages that show ranges carry the
`chance_note` footnote (app/templates/macros.html). A range whose ends look the same is
left out ("> 99%", never "> 99% (range > 99% to > 99%)").

The point is the posterior mean and the range comes from percentiles, so near 0% or 100%
(a skewed distribution) the model can put the point a little outside its own range. Pages
never show that: the point is clipped into the range for display (`shown_point`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask import Flask
from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.web.formatting import number, pct

DASH = "–"


def _missing(value: float) -> bool:
    return math.isnan(value)


def whole_percent(value: float) -> int:
    """A probability as a whole percent, halves rounded up (so the order of values is kept)."""
    return math.floor(100 * value + 0.5)


def percent(value: float | None) -> str:
    """0.734 → "73%", 0.9996 → "> 99%", 0.003 → "< 1%", None or NaN → an en dash."""
    value = _number(value)
    if value is None:
        return DASH
    shown = whole_percent(value)
    if shown >= 100:
        return _("> 99%")
    if shown <= 0:
        return _("< 1%")
    return pct(shown / 100)


@dataclass(frozen=True)
class Chance:
    """A pass probability ready to show: the point, kept inside its range, and the range."""

    point: float
    low: float | None = None
    high: float | None = None

    @property
    def has_range(self) -> bool:
        """Whether the range says more than the point: its two ends look different."""
        if self.low is None or self.high is None:
            return False
        return percent(self.low) != percent(self.high)

    def range_text(self) -> str:
        """The range as words ("range 61–80%"), or "" when it says no more than the point."""
        if not self.has_range:
            return ""
        assert self.low is not None and self.high is not None
        low, high = whole_percent(self.low), whole_percent(self.high)
        if low > 0 and high < 100:
            return _("range %(low)s–%(high)s", low=number(low), high=pct(high / 100))
        return _("range %(low)s to %(high)s", low=percent(self.low), high=percent(self.high))

    def text(self) -> str:
        """The point, with its range when that says more: "72% (range 61–80%)"."""
        if not self.has_range:
            return percent(self.point)
        return _("%(point)s (%(range)s)", point=percent(self.point), range=self.range_text())

    def hover(self) -> str:
        """What the range means, in words, for a title attribute."""
        if not self.has_range:
            return _("Estimated chance of passing the exam today.")
        return _(
            "Estimated chance of passing the exam today: %(point)s. Given the answers so far, "
            "the learner's pass chance lies between %(low)s and %(high)s with 80%% "
            "certainty (10th to 90th percentile).",
            point=percent(self.point),
            low=percent(self.low),
            high=percent(self.high),
        )


def _number(value: float | None) -> float | None:
    """A float, or None for a missing value."""
    return None if value is None or _missing(float(value)) else float(value)


def shown_point(p_pass: float, low: float | None = None, high: float | None = None) -> float:
    """The point clipped into its range, so no page shows it outside (module docstring)."""
    if low is not None:
        p_pass = max(p_pass, low)
    if high is not None:
        p_pass = min(p_pass, high)
    return p_pass


def chance_of(
    p_pass: float | None, low: float | None = None, high: float | None = None
) -> Chance | None:
    """The `Chance` to show, or None when there is no forecast (a missing point)."""
    point, low, high = _number(p_pass), _number(low), _number(high)
    if point is None:
        return None
    if low is not None and high is not None and low > high:
        low, high = high, low
    return Chance(shown_point(point, low, high), low, high)


def chance(p_pass: float | None, low: float | None = None, high: float | None = None) -> Markup:
    """Jinja filter `chance`: `p|chance` → "72%"; `p|chance(low, high)` → the point and
    its range in a span whose title explains the range. No forecast → an en dash."""
    shown = chance_of(p_pass, low, high)
    if shown is None:
        return escape(DASH)
    if not shown.has_range:
        return escape(shown.text())
    return Markup(
        '<span class="cw-chance" title="{hover}"><span class="cw-chance-point">{point}</span> '
        '<span class="cw-chance-range">{range}</span></span>'
    ).format(
        hover=shown.hover(),
        point=percent(shown.point),
        range=_("(%(range)s)", range=shown.range_text()),
    )


def chance_mark(
    p_pass: float | None, low: float | None = None, high: float | None = None
) -> float | None:
    """Jinja filter `chance_mark`: the point where a bar marks it (clipped like the text)."""
    shown = chance_of(p_pass, low, high)
    return None if shown is None else shown.point


def install_probability_filters(app: Flask) -> None:
    """Make `chance` and `chance_mark` available to every template."""
    app.jinja_env.filters.update(chance=chance, chance_mark=chance_mark)
