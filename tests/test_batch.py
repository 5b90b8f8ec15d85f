"""Checking many files: the same results in this process, in a pool of workers and on a Dask
cluster; a file that hangs or kills its worker costs only that file; results come back in order."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from concurrent.futures import Future
from pathlib import Path

import pytest

from nianbao.engine.batch import (
    BatchOptions,
    FileChecker,
    InProcessExecutor,
    LinterSettings,
    ProcessPoolExecutor,
    _interrupted_after,
    CheckTimedOut,
    results_in_order,
)
from nianbao.engine.linter import Linter
from nianbao.plugins.hookspecs import hookimpl
from nianbao.plugins.manager import load_plugins
from nianbao.plugins.rule import Rule, Severity

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"
HANG_MARK = "\n本段用于测试检查时不结束\n"
KILL_MARK = "\n本段用于测试检查进程被终止\n"


class HangsOrDies(Rule):
    """测试用规则：遇到标记就不结束，或终止所在的进程。

    ## 检查什么
    无。
    """

    code = "XX951"
    name = "hangs-or-dies"
    summary = "for tests"
    severity = Severity.INFO

    def check(self, document):
        if KILL_MARK.strip() in document.source.text:
            os.kill(os.getpid(), signal.SIGKILL)
        while HANG_MARK.strip() in document.source.text:
            pass  # pure Python: the time limit can interrupt it anywhere
        return ()


class TestPlugin:
    @staticmethod
    @hookimpl
    def nianbao_rules():
        return [HangsOrDies]


def example_files() -> list[str]:
    return [str(path) for path in sorted(EXAMPLES.glob("*")) if path.suffix in (".txt", ".md")]


def checker(time_limit: float | None = 30.0, extra=()) -> FileChecker:
    from nianbao.config.files import ConfigResolver

    linter = Linter(load_plugins(entry_points=False, extra=list(extra)), ConfigResolver(isolated=True))
    return FileChecker(linter, BatchOptions(time_limit=time_limit))


def records(results) -> list[tuple[str, list[dict]]]:
    return [(result.path, [item.to_dict() for item in result.diagnostics]) for result in results]


def serial(paths, file_checker=None) -> list:
    return list(results_in_order(InProcessExecutor(file_checker or checker()), paths))


def test_a_pool_of_workers_gives_exactly_the_serial_results_in_the_same_order():
    paths = example_files()
    assert len(paths) >= 5
    expected = records(serial(paths))
    assert sum(len(items) for _, items in expected) > 20  # the examples hold faults: a real comparison
    settings = LinterSettings(isolated=True, entry_points=False)
    pooled = records(results_in_order(ProcessPoolExecutor(checker(), settings, jobs=2), paths))
    assert pooled == expected
    assert [path for path, _ in pooled] == paths


def test_results_are_lean_a_batch_keeps_no_document():
    result = serial(example_files()[:1])[0]
    assert result.document is None and result.located_text is None
    assert result.profile is not None and result.profile.name == "national"


def write_reports(directory: Path, marks: dict[str, str]) -> list[str]:
    text = (EXAMPLES / "001_9e37d6351cd66a1a.txt").read_text(encoding="utf-8")
    paths = []
    for name in ("a.txt", "b.txt", "c.txt", "d.txt"):
        path = directory / name
        path.write_text(text + marks.get(name, ""), encoding="utf-8")
        paths.append(str(path))
    return paths


def test_a_file_that_never_finishes_costs_only_that_file_in_a_pool(tmp_path):
    paths = write_reports(tmp_path, {"b.txt": HANG_MARK})
    file_checker = checker(time_limit=3.0, extra=[("hangs", TestPlugin)])
    settings = LinterSettings(isolated=True, entry_points=False)
    results = list(results_in_order(ProcessPoolExecutor(file_checker, settings, jobs=2), paths))
    assert [result.path for result in results] == paths
    stopped = results[1]
    assert [item.code for item in stopped.diagnostics] == ["PS006"]
    assert "3 秒" in stopped.diagnostics[0].message and not stopped.crashed_rules
    others = records(results[:1] + results[2:])
    assert all(items for _, items in others)  # the other reports were checked in full
    assert {tuple(map(str, items)) for _, items in others} and others[0][1] == records(serial([paths[0]]))[0][1]


def test_the_time_limit_stops_a_check_in_this_process_too(tmp_path):
    paths = write_reports(tmp_path, {"a.txt": HANG_MARK})
    results = serial(paths[:2], checker(time_limit=1.0, extra=[("hangs", TestPlugin)]))
    assert [item.code for item in results[0].diagnostics] == ["PS006"]
    assert results[1].diagnostics and "PS006" not in {item.code for item in results[1].diagnostics}


def test_a_worker_that_is_killed_costs_only_its_file_and_the_run_says_so(tmp_path):
    paths = write_reports(tmp_path, {"c.txt": KILL_MARK})
    file_checker = checker(extra=[("dies", TestPlugin)])
    settings = LinterSettings(isolated=True, entry_points=False)
    results = list(results_in_order(ProcessPoolExecutor(file_checker, settings, jobs=2), paths))
    lost = results[2]
    assert lost.crashed_rules == ["worker"]
    assert [item.code for item in lost.diagnostics] == ["PS900"]
    assert "SIGKILL" in lost.diagnostics[0].message and "未被检查" in lost.diagnostics[0].message
    assert all(result.diagnostics and not result.crashed_rules for result in results[:2] + results[3:])


def test_an_interrupt_that_comes_too_late_is_withdrawn():
    # A block that ends just as its time runs out must not leave the exception pending for
    # whatever runs next: run many such blocks and then code that would be hit.
    stopped = 0
    for _ in range(200):
        try:
            with _interrupted_after(0.0005):
                sum(range(200))
        except CheckTimedOut:
            stopped += 1
    deadline = time.monotonic() + 0.2
    while time.monotonic() < deadline:
        pass  # a withdrawn interrupt would raise CheckTimedOut here


def test_an_interrupt_stops_a_loop_in_a_thread():
    outcome = []

    def run():
        try:
            with _interrupted_after(0.2):
                while True:
                    pass
        except CheckTimedOut:
            outcome.append("stopped")

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(10)
    assert outcome == ["stopped"]


class _OutOfOrder:
    """An executor whose files finish in reverse order of submission."""

    def __init__(self, window: int) -> None:
        self.window = window
        self.futures: list[Future] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.closed = False
        self.cancelled = False

    def submit(self, path):
        future = Future()
        future.path = path
        self.futures.append(future)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        # Finish everything submitted so far, newest first.
        for waiting in reversed(self.futures):
            if not waiting.done():
                waiting.set_result(waiting.path)
        return _Finished(self, future)

    def close(self, cancel=False):
        self.closed = True
        self.cancelled = cancel


class _Finished:
    def __init__(self, executor, future):
        self.executor = executor
        self.future = future

    def result(self):
        self.executor.in_flight -= 1
        return self.future.result()


@pytest.mark.parametrize("window", [1, 3, 8])
def test_results_come_back_in_the_order_given_with_at_most_a_window_in_flight(window):
    executor = _OutOfOrder(window)
    paths = [f"report-{number:02}.txt" for number in range(20)]
    assert list(results_in_order(executor, paths)) == paths
    assert executor.most_in_flight <= window and executor.closed and not executor.cancelled


def test_a_run_given_up_half_way_closes_its_executor():
    executor = _OutOfOrder(4)
    results = results_in_order(executor, [f"{number}.txt" for number in range(10)])
    assert next(results) == "0.txt"
    results.close()
    assert executor.closed and executor.cancelled  # workers are stopped, not waited for


# --- Dask ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    yield cluster
    cluster.close()


def test_a_dask_cluster_gives_exactly_the_serial_results(dask_cluster, tmp_path):
    from nianbao.engine.dask_executor import DaskExecutor

    paths = example_files()
    expected = records(serial(paths))
    settings = LinterSettings(isolated=True, entry_points=False)
    executor = DaskExecutor(checker(), settings, dask_cluster.scheduler_address, jobs=None)
    assert executor.window == 2 * 8  # two worker processes of one thread
    assert records(results_in_order(executor, paths)) == expected


def test_dask_workers_read_files_given_as_addresses(dask_cluster, tmp_path):
    from nianbao.engine.dask_executor import DaskExecutor

    shared = tmp_path / "shared"
    shared.mkdir()
    source = Path(example_files()[1])
    shutil.copy(source, shared / source.name)
    address = (shared / source.name).as_uri()
    settings = LinterSettings(isolated=True, entry_points=False)
    executor = DaskExecutor(checker(), settings, dask_cluster.scheduler_address, jobs=None)
    [result] = list(results_in_order(executor, [address, ]))
    expected = serial([str(shared / source.name)])[0]
    assert result.path == address
    assert [(item.code, item.line, item.column, item.message) for item in result.diagnostics] == [
        (item.code, item.line, item.column, item.message) for item in expected.diagnostics
    ]
    [missing] = list(results_in_order(DaskExecutor(checker(), settings, dask_cluster.scheduler_address, None), [address + ".gone"]))
    assert [item.code for item in missing.diagnostics] == ["PS001"] and "不存在" in missing.diagnostics[0].message


def test_dask_workers_read_relative_paths_from_the_clients_directory(dask_cluster, tmp_path, monkeypatch):
    from nianbao.engine.dask_executor import DaskExecutor

    source = Path(example_files()[0])
    shutil.copy(source, tmp_path / "年报.txt")
    expected = serial([str(tmp_path / "年报.txt")])[0]
    monkeypatch.chdir(tmp_path)  # the workers started elsewhere: only the client is here
    settings = LinterSettings(isolated=True, entry_points=False)
    [result] = list(results_in_order(DaskExecutor(checker(), settings, dask_cluster.scheduler_address, None), ["年报.txt"]))
    assert result.path == "年报.txt" and result.diagnostics
    assert [(item.code, item.line, item.message) for item in result.diagnostics] == [
        (item.code, item.line, item.message) for item in expected.diagnostics
    ]


def test_an_interrupt_is_never_withdrawn_through_the_c_api(monkeypatch):
    # PyThreadState_SetAsyncExc(id, NULL) leaves CPython checking for an exception before every
    # instruction for the rest of the process (every later check ran many times slower): a late
    # interrupt must be taken and dropped, never withdrawn.
    import ctypes

    calls = []
    real = ctypes.pythonapi.PyThreadState_SetAsyncExc

    def recording(thread_id, exception):
        calls.append(exception)
        return real(thread_id, exception)

    monkeypatch.setattr(ctypes.pythonapi, "PyThreadState_SetAsyncExc", recording)
    stopped = 0
    for _ in range(300):
        try:
            with _interrupted_after(0.0002):
                sum(range(300))
        except CheckTimedOut:
            stopped += 1
    with pytest.raises(CheckTimedOut):
        with _interrupted_after(0.05):
            while True:
                pass
    assert calls and all(exception is not None for exception in calls)


def test_records_made_on_dask_workers_give_the_cross_report_findings_of_a_serial_run(dask_cluster, tmp_path):
    import dataclasses

    from body_histories import report_2021_format
    from nianbao.corpus.check import corpus_rules, record_request, run_corpus_rules
    from nianbao.corpus.corpus import Corpus
    from nianbao.engine.dask_executor import DaskExecutor

    paths = []
    for year, carried, forward in ((2021, (1, 0, 0, 0, 0, 0, 1), (2, 0, 0, 0, 0, 0, 2)), (2022, (3, 0, 0, 0, 0, 0, 3), (1, 0, 0, 0, 0, 0, 1))):
        path = tmp_path / f"{year}.md"
        path.write_text(report_2021_format(year, carried_over=carried, carry_forward=forward), encoding="utf-8")
        paths.append(str(path))
    local = checker()
    rules = [info for info in corpus_rules(local.linter, paths) if info.rule.code == "XR001"]
    local.options = dataclasses.replace(local.options, record=record_request(rules))

    def cross_report(results) -> list[tuple[str, list[dict]]]:
        corpus = Corpus([result.record for result in results])
        return records(run_corpus_rules(local.linter, corpus, rules, local.linter.config_for(paths[0])))

    expected = cross_report(serial(paths, local))
    assert [code["code"] for _, items in expected for code in items] == ["XR001", "XR001"]  # 自然人 and 总计
    settings = LinterSettings(isolated=True, entry_points=False)
    distributed = list(results_in_order(DaskExecutor(local, settings, dask_cluster.scheduler_address, None), paths))
    assert all(result.document is None and result.record.cells for result in distributed)  # only records travel
    assert cross_report(distributed) == expected
