"""Geometry of the reliability diagram on the backtest page (inline SVG, no chart library).

Predicted probability runs across, the observed pass rate up, both 0–100% on a square
plot. Each band of the backtest is a dot at (mean predicted, observed rate) whose area
grows with its number of mocks, with a whisker over its Wilson interval; the diagonal is
perfect calibration. The mocks per band are written in a row above the plot.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

MIN_RADIUS = 3.0
MAX_RADIUS = 11.0


@dataclass(frozen=True)
class BandPoint:
    """One band as drawn: centre, radius, whisker ends, and its figures for the tooltip."""

    x: float
    y: float
    r: float
    top: float
    bottom: float
    mocks: int
    low: float  # the band's edges, 0–1
    high: float
    predicted: float
    observed: float
    observed_low: float
    observed_high: float


@dataclass
class ReliabilityChart:
    """A square plot of `size` at (left, top) inside a width × height view box."""

    width: int = 404
    height: int = 420
    left: int = 58
    top: int = 44
    size: int = 320
    ticks: list[tuple[float, str]] = field(default_factory=list)  # plot offset, label
    counts: list[tuple[float, int]] = field(default_factory=list)  # band centre x, mocks
    points: list[BandPoint] = field(default_factory=list)

    @property
    def right(self) -> int:
        return self.left + self.size

    @property
    def bottom(self) -> int:
        return self.top + self.size

    def x(self, value: float) -> float:
        """The x of a probability."""
        return round(self.left + value * self.size, 1)

    def y(self, value: float) -> float:
        """The y of a pass rate."""
        return round(self.top + (1 - value) * self.size, 1)


def reliability_chart(bands: pd.DataFrame) -> ReliabilityChart:
    """The diagram of a backtest's reliability table (`app.analytics.backtest.reliability`)."""
    chart = ReliabilityChart()
    chart.ticks = [(round(v / 5 * chart.size, 1), f"{v * 20}%") for v in range(6)]
    most = max(int(bands["mocks"].max()), 1) if len(bands) else 1
    for band in bands.itertuples(index=False):
        centre = (band.low + band.high) / 2
        chart.counts.append((chart.x(centre), int(band.mocks)))
        if not band.mocks:
            continue
        radius = MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(band.mocks / most)
        chart.points.append(
            BandPoint(
                x=chart.x(band.mean_predicted),
                y=chart.y(band.observed),
                r=round(radius, 1),
                top=chart.y(band.observed_high),
                bottom=chart.y(band.observed_low),
                mocks=int(band.mocks),
                low=float(band.low),
                high=float(band.high),
                predicted=float(band.mean_predicted),
                observed=float(band.observed),
                observed_low=float(band.observed_low),
                observed_high=float(band.observed_high),
            )
        )
    return chart
