"""Server-side SVG line charts: no JavaScript, no CDN, readable by screen readers."""

from __future__ import annotations

from datetime import datetime
from html import escape

WIDTH, HEIGHT, PAD = 560, 180, 36


def line_chart(title: str, points: list[tuple[datetime, float]], bar: float | None = None) -> str:
    """An accessible SVG chart of ``points`` (time, value), with an optional bar line."""
    label = escape(title)
    if not points:
        return f'<p class="empty">{label}: no data yet</p>'
    values = [v for _, v in points] + ([bar] if bar is not None else [])
    low, high = min(0.0, *values), max(values)
    high = high if high > low else low + 1
    span = max(len(points) - 1, 1)

    def x(i: int) -> float:
        return PAD + (WIDTH - 2 * PAD) * i / span

    def y(v: float) -> float:
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * (v - low) / (high - low)

    coords = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, (_, v) in enumerate(points))
    last_at, last = points[-1]
    summary = (
        f"{label}: {len(points)} runs from {points[0][0]:%Y-%m-%d} to {last_at:%Y-%m-%d},"
        f" latest {last:g}"
    )
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{summary}">',
        f"<title>{summary}</title>",
        f'<text x="{PAD}" y="16" class="chart-title">{label}</text>',
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}"'
        ' class="axis"/>',
        f'<text x="4" y="{y(high) + 4:.1f}" class="tick">{high:g}</text>',
        f'<text x="4" y="{y(low) + 4:.1f}" class="tick">{low:g}</text>',
    ]
    if bar is not None:
        parts.append(
            f'<line x1="{PAD}" y1="{y(bar):.1f}" x2="{WIDTH - PAD}" y2="{y(bar):.1f}" class="bar"/>'
        )
    parts.append(f'<polyline points="{coords}" class="line"/>')
    parts.append(f'<circle cx="{x(len(points) - 1):.1f}" cy="{y(last):.1f}" r="3" class="dot"/>')
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
