"""Profiles under the user's configuration: which profiles a configuration can choose from, and
a profile's ``[rules.…]`` settings laid under the user's own."""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping, Sequence

from nianbao.config.files import Config, ConfigError, is_pyproject
from nianbao.config.options import qualified
from nianbao.config.selection import RuleRef
from nianbao.variants.profile import Profile

__all__ = ["apply_profile", "profiles_for"]


def profiles_for(config: Config, plugin_profiles: Mapping[str, Profile]) -> Mapping[str, Profile]:
    """The profiles ``config`` may name: the plugins' and its own ``profile-files``. A file's
    profile may not take a plugin profile's name (which one was meant would be a guess)."""
    if not config.profiles:
        return plugin_profiles
    # The profiles keep the order of the list (each entry gives one, names are unique).
    for position, (name, profile) in enumerate(config.profiles.items(), 1):
        if name in plugin_profiles:
            key = qualified("profile-files", is_pyproject(config.path))
            raise ConfigError(
                f"'{key}' 的第 {position} 项 '{profile.origin}'：配置档名称 {name} 与已安装插件提供的配置档同名，"
                "请给文件中的配置档换一个名称",
                path=config.path,
                key=key,
            )
    return {**plugin_profiles, **config.profiles}


def apply_profile(config: Config, profile: Profile, rules: Sequence[RuleRef]) -> Config:
    """``config`` with the profile's rule settings laid under the user's: for each rule the
    profile configures, the user's own ``[rules.…]`` keys win, the profile fills in the rest.
    Settings for rules that are not loaded are dropped."""
    if not profile.rules:
        return config
    code_of = {rule.code: rule.code for rule in rules} | {rule.name: rule.code for rule in rules}
    user_key_for_code = {code_of[key]: key for key in config.rules if key in code_of}
    merged: dict[str, dict[str, object]] = {key: dict(settings) for key, settings in config.rules.items()}
    for key, settings in profile.rules.items():
        code = code_of.get(key)
        if code is None:
            continue
        user_key = user_key_for_code.get(code)
        if user_key is None:
            merged[code] = {**merged.get(code, {}), **settings}
        else:
            merged[user_key] = {**settings, **config.rules[user_key]}
    return replace(config, rules=merged)
