"""Geometry of the organization page's small SVG charts (no chart library, no CDN): the
histogram of pass probabilities with a bar for the people without a forecast, and the
sparkline of the share ready over the last weeks."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _

from app.analytics.team_readiness import ON_TRACK_AT, READY_AT
from app.web.formatting import number, pct


@dataclass(frozen=True)
class Bar:
    """One bar as drawn, with its count and what it stands for (for the tooltip)."""

    x: float
    y: float
    width: float
    height: float
    count: int
    label: str
    zone: str  # a status class: not_ready, on_track, ready, or insufficient (no forecast)


@dataclass
class Histogram:
    """Bars in a width × height view box, axis ticks under them."""

    width: int = 320
    height: int = 124
    base: float = 100.0  # y of the bars' foot
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)
    no_forecast_x: float = 0.0  # centre of the bar of people without a forecast


def bin_label(k: int, bins: int) -> str:
    """The k-th of `bins` equal bins of pass probability in words (never 0% or 100%)."""
    low, high = round(100 * k / bins), round(100 * (k + 1) / bins)
    if k == 0:
        return _("under %(p)s", p=pct(high / 100))
    if k == bins - 1:
        return _("%(p)s or more", p=pct(low / 100))
    return _("%(low)s–%(high)s", low=number(low), high=pct(high / 100))


def _zone(middle: float) -> str:
    """The status a pass probability at `middle` would have without a rise."""
    return "ready" if middle >= READY_AT else "on_track" if middle >= ON_TRACK_AT else "not_ready"


def histogram(counts: Sequence[int], no_forecast: int) -> Histogram:
    """Bars for `counts` (equal bins of 0–1) and, apart, one for `no_forecast` people."""
    chart = Histogram()
    left, right, top = 4.0, 4.0, 16.0
    bins = len(counts)
    slot = (chart.width - left - right) / (bins + 2)  # the bins, a gap, the no-forecast bar
    tallest = max([*counts, no_forecast, 1])

    def bar(x: float, count: int, label: str, zone: str, width: float) -> Bar:
        height = round((chart.base - top) * count / tallest, 1)
        return Bar(round(x, 1), round(chart.base - height, 1), width, height, count, label, zone)

    for k, count in enumerate(counts):
        zone = _zone((k + 0.5) / bins)
        chart.bars.append(bar(left + k * slot + 1, count, bin_label(k, bins), zone, slot - 2))
    no_forecast_x = left + (bins + 0.6) * slot
    chart.bars.append(
        bar(no_forecast_x, no_forecast, _("no forecast yet"), "insufficient", slot * 1.4)
    )
    chart.no_forecast_x = round(no_forecast_x + slot * 0.7, 1)
    chart.ticks = [(round(left + k * slot, 1), pct(round(100 * k / bins) / 100)) for k in (2, 5, 8)]
    return chart


@dataclass
class Sparkline:
    """A small line of values in 0–1 and its last point."""

    width: int = 128
    height: int = 34
    path: str = ""
    last: tuple[float, float] | None = None


def sparkline(values: Sequence[float]) -> Sparkline:
    """The line through `values` (0–1, oldest first) on a fixed 0–1 scale; gaps skipped."""
    line = Sparkline()
    pad = 3.0
    count = max(len(values) - 1, 1)
    steps: list[str] = []
    for i, value in enumerate(values):
        if value is None or math.isnan(value):
            continue
        x = round(pad + (line.width - 2 * pad) * i / count, 1)
        y = round(pad + (line.height - 2 * pad) * (1 - min(max(value, 0.0), 1.0)), 1)
        steps.append(f"{'M' if not steps else 'L'}{x},{y}")
        line.last = (x, y)
    line.path = " ".join(steps)
    return line
