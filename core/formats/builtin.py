"""Registers the built-in output formats with the plugin manager."""

from __future__ import annotations

from nianbao.formats.json import JsonFormatter
from nianbao.formats.text import TextFormatter
from nianbao.hookspecs import hookimpl


@hookimpl
def nianbao_output_formats():
    return [TextFormatter(), JsonFormatter()]
