"""A tiny inline SVG of weekly hours against the pledge: a line, a dashed pledge level, this week marked.

Hand-drawn rather than through a charting library: a sparkline is a
polyline, and inline SVG needs no script and prints. The numbers are in
the accessible label and the ``<title>``, so nothing is only visible.
"""
from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD = 168, 36, 3


def _fmt(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text or "0"


def sparkline(hours: Sequence[float], pledge: float | None, current: int | None = None,
              labels: Sequence[str] = ()) -> Markup:
    """Return an ``<svg>`` of ``hours`` per week (oldest first), the ``pledge`` level and week ``current``.

    ``labels`` (week start dates, same length) go into the text alternative.
    """
    top = max([*hours, pledge or 0.0, 1.0]) * 1.1
    n = len(hours)
    step = (WIDTH - 2 * PAD) / max(n - 1, 1)

    def y(value: float) -> float:
        return round(HEIGHT - PAD - value / top * (HEIGHT - 2 * PAD), 1)

    points = " ".join(f"{round(PAD + k * step, 1)},{y(v)}" for k, v in enumerate(hours))
    # one label per week: missing ones are blank, extra ones are not read
    week_labels = [*labels, *[""] * n][:n]
    words = ", ".join(f"{label}: {_fmt(v)} h" if label else f"{_fmt(v)} h"
                      for label, v in zip(week_labels, hours, strict=True))
    summary = f"Weekly hours over {n} weeks ({words})" + (f"; pledge {_fmt(pledge)} h a week" if pledge else "")
    parts = [f'<svg class="sparkline" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
             f'role="img" aria-label="{escape(summary)}"><title>{escape(summary)}</title>']
    if pledge:
        parts.append(f'<line class="pledge" x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(pledge)}" y2="{y(pledge)}" '
                     'stroke="#15803d" stroke-dasharray="3 2" stroke-width="1"/>')
    if current is not None and 0 <= current < n:
        x = round(PAD + current * step, 1)
        parts.append(f'<line class="now" x1="{x}" x2="{x}" y1="{PAD}" y2="{HEIGHT - PAD}" stroke="#94a3b8" '
                     'stroke-width="1"/>')
    parts.append(f'<polyline fill="none" stroke="#b45309" stroke-width="1.8" stroke-linejoin="round" '
                 f'points="{points}"/>')
    for k, value in enumerate(hours):
        if pledge and value > pledge:
            parts.append(f'<circle cx="{round(PAD + k * step, 1)}" cy="{y(value)}" r="1.6" fill="#b91c1c"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
