"""The default, pre-commit style output: ``path:line:col: CODE message [rule-name]``."""

from __future__ import annotations

from typing import Sequence

from nianbao.diagnostic import Diagnostic
from nianbao.formats import RunContext


class TextFormatter:
    name = "text"
    description = "每条一行：路径:行:列: 代码 说明 [规则名]"

    def format(self, diagnostics: Sequence[Diagnostic], context: RunContext) -> str:
        return "".join(f"{format_line(item)}\n" for item in diagnostics)


def format_line(item: Diagnostic) -> str:
    return f"{item.path}:{item.line}:{item.column}: {item.code} {item.message} [{item.name}]"
