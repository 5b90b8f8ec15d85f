"""The ``nianbao`` command line: ``check`` (in :mod:`nianbao.cli.check`), ``extract``, ``parse``,
``rules`` and ``rule``."""

from __future__ import annotations

import argparse
import re
import sys
from typing import Sequence

from nianbao import __version__
from nianbao.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    STDIN_NAME,
    UsageError,
    load_plugins_for,
    resolver_for,
    say_error,
)
from nianbao.cli.diff import add_diff_command, command_diff
from nianbao.cli.export import add_export_parser, command_export


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


def add_run_arguments(command) -> None:
    """How files are run (processes, time limit, cache, executor, file list) and the earlier
    reports cross-report rules compare with: the same for every command that checks many files."""
    run = command.add_argument_group("运行方式")
    run.add_argument("-j", "--jobs", type=_positive_int, metavar="N", help="同时检查的进程数（默认：可用的处理器核数；只有一个文件时为 1）")
    run.add_argument("--time-limit", type=_positive_float, metavar="SECONDS", help="每个文件的检查时间上限，超过即停止检查该文件并报告 PS006（默认 120 秒）")
    run.add_argument("--no-cache", action="store_true", help="不使用缓存：每个文件都重新检查")
    run.add_argument("--cache-dir", metavar="DIR", help="缓存目录（默认 .nianbao_cache，或环境变量 NIANBAO_CACHE_DIR）")
    run.add_argument("--no-progress", action="store_true", help="不显示进度条（进度条只在终端上、较长的检查中显示）")
    run.add_argument("--executor", choices=("local", "dask"), help="在本机（local，默认）或 Dask 集群（dask）上检查")
    run.add_argument("--scheduler", metavar="ADDRESS", help="Dask 调度器地址，如 tcp://10.0.0.5:8786（不给则在本机启动临时集群）")
    run.add_argument("--files-from", metavar="LIST", help="从文件读取要检查的路径或网址，每行一个（- 表示标准输入）")
    command.add_argument(
        "--history",
        action="append",
        metavar="PATH",
        help="往年报告（文件或目录，可重复）：跨报告规则（XR）拿它们比较，但不报告它们自身的问题",
    )


def add_batch_command_arguments(command) -> None:
    """What every command that checks files and writes one output shares with check: the paths,
    -q/-v/--debug, configuration and the run arguments."""
    command.add_argument("paths", nargs="*", help="文件或目录（默认当前目录）")
    command.add_argument("-q", "--quiet", action="store_true", help="不在标准错误输出汇总行")
    command.add_argument("-v", "--verbose", action="store_true", help="显示每个文件的情况")
    command.add_argument("--debug", action="store_true", help="规则出错时附上调用栈")
    _add_config_arguments(command)
    add_run_arguments(command)


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
        "--format", default="text", help="输出格式：text（默认）、json、sarif、github、junit、html 或插件提供的格式"
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
    add_run_arguments(check)
    check.add_argument(
        "--require-plugins",
        action="append",
        default=[],
        metavar="NAME",
        help="缺少这些插件（逗号分隔，可重复）时报错退出（状态 2），用于持续集成",
    )

    from nianbao.cli.report import add_report_parser

    add_report_parser(commands)

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
    _add_config_arguments(add_diff_command(commands))
    add_export_parser(commands)
    return parser


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise ValueError(text)
    return value


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
        say_error(str(error))
        return EXIT_ERROR
    except KeyboardInterrupt:
        say_error("已中断")
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); nothing more to say.
        sys.stderr.close()
        return EXIT_ERROR
    except Exception as error:  # a bug of ours: one line for the user, the trace only on request
        if getattr(args, "debug", False):
            raise
        say_error(f"内部错误：{type(error).__name__}: {error}（加 --debug 查看详情，并请报告此问题）")
        return EXIT_ERROR

# --- parse -------------------------------------------------------------------------


def command_parse(args) -> int:
    from nianbao.document.record import RecordRequest
    from nianbao.engine.linter import Linter
    from nianbao.output.inspect import render_parse

    from nianbao.config.files import ConfigError

    linter = Linter(load_plugins_for(args), resolver_for(args))
    try:
        document = linter.parse(_read(args.path))
        identity = linter.record(document, RecordRequest(cells=frozenset(), passages=False)).identity
    except ConfigError as error:
        raise UsageError(str(error)) from None
    sys.stdout.write(render_parse(document, identity))
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
    plugins = load_plugins_for(args)
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
    plugins = load_plugins_for(args)
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


def command_report(args) -> int:
    from nianbao.cli.report import command_report as report

    return report(args)


def command_check(args) -> int:
    from nianbao.cli.check import command_check as check

    return check(args)


COMMANDS = {"check": command_check, "extract": command_extract, "parse": command_parse, "rules": command_rules, "rule": command_rule}
COMMANDS["diff"] = command_diff
COMMANDS["export"] = command_export
COMMANDS["report"] = command_report
