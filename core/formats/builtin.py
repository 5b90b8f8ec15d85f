"""Registers the built-in output formats with the plugin manager."""

from __future__ import annotations

from nianbao.formats.github import GithubFormatter
from nianbao.formats.json import JsonFormatter
from nianbao.formats.junit import JunitFormatter
from nianbao.formats.sarif import SarifFormatter
from nianbao.formats.text import TextFormatter
from nianbao.hookspecs import hookimpl


@hookimpl
def nianbao_output_formats():
    return [TextFormatter(), JsonFormatter(), SarifFormatter(), GithubFormatter(), JunitFormatter()]
