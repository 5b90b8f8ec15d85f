"""Checking files on a Dask cluster (``--executor dask``): the same per-file task as a local run,
on workers that read the files from a shared path or an address.

Each worker process builds its :class:`FileChecker` once (on its first file) from the picklable
:class:`LinterSettings`; only a file's lean result travels back. Workers run tasks in threads, so
the time limit interrupts the check at its next Python instruction (see ``check_within_limit``).
"""

from __future__ import annotations

import os
import threading

from nianbao.engine.batch import (
    BatchOptions,
    FileChecker,
    LinterSettings,
    Pending,
    is_url,
)
from nianbao.engine.linter import FileResult, Linter

_CHECKERS: dict[tuple[LinterSettings, BatchOptions], FileChecker] = {}
_BUILDING = threading.Lock()


def check_on_worker(settings: LinterSettings, options: BatchOptions, path: str) -> FileResult:
    """The task a Dask worker runs for one file."""
    key = (settings, options)
    checker = _CHECKERS.get(key)
    if checker is None:
        with _BUILDING:  # a worker's threads share one checker, built once
            checker = _CHECKERS.get(key)
            if checker is None:
                checker = _CHECKERS[key] = FileChecker(settings.build(), options)
    # A relative path is the client's: read it from the client's directory (on a shared file system).
    location = path if is_url(path) or os.path.isabs(path) else os.path.join(settings.cwd, path)
    return checker.check_within_limit(path, location)


class _DaskPending:
    def __init__(self, future, path: str, linter: Linter) -> None:
        self.future = future
        self.path = path
        self.linter = linter

    def result(self) -> FileResult:
        from distributed.scheduler import KilledWorker

        try:
            return self.future.result()
        except KilledWorker as error:
            # Dask retried the file on other workers and every one of them died on it.
            return self.linter.worker_lost(self.path, f"Dask 工作进程在检查此文件时多次退出：{error}")
        finally:
            self.future.release()


class DaskExecutor:
    """Files submitted to a Dask scheduler (``tcp://HOST:PORT``); without one, a local cluster of
    worker processes is started for the run."""

    def __init__(self, checker: FileChecker, settings: LinterSettings, scheduler: str | None, jobs: int | None) -> None:
        from distributed import Client, LocalCluster

        self.linter = checker.linter
        self.settings = settings
        self.options = checker.options
        self.cluster = None
        if scheduler is None:
            self.cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
            self.client = Client(self.cluster)
        else:
            self.client = Client(scheduler, timeout=30)
        threads = sum(self.client.nthreads().values()) or 1
        self.window = threads * 8

    def submit(self, path: str) -> Pending:
        future = self.client.submit(check_on_worker, self.settings, self.options, path, pure=False)
        return _DaskPending(future, path, self.linter)

    def close(self, cancel: bool = False) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
