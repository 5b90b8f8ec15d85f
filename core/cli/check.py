"""``nianbao check``: find the files, check them where the run settings say (this process, worker
processes, a Dask cluster), and print each file's findings as it is done when the format allows."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Sequence

from nianbao import __version__
from nianbao.cli.common import (
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_OK,
    STDIN_NAME,
    UsageError,
    linter_settings,
    load_plugins_for,
    resolver_for,
    say_error,
    say_warning,
    split_list,
)
from nianbao.read.formats import DEFAULT_LIMITS


def command_check(args) -> int:
    from nianbao.config.files import DEFAULT_CONFIG, ConfigError
    from nianbao.config.overrides import OverridingResolver
    from nianbao.config.selection import RuleRef, Selection
    from nianbao.engine.batch import (
        FileChecker,
        results_in_order,
    )
    from nianbao.engine.linter import Linter
    from nianbao.output.formats import RunContext
    from nianbao.output.progress import Progress
    from nianbao.plugins.rule import Severity

    plugins = load_plugins_for(args)
    formatter = plugins.formats.get(args.format)
    if formatter is None:
        raise UsageError(f"未知的输出格式 {args.format!r}；可选：{'、'.join(sorted(plugins.formats))}")
    overrides = {
        key: value
        for key, value in (
            ("select", split_list(args.select)),
            ("extend_select", split_list(args.extend_select)),
            ("ignore", split_list(args.ignore)),
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
    resolver = OverridingResolver(resolver_for(args), overrides)
    _check_profile_and_required_plugins(args, plugins, resolver)
    linter = Linter(plugins, resolver, debug=args.debug)
    baseline = _load_baseline(args)
    if args.verbose:
        _say_setup(plugins, resolver, args)
    settings = linter_settings(args, overrides)
    run = _run_settings(args, resolver)
    streaming = getattr(formatter, "streams", False) and not args.output and not args.write_baseline
    keep_source = args.show_source and args.format == "text"
    checker = FileChecker(linter, run.batch_options(args, keep_source))
    if checker.cache is not None:
        if checker.cache.warning and not args.quiet:
            say_warning(checker.cache.warning)
        checker.cache.prune()
    run_context = RunContext(
        rules=plugins.rules,
        root=os.getcwd(),
        tool_version=__version__,
        show_source=args.show_source,
        baseline_used=baseline is not None,
        notifications=[problem.message for problem in plugins.problems],
        fail_on=args.fail_on or run.fail_on,
    )
    tally = _Tally(baseline, keep_all=not streaming)
    comparison = _Comparison.none()
    try:
        if args.stdin or args.paths == [STDIN_NAME]:
            results = _stdin_result(linter, args.stdin_filename or "<stdin>", keep_source)
            total = 1
        else:
            paths = _files_from(args.files_from) if args.files_from else _discover(args.paths or ["."], resolver, args.verbose)
            comparison = _Comparison.start(args, linter, resolver, checker, paths)
            results = results_in_order(_executor(args, run, checker, settings, len(paths)), comparison.all_paths)
            total = len(comparison.all_paths)
        progress = Progress(total, enabled=not args.no_progress and not args.quiet)

        def report(result, checked: bool = True) -> None:
            new = tally.add(result, checked)
            if streaming and new:
                progress.write(formatter.format(new, dataclasses.replace(run_context, files=[result.path], sources=tally.source_of(result))))

        with contextlib.closing(results), contextlib.closing(progress):
            for result in results:
                progress.advance()
                if comparison.keep(result):
                    continue  # an earlier report (history): compared with, not reported on
                if args.verbose:
                    print(f"nianbao: 检查了 {result.path}", file=sys.stderr)
                    _say_profile(result)
                report(result)
        for result in comparison.finish():
            report(result, checked=False)
    except ConfigError as error:
        raise UsageError(str(error)) from None

    if args.write_baseline:
        return _write_baseline(args, tally.reported, tally.crashed)
    if not streaming:
        context = dataclasses.replace(
            run_context,
            files=tally.checked,
            sources=tally.sources,
            suppressed=sorted(tally.suppressed, key=lambda item: item.sort_key()),
            unchanged=tally.unchanged,
            execution_successful=not tally.crashed,
        )
        _write_output(args, formatter.format(tally.reported, context))
    if args.statistics:
        # Machine-readable output on stdout must stay parseable: the table then goes to stderr.
        to_stdout = args.format == "text" and not args.output
        sys.stdout.flush()
        print(_statistics(tally.by_rule), file=sys.stdout if to_stdout else sys.stderr, end="")

    if not args.quiet:
        print(_summary(tally.by_severity, len(tally.checked)), file=sys.stderr)
        if baseline is not None:
            print(_baseline_summary(args.baseline, tally), file=sys.stderr)
    if tally.crashed:
        # Said even when PS900 is not reported (ignored) or output goes to a file: status 2 needs a reason.
        say_error(_crash_summary(tally.crashed))
        return EXIT_ERROR
    fail_on = Severity(run_context.fail_on)
    return EXIT_FINDINGS if any(Severity(key).rank >= fail_on.rank for key in tally.by_severity) else EXIT_OK


DEFAULT_CACHE_DIR = ".nianbao_cache"


class _Tally:
    """What a run keeps of each file's result: counts always, the diagnostics only when the output
    format needs them all at the end (JSON, SARIF, JUnit) or a baseline is written."""

    def __init__(self, baseline, keep_all: bool) -> None:
        self.baseline = baseline
        self.keep_all = keep_all
        self.checked: list[str] = []
        self.reported: list = []
        self.suppressed: list = []
        self.unchanged: list = []
        self.unchanged_count = 0
        self.stale: list = []
        self.sources: dict[str, str] = {}
        self.crashed: Counter[str] = Counter()
        self.by_severity: Counter[str] = Counter()
        self.by_rule: Counter[tuple[str, str]] = Counter()

    def add(self, result, checked: bool = True) -> list:
        """Count ``result`` (a file checked, unless it holds cross-report findings of a file counted
        already); the diagnostics to report (those the baseline does not already hold)."""
        if checked:
            self.checked.append(result.path)
        self.crashed.update(dict.fromkeys(result.crashed_rules, 1))
        new = result.diagnostics
        if self.baseline is not None:
            comparison = self.baseline.compare(new, [result.path])
            new = comparison.new
            self.unchanged_count += len(comparison.unchanged)
            self.stale += comparison.stale
            if self.keep_all:
                self.unchanged += comparison.unchanged
        self.by_severity.update(item.severity.value for item in new)
        self.by_rule.update((item.code, item.name) for item in new)
        if self.keep_all:
            self.reported += new
            self.suppressed += result.suppressed
            if result.located_text is not None:
                self.sources[result.path] = result.located_text
        return new

    def source_of(self, result) -> dict[str, str]:
        return {result.path: result.located_text} if result.located_text is not None else {}


class _Comparison:
    """The cross-report part of a run: which records the workers make, the earlier reports
    (``--history``, ``history``) checked for their records only, and the XR rules run at the end."""

    def __init__(self, linter=None, checker=None, rules=(), history=(), config=None, checked_count: int = 0) -> None:
        self.linter = linter
        self.rules = list(rules)
        self.config = config
        self.all_paths: list[str] = []
        self.checked_count = checked_count
        self.history_paths = set(history)
        self.records: list = []
        self.history: list = []
        self._seen = 0
        self.compared = None

    @classmethod
    def none(cls) -> _Comparison:
        return cls()

    @classmethod
    def start(cls, args, linter, resolver, checker, paths: list[str], every_cell: bool = False) -> _Comparison:
        """The comparison of ``paths`` and the earlier reports; ``checker`` is set to make the
        records it needs (with ``every_cell``, every table cell: exports and the audit view).
        ``compared`` is what the cross-report rules need of each record, None when none run."""
        from nianbao.corpus.check import corpus_rules, record_request

        config = _first_config(args, resolver)
        given = [*args.history] if args.history else list(config.history)
        checked = {os.path.abspath(path) for path in paths}
        history = [path for path in _discover(given, resolver, args.verbose) if os.path.abspath(path) not in checked] if given else []
        rules = corpus_rules(linter, paths) if len(paths) + len(history) > 1 else []
        comparison = cls(linter, checker, rules, history, config, len(paths))
        comparison.all_paths = [*paths, *history]
        comparison.compared = record_request(rules)
        request = record_request(rules, cells=every_cell)
        if request is not None:
            checker.options = dataclasses.replace(checker.options, record=request)
            checker.reset_cache()
        return comparison

    def keep(self, result) -> bool:
        """Keep ``result``'s record; True when it is an earlier report's (not to be reported)."""
        self._seen += 1
        earlier = self._seen > self.checked_count and result.path in self.history_paths
        if result.record is not None:
            (self.history if earlier else self.records).append(result.record)
            result.record = None
        return earlier

    def finish(self) -> list:
        """The results of the cross-report rules, one per checked file they found something in."""
        if not self.rules:
            return []
        from nianbao.corpus.check import run_corpus_rules
        from nianbao.corpus.corpus import Corpus

        return run_corpus_rules(self.linter, Corpus(self.records, self.history), self.rules, self.config)


def _write_output(args, output: str) -> None:
    if args.output:
        try:
            Path(args.output).write_text(output, encoding="utf-8")
        except OSError as error:
            raise UsageError(f"无法写入 {args.output}：{error.strerror or error}") from None
    else:
        sys.stdout.write(output)
        sys.stdout.flush()


def _stdin_result(linter, display: str, keep_source: bool):
    yield linter.lint_bytes(sys.stdin.buffer.read(), display).lean(keep_source)


def _first_config(args, resolver):
    """The configuration of the first path: the one whose run-wide settings (``fail-on``, the run
    settings, ``require-plugins``) the run uses."""
    from nianbao.config.files import ConfigError

    try:
        return resolver.for_path(Path(args.paths[0]) if args.paths else Path(".") / "x")
    except ConfigError as error:
        raise UsageError(str(error)) from None


def _run_settings(args, resolver):
    config = _first_config(args, resolver)
    return _RunChoice(config.run, config.fail_on, args)


class _RunChoice:
    """Command-line flags over the configuration's run settings."""

    def __init__(self, configured, fail_on: str, args) -> None:
        from nianbao.engine.batch import DEFAULT_TIME_LIMIT, default_jobs

        self.fail_on = fail_on
        self.jobs = args.jobs or configured.jobs or default_jobs()
        self.time_limit = args.time_limit or configured.time_limit or DEFAULT_TIME_LIMIT
        self.cache_dir = configured.cache_dir
        self.executor = args.executor or configured.executor
        self.scheduler = args.scheduler or configured.scheduler

    def batch_options(self, args, keep_source: bool = False):
        from nianbao.engine.batch import BatchOptions

        # A file's reading gets no more time than its whole check: a stalled read then ends as itself (PS001).
        limits = dataclasses.replace(DEFAULT_LIMITS, max_seconds=min(DEFAULT_LIMITS.max_seconds, self.time_limit))
        return BatchOptions(keep_source=keep_source, time_limit=self.time_limit, cache_dir=_cache_dir(args, self), limits=limits)


def _cache_dir(args, run) -> str | None:
    if args.no_cache or os.environ.get("NIANBAO_NO_CACHE"):
        return None
    # Absolute: workers on a cluster find it at the same place on a shared file system.
    return os.path.abspath(args.cache_dir or os.environ.get("NIANBAO_CACHE_DIR") or run.cache_dir or DEFAULT_CACHE_DIR)


def _executor(args, run, checker, settings, file_count: int):
    from nianbao.engine.batch import local_executor

    if run.executor != "dask":
        return local_executor(checker, settings, run.jobs, file_count)
    try:
        from nianbao.engine.dask_executor import DaskExecutor
    except ImportError:
        raise UsageError("--executor dask 需要安装 nianbao 的 dask 扩展：pip install 'nianbao[dask]'") from None
    try:
        return DaskExecutor(checker, settings, run.scheduler, args.jobs)
    except (OSError, TimeoutError) as error:
        raise UsageError(f"无法连接 Dask 调度器 {run.scheduler}：{error}") from None


def _files_from(listing: str) -> list[str]:
    """The paths or addresses listed one per line (blank lines and ``#`` comments skipped)."""
    try:
        text = sys.stdin.read() if listing == STDIN_NAME else Path(listing).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"无法读取文件列表 {listing}：{getattr(error, 'strerror', None) or error}") from None
    lines = (line.strip() for line in text.splitlines())
    return list(dict.fromkeys(line for line in lines if line and not line.startswith("#")))


def _crash_summary(files: Counter[str]) -> str:
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


def _baseline_summary(path: str, tally) -> str:
    parts = [f"基线 {path} 中已有的 {tally.unchanged_count} 个问题未显示"]
    if tally.stale:
        parts.append(
            f"基线中有 {len(tally.stale)} 条记录已不再出现（问题已修正或原文已改动），"
            f"可用 --write-baseline {path} 更新基线"
        )
    return "；".join(parts) + "。"


def _statistics(counts: Counter[tuple[str, str]]) -> str:
    """One line per rule: how many findings, code, name; most frequent first."""
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

    config = _first_config(args, resolver)
    try:
        profiles = profiles_for(config, plugins.profiles)
    except ConfigError as error:
        raise UsageError(str(error)) from None
    if args.profile is not None and args.profile not in (NATIONAL_NAME, AUTO, *profiles):
        known = "、".join([NATIONAL_NAME, AUTO, *sorted(profiles)])
        raise UsageError(f"未知的配置档 {args.profile!r}（--profile）；可选：{known}")
    required = [name for value in args.require_plugins for name in split_list(value) or ()]
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


def _summary(counts: Counter[str], file_count: int) -> str:
    total = sum(counts.values())
    if not total:
        return f"未发现问题（检查了 {file_count} 个文件）。"
    parts = [f"{label} {counts[key]}" for key, label in (("error", "错误"), ("warning", "警告"), ("info", "提示")) if counts[key]]
    return f"发现 {total} 个问题（{'，'.join(parts)}），检查了 {file_count} 个文件。"


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
        say_warning(f"跳过了 {count} 个{spec.label}：读取它们需要安装 pip install 'nianbao[{spec.extra}]'")
    return sorted(dict.fromkeys(found))


