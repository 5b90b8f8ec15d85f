"""The overview charts as SVG, drawn once when the file is written: no chart library to inline, no
script needed to see them, allowed by a strict Content-Security-Policy, and printable in black and
white (every series has a pattern and every value is written as a number beside its mark).

Each mark is a link to the view it drills into (a URL fragment the page's script reads). Every
label comes from reports, so all text and attributes go through :func:`html.escape`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any
from urllib.parse import quote, urlencode

__all__ = ["bar_chart", "fragment", "heat_map", "timeliness_chart", "trend_chart"]

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
SEVERITY_FILL = {"error": "#D55E00", "warning": "#E69F00", "info": "#0072B2"}
TIMELINESS_FILL = {"on_time": "#009E73", "late": "#D55E00", "missing": "#999999", "unknown": "#56B4E9"}
TIMELINESS_ORDER = ("on_time", "late", "missing", "unknown")
BAR_FILL = "#0072B2"
ROW_HEIGHT = 22
LABEL_WIDTH = 200
PLOT_WIDTH = 360


def fragment(**state: Any) -> str:
    """The link to a view: ``#view=reports&family=AR`` (values percent-encoded)."""
    return "#" + urlencode({key: value for key, value in state.items() if value not in (None, "")}, quote_via=quote)


def _attrs(attributes: dict[str, Any]) -> str:
    return "".join(f' {name.rstrip("_").replace("_", "-")}="{escape(str(value), quote=True)}"' for name, value in attributes.items() if value is not None)


def _el(tag: str, content: str = "", **attributes: Any) -> str:
    return f"<{tag}{_attrs(attributes)}>{content}</{tag}>"


def _text(value: Any, **attributes: Any) -> str:
    return _el("text", escape(str(value)), **attributes)


def _patterns(prefix: str) -> str:
    """Hatching and dots laid over a fill, so series differ without colour."""
    hatch = _el("pattern", _el("rect", width=6, height=6, fill="#fff", fill_opacity="0") + '<path d="M0,6 L6,0" stroke="#000" stroke-width="1.2"/>', id=f"{prefix}-hatch", width=6, height=6, patternUnits="userSpaceOnUse")
    dots = _el("pattern", '<circle cx="3" cy="3" r="1.2" fill="#000"/>', id=f"{prefix}-dots", width=6, height=6, patternUnits="userSpaceOnUse")
    return _el("defs", hatch + dots)


PATTERN_OF = {"error": "hatch", "late": "hatch", "warning": "dots", "missing": "dots"}


def _bar(prefix: str, x: float, y: float, width: float, height: float, fill: str, series: str) -> str:
    bar = _el("rect", x=round(x, 1), y=y, width=round(max(width, 0), 1), height=height, fill=fill, stroke="#000", stroke_width="0.5")
    pattern = PATTERN_OF.get(series)
    if pattern and width > 0:
        bar += _el("rect", x=round(x, 1), y=y, width=round(width, 1), height=height, fill=f"url(#{prefix}-{pattern})", opacity="0.45")
    return bar


def _svg(prefix: str, title: str, width: int, height: int, body: str) -> str:
    return _el(
        "svg",
        _el("title", escape(title)) + _patterns(prefix) + body,
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {width} {height}",
        width=width,
        height=height,
        role="img",
        class_="chart",
        aria_label=title,
        id=prefix,
    )


def _link(href: str, label: str, content: str) -> str:
    return _el("a", _el("title", escape(label)) + content, href=href, class_="mark", aria_label=label)


def bar_chart(prefix: str, title: str, items: Sequence[tuple[str, int, str]], fill: str = BAR_FILL, series: str = "") -> str:
    """Horizontal bars: (label, value, link) each, longest first as given."""
    if not items:
        return _empty(prefix, title)
    top = max(value for _, value, _ in items) or 1
    rows = []
    for index, (label, value, href) in enumerate(items):
        y = 6 + index * ROW_HEIGHT
        length = PLOT_WIDTH * value / top
        mark = _text(_short(label, 15), x=LABEL_WIDTH - 6, y=y + 15, text_anchor="end", class_="label")
        mark += _bar(prefix, LABEL_WIDTH, y + 3, length, ROW_HEIGHT - 6, fill, series)
        mark += _text(value, x=LABEL_WIDTH + length + 4, y=y + 15, class_="value")
        rows.append(_link(href, f"{label}：{value}", mark))
    return _svg(prefix, title, LABEL_WIDTH + PLOT_WIDTH + 60, 12 + len(items) * ROW_HEIGHT, "".join(rows))


def heat_map(prefix: str, title: str, bodies: Sequence[str], families: Sequence[tuple[str, str]], counts: Sequence[Sequence[int]]) -> str:
    """Bodies × rule families: the shade and the number written in it both say how many findings.
    ``families`` are (code, label)."""
    if not bodies or not families:
        return _empty(prefix, title)
    cell_width, cell_height, top_margin = 64, 24, 34
    highest = max((value for row in counts for value in row), default=0) or 1
    parts = [_text(_short(label, 5), x=LABEL_WIDTH + index * cell_width + cell_width / 2, y=22, text_anchor="middle", class_="label") for index, (_, label) in enumerate(families)]
    for row, body in enumerate(bodies):
        y = top_margin + row * cell_height
        parts.append(_text(_short(body, 14), x=LABEL_WIDTH - 6, y=y + 16, text_anchor="end", class_="label"))
        for column, (family, label) in enumerate(families):
            value = counts[row][column]
            x = LABEL_WIDTH + column * cell_width
            shade = 0.1 + 0.9 * value / highest if value else 0
            # One hue, light to dark: it reads as grey levels in print; the number is written too.
            fill = f"rgba(0,114,178,{shade:.2f})" if value else "#ffffff"
            ink = "#ffffff" if shade > 0.55 else "#000000"
            cell = _el("rect", x=x, y=y, width=cell_width - 2, height=cell_height - 2, fill=fill, stroke="#777", stroke_width="0.5")
            cell += _text(value if value else "·", x=x + cell_width / 2, y=y + 16, text_anchor="middle", fill=ink, class_="value")
            parts.append(_link(fragment(view="reports", body=body, family=family), f"{body} · {label}：{value}", cell) if value else cell)
    return _svg(prefix, title, LABEL_WIDTH + cell_width * len(families) + 10, top_margin + cell_height * len(bodies) + 6, "".join(parts))


def timeliness_chart(prefix: str, title: str, rows: Iterable[tuple[Any, dict[str, int]]], names: dict[str, str]) -> str:
    """One stacked bar per year: on time, late, no date, no known deadline."""
    rows = list(rows)
    if not rows:
        return _empty(prefix, title)
    legend_height = 26
    parts = []
    for index, series in enumerate(TIMELINESS_ORDER):
        x = 10 + index * 130
        parts.append(_bar(prefix, x, 6, 14, 14, TIMELINESS_FILL[series], series) + _text(names[series], x=x + 20, y=18, class_="label"))
    for index, (year, counts) in enumerate(rows):
        y = legend_height + 6 + index * ROW_HEIGHT
        total = sum(counts.values()) or 1
        year_label = f"{year}年度" if year is not None else "年度不明"
        parts.append(_text(year_label, x=LABEL_WIDTH - 6, y=y + 15, text_anchor="end", class_="label"))
        x = LABEL_WIDTH
        for series in TIMELINESS_ORDER:
            value = counts.get(series, 0)
            if not value:
                continue
            length = PLOT_WIDTH * value / total
            mark = _bar(prefix, x, y + 3, length, ROW_HEIGHT - 6, TIMELINESS_FILL[series], series)
            if length > 22:
                mark += _text(value, x=x + length / 2, y=y + 15, text_anchor="middle", class_="value on-bar")
            parts.append(_link(fragment(view="reports", timely=series, year="none" if year is None else year), f"{year_label}{names[series]}：{value}", mark))
            x += length
        parts.append(_text(f"共 {total}", x=LABEL_WIDTH + PLOT_WIDTH + 6, y=y + 15, class_="value"))
    return _svg(prefix, title, LABEL_WIDTH + PLOT_WIDTH + 70, legend_height + 12 + len(rows) * ROW_HEIGHT, "".join(parts))


def trend_chart(prefix: str, title: str, years: Sequence[Sequence[int]]) -> str:
    """Errors per report by year (a line with every point labelled); each point links to its year."""
    if len(years) < 2:
        return ""
    width, height, left, bottom = 560, 200, 50, 30
    rates = [(year, errors / reports if reports else 0.0, reports) for year, reports, errors, _ in years]
    highest = max(rate for _, rate, _ in rates) or 1
    step = (width - left - 70) / (len(rates) - 1)

    def point(index: int, rate: float) -> tuple[float, float]:
        return left + index * step, height - bottom - (height - bottom - 20) * rate / highest

    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(index, rate) for index, (_, rate, _) in enumerate(rates)))
    parts = [_el("polyline", points=line, fill="none", stroke="#000", stroke_width="2")]
    parts.append(_el("line", x1=left, y1=height - bottom, x2=width - 10, y2=height - bottom, stroke="#000"))
    for index, (year, rate, reports) in enumerate(rates):
        x, y = point(index, rate)
        mark = _el("circle", cx=round(x, 1), cy=round(y, 1), r=5, fill=SEVERITY_FILL["error"], stroke="#000")
        mark += _text(f"{rate:.2f}", x=round(x, 1), y=round(y - 9, 1), text_anchor="middle", class_="value")
        mark += _text(f"{year}（{reports}份）", x=round(x, 1), y=height - 10, text_anchor="middle", class_="label")
        parts.append(_link(fragment(view="reports", year=year), f"{year}年度：每份报告平均 {rate:.2f} 个错误", mark))
    return _svg(prefix, title, width, height, "".join(parts))


def _empty(prefix: str, title: str) -> str:
    return _svg(prefix, title, 300, 30, _text("（无数据）", x=10, y=20, class_="label"))


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
