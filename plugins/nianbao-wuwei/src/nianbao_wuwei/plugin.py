"""Hook implementations: the ``wuwei`` profile and the WW rules."""

from __future__ import annotations

from importlib import resources

from nianbao.api import hookimpl, load_profile, rules_in_package

NIANBAO_PLUGIN_API = "2.0"


@hookimpl
def nianbao_rules():
    return rules_in_package("nianbao_wuwei.rules")


@hookimpl
def nianbao_profiles():
    return [load_profile(resources.files("nianbao_wuwei").joinpath("profile.toml"), "nianbao-wuwei/profile.toml")]
