"""What the commands share: how a usage problem ends a command, messages on standard error,
plugins and configuration as the flags ask for them."""

from __future__ import annotations

import sys
from pathlib import Path

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
STDIN_NAME = "-"


class UsageError(Exception):
    """A problem with how nianbao was called; printed as one line, exit status 2."""


def say_error(message: str) -> None:
    print(f"nianbao: 错误：{message}", file=sys.stderr)


def say_warning(message: str) -> None:
    print(f"nianbao: 警告：{message}", file=sys.stderr)


def load_plugins_for(args):
    from nianbao.plugins.manager import BUILTIN_NAMES, load_plugins

    plugins = load_plugins(entry_points=not args.no_plugins)
    for problem in plugins.problems:
        if problem.plugin in BUILTIN_NAMES:
            # nianbao's own rules failing to load is a bug, not a plugin to skip: checking on without
            # them would report a clean run.
            raise UsageError(f"内部错误：{problem.message}（请报告此问题）")
        say_warning(problem.message)
    return plugins


def resolver_for(args):
    from nianbao.config.files import ConfigError, ConfigResolver

    explicit = Path(args.config) if args.config else None
    if explicit is not None and not explicit.is_file():
        raise UsageError(f"找不到配置文件 {args.config}")
    try:
        return ConfigResolver(explicit=explicit, isolated=args.isolated)
    except ConfigError as error:
        raise UsageError(str(error)) from None


def split_list(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(item.strip() for item in value.split(",") if item.strip())


def linter_settings(args, overrides: dict):
    """How worker processes and cluster workers build the linter these flags built."""
    from nianbao.engine.batch import LinterSettings

    return LinterSettings(
        config=args.config,
        isolated=args.isolated,
        overrides=tuple(overrides.items()),
        entry_points=not args.no_plugins,
        debug=args.debug,
    )
