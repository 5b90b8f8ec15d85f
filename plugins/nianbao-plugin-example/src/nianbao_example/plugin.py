"""The hooks nianbao calls. Each returns what this plugin adds; see docs/hooks.md for all of them."""

from __future__ import annotations

from importlib import resources

from nianbao.api import hookimpl, load_profile, rules_in_package

# The plugin API this plugin was written for: nianbao refuses it, with a message, if its own
# major version differs.
NIANBAO_PLUGIN_API = "2.0"


@hookimpl
def nianbao_rules():
    # Every rule module in nianbao_example/rules (one rule per module).
    return rules_in_package("nianbao_example.rules")


@hookimpl
def nianbao_profiles():
    return [load_profile(resources.files("nianbao_example").joinpath("profile.toml"), "nianbao-plugin-example/profile.toml")]
