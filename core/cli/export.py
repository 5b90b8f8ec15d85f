"""``nianbao export``: check reports as ``check`` does (same discovery, run settings, cache,
worker processes or Dask cluster, cross-report rules) and write every recognised table cell, every
report and every finding as rows (:mod:`nianbao.output.export`, schema in docs/export.md)."""

from __future__ import annotations

import contextlib
import dataclasses
import sys

from nianbao.cli.common import (
    EXIT_OK,
    UsageError,
    linter_settings,
    load_plugins_for,
    resolver_for,
    say_warning,
)


def add_export_parser(commands) -> None:
    from nianbao.cli import add_batch_command_arguments
    from nianbao.output.export import EXPORT_FORMATS

    export = commands.add_parser(
        "export",
        help="把报告的表格、基本信息和问题导出为数据（csv、jsonl、sqlite）",
        description="检查报告并导出：每个识别出的表格单元格、每份报告、每个问题各一行（字段说明见 docs/export.md）。",
    )
    export.add_argument(
        "--format",
        required=True,
        choices=EXPORT_FORMATS,
        help="csv（-o 目录，三个文件）、jsonl（-o 文件或标准输出）、sqlite（-o 数据库文件）",
    )
    export.add_argument("-o", "--output", help="输出目录（csv）或文件（jsonl、sqlite）")
    export.add_argument("--force", action="store_true", help="覆盖已有的输出")
    export.add_argument(
        "--profile", help="使用的配置档：national（默认）、auto 或插件提供的地方配置档"
    )
    add_batch_command_arguments(export)


def command_export(args) -> int:
    from nianbao import __version__
    from nianbao.cli.check import (
        _Comparison,
        _discover,
        _executor,
        _files_from,
        _run_settings,
    )
    from nianbao.config.files import ConfigError
    from nianbao.config.overrides import OverridingResolver
    from nianbao.engine.batch import (
        FileChecker,
        results_in_order,
    )
    from nianbao.engine.linter import Linter
    from nianbao.output.export import ExportError, RowMaker, open_export
    from nianbao.output.progress import Progress

    plugins = load_plugins_for(args)
    overrides = {"profile": args.profile} if args.profile else {}
    resolver = OverridingResolver(resolver_for(args), overrides)
    linter = Linter(plugins, resolver, debug=args.debug)
    settings = linter_settings(args, overrides)
    run = _run_settings(args, resolver)
    checker = FileChecker(linter, run.batch_options(args))
    if checker.cache is not None:
        checker.cache.prune()
    try:
        paths = (
            _files_from(args.files_from)
            if args.files_from
            else _discover(args.paths or ["."], resolver, args.verbose)
        )
        if not paths:
            raise UsageError("没有找到可导出的报告")
        # Every cell is exported; the cross-report rules keep only what they compare.
        comparison = _Comparison.start(args, linter, resolver, checker, paths, every_cell=True)
        compared = comparison.compared
        try:
            exporter = open_export(args.format, args.output, args.force, __version__)
        except ExportError as error:
            raise UsageError(str(error)) from None
        with exporter:
            export = _Export(
                exporter,
                RowMaker(linter.templates),
                hold_reports=bool(comparison.rules),
            )
            results = results_in_order(
                _executor(args, run, checker, settings, len(paths)),
                comparison.all_paths,
            )
            progress = Progress(
                len(comparison.all_paths),
                enabled=not args.no_progress and not args.quiet,
            )
            with contextlib.closing(results), contextlib.closing(progress):
                for result in results:
                    progress.advance()
                    if result.record is not None and compared is not None:
                        exported = result.record
                        result.record = exported.narrowed(compared)
                    else:
                        exported, result.record = result.record, None
                    if comparison.keep(result):
                        continue  # an earlier report (history): compared with, not exported
                    if args.verbose:
                        print(f"nianbao: 导出了 {result.path}", file=sys.stderr)
                    export.add(result, exported)
            for result in comparison.finish():
                export.add_findings(result)
            export.finish()
    except ConfigError as error:
        raise UsageError(str(error)) from None
    if export.crashed:
        say_warning(
            f"规则 {'、'.join(sorted(export.crashed))} 运行出错，它们的问题不全；加 --debug 可看到出错的位置"
        )
    if not args.quiet:
        where = args.output if args.output and args.output != "-" else "标准输出"
        print(
            f"已导出 {export.report_count} 份报告、{export.cell_count} 个单元格、{export.finding_count} 个问题到 {where}。",
            file=sys.stderr,
        )
    return EXIT_OK


class _Export:
    """Rows of each result as it comes. A report's row holds its counts of findings, so while
    cross-report rules run (their findings come at the end) report rows wait for them."""

    def __init__(self, exporter, rows, hold_reports: bool) -> None:
        self.exporter = exporter
        self.rows = rows
        self.hold_reports = hold_reports
        self.held: dict[str, tuple] = {}
        self.ids: dict[str, int] = {}
        self.crashed: set[str] = set()
        self.report_count = self.cell_count = self.finding_count = 0

    def add(self, result, record) -> None:
        from nianbao.document.record import Passages
        from nianbao.output.export import ReportCounts, report_row

        self.report_count += 1
        report_id = self.ids.setdefault(result.path, self.report_count)
        counts = ReportCounts(len(record.cells) if record is not None else 0)
        if record is not None:
            for row in self.rows.cells(report_id, record):
                self.exporter.write("cells", row)
        self.cell_count += counts.cells
        self._findings(report_id, result, counts)
        if self.hold_reports:
            # Only the identity and dates are needed from here on.
            kept = (
                dataclasses.replace(record, cells=(), passages=Passages())
                if record is not None
                else None
            )
            self.held[result.path] = (report_id, kept, counts)
        else:
            self.exporter.write(
                "reports", report_row(report_id, result.path, record, counts)
            )

    def add_findings(self, result) -> None:
        """Cross-report findings of a report exported already."""
        if result.path in self.held:
            report_id, _, counts = self.held[result.path]
            self._findings(report_id, result, counts)

    def _findings(self, report_id: int, result, counts) -> None:
        from nianbao.output.export import finding_rows

        counts.add(result.diagnostics)
        self.finding_count += len(result.diagnostics)
        self.crashed.update(result.crashed_rules)
        for row in finding_rows(report_id, result.diagnostics):
            self.exporter.write("findings", row)

    def finish(self) -> None:
        from nianbao.output.export import report_row

        for path, (report_id, record, counts) in self.held.items():
            self.exporter.write("reports", report_row(report_id, path, record, counts))
