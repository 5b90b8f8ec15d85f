"""The built-in rule plugins: one rule per module, registered with the plugin manager."""

from __future__ import annotations

from nianbao.hookspecs import hookimpl
from nianbao.rule import rules_in_package


@hookimpl
def nianbao_rules():
    return rules_in_package(__name__)
