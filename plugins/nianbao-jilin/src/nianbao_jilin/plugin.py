"""Hook implementations: the ``jilin`` profile and the JL rules."""

from __future__ import annotations

from importlib import resources

from nianbao.api import hookimpl, load_profile, rules_in_package

NIANBAO_PLUGIN_API = "2.0"


@hookimpl
def nianbao_rules():
    return rules_in_package("nianbao_jilin.rules")


@hookimpl
def nianbao_profiles():
    return [load_profile(resources.files("nianbao_jilin").joinpath("profile.toml"), "nianbao-jilin/profile.toml")]
