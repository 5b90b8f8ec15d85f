"""Checking many files: in this process, in a pool of worker processes, or on a cluster.

Every way runs the same per-file task (:class:`FileChecker`): read the bytes, look the result up in
the cache, otherwise lint and keep only the lean result (diagnostics, not the document), so memory
does not grow with the number of reports. :func:`results_in_order` hands results back in the order
the files were given — the order a serial run prints — while at most ``window`` files are in flight.
A file that runs past the time limit, or whose worker dies, costs only that file (PS006, PS900).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator, Protocol

from nianbao.config.files import ConfigResolver
from nianbao.config.overrides import OverridingResolver
from nianbao.document.record import RecordRequest
from nianbao.engine.linter import FileResult, Linter
from nianbao.read.formats import DEFAULT_LIMITS, ReadLimits, read_file_bytes
from nianbao.read.source import ReadError

DEFAULT_TIME_LIMIT = 120.0
"""Seconds one file may take, reading included (a scanned PDF of many pages is the slow case)."""

URL_SCHEMES = ("http://", "https://", "s3://", "gs://", "abfs://", "hdfs://", "file://")
"""Addresses read through fsspec (on a cluster, files need not be on the client's disk)."""


@dataclass(frozen=True)
class LinterSettings:
    """How to build the linter the command line built, in another process or on another machine
    (picklable: it travels to workers instead of the linter)."""

    config: str | None = None
    isolated: bool = False
    overrides: tuple[tuple[str, object], ...] = ()
    entry_points: bool = True
    debug: bool = False
    cwd: str = field(default_factory=os.getcwd)
    """Where relative paths and configuration files are found from (the client's directory)."""

    def build(self) -> Linter:
        from nianbao.plugins.manager import load_plugins

        explicit = Path(self.config) if self.config else None
        resolver = ConfigResolver(explicit=explicit, isolated=self.isolated, cwd=Path(self.cwd))
        return Linter(load_plugins(entry_points=self.entry_points), OverridingResolver(resolver, dict(self.overrides)), self.debug)


@dataclass(frozen=True)
class BatchOptions:
    keep_source: bool = False
    """Keep each file's text for ``--show-source`` (costs memory per file)."""
    time_limit: float | None = DEFAULT_TIME_LIMIT
    cache_dir: str | None = None
    """None: no cache."""
    limits: ReadLimits = DEFAULT_LIMITS
    record: RecordRequest | None = None
    """What of each report's record the run needs (cross-report rules, exports); None: no record."""


class CheckTimedOut(BaseException):
    """Raised into a check that ran out of time. A BaseException, so that the engine's guards
    around readers and rules (``except Exception``) do not take it for a crash and go on."""


class FileChecker:
    """The per-file task, with what a worker builds once: the linter and the cache."""

    def __init__(self, linter: Linter, options: BatchOptions) -> None:
        self.linter = linter
        self.options = options
        self.cache = None
        self.reset_cache()

    def reset_cache(self) -> None:
        """Open the cache for the current options (the record they ask for enters every key)."""
        options = self.options
        if options.cache_dir is not None:
            from nianbao.engine.cache import ResultCache

            self.cache = ResultCache(
                options.cache_dir, self.linter, limits=options.limits, keep_source=options.keep_source, record=options.record
            )

    def check(self, path: str, location: str | None = None) -> FileResult:
        """The lean result of one file, read from ``location`` (default: ``path``, the name results
        show); reading problems are findings (PS001), never exceptions."""
        location = location or path
        try:
            data = read_url_bytes(location, self.options.limits) if is_url(location) else read_file_bytes(location, self.options.limits)
        except ReadError as error:
            return self.linter.unreadable(path, error).lean()
        key = None
        if self.cache is not None and self.cache.enabled:
            key = self.cache.key(path, data, self.linter.config_for(path))
            cached = self.cache.get(key)
            if cached is not None:
                return cached
        result = self.linter.lint_bytes(data, path, self.options.record).lean(self.options.keep_source)
        if key is not None:
            self.cache.put(key, result)
        return result

    def check_within_limit(self, path: str, location: str | None = None) -> FileResult:
        """``check``, stopped when it runs past the time limit. The stop comes at the next Python
        instruction, so a library stuck inside C code is only stopped by a pool that kills its
        worker (:class:`ProcessPoolExecutor`)."""
        seconds = self.options.time_limit
        if not seconds:
            return self.check(path, location)
        try:
            with _interrupted_after(seconds):
                return self.check(path, location)
        except CheckTimedOut:
            return self.linter.out_of_time(path, seconds)


@contextmanager
def _interrupted_after(seconds: float):
    """Raise :class:`CheckTimedOut` in this thread if the block is still running after ``seconds``
    (callers catch it around the ``with``: it may come while entering or leaving). Works in any
    thread: a Dask worker runs tasks in threads, where no signal can be used."""
    thread_id = threading.get_ident()
    lock = threading.Lock()
    state = {"running": True, "fired": False}

    def interrupt() -> None:
        with lock:
            if state["running"]:
                state["fired"] = True
                import ctypes  # only when a check runs out of time: loading it costs every run milliseconds

                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(CheckTimedOut))

    timer = threading.Timer(seconds, interrupt)
    timer.daemon = True
    delivered = False
    try:
        timer.start()  # the interrupt may come anywhere from here to the end of the finally below
        yield
    except CheckTimedOut:
        delivered = True
        raise
    finally:
        with lock:
            state["running"] = False
        timer.cancel()
        if state["fired"] and not delivered:
            _take_pending_interrupt()


def _take_pending_interrupt() -> None:
    """Let an interrupt that came as the block ended arrive here, and drop it. It cannot be
    withdrawn instead: CPython's way to withdraw one leaves the interpreter checking for it before
    every instruction for the rest of the process, which slows everything after it many times."""
    try:
        for _ in range(10_000):  # it arrives at the first backward jump
            pass
    except CheckTimedOut:
        pass


def is_url(path: str) -> bool:
    return path.startswith(URL_SCHEMES)


def read_url_bytes(url: str, limits: ReadLimits) -> bytes:
    """The bytes at ``url`` (http, s3 … through fsspec), within the same size limit as a file."""
    try:
        import fsspec
    except ImportError:
        raise ReadError("是网址，读取网址需要安装 nianbao 的 dask 扩展：pip install 'nianbao[dask]'", "needs-extra") from None
    cap = max(limits.max_text_bytes, limits.max_document_bytes)
    try:
        with fsspec.open(url, "rb") as handle:
            data = handle.read(cap + 1)
    except FileNotFoundError:
        raise ReadError("网址不存在（找不到文件）", "missing") from None
    except Exception as error:  # network and storage errors of every backend
        raise ReadError(f"无法读取网址（{type(error).__name__}: {error}）", "io") from None
    if len(data) > cap:
        raise ReadError("文件过大", "too-large")
    return data


# --- running many files ----------------------------------------------------------------------


class Pending(Protocol):
    def result(self) -> FileResult: ...


class Executor(Protocol):
    """Runs :class:`FileChecker` tasks somewhere; ``submit`` returns at once."""

    window: int
    """How many files may be in flight (bounds the results waiting to be handed back in order)."""

    def submit(self, path: str) -> Pending: ...

    def close(self, cancel: bool = False) -> None:
        """Release the workers; ``cancel``: the run was given up (Ctrl-C, an error), stop at once."""


def results_in_order(executor: Executor, paths: Iterable[str]) -> Iterator[FileResult]:
    """Each file's result, in the order of ``paths``, as soon as it and those before it are done."""
    remaining = iter(paths)
    pending: deque[Pending] = deque()
    finished = False
    try:
        pending.extend(executor.submit(path) for path in islice(remaining, executor.window))
        while pending:
            result = pending.popleft().result()
            following = next(remaining, None)
            if following is not None:
                pending.append(executor.submit(following))
            yield result
        finished = True
    finally:
        executor.close(cancel=not finished)


class _Done:
    def __init__(self, result: FileResult) -> None:
        self._result = result

    def result(self) -> FileResult:
        return self._result


class InProcessExecutor:
    """One file after another in this process: a single file, ``--jobs 1``, or a pre-commit hook."""

    window = 1

    def __init__(self, checker: FileChecker) -> None:
        self.checker = checker

    def submit(self, path: str) -> Pending:
        return _Done(self.checker.check_within_limit(path))

    def close(self, cancel: bool = False) -> None:
        pass


# A forked worker finds the parent's checker here (built once, before the pool starts); a spawned
# one builds its own from the settings in ``_start_worker``.
_WORKER_CHECKER: FileChecker | None = None


def _start_worker(settings: LinterSettings, options: BatchOptions) -> None:
    global _WORKER_CHECKER
    if _WORKER_CHECKER is None:
        _WORKER_CHECKER = FileChecker(settings.build(), options)
    # Ctrl-C is the main process's to handle; a worker killed mid-file is reported as lost.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _check_in_worker(path: str) -> FileResult:
    return _WORKER_CHECKER.check(path)


class _PoolPending:
    def __init__(self, future, path: str, linter: Linter, time_limit: float | None) -> None:
        self.future = future
        self.path = path
        self.linter = linter
        self.time_limit = time_limit

    def result(self) -> FileResult:
        from concurrent.futures import TimeoutError as FutureTimeout

        from pebble import ProcessExpired

        try:
            return self.future.result()
        except FutureTimeout:
            return self.linter.out_of_time(self.path, self.time_limit or 0)
        except ProcessExpired as error:
            return self.linter.worker_lost(self.path, _exit_description(error.exitcode))


def _exit_description(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"被信号 {signal.Signals(-exitcode).name} 终止"
        except ValueError:
            pass
    return f"退出状态 {exitcode}"


class ProcessPoolExecutor:
    """A pool of worker processes (pebble): each builds its linter once, a file that runs out of
    time is stopped by killing its worker, and a worker that dies costs only its file."""

    def __init__(self, checker: FileChecker, settings: LinterSettings, jobs: int) -> None:
        from pebble import ProcessPool

        self.checker = checker
        self.window = jobs * 8
        global _WORKER_CHECKER
        if _forking():
            _WORKER_CHECKER = checker  # inherited by the forked workers: nothing to rebuild
        self.pool = ProcessPool(
            max_workers=jobs,
            initializer=_start_worker,
            initargs=(settings, checker.options),
            context=_context(),
        )

    def submit(self, path: str) -> Pending:
        limit = self.checker.options.time_limit
        future = self.pool.schedule(_check_in_worker, args=(path,), timeout=limit)
        return _PoolPending(future, path, self.checker.linter, limit)

    def close(self, cancel: bool = False) -> None:
        if cancel:
            self.pool.stop()  # running checks are not waited for
        else:
            self.pool.close()
        self.pool.join()


def _forking() -> bool:
    return _context().get_start_method() == "fork"


def _context():
    import multiprocessing

    # fork where it is safe and cheapest (Linux: the workers share the parent's built linter);
    # macOS and Windows spawn, and each worker builds its own.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)


def default_jobs() -> int:
    """The cores this process may use (its affinity mask where the system has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(len(os.sched_getaffinity(0)), 1)
    return max(os.cpu_count() or 1, 1)


def local_executor(checker: FileChecker, settings: LinterSettings, jobs: int, file_count: int) -> Executor:
    """In this process for one file or one job; a pool of ``jobs`` processes otherwise."""
    jobs = min(jobs, file_count)
    if jobs <= 1:
        return InProcessExecutor(checker)
    return ProcessPoolExecutor(checker, settings, jobs)

