"""Which rules run on a file: ``select``/``extend-select``/``ignore``/``per-file-ignores`` and
the ``[rules.…]`` tables, checked against the rules that are actually loaded.

A selector is ``ALL``, a code prefix (``AR``), a full code (``AR001``) or a rule name
(``application-balance``); the most specific selector that names a rule decides, and on a tie
``ignore`` wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from nianbao.config.files import Config, ConfigError, is_pyproject
from nianbao.config.options import (
    OptionError,
    check_severity,
    qualified,
    suggestion,
    toml_key,
)
from nianbao.config.paths import path_matches, relative_parts

__all__ = ["ALL_SELECTOR", "RuleRef", "Selection"]

ALL_SELECTOR = "ALL"


@dataclass(frozen=True)
class RuleRef:
    """A loaded rule as configuration names it: by code or by name."""

    code: str
    name: str


# A full code or a rule name outranks any prefix, whatever its length.
_EXACT = 1000


class Selection:
    """Config validated against the known rules."""

    def __init__(self, config: Config, rules: Sequence[RuleRef]) -> None:
        self.config = config
        self._by_code = {rule.code: rule for rule in rules}
        self._by_name = {rule.name: rule for rule in rules}
        self._prefixes = {code[:length] for code in self._by_code for length in range(1, len(code) + 1)}

        select = config.select if config.select is not None else (ALL_SELECTOR,)
        for key, selectors in (("select", select), ("extend-select", config.extend_select), ("ignore", config.ignore)):
            for selector in selectors:
                self._check_selector(selector, key)
        for pattern, selectors in config.per_file_ignores:
            for selector in selectors:
                self._check_selector(selector, f"per-file-ignores.{toml_key(pattern)}")

        self._settings = self._settings_by_code()
        self._chosen = (*select, *config.extend_select)
        self._enabled = {code: self._decide(code, self._chosen, config.ignore) for code in self._by_code}
        self._ignores_for_path: dict[Path, tuple[str, ...]] = {}

    def enabled(self, code: str, path: Path | None = None) -> bool:
        """Whether the rule runs (on ``path``, when given). ``severity = "off"`` disables it."""
        code = self._code_of(code)
        if self.severity_override(code) == "off":
            return False
        # A code outside the known rules is judged by code selectors alone.
        selected = self._enabled.get(code)
        if selected is None:
            selected = self._decide(code, self._chosen, self.config.ignore)
        return selected and (path is None or not self._ignored_on(path, code))

    def severity_override(self, code: str) -> str | None:
        """The configured severity ('error'|'warning'|'info'|'off'), or None for the rule's default."""
        severity = self._settings.get(self._code_of(code), {}).get("severity")
        return None if severity is None else str(severity)

    def options(self, code: str) -> dict[str, object]:
        """The rule's ``[rules.…]`` settings other than ``severity``."""
        settings = self._settings.get(self._code_of(code), {})
        return {key: value for key, value in settings.items() if key != "severity"}

    # -- internals

    def _code_of(self, code_or_name: str) -> str:
        rule = self._by_name.get(code_or_name)
        return rule.code if rule is not None else code_or_name

    def _qualified(self, key: str) -> str:
        return qualified(key, is_pyproject(self.config.path))

    def _error(self, key: str, message: str) -> ConfigError:
        return ConfigError(message, path=self.config.path, key=self._qualified(key))

    def _check_selector(self, selector: str, key: str) -> None:
        if selector == ALL_SELECTOR or selector in self._by_name or selector in self._prefixes:
            return
        where = f"'{self._qualified(key)}' 中"
        raise self._error(key, f"{where}未知的规则 '{selector}'{self._rule_suggestion(selector)}")

    def _rule_suggestion(self, written: str) -> str:
        # Codes are upper case and names lower case; a wrong case is the likeliest slip.
        if written.upper() in self._prefixes:
            return f"（是否想写 '{written.upper()}'？）"
        if written.lower() in self._by_name:
            return f"（是否想写 '{written.lower()}'？）"
        return suggestion(written, [*self._by_code, *self._by_name])

    def _settings_by_code(self) -> dict[str, dict[str, object]]:
        settings: dict[str, dict[str, object]] = {}
        written_as: dict[str, str] = {}
        for rule_key, rule_settings in self.config.rules.items():
            key = f"rules.{toml_key(rule_key)}"
            rule = self._by_code.get(rule_key) or self._by_name.get(rule_key)
            if rule is None:
                raise self._error(key, f"'{self._qualified(key)}'：未知的规则 '{rule_key}'"
                                  f"{self._rule_suggestion(rule_key)}")
            if rule.code in written_as:
                raise self._error(
                    key,
                    f"规则 {rule.code}（{rule.name}）被配置了两次：'rules.{toml_key(written_as[rule.code])}' "
                    f"和 '{key}'，请合并为一个表",
                )
            if "severity" in rule_settings:
                in_pyproject = is_pyproject(self.config.path)
                try:
                    severity = check_severity(rule_settings["severity"], f"{key}.severity", in_pyproject)
                except OptionError as error:
                    raise ConfigError(error.detail, path=self.config.path, key=error.key) from None
                rule_settings = {**rule_settings, "severity": severity}
            written_as[rule.code] = rule_key
            settings[rule.code] = dict(rule_settings)
        return settings

    def _specificity(self, selector: str, code: str) -> int | None:
        """How specifically ``selector`` names ``code``; None when it does not match."""
        if selector == ALL_SELECTOR:
            return 0
        if selector == code:
            return _EXACT
        rule = self._by_code.get(code)
        if rule is not None and selector == rule.name:
            return _EXACT
        if code.startswith(selector):
            return len(selector)
        return None

    def _best(self, selectors: Sequence[str], code: str) -> int | None:
        ranks = [rank for rank in (self._specificity(s, code) for s in selectors) if rank is not None]
        return max(ranks, default=None)

    def _decide(self, code: str, chosen: Sequence[str], ignored: Sequence[str]) -> bool:
        selected_rank = self._best(chosen, code)
        if selected_rank is None:
            return False
        ignored_rank = self._best(ignored, code)
        # On a tie, ignore wins.
        return ignored_rank is None or selected_rank > ignored_rank

    def _ignored_on(self, path: Path, code: str) -> bool:
        if not self.config.per_file_ignores:
            return False
        if path not in self._ignores_for_path:
            parts, absolute = relative_parts(self.config, path)
            self._ignores_for_path[path] = tuple(
                selector
                for pattern, pattern_selectors in self.config.per_file_ignores
                if path_matches(pattern, parts, absolute)
                for selector in pattern_selectors
            )
        return self._best(self._ignores_for_path[path], code) is not None
