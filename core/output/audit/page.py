"""The audit view as one self-contained HTML file: the page skeleton, style sheet and script kept as
files in ``static/``, the charts drawn in :mod:`nianbao.output.audit.charts`, and the data as JSON
in a ``<script type="application/json">`` element.

Report text is untrusted (tampered copies carry markup and script), so: every value put into HTML
here goes through :func:`html.escape`; the JSON is escaped so that no ``</script>`` or ``<!--`` in
it can end its element; the script sets text only with ``textContent``; and the Content-Security-
Policy allows only this file's own script and style (by their SHA-256 hashes), images from
``data:`` and nothing else — no network, no inline event handlers, no ``javascript:`` links.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from html import escape
from importlib import resources
from typing import Any

from nianbao.output.audit import charts
from nianbao.output.audit.data import SEVERITIES, labels

__all__ = ["content_security_policy", "embed_json", "render_page"]

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@cache
def static_file(name: str) -> str:
    return (resources.files("nianbao.output.audit") / "static" / name).read_text(encoding="utf-8")


def embed_json(data: Any) -> str:
    """``data`` as JSON that is inert inside a ``<script>`` element: ``<``, ``>`` and ``&`` (hence
    ``</script>`` and ``<!--``) and the line separators U+2028/9 are written as escapes."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return "".join(_JSON_ESCAPES.get(character, character) for character in text) if any(character in text for character in _JSON_ESCAPES) else text


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(script: str, style: str) -> str:
    return (
        f"default-src 'none'; script-src {_hash(script)}; style-src {_hash(style)}; img-src data:; "
        "connect-src 'none'; base-uri 'none'; form-action 'none'"
    )


def render_page(data: dict[str, Any], meta: str, generator: str) -> str:
    """The whole file for ``data`` (from :func:`nianbao.output.audit.data.audit_data`)."""
    script, style = static_file("audit.js"), static_file("audit.css")
    summary = data["summary"]
    text = labels()
    parts = {
        "csp": escape(content_security_policy(script, style), quote=True),
        "generator": escape(generator, quote=True),
        "meta": escape(meta),
        "style": style,
        "script": script,
        "totals": _totals(summary, text),
        "chart_families": charts.bar_chart(
            "chart-families",
            "按规则类别的问题数",
            [(f"{code} {text.family(code)}", count, charts.fragment(view="reports", family=code)) for code, count in summary["families"]],
        ),
        "chart_rules": charts.bar_chart(
            "chart-rules",
            "问题最多的规则",
            [(f"{code} {data['rules'].get(code, [code, ''])[1] or data['rules'].get(code, [code])[0]}", count, charts.fragment(view="reports", rule=code)) for code, count in summary["rules"]],
        ),
        "chart_heat": charts.heat_map(
            "chart-heat",
            "机关 × 规则类别",
            summary["heat"]["bodies"],
            [(code, text.family(code)) for code in summary["heat"]["families"]],
            summary["heat"]["counts"],
        ),
        "chart_timeliness": charts.timeliness_chart("chart-timeliness", "发布日期与发布期限", summary["timeliness"], dict(text.timeliness)),
        "chart_trend": charts.trend_chart("chart-trend", "历年每份报告的平均错误数", summary["years"]) or '<p class="note">只有一个年度的报告，没有历年趋势。</p>',
        "footer": escape(f"由 {generator} 生成。本文件可离线打开，不访问网络。"),
        "data": embed_json(data),
    }
    page = static_file("page.html")
    # One pass over the skeleton: a placeholder written inside report data is never expanded.
    pieces = page.split("{{")
    out = [pieces[0]]
    for piece in pieces[1:]:
        name, _, rest = piece.partition("}}")
        out.append(parts[name] + rest)
    return "".join(out)


def _totals(summary: dict[str, Any], text) -> str:
    items = [("报告", summary["reports"], ""), ("机关", summary["bodies"], ""), ("地区", summary["regions"], "")]
    items += [(text.severities[severity], summary["severities"][index], f"sev-{severity}") for index, severity in enumerate(SEVERITIES)]
    return "".join(f'<div class="{escape(css)}"><dt>{escape(label)}</dt><dd>{value}</dd></div>' for label, value, css in items)
