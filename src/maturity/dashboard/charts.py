"""Server-side SVG charts: no JavaScript, no CDN, readable by screen readers.

Every chart is plain SVG styled by the page's stylesheet (so it follows the light or dark
theme): a time axis with dates, a value axis with ticks, the bar drawn as a dashed line,
each point focusable with its value shown on hover and focus (and in its ``<title>``),
and promotions and deployments marked on the timeline. Text is escaped here: the labels
come from the store.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape

WIDTH, HEIGHT = 640, 230
LEFT, RIGHT, TOP, BOTTOM = 52, 16, 30, 40
MAX_POINTS = 120  # focusable points drawn at most; the line has every run


@dataclass(frozen=True)
class Marker:
    """An event on the timeline (a promotion, a demotion, a deployment)."""

    at: datetime
    kind: str  # promotion / demotion / deployment
    text: str


def fmt(value: float) -> str:
    """A figure as people read it: no trailing zeros, at most two decimals."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def nice_ticks(low: float, high: float, count: int = 4, whole: bool = False) -> list[float]:
    """Round tick values covering ``low`` to ``high`` (1, 2, 2.5 or 5 times a power of 10;
    whole numbers only for a count)."""
    if high <= low:
        high = low + 1
    raw = max((high - low) / count, 1.0 if whole else 0.0)
    power = 10 ** math.floor(math.log10(raw))
    steps = (1, 2, 5, 10) if whole and power < 10 else (1, 2, 2.5, 5, 10)
    step = next(m * power for m in steps if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = [first]
    while ticks[-1] < high - 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _date_label(moment: datetime, span: timedelta) -> str:
    if span > timedelta(days=120):
        return f"{moment:%b %Y}"
    if span > timedelta(days=2):
        return f"{moment:%b %d}"
    if span > timedelta(hours=2):
        return f"{moment:%m-%d %H:%M}"
    return f"{moment:%H:%M:%S}"


def empty_chart(title: str, points: list[tuple[datetime, float]]) -> str:
    """What a chart says until it has a trend to draw: no figure yet, or one run so far."""
    label = escape(title)
    if not points:
        return f'<p class="empty"><strong>{label}</strong>: not measured in any stored run.</p>'
    at, value = points[0]
    return (
        f'<p class="empty"><strong>{label}</strong>: one run so far ({fmt(value)} on'
        f" {at:%Y-%m-%d}) — the trend appears after the next run: <code>maturity run</code></p>"
    )


def line_chart(
    title: str,
    points: list[tuple[datetime, float]],
    bar: float | None = None,
    markers: list[Marker] | None = None,
    percent: bool = False,
) -> str:
    """An accessible SVG chart of ``points`` (time, value) with axes, the bar, and
    ``markers`` within the time range; an empty state below two points."""
    if len(points) < 2:
        return empty_chart(title, points)
    label = escape(title)
    values = [v for _, v in points] + ([bar] if bar is not None else [])
    low, high = min(0.0, *values), max(values)
    if percent:
        low, high = min(low, 0.0), max(high, 100.0)
    ticks = nice_ticks(low, high, whole=all(float(v).is_integer() for v in values))
    low, high = ticks[0], ticks[-1]
    start, end = points[0][0], points[-1][0]
    span = max(end - start, timedelta(seconds=1))
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(moment: datetime) -> float:
        return LEFT + inner_w * ((moment - start) / span)

    def y(v: float) -> float:
        return TOP + inner_h - inner_h * (v - low) / (high - low)

    last_at, last = points[-1]
    summary = (
        f"{label}: {len(points)} runs from {start:%Y-%m-%d} to {last_at:%Y-%m-%d},"
        f" latest {last:g}" + (f", bar {bar:g}" if bar is not None else "")
    )
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="group" aria-label="{summary}">',
        f"<title>{summary}</title>",
        f'<text x="{LEFT}" y="18" class="chart-title">{label}</text>',
    ]
    for tick in ticks:
        ty = y(tick)
        parts.append(
            f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{WIDTH - RIGHT}" y2="{ty:.1f}" class="grid"/>'
            f'<text x="{LEFT - 6}" y="{ty + 4:.1f}" class="tick" text-anchor="end">'
            f"{fmt(tick)}</text>"
        )
    base = TOP + inner_h
    parts.append(f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" class="axis"/>')
    for i in range(5):
        moment = start + span * (i / 4)
        anchor = ("start", "middle", "middle", "middle", "end")[i]
        parts.append(
            f'<line x1="{x(moment):.1f}" y1="{base}" x2="{x(moment):.1f}" y2="{base + 4}"'
            f' class="axis"/><text x="{x(moment):.1f}" y="{base + 18}" class="tick"'
            f' text-anchor="{anchor}">{escape(_date_label(moment, span))}</text>'
        )
    if bar is not None:
        by = y(bar)
        parts.append(
            f'<line x1="{LEFT}" y1="{by:.1f}" x2="{WIDTH - RIGHT}" y2="{by:.1f}" class="bar"/>'
            f'<text x="{WIDTH - RIGHT}" y="{by - 4:.1f}" class="tick bar-label"'
            f' text-anchor="end">bar {fmt(bar)}</text>'
        )
    for marker in markers or []:
        if start <= marker.at <= end:
            parts.append(_marker(marker, x(marker.at), base))
    coords = " ".join(f"{x(at):.1f},{y(v):.1f}" for at, v in points)
    parts.append(f'<polyline points="{coords}" class="line"/>')
    step = max(1, math.ceil(len(points) / MAX_POINTS))
    shown = points[::-1][::step][::-1]  # always the newest
    for at, v in shown:
        parts.append(_point(x(at), y(v), f"{at:%Y-%m-%d %H:%M}", fmt(v)))
    parts.append("</svg>")
    return "".join(parts)


def _point(px: float, py: float, when: str, value: str) -> str:
    """A point, focusable, its value and date shown on hover and focus."""
    anchor = "end" if px > WIDTH - 120 else "start" if px < LEFT + 60 else "middle"
    ty = py - 10 if py > TOP + 24 else py + 22
    text = f"{value} · {when}"
    return (
        f'<g class="pt" tabindex="0" role="img" aria-label="{when}: {value}">'
        f"<title>{when}: {value}</title>"
        f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5"/>'
        f'<text x="{px:.1f}" y="{ty:.1f}" text-anchor="{anchor}" class="pt-label">{text}</text>'
        "</g>"
    )


def _marker(marker: Marker, mx: float, base: float) -> str:
    """A vertical line at an event, with a labelled glyph at the top."""
    glyph = {"promotion": "▲", "demotion": "▼"}.get(marker.kind, "◆")
    text = escape(f"{marker.at:%Y-%m-%d %H:%M} {marker.kind}: {marker.text}")
    return (
        f'<g class="mark mark-{escape(marker.kind)}" tabindex="0" role="img" aria-label="{text}">'
        f"<title>{text}</title>"
        f'<line x1="{mx:.1f}" y1="{TOP}" x2="{mx:.1f}" y2="{base}"/>'
        f'<text x="{mx:.1f}" y="{TOP - 2}" text-anchor="middle">{glyph}</text></g>'
    )


def sparkline(points: list[tuple[datetime, float]], what: str) -> str:
    """A small line of the last runs' values, described in words for screen readers."""
    if len(points) < 2:
        return ""
    values = [v for _, v in points]
    low, high = min(values), max(values)
    high = high if high > low else low + 1
    w, h = 120, 28

    def px(i: int) -> float:
        return 2 + (w - 4) * i / (len(points) - 1)

    def py(v: float) -> float:
        return h - 3 - (h - 6) * (v - low) / (high - low)

    coords = " ".join(f"{px(i):.1f},{py(v):.1f}" for i, v in enumerate(values))
    said = escape(
        f"{what} over the last {len(points)} runs: {fmt(values[0])} to {fmt(values[-1])}"
        f" (low {fmt(min(values))}, high {fmt(max(values))})"
    )
    return (
        f'<svg class="spark" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img"'
        f' aria-label="{said}"><title>{said}</title><polyline points="{coords}"/>'
        f'<circle cx="{px(len(values) - 1):.1f}" cy="{py(values[-1]):.1f}" r="2.5"/></svg>'
    )


def bar_chart(title: str, items: list[tuple[str, int]]) -> str:
    """Horizontal bars, each labelled with its name and count (length is never alone)."""
    if not items:
        return ""
    most = max(v for _, v in items) or 1
    row, label_w, w = 28, 150, WIDTH
    h = row * len(items) + 30
    said = escape(f"{title}: " + ", ".join(f"{k} {v}" for k, v in items))
    parts = [
        f'<svg class="chart hbar" viewBox="0 0 {w} {h}" role="img" aria-label="{said}">',
        f"<title>{said}</title>",
        f'<text x="0" y="16" class="chart-title">{escape(title)}</text>',
    ]
    for i, (name, value) in enumerate(items):
        top = 26 + i * row
        length = (w - label_w - 60) * value / most
        parts.append(
            f'<text x="{label_w - 8}" y="{top + 16}" class="tick" text-anchor="end">'
            f"{escape(name)}</text>"
            f'<rect x="{label_w}" y="{top + 4}" width="{length:.1f}" height="{row - 10}"'
            f' class="hbar-bar"/><text x="{label_w + length + 6:.1f}" y="{top + 16}"'
            f' class="tick">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def badge(label: str, value: str, colour: str) -> str:
    """A shields-style SVG badge."""
    left, right = 7 * len(label) + 12, 7 * len(value) + 12
    total = left + right
    lab, val = escape(label), escape(value)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img"'
        f' aria-label="{lab}: {val}"><title>{lab}: {val}</title>'
        f'<rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{colour}"/>'
        f'<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="6" y="14">{lab}</text><text x="{left + 6}" y="14">{val}</text></g></svg>'
    )
