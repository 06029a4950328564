"""Geometry for the small SVG charts of the readiness pages (no chart library, no CDN)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.web.formatting import pct


@dataclass
class LineChart:
    """A 0–100% line chart: points, their path, grid lines, a threshold and x labels.

    With axis titles (`y_title`, `x_title`) the margins leave room for them, and with
    legend names (`series_name`, `threshold_name`) the macro draws a legend under the chart.
    """

    width: int
    height: int
    left: int
    bottom: int
    right: int  # x where the plot ends (labels of the last point fit to its right)
    points: list[tuple[float, float, str, float]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    grid: list[tuple[float, str]] = field(default_factory=list)
    labels: list[tuple[float, str]] = field(default_factory=list)
    threshold: float | None = None
    top: int = 10
    y_title: str = ""
    x_title: str = ""
    series_name: str = ""
    threshold_name: str = ""

    @property
    def middle(self) -> tuple[float, float]:
        """The plot's centre (x, y): where the axis titles are centred."""
        return round((self.left + self.right) / 2, 1), round((self.top + self.bottom) / 2, 1)


def line_chart(
    series: Sequence[tuple[str, float | None]],
    *,
    width: int = 560,
    height: int = 200,
    threshold: float | None = None,
    y_title: str = "",
    x_title: str = "",
    series_name: str = "",
    threshold_name: str = "",
    most_labels: int = 0,
) -> LineChart:
    """Chart of values in 0–1 over labelled steps; gaps (None/NaN) break the line. A lone
    point stands in the middle. `most_labels` (when above 0) thins the x labels to about
    that many, the last kept."""
    left = 58 if y_title else 40
    right, top = 24, 10
    bottom = 44 if x_title else 26
    inner_w, inner_h = width - left - right, height - top - bottom
    count = max(len(series) - 1, 1)
    chart = LineChart(width, height, left, height - bottom, width - right, top=top)
    chart.y_title, chart.x_title = y_title, x_title
    chart.series_name, chart.threshold_name = series_name, threshold_name
    every = max(1, math.ceil(len(series) / most_labels)) if most_labels else 1

    def y_of(value: float) -> float:
        return round(top + (1 - value) * inner_h, 1)

    chart.grid = [(y_of(v / 100), pct(v / 100)) for v in (0, 25, 50, 75, 100)]
    chart.threshold = y_of(threshold) if threshold is not None else None
    run: list[str] = []
    for i, (label, value) in enumerate(series):
        x = round(left + inner_w * (i / count if len(series) > 1 else 0.5), 1)
        if (len(series) - 1 - i) % every == 0:
            chart.labels.append((x, label))
        if value is None or (isinstance(value, float) and math.isnan(value)):
            if len(run) > 1:
                chart.paths.append(" ".join(run))
            run = []
            continue
        y = y_of(min(max(value, 0.0), 1.0))
        chart.points.append((x, y, label, value))
        run.append(f"{'M' if not run else 'L'}{x},{y}")
    if len(run) > 1:
        chart.paths.append(" ".join(run))
    return chart
