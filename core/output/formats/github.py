"""``--format github``: GitHub Actions workflow commands, shown as annotations on the changed files.

One ``::error``/``::warning``/``::notice`` command per diagnostic. Paths are relative to the
repository root, as GitHub resolves them; values are escaped as the runner expects.
"""

from __future__ import annotations

from typing import Sequence

from nianbao.engine.diagnostic import Diagnostic
from nianbao.output.formats import RunContext
from nianbao.output.formats.paths import relative_to_root, repository_root
from nianbao.plugins.rule import Severity

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


class GithubFormatter:
    name = "github"
    description = "GitHub Actions 工作流命令（::error file=…）：在拉取请求中标注问题"
    streams = True

    def format(self, diagnostics: Sequence[Diagnostic], context: RunContext) -> str:
        root = repository_root(context.root)
        lines = []
        for item in diagnostics:
            path = relative_to_root(item.path, root, context.root) or item.path
            location = item.location
            properties = ",".join(
                f"{key}={escape_property(str(value))}"
                for key, value in (
                    ("file", path),
                    ("line", location.line),
                    ("col", location.column),
                    ("endLine", location.end_line),
                    ("endColumn", location.end_column),
                    ("title", item.code),
                )
            )
            message = f"{item.message_with_place} [{item.name}]"
            lines.append(f"::{COMMANDS[item.severity]} {properties}::{escape_data(message)}\n")
        return "".join(lines)


def escape_data(text: str) -> str:
    """Escape a command's message: ``%``, CR and LF (the runner decodes them back)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: as a message, plus the ``:`` and ``,`` that delimit properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
