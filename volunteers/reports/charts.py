"""Server-side SVG charts (pygal) for the monthly report: pages, print and e-mail alike.

Charts are drawn from the stored figures only, and made deterministic:
pygal gives each chart a random id and stamps the date in a comment, so
both are replaced by fixed text (and its configuration script dropped) — an issued report re-renders byte for byte.
No JavaScript is attached (tooltips would not survive print or e-mail).

Readable at any width: each chart has a ``viewBox`` and no fixed size, so it
scales to its container (``report.css``: ``width: 100%``). Each bar's value is
written just past the bar's end, in the chart's text colour on the white
plot, so a bar too small to hold its number is still labelled clearly (never
a number straddling a bar's edge or the axis). In "Hours by week" the weeks cut
by the month's first and last day are drawn as part weeks: labelled with the
days they cover and "part week", and given the class ``part-week``
(``report.css`` draws them paler, dashed), so a short edge week does not read
as a drop.

No inline style either: the Content-Security-Policy refuses ``<style>`` and
``style=`` inside an inline ``<svg>`` as it does in the page. So each chart is
drawn without pygal's ``<style>`` element, and the rules it held — the same for
every chart, scoped by pygal's ``pygal-chart`` class instead of the chart's id —
are :func:`stylesheet`, kept in ``static/charts.css`` (linked by the report
pages, copied into the standalone document's one ``<style>``).
"""
from __future__ import annotations

import html
import re
import sys
from datetime import date, timedelta
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

from markupsafe import Markup

from volunteers.core.timeutil import Month
from volunteers.reports.formatting import hours as fmt_hours
from volunteers.reports.formatting import label, week_label

#: bands of hours per volunteer for the distribution chart: (label, lower bound inclusive)
BANDS = (("under 2 h", 0), ("2–5 h", 2), ("5–10 h", 5), ("10–20 h", 10), ("20–40 h", 20), ("40 h +", 40))

#: the arguments of every chart's ``pygal.style.Style`` (made with the first chart, see :func:`_pygal`)
STYLE: dict[str, Any] = dict(
    background="white", plot_background="white", foreground="#1f2937", foreground_strong="#111827",
    foreground_subtle="#6b7280", colors=("#1d4ed8",), font_family="system-ui, Arial, sans-serif",
    label_font_size=12, major_label_font_size=12, value_font_size=11, title_font_size=15,
    value_label_font_size=11, opacity="1", opacity_hover="1", transition="0s",
)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
#: pygal embeds its configuration for its tooltip script even with ``js=[]``
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
#: pygal's per-chart stylesheet, scoped by the chart's id
_STYLE = re.compile(r'<style type="text/css">(.*?)</style>', re.S)
#: the one style attribute pygal writes (its hidden tooltip): the same as a presentation attribute
_HIDDEN_TOOLTIP = ('style="opacity: 0"', 'opacity="0"')
#: one bar's rectangle, as pygal writes it (position and size, in the plot's coordinates)
_BAR = re.compile(r'<g class="bar"><rect x="([-\d.e]+)" y="([-\d.e]+)" rx="0" ry="0" width="([-\d.e]+)" '
                  r'height="([-\d.e]+)"')
#: one printed value
_VALUE = re.compile(r'<text text-anchor="middle" x="[-\d.e]+" y="[-\d.e]+" class="value">')
#: room left past the longest bar for its value, as a share of the axis
HEADROOM = 1.18
#: gap between a bar's end and its value, in the chart's units
_GAP = 5


@cache
def _pygal() -> Any:
    """Import pygal on the first chart drawn: only the report pages and jobs draw, not every web worker.

    pygal appends a legacy import hook for its map plugins (``pygal.maps.*``, unused
    here). It has no find_spec, so Python warns (ImportWarning) each time an
    import falls through to it (a module no other finder has: any optional
    import's ImportError) — an error under our warnings policy. Drop it.
    """
    import pygal  # heavy: imported on first use (tests/unit/architecture/test_heavy_imports.py)
    import pygal.style

    sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]
    return pygal


@cache
def _style() -> Any:
    return _pygal().style.Style(**STYLE)


def _config(**extra: Any) -> dict[str, Any]:
    config: dict[str, Any] = dict(
        style=_style(), js=[], disable_xml_declaration=True, show_legend=False, width=720, height=300,
        print_values=True, margin=12, no_data_text="No hours",
        value_formatter=lambda x: fmt_hours(x) if x is not None else "")
    return {**config, **extra}


def _values_past_the_bars(svg: str, horizontal: bool) -> str:
    """Move each printed value from the middle of its bar to just past the bar's end (outside it)."""
    bars = [tuple(float(n) for n in m.groups()) for m in _BAR.finditer(svg)]
    values = list(_VALUE.finditer(svg))
    if len(bars) != len(values):  # not the drawing this was written for: leave pygal's placement
        return svg
    out, at = [], 0
    for (x, y, width, height), value in zip(bars, values, strict=True):
        if horizontal:
            tag = f'<text text-anchor="start" x="{x + width + _GAP:.2f}" y="{y + height / 2 + 4:.2f}" '
        else:
            tag = f'<text text-anchor="middle" x="{x + width / 2:.2f}" y="{y - _GAP:.2f}" '
        out += [svg[at:value.start()], tag, 'class="value outside">']
        at = value.end()
    return "".join([*out, svg[at:]])


def _mark_bars(svg: str, marked: tuple[bool, ...], css_class: str) -> str:
    """Add ``css_class`` to the bars whose flag in ``marked`` is true (in drawing order)."""
    flags = iter(marked)
    return re.sub(r'<g class="bar">', lambda m: f'<g class="bar {css_class}">' if next(flags, False) else m.group(0),
                  svg)


def _svg(chart: Any, name: str) -> Markup:
    chart.uuid = f"report-{name}"  # pygal scopes its CSS with #chart-<uuid>
    svg = chart.render(is_unicode=True)
    svg = _values_past_the_bars(svg, horizontal=bool(getattr(chart, "horizontal", False)))
    svg = _STYLE.sub("", _SCRIPT.sub("", _COMMENT.sub("", svg))).replace(*_HIDDEN_TOOLTIP)
    svg = svg.replace("<svg ", f'<svg role="img" aria-labelledby="chart-{name}-title" ', 1)
    return Markup(svg.replace("<title>", f'<title id="chart-{name}-title">', 1))


def stylesheet() -> str:
    """Return the CSS every chart needs (what pygal would put in each chart's ``<style>``), as ``static/charts.css``."""
    chart = _pygal().Bar(**_config())
    chart.uuid = "report-stylesheet"
    chart.add("Hours", [1])  # pygal writes a series' colour rules only for the series a chart has
    match = _STYLE.search(chart.render(is_unicode=True))
    if match is None:
        raise RuntimeError("pygal wrote no <style> element: charts.css cannot be derived from it")
    css = html.unescape(match.group(1)).replace("#chart-report-stylesheet", ".pygal-chart")
    return ("/* The report charts' rules: pygal's stylesheet for reports.charts.STYLE, scoped by class.\n"
            "   Generated: python -c 'from volunteers.reports.charts import stylesheet; print(stylesheet(), end=\"\")'"
            " > volunteers/static/charts.css */\n" + css.strip() + "\n")


def _f(value: Any) -> float:
    return float(Decimal(str(value)))


#: charts kept drawn, per kind: drawing one with pygal costs more than the rest of the report page
DRAWN_PER_KIND = 64


def by_role(figures: dict[str, Any]) -> Markup:
    """Horizontal bars: hours by role, largest first."""
    items = sorted(figures["by_role"].items(), key=lambda kv: (-_f(kv[1]), kv[0]))
    return _by_role(tuple((label(k), _f(v)) for k, v in items))


def part_week(monday: str, month: str | None) -> str | None:
    """Return the days of ``month`` the week of ``monday`` covers ("1–4 Oct") when it is cut by the month's edge."""
    if not month:
        return None
    first = date.fromisoformat(monday)
    last = first + timedelta(days=6)
    m = Month.parse(month)
    start, end = max(first, m.first_day), min(last, m.last_day)
    if (start, end) == (first, last) or start > end:
        return None
    return f"{start.day}–{end.day} {end:%b}" if start != end else f"{start.day} {start:%b}"


def by_week(figures: dict[str, Any]) -> Markup:
    """Columns: hours by week (weeks start on Monday); weeks cut by the month's edges are marked part weeks."""
    items = sorted(figures.get("by_week", {}).items())
    weeks = []
    for monday, value in items:
        days = part_week(monday, figures.get("month"))
        weeks.append((f"{days}, part week" if days else week_label(monday), _f(value), days is not None))
    return _by_week(tuple(weeks))


def distribution(figures: dict[str, Any]) -> Markup:
    """Columns: how many volunteers gave how many hours (bands)."""
    counts = [0] * len(BANDS)
    for person in figures["by_volunteer"]:
        h = _f(person["hours"])
        counts[max(i for i, (_, lo) in enumerate(BANDS) if h >= lo or i == 0)] += 1
    return _distribution(tuple(counts))


# The drawings are pure functions of what they show (labels and numbers, nothing else: no
# organisation, no date), so each is kept by exactly those values — the same figures draw the
# same bytes anyway (see the module docstring), and a chart shows nothing but its own key.


def _room(values: list[float]) -> dict[str, Any]:
    """Return the axis range that leaves room past the longest bar for its value (none for no bars)."""
    top = max(values, default=0)
    return {"range": (0, top * HEADROOM)} if top > 0 else {}


@lru_cache(maxsize=DRAWN_PER_KIND)
def _by_role(items: tuple[tuple[str, float], ...]) -> Markup:
    chart = _pygal().HorizontalBar(**_config(height=max(160, 40 + 32 * len(items)),
                                             **_room([value for _, value in items])))
    chart.title = "Hours by role"
    chart.x_labels = [name for name, _ in items]
    chart.add("Hours", [value for _, value in items])
    return _svg(chart, "by-role")


@lru_cache(maxsize=DRAWN_PER_KIND)
def _by_week(items: tuple[tuple[str, float, bool], ...]) -> Markup:
    chart = _pygal().Bar(**_config(truncate_label=-1, **_room([value for _, value, _ in items])))
    chart.title = "Hours by week"
    chart.x_labels = [name for name, _, _ in items]
    chart.add("Hours", [value for _, value, _ in items])
    return Markup(_mark_bars(_svg(chart, "by-week"), tuple(part for _, _, part in items), "part-week"))


@lru_cache(maxsize=DRAWN_PER_KIND)
def _distribution(counts: tuple[int, ...]) -> Markup:
    top = max(counts) or 1
    step = max(1, -(-top // 5))
    config = _config(value_formatter=lambda x: f"{int(x)}" if x is not None else "",
                     y_labels=list(range(0, top + step, step)), range=(0, max(top * HEADROOM, top + step)))
    chart = _pygal().Bar(**config)
    chart.title = "Volunteers by hours given"
    chart.x_labels = [name for name, _ in BANDS]
    chart.add("Volunteers", list(counts))
    return _svg(chart, "distribution")


def forget_drawings() -> None:
    """Drop the charts kept drawn (for a test that watches pygal draw them)."""
    for drawn in (_by_role, _by_week, _distribution):
        drawn.cache_clear()


def all_charts(figures: dict[str, Any]) -> dict[str, Markup]:
    """Return every chart of the report, by the name the template gives it."""
    return {"by_role": by_role(figures), "by_week": by_week(figures), "distribution": distribution(figures)}
