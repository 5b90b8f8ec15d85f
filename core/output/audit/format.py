"""``nianbao check --format html``: the audit view of one run from its diagnostics alone. Without
the reports' records it has no identities (each report is named by its file), publication dates or
tables; ``nianbao report`` writes the full view."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from nianbao.engine.diagnostic import Diagnostic
from nianbao.output.audit.data import AuditEntry, audit_data, excerpt_lines
from nianbao.output.audit.page import render_page


class AuditFormatter:
    name = "html"
    description = "审核总览网页（一个可离线打开的 HTML 文件；完整的总览请用 nianbao report）"

    def format(self, diagnostics: Sequence[Diagnostic], context) -> str:
        by_path: dict[str, list[Diagnostic]] = defaultdict(list)
        for item in diagnostics:
            by_path[item.path].append(item)
        paths = list(dict.fromkeys([*context.files, *by_path]))
        entries = [AuditEntry(path, None, by_path[path], excerpt_lines(context.sources.get(path), by_path[path])) for path in paths]
        rules = {info.rule.code: (info.rule.name, info.rule.summary) for info in context.rules}
        generator = f"nianbao {context.tool_version}".strip()
        return render_page(audit_data(entries, rules), f"检查了 {len(paths)} 份报告", generator)
