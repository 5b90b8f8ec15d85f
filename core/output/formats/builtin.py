"""Registers the built-in output formats with the plugin manager.

A run writes one format, so each format's module is imported only when that format is used:
the others (XML, SARIF) would only slow down the start of every ``nianbao check``.
"""

from __future__ import annotations

from importlib import import_module

from nianbao.plugins.hookspecs import hookimpl

# Format name → (module, class); the name is the class's ``name``.
_BUILTIN_FORMATS = {
    "text": ("nianbao.output.formats.text", "TextFormatter"),
    "json": ("nianbao.output.formats.json", "JsonFormatter"),
    "jsonl": ("nianbao.output.formats.json", "JsonLinesFormatter"),
    "sarif": ("nianbao.output.formats.sarif", "SarifFormatter"),
    "github": ("nianbao.output.formats.github", "GithubFormatter"),
    "junit": ("nianbao.output.formats.junit", "JunitFormatter"),
    "html": ("nianbao.output.audit.format", "AuditFormatter"),
}


class _LazyFormatter:
    """Stands in for a built-in formatter until it is used."""

    def __init__(self, name: str, module: str, class_name: str) -> None:
        self.name = name
        self._module = module
        self._class_name = class_name
        self._formatter = None

    def _load(self):
        if self._formatter is None:
            self._formatter = getattr(import_module(self._module), self._class_name)()
        return self._formatter

    @property
    def description(self) -> str:
        return self._load().description

    @property
    def streams(self) -> bool:
        return getattr(self._load(), "streams", False)

    def format(self, diagnostics, context) -> str:
        return self._load().format(diagnostics, context)


@hookimpl
def nianbao_output_formats():
    return [_LazyFormatter(name, module, class_name) for name, (module, class_name) in _BUILTIN_FORMATS.items()]
