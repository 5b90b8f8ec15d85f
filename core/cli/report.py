"""``nianbao report``: check the files as ``check`` does (same discovery, worker processes or Dask,
cache, ``--history`` and cross-report rules) and write the audit view, one offline HTML file."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import sys

from nianbao import __version__
from nianbao.cli.check import (
    _Comparison,
    _discover,
    _executor,
    _files_from,
    _run_settings,
    _write_output,
)
from nianbao.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    UsageError,
    linter_settings,
    load_plugins_for,
    resolver_for,
    say_error,
    say_warning,
)


def add_report_parser(commands) -> None:
    from nianbao.cli import add_batch_command_arguments

    report = commands.add_parser(
        "report",
        help="把检查结果做成一个可离线打开的网页（审核总览）",
        description="检查报告文件或目录，把全部结果写成一个独立的 HTML 文件：总览图表、机关与地区排名、发布是否按时、跨年度问题，可逐级点到每份报告的问题和出错的单元格。",
    )
    report.add_argument("-o", "--output", default="audit.html", help="写入的 HTML 文件（默认 audit.html）")
    report.add_argument("--title", help="页面上方的说明文字，如“某市 2024 年度报告审核”")
    add_batch_command_arguments(report)


def command_report(args) -> int:
    from nianbao.config.files import ConfigError
    from nianbao.engine.batch import (
        FileChecker,
        results_in_order,
    )
    from nianbao.engine.linter import Linter
    from nianbao.output.audit import AuditEntry, audit_data, excerpt_lines, render_page
    from nianbao.output.progress import Progress
    from nianbao.variants.bodies import body_kinds

    plugins = load_plugins_for(args)
    resolver = resolver_for(args)
    linter = Linter(plugins, resolver, debug=args.debug)
    settings = linter_settings(args, {})
    run = _run_settings(args, resolver)
    # The source is kept only until each finding's line is cut out of it for its excerpt.
    checker = FileChecker(linter, run.batch_options(args, keep_source=True))
    entries: dict[str, AuditEntry] = {}
    crashed = set()
    try:
        paths = _files_from(args.files_from) if args.files_from else _discover(args.paths or ["."], resolver, args.verbose)
        if not paths:
            raise UsageError("没有找到要检查的报告文件")
        # Every cell, not only the rows the cross-report rules compare: the view draws the tables.
        comparison = _Comparison.start(args, linter, resolver, checker, paths, every_cell=True)
        compared = comparison.compared
        if checker.cache is not None and checker.cache.warning and not args.quiet:
            say_warning(checker.cache.warning)
        results = results_in_order(_executor(args, run, checker, settings, len(paths)), comparison.all_paths)
        progress = Progress(len(comparison.all_paths), enabled=not args.no_progress and not args.quiet)
        with contextlib.closing(results), contextlib.closing(progress):
            for result in results:
                progress.advance()
                record = result.record
                if comparison.keep(result):
                    continue
                crashed.update(result.crashed_rules)
                record = _tables_in_view(record, result.diagnostics, compared)
                entries[result.path] = AuditEntry(result.path, record, list(result.diagnostics), excerpt_lines(result.located_text, result.diagnostics))
        for result in comparison.finish():
            crashed.update(result.crashed_rules)
            entry = entries.get(result.path)
            if entry is not None:
                entry.diagnostics += result.diagnostics
                entry.diagnostics.sort(key=lambda item: item.sort_key())
    except ConfigError as error:
        raise UsageError(str(error)) from None

    rules = {info.rule.code: (info.rule.name, info.rule.summary) for info in plugins.rules}
    kinds = {kind.key: kind.label for _, kind in body_kinds()}
    data = audit_data(entries.values(), rules, linter.templates, kinds)
    today = datetime.date.today().isoformat()
    meta = f"{args.title}　·　" if args.title else ""
    meta += f"检查了 {len(entries)} 份报告，生成于 {today}"
    _write_output(args, render_page(data, meta, f"nianbao {__version__}"))
    if not args.quiet:
        totals = data["summary"]["severities"]
        print(f"nianbao: 已写入 {args.output}（{len(entries)} 份报告，错误 {totals[0]}，警告 {totals[1]}，提示 {totals[2]}）。", file=sys.stderr)
    if crashed:
        say_error(f"规则 {'、'.join(sorted(crashed))} 运行出错（见 PS900），结果不完整")
        return EXIT_ERROR
    return EXIT_OK


def _tables_in_view(record, diagnostics, compared):
    """``record`` with only the tables the page may draw: those a finding points into, and those
    holding cells the cross-report rules compare (their findings come at the end). A run of many
    reports keeps this, not every cell, per report."""
    if record is None:
        return None
    lines = {item.location.line for item in diagnostics}
    lines.update(related.location.line for item in diagnostics for related in item.related if related.path is None)
    tables: list[list] = []
    for cell in record.cells:
        if not tables or tables[-1][0].table != cell.table:
            tables.append([])
        tables[-1].append(cell)
    kept = tuple(
        cell
        for table in tables
        if any(cell.location.line in lines or (compared is not None and compared.wants(cell.table, cell.row)) for cell in table)
        for cell in table
    )
    from nianbao.document.record import Passages

    return dataclasses.replace(record, cells=kept, passages=Passages())
