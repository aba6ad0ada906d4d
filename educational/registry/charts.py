"""Chart geometry for the statistics page: pure arithmetic, no Flask.

The templates draw the shapes as inline SVG with presentation attributes (the
Content-Security-Policy forbids inline styles and scripts); every chart has a data table
beside it, which is what screen readers and keyboard users read."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    #: Top-left corner and size of the bar, in SVG user units.
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    #: Where the bars start (the labels are right-aligned before it).
    left: int
    bars: tuple[Bar, ...]


def bar_chart(
    items: list[tuple[str, int]], *, width: int = 640, bar: int = 22, gap: int = 8, left: int = 190
) -> BarChart:
    """Horizontal bars, one per (label, value), the longest filling the plot width."""
    right = 60  # room for the value printed after the bar
    top = 4
    largest = max((value for _label, value in items), default=0) or 1
    plot = width - left - right
    bars = tuple(
        Bar(
            label=label,
            value=value,
            x=left,
            y=top + index * (bar + gap),
            width=round(plot * value / largest, 1),
            height=bar,
        )
        for index, (label, value) in enumerate(items)
    )
    height = top * 2 + max(len(items), 1) * (bar + gap)
    return BarChart(width=width, height=height, left=left, bars=bars)


@dataclass(frozen=True)
class Point:
    label: str
    value: int
    x: float
    y: float


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    bottom: float
    points: tuple[Point, ...]
    ticks: tuple[Tick, ...]

    @property
    def polyline(self) -> str:
        """The ``points`` attribute of an SVG polyline."""
        return " ".join(f"{p.x},{p.y}" for p in self.points)

    @property
    def labelled(self) -> tuple[Point, ...]:
        """The points whose label is printed under the axis (about six of them)."""
        step = max(1, math.ceil(len(self.points) / 6))
        return tuple(
            p for i, p in enumerate(self.points) if i % step == 0 or i == len(self.points) - 1
        )


def nice_ceiling(value: int) -> int:
    """1, 2 or 5 times a power of ten, at least ``value`` (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def line_chart(
    items: list[tuple[str, int]], *, width: int = 640, height: int = 260, left: int = 60
) -> LineChart:
    """A line through (label, value) points at equal steps, from a zero baseline."""
    top, right, bottom_margin = 12, 20, 34
    bottom = height - bottom_margin
    ceiling = nice_ceiling(max((value for _label, value in items), default=0))
    plot_width = width - left - right
    step = plot_width / max(len(items) - 1, 1)

    def y(value: int) -> float:
        return round(bottom - (bottom - top) * value / ceiling, 1)

    points = tuple(
        Point(label, value, round(left + index * step, 1), y(value))
        for index, (label, value) in enumerate(items)
    )
    ticks = tuple(Tick(ceiling * i // 4, y(ceiling * i // 4)) for i in range(5))
    return LineChart(width, height, left, bottom, points, ticks)
