"""Profiles under the user's configuration: a profile's ``[rules.…]`` settings laid under the
user's own."""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from nianbao.config.files import Config
from nianbao.config.selection import RuleRef
from nianbao.variants.profile import Profile

__all__ = ["apply_profile"]


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
