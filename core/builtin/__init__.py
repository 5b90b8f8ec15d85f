"""The core's own rules (PS: reading and parsing), registered as a built-in plugin."""

from __future__ import annotations

from nianbao.plugins.hookspecs import hookimpl
from nianbao.plugins.rule import rules_in_package


@hookimpl
def nianbao_rules():
    return rules_in_package(__name__)
