"""Hook implementations: the ``fujian`` profile and the FJ rules."""

from __future__ import annotations

from importlib import resources

from nianbao.hookspecs import hookimpl
from nianbao.profile import load_profile
from nianbao.rule import rules_in_package

NIANBAO_PLUGIN_API = "1.0"


@hookimpl
def nianbao_rules():
    return rules_in_package("nianbao_fujian.rules")


@hookimpl
def nianbao_profiles():
    return [load_profile(resources.files("nianbao_fujian").joinpath("profile.toml"), "nianbao-fujian/profile.toml")]
