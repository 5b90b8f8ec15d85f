"""The built-in rule plugins, one package per rule family.

Each family package holds its rules, one per module (the code in the file name), and the analysis
its rules share beside them; families share nothing but nianbao's public API.
"""

from __future__ import annotations

from nianbao.api import hookimpl, rules_in_package

FAMILIES = ("structure", "table_shape", "arithmetic", "dates", "narrative", "integrity", "crossreport")


@hookimpl
def nianbao_rules():
    found = [rule for family in FAMILIES for rule in rules_in_package(f"{__name__}.{family}")]
    return sorted(found, key=lambda rule: rule.code)
