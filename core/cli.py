"""The ``nianbao`` command line: ``check``, ``parse``, ``rules`` and ``rule``."""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Sequence

from nianbao import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
STDIN_NAME = "-"


class UsageError(Exception):
    """A problem with how nianbao was called; printed as one line, exit status 2."""


class _ChineseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        # prefix "" is argparse building a sub-command's name from its parent's usage: left alone.
        super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


# argparse's own messages (Python 3.10–3.13) in the words of nianbao's other messages; one it does
# not list here is shown as argparse wrote it.
_ARGPARSE_MESSAGES = (
    (re.compile(r"the following arguments are required: (.+)"), r"缺少参数：\1"),
    (re.compile(r"unrecognized arguments: (.+)"), r"无法识别的参数：\1"),
    (re.compile(r"argument (.+?): invalid choice: (.+?) \(choose from (.+)\)"), r"参数 \1 的值 \2 无效，可选：\3"),
    (re.compile(r"argument (.+?): expected one argument"), r"参数 \1 后面需要一个值"),
    (re.compile(r"argument (.+?): expected at least one argument"), r"参数 \1 后面至少需要一个值"),
    (re.compile(r"argument (.+?): invalid (\w+) value: (.+)"), r"参数 \1 的值 \3 无效"),
    (re.compile(r"argument (.+?): not allowed with argument (.+)"), r"参数 \1 不能与 \2 同时使用"),
    (re.compile(r"ambiguous option: (.+?) could match (.+)"), r"选项 \1 不明确，可能是：\2"),
)


class _ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with Chinese help and errors: the users are officials; option names stay ASCII."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _ChineseHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        # argparse names its two default groups itself, in English.
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str):
        for pattern, chinese in _ARGPARSE_MESSAGES:
            if pattern.fullmatch(message):
                message = pattern.sub(chinese, message)
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 错误：{message}（用 {self.prog} -h 查看用法）\n")


def build_argument_parser() -> argparse.ArgumentParser:
    parser = _ChineseArgumentParser(
        prog="nianbao",
        description="政府信息公开工作年度报告检查工具：表格核对、结构、日期、文本与来源完整性。",
    )
    parser.add_argument("--version", action="version", version=f"nianbao {__version__}", help="显示版本号并退出")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="命令")

    check = commands.add_parser("check", help="检查报告文件或目录", description="检查报告文件或目录（目录下默认检查 .txt、.md，以及已安装读取扩展的 .docx、.html、.pdf、.ofd）。")
    check.add_argument("paths", nargs="*", help="文件或目录（默认当前目录）")
    check.add_argument(
        "--format", default="text", help="输出格式：text（默认）、json、sarif、github、junit 或插件提供的格式"
    )
    check.add_argument("-o", "--output", help="把结果写入文件而不是标准输出（任何格式）")
    check.add_argument("--show-source", action="store_true", help="text 格式：在每条问题下显示原文行并用 ^ 标出位置")
    check.add_argument("--statistics", action="store_true", help="按规则统计问题数量")
    check.add_argument("--baseline", metavar="FILE", help="只报告基线文件中没有的新问题")
    check.add_argument("--write-baseline", metavar="FILE", help="把当前所有问题记入基线文件，不输出问题")
    _add_config_arguments(check)
    check.add_argument("--select", help="只启用这些规则（逗号分隔：代码、前缀、规则名或 ALL）")
    check.add_argument("--extend-select", help="在配置之外再启用这些规则")
    check.add_argument("--ignore", help="停用这些规则（逗号分隔）")
    check.add_argument("--fail-on", choices=("error", "warning", "info"), help="达到该级别即以状态 1 退出（默认 error）")
    check.add_argument("--stdin", action="store_true", help="从标准输入读取报告")
    check.add_argument("--stdin-filename", help="标准输入内容对应的文件名（用于显示和配置匹配）")
    check.add_argument("-q", "--quiet", action="store_true", help="不在标准错误输出汇总行")
    check.add_argument("-v", "--verbose", action="store_true", help="显示使用的配置、插件和每个文件的情况")
    check.add_argument("--debug", action="store_true", help="规则出错时附上调用栈")
    check.add_argument("--profile", help="使用的配置档：national（默认）、auto（按发布机关地名推断）或插件提供的地方配置档")
    check.add_argument(
        "--require-plugins",
        action="append",
        default=[],
        metavar="NAME",
        help="缺少这些插件（逗号分隔，可重复）时报错退出（状态 2），用于持续集成",
    )

    extract = commands.add_parser(
        "extract",
        help="显示从 DOCX、PDF、网页中读出的文字及其在原文件中的位置",
        description="显示 nianbao 从文件中读出的文字（规则检查的就是这些文字）：每行的行号及其在原文件中的页码、段落或单元格。",
    )
    extract.add_argument("path", help="报告文件（- 表示标准输入）")
    extract.add_argument("--tables", action="store_true", help="另外列出文件中的每个表格及其单元格")

    parse = commands.add_parser("parse", help="显示报告的语法树、识别出的表格和基本信息", description="显示报告的语法树（含原文件中的行列）、识别出的表格和报告信息。")
    parse.add_argument("path", help="报告文件（- 表示标准输入）")
    _add_config_arguments(parse)

    rules = commands.add_parser("rules", help="列出所有规则")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    _add_plugin_argument(rules)

    rule = commands.add_parser("rule", help="显示一条规则的说明")
    rule.add_argument("code", help="规则代码或规则名，如 AR001 或 application-balance")
    _add_plugin_argument(rule)
    return parser


def _add_config_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", help="使用指定的配置文件（pyproject.toml 或 nianbao.toml）")
    parser.add_argument("--isolated", action="store_true", help="忽略所有配置文件")
    _add_plugin_argument(parser)


def _add_plugin_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-plugins", action="store_true", help="不加载第三方插件，只用内置规则")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_argument_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        return COMMANDS[args.command](args)
    except UsageError as error:
        _error(str(error))
        return EXIT_ERROR
    except KeyboardInterrupt:
        _error("已中断")
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); nothing more to say.
        sys.stderr.close()
        return EXIT_ERROR
    except Exception as error:  # a bug of ours: one line for the user, the trace only on request
        if getattr(args, "debug", False):
            raise
        _error(f"内部错误：{type(error).__name__}: {error}（加 --debug 查看详情，并请报告此问题）")
        return EXIT_ERROR


def _error(message: str) -> None:
    print(f"nianbao: 错误：{message}", file=sys.stderr)


def _warn(message: str) -> None:
    print(f"nianbao: 警告：{message}", file=sys.stderr)


def _load_plugins(args):
    from nianbao.plugins.manager import BUILTIN_NAMES, load_plugins

    plugins = load_plugins(entry_points=not args.no_plugins)
    for problem in plugins.problems:
        if problem.plugin in BUILTIN_NAMES:
            # nianbao's own rules failing to load is a bug, not a plugin to skip: checking on without
            # them would report a clean run.
            raise UsageError(f"内部错误：{problem.message}（请报告此问题）")
        _warn(problem.message)
    return plugins


def _resolver(args):
    from nianbao.config.files import ConfigError, ConfigResolver

    explicit = Path(args.config) if args.config else None
    if explicit is not None and not explicit.is_file():
        raise UsageError(f"找不到配置文件 {args.config}")
    try:
        return ConfigResolver(explicit=explicit, isolated=args.isolated)
    except ConfigError as error:
        raise UsageError(str(error)) from None


def _split(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(item.strip() for item in value.split(",") if item.strip())


class _OverridingResolver:
    """Applies command-line selection flags on top of each file's configuration."""

    def __init__(self, resolver, overrides: dict) -> None:
        self.resolver = resolver
        self.overrides = overrides
        self._cache: dict[int, object] = {}

    def for_path(self, path: Path):
        config = self.resolver.for_path(path)
        if not self.overrides:
            return config
        key = id(config)
        if key not in self._cache:
            changes = dict(self.overrides)
            if "extend_select" in changes:
                changes["extend_select"] = config.extend_select + changes["extend_select"]
            if "ignore" in changes:
                changes["ignore"] = config.ignore + changes["ignore"]
            self._cache[key] = dataclasses.replace(config, **changes)
        return self._cache[key]


# --- check -------------------------------------------------------------------------


def command_check(args) -> int:
    from nianbao.config.files import DEFAULT_CONFIG, ConfigError
    from nianbao.config.selection import RuleRef, Selection
    from nianbao.engine.linter import Linter
    from nianbao.output.formats import RunContext
    from nianbao.plugins.rule import Severity

    plugins = _load_plugins(args)
    formatter = plugins.formats.get(args.format)
    if formatter is None:
        raise UsageError(f"未知的输出格式 {args.format!r}；可选：{'、'.join(sorted(plugins.formats))}")
    overrides = {
        key: value
        for key, value in (
            ("select", _split(args.select)),
            ("extend_select", _split(args.extend_select)),
            ("ignore", _split(args.ignore)),
            ("profile", args.profile),
        )
        if value is not None
    }
    refs = [RuleRef(info.rule.code, info.rule.name) for info in plugins.rules]
    try:
        # Check the flags once on their own so a bad one is blamed on the command line.
        Selection(dataclasses.replace(DEFAULT_CONFIG, **overrides), refs)
    except ConfigError as error:
        raise UsageError(str(error)) from None
    resolver = _OverridingResolver(_resolver(args), overrides)
    _check_profile_and_required_plugins(args, plugins, resolver)
    linter = Linter(plugins, resolver, debug=args.debug)
    baseline = _load_baseline(args)
    if args.verbose:
        _say_setup(plugins, resolver, args)

    results = []
    try:
        if args.stdin or args.paths == [STDIN_NAME]:
            display = args.stdin_filename or "<stdin>"
            results.append(linter.lint_bytes(sys.stdin.buffer.read(), display))
            if args.verbose:
                _say_profile(results[-1])
        else:
            for path in _discover(args.paths or ["."], resolver, args.verbose):
                if args.verbose:
                    print(f"nianbao: 检查 {path}", file=sys.stderr)
                results.append(linter.lint_path(path))
                if args.verbose:
                    _say_profile(results[-1])
    except ConfigError as error:
        raise UsageError(str(error)) from None

    diagnostics = sorted((item for result in results for item in result.diagnostics), key=lambda item: item.sort_key())
    checked = [result.path for result in results]
    crashed = any(result.crashed_rules for result in results)
    if args.write_baseline:
        return _write_baseline(args, diagnostics, crashed)
    comparison = baseline.compare(diagnostics, checked) if baseline is not None else None
    reported = comparison.new if comparison is not None else diagnostics
    fail_on_name = args.fail_on or _fail_on_from_config(resolver, args)
    context = RunContext(
        rules=plugins.rules,
        files=checked,
        root=os.getcwd(),
        tool_version=__version__,
        sources={result.path: result.document.source.located_text for result in results if result.document is not None},
        show_source=args.show_source,
        suppressed=sorted((item for result in results for item in result.suppressed), key=lambda item: item.sort_key()),
        baseline_used=comparison is not None,
        unchanged=comparison.unchanged if comparison is not None else (),
        execution_successful=not crashed,
        notifications=[problem.message for problem in plugins.problems],
        fail_on=fail_on_name,
    )
    output = formatter.format(reported, context)
    if args.output:
        try:
            Path(args.output).write_text(output, encoding="utf-8")
        except OSError as error:
            raise UsageError(f"无法写入 {args.output}：{error.strerror or error}") from None
    else:
        sys.stdout.write(output)
        sys.stdout.flush()
    if args.statistics:
        # Machine-readable output on stdout must stay parseable: the table then goes to stderr.
        to_stdout = args.format == "text" and not args.output
        sys.stdout.flush()
        print(_statistics(reported), file=sys.stdout if to_stdout else sys.stderr, end="")

    if not args.quiet:
        print(_summary(reported, len(results)), file=sys.stderr)
        if comparison is not None:
            print(_baseline_summary(args.baseline, comparison), file=sys.stderr)
    if crashed:
        # Said even when PS900 is not reported (ignored) or output goes to a file: status 2 needs a reason.
        _error(_crash_summary(results))
        return EXIT_ERROR
    fail_on = Severity(fail_on_name)
    return EXIT_FINDINGS if any(item.severity.rank >= fail_on.rank for item in reported) else EXIT_OK


def _crash_summary(results) -> str:
    files: Counter[str] = Counter(code for result in results for code in dict.fromkeys(result.crashed_rules))
    which = "、".join(f"{'解析' if code == 'parser' else '规则 ' + code}（{count} 个文件）" for code, count in sorted(files.items()))
    return f"{which}运行出错，退出状态为 2；加 --debug 可看到出错的位置，请把它报告给规则的维护者"


def _write_baseline(args, diagnostics, crashed: bool) -> int:
    from nianbao.output.baseline import BaselineError, write_baseline

    try:
        count = write_baseline(args.write_baseline, diagnostics)
    except BaselineError as error:
        raise UsageError(str(error)) from None
    if not args.quiet:
        print(f"已把 {count} 个问题记入基线文件 {args.write_baseline}。", file=sys.stderr)
    return EXIT_ERROR if crashed else EXIT_OK


def _load_baseline(args):
    """The ``--baseline`` file, read before any report so that a bad one fails fast."""
    if args.baseline and args.write_baseline:
        raise UsageError("--baseline 和 --write-baseline 不能同时使用（--write-baseline 总是记录当前全部问题）")
    if not args.baseline:
        return None
    from nianbao.output.baseline import Baseline, BaselineError

    try:
        return Baseline.load(args.baseline)
    except BaselineError as error:
        raise UsageError(str(error)) from None


def _baseline_summary(path: str, comparison) -> str:
    parts = [f"基线 {path} 中已有的 {len(comparison.unchanged)} 个问题未显示"]
    if comparison.stale:
        parts.append(
            f"基线中有 {len(comparison.stale)} 条记录已不再出现（问题已修正或原文已改动），"
            f"可用 --write-baseline {path} 更新基线"
        )
    return "；".join(parts) + "。"


def _statistics(diagnostics) -> str:
    """One line per rule: how many findings, code, name; most frequent first."""
    counts = Counter((item.code, item.name) for item in diagnostics)
    if not counts:
        return ""
    width = len(str(max(counts.values())))
    ordered = sorted(counts.items(), key=lambda entry: (-entry[1], entry[0][0]))
    return "".join(f"{count:>{width}}  {code}  {name}\n" for (code, name), count in ordered)


def _check_profile_and_required_plugins(args, plugins, resolver) -> None:
    """``--profile`` must name a known profile; a missing ``--require-plugins`` (or config
    ``require-plugins``) plugin is an error, so CI does not pass silently without it."""
    from nianbao.config.files import ConfigError
    from nianbao.config.profiles import profiles_for
    from nianbao.plugins.manager import missing_plugins
    from nianbao.variants.profile import AUTO, NATIONAL_NAME

    try:
        config = resolver.for_path(Path(args.paths[0]) if args.paths else Path(".") / "x")
        profiles = profiles_for(config, plugins.profiles)
    except ConfigError as error:
        raise UsageError(str(error)) from None
    if args.profile is not None and args.profile not in (NATIONAL_NAME, AUTO, *profiles):
        known = "、".join([NATIONAL_NAME, AUTO, *sorted(profiles)])
        raise UsageError(f"未知的配置档 {args.profile!r}（--profile）；可选：{known}")
    required = [name for value in args.require_plugins for name in _split(value) or ()]
    required += [name for name in config.require_plugins if name not in required]
    missing = missing_plugins(plugins, required)
    if missing:
        raise UsageError("；".join(missing))


def _say_setup(plugins, resolver, args) -> None:
    """-v: which plugins and which configuration file this run uses."""
    from nianbao.config.files import ConfigError

    rule_counts = Counter(info.plugin for info in plugins.rules)
    for name in plugins.names:
        distribution = plugins.distributions.get(name)
        origin = f"，来自 {distribution}" if distribution else ""
        print(f"nianbao: 插件 {name}（{rule_counts.get(name, 0)} 条规则{origin}）", file=sys.stderr)
    first = Path(args.paths[0]) if args.paths and args.paths[0] != STDIN_NAME else Path(args.stdin_filename or "x")
    try:
        config = resolver.for_path(first / "x" if first.is_dir() else first)
    except ConfigError:
        return  # reported as a configuration error when the file is checked
    where = str(config.path) if config.path is not None else "无（使用默认设置）"
    print(f"nianbao: 配置文件 {where}", file=sys.stderr)
    for profile in config.profiles.values():
        print(f"nianbao: 配置档 {profile.name}（来自配置档文件 {profile.origin}）", file=sys.stderr)


def _say_profile(result) -> None:
    if result.profile is not None:
        print(f"nianbao: {result.path}：配置档 {result.profile.name}（{result.profile.reason}）", file=sys.stderr)


def _fail_on_from_config(resolver, args) -> str:
    from nianbao.config.files import ConfigError

    try:
        return resolver.for_path(Path(args.paths[0]) if args.paths else Path(".") / "x").fail_on
    except ConfigError as error:
        raise UsageError(str(error)) from None


def _summary(diagnostics, file_count: int) -> str:
    if not diagnostics:
        return f"未发现问题（检查了 {file_count} 个文件）。"
    counts = Counter(item.severity.value for item in diagnostics)
    parts = [f"{label} {counts[key]}" for key, label in (("error", "错误"), ("warning", "警告"), ("info", "提示")) if counts[key]]
    return f"发现 {len(diagnostics)} 个问题（{'，'.join(parts)}），检查了 {file_count} 个文件。"


def _discover(paths: Sequence[str], resolver, verbose: bool) -> list[str]:
    """Files to check: named files as given, directories walked with include/exclude. A document
    whose reader's extra is not installed is left out of a directory walk, and the run says so."""
    from nianbao.config.paths import is_excluded, is_included
    from nianbao.read.formats import FORMATS, available_formats

    unreadable = {suffix: spec for spec in FORMATS.values() if spec.name not in available_formats() for suffix in spec.suffixes}
    skipped: Counter[str] = Counter()
    found: list[str] = []
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            found.append(given)  # a missing or odd path is reported by the reader (PS001)
            continue
        for directory, subdirectories, files in os.walk(path):
            config = resolver.for_path(Path(directory) / "_")
            subdirectories[:] = sorted(
                name for name in subdirectories if not is_excluded(config, Path(directory) / name)
            )
            for name in sorted(files):
                candidate = Path(directory) / name
                file_config = resolver.for_path(candidate)
                if is_included(file_config, candidate) and not is_excluded(file_config, candidate):
                    spec = unreadable.get(candidate.suffix.lower())
                    if spec is None:
                        found.append(str(candidate))
                    else:
                        skipped[spec.name] += 1
    for name, count in sorted(skipped.items()):
        spec = FORMATS[name]
        _warn(f"跳过了 {count} 个{spec.label}：读取它们需要安装 pip install 'nianbao[{spec.extra}]'")
    return sorted(dict.fromkeys(found))


# --- parse -------------------------------------------------------------------------


def command_parse(args) -> int:
    from nianbao.engine.linter import Linter
    from nianbao.output.inspect import render_parse

    linter = Linter(_load_plugins(args), _resolver(args))
    sys.stdout.write(render_parse(linter.parse(_read(args.path))))
    return EXIT_OK


def command_extract(args) -> int:
    from nianbao.output.inspect import render_extract

    sys.stdout.write(render_extract(_read(args.path), tables=args.tables))
    return EXIT_OK


def _read(path: str):
    """The source of a named file or standard input, in any format; a read error ends the command."""
    from nianbao.read.formats import decode_document, read_document
    from nianbao.read.source import ReadError

    try:
        return decode_document(sys.stdin.buffer.read()) if path == STDIN_NAME else read_document(path)
    except ReadError as error:
        raise UsageError(f"{path}：{error}") from None


# --- rules / rule ------------------------------------------------------------------


def command_rules(args) -> int:
    plugins = _load_plugins(args)
    if args.format == "json":
        import json

        payload = [
            {
                "code": info.rule.code,
                "name": info.rule.name,
                "summary": info.rule.summary,
                "severity": info.rule.severity.value,
                "eras": sorted(info.rule.eras),
                "plugin": info.plugin,
            }
            for info in plugins.rules
        ]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    for info in plugins.rules:
        rule = info.rule
        origin = "" if info.plugin in ("nianbao.rules", "nianbao.builtin") else f"  （插件 {info.plugin}）"
        print(f"{rule.code}  {rule.name:<28} {rule.severity.value:<8} {rule.summary}{origin}")
    return EXIT_OK


def command_rule(args) -> int:
    plugins = _load_plugins(args)
    info = plugins.rule(args.code)
    if info is None:
        import difflib

        known = [info.rule.code for info in plugins.rules] + [info.rule.name for info in plugins.rules]
        close = difflib.get_close_matches(args.code, known, n=1)
        hint = f"（是否想查 {close[0]}？）" if close else ""
        raise UsageError(f"没有规则 {args.code}{hint}；用 nianbao rules 列出所有规则")
    sys.stdout.write(rule_page(info))
    return EXIT_OK


def rule_page(info) -> str:
    """A rule's documentation page, from the rule itself."""
    rule = info.rule
    eras = "、".join(sorted(rule.eras))
    lines = [
        f"# {rule.code} {rule.name}",
        "",
        f"{rule.summary}",
        "",
        f"- 默认级别：{rule.severity.value}",
        f"- 适用格式：{eras}",
        f"- 来源：{info.plugin}",
    ]
    if rule.options:
        lines.append("- 选项：")
        for option in rule.options:
            lines.append(f"  - `{option.name}`（{option.type.__name__}，默认 {option.default!r}）：{option.description}")
    lines += ["", rule.doc(), ""]
    return "\n".join(lines)


COMMANDS = {"check": command_check, "extract": command_extract, "parse": command_parse, "rules": command_rules, "rule": command_rule}
