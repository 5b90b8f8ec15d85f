"""``nianbao diff OLD NEW``: what changed between two reports of one body, section by section and
table by table (:mod:`nianbao.output.diff`)."""

from __future__ import annotations

import os
import sys

from nianbao.cli.common import (
    EXIT_OK,
    STDIN_NAME,
    UsageError,
    load_plugins_for,
    resolver_for,
)


def add_diff_command(commands):
    """The ``diff`` sub-command's parser (the caller adds the configuration flags it shares)."""
    diff = commands.add_parser(
        "diff",
        help="比较同一机关的两份年度报告：各部分文字和表格数值的变化",
        description="比较两份年度报告（通常是同一机关前后两年的）：逐部分比较文字（改写、沿用），逐格比较官方表格的数值及增减。",
    )
    diff.add_argument("old", metavar="OLD", help="旧报告文件（如上一年的报告）")
    diff.add_argument("new", metavar="NEW", help="新报告文件")
    diff.add_argument("--format", choices=("text", "json"), default="text", help="输出格式：text（默认）或 json")
    diff.add_argument("--mask-numbers", action="store_true", help="比较文字时不看数字：只改了数字的句子算作沿用")
    return diff


def command_diff(args) -> int:
    from nianbao.cli import _read
    from nianbao.config.files import ConfigError
    from nianbao.engine.linter import Linter
    from nianbao.output.diff import compare_reports
    from nianbao.output.diff_formats import diff_as_json, diff_as_text

    if args.old == STDIN_NAME and args.new == STDIN_NAME:
        raise UsageError("OLD 和 NEW 不能都是标准输入（-）")
    old_source, new_source = _read(args.old), _read(args.new)
    linter = Linter(load_plugins_for(args), resolver_for(args))
    try:
        old, new = linter.parse(old_source), linter.parse(new_source)
    except ConfigError as error:
        raise UsageError(str(error)) from None
    diff = compare_reports(old, new, mask_numbers=args.mask_numbers)
    if args.format == "json":
        sys.stdout.write(diff_as_json(diff))
    else:
        sys.stdout.write(diff_as_text(diff, colour=sys.stdout.isatty() and not os.environ.get("NO_COLOR")))
    return EXIT_OK
