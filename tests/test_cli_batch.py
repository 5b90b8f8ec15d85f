"""``nianbao check`` on many files: --jobs, streamed output, --time-limit, --files-from, JSON Lines,
the progress bar's rules and the run settings in configuration."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nianbao.cli import main
from nianbao.output.progress import should_show

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "junit", "github", "jsonl"])
def test_two_jobs_print_exactly_what_one_job_prints(capsys, output_format):
    serial = run(capsys, "check", "--isolated", "-j", "1", "--format", output_format, str(EXAMPLES))
    parallel = run(capsys, "check", "--isolated", "-j", "2", "--format", output_format, str(EXAMPLES))
    assert parallel == serial
    assert serial[0] == 1 and serial[1].strip()  # the examples hold errors: a real comparison


def test_json_lines_hold_the_objects_of_the_json_array_one_per_line(capsys):
    _, array, _ = run(capsys, "check", "--isolated", "--format", "json", str(EXAMPLES))
    _, lines, _ = run(capsys, "check", "--isolated", "--format", "jsonl", str(EXAMPLES))
    assert [json.loads(line) for line in lines.splitlines()] == json.loads(array)


def test_files_from_a_list_checks_the_files_listed(tmp_path, capsys):
    files = sorted(str(path) for path in EXAMPLES.glob("*.txt"))[:2]
    listing = tmp_path / "list.txt"
    listing.write_text("# 本次抽查\n" + "\n".join(files) + "\n\n" + files[0] + "\n", encoding="utf-8")
    status, out, err = run(capsys, "check", "--isolated", "--files-from", str(listing))
    assert "检查了 2 个文件" in err
    assert {line.split(":")[0] for line in out.splitlines()} == set(files)
    status, _, err = run(capsys, "check", "--isolated", "--files-from", str(tmp_path / "missing.txt"))
    assert status == 2 and "无法读取文件列表" in err


def stopped_after(output: str, path: Path, seconds: int) -> bool:
    """Whether ``path`` was given up after ``seconds``: by the reader (PS001, the read's time is the
    check's) or by the time limit (PS006), whichever noticed first."""
    return any(
        line.startswith(f"{path}:1:1: PS001 错误：是管道，但 {seconds} 秒内没有程序写完")
        or line.startswith(f"{path}:1:1: PS006 错误：检查此文件用时超过 {seconds} 秒")
        for line in output.splitlines()
    )


def test_results_are_printed_as_files_finish_not_at_the_end(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs a named pipe")
    first = tmp_path / "a.txt"
    first.write_text((EXAMPLES / "001_9e37d6351cd66a1a.txt").read_text(encoding="utf-8"), encoding="utf-8")
    stuck = tmp_path / "b.txt"
    os.mkfifo(stuck)  # nobody writes to it: reading it waits as long as the time limit allows
    process = subprocess.Popen(
        [sys.executable, "-m", "nianbao", "check", "--isolated", "-j", "1", "--time-limit", "4", str(first), str(stuck)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        line = process.stdout.readline()
        assert line.startswith(f"{first}:")
        assert process.poll() is None  # the first file's findings came while the second was still being read
        rest = process.stdout.read()
        process.wait(60)
    finally:
        process.kill()
    assert stopped_after(rest, stuck, 4)
    assert process.returncode == 1


def test_bad_run_flags_and_settings_are_explained(tmp_path, capsys):
    for flag, value in (("--jobs", "0"), ("--time-limit", "-1"), ("--jobs", "两个")):
        with pytest.raises(SystemExit) as stop:
            main(["check", flag, value, str(EXAMPLES)])
        assert stop.value.code == 2
        assert f"{flag} 的值 '{value}' 无效" in capsys.readouterr().err
    config = tmp_path / "nianbao.toml"
    for written, expected in (("jobs = 0", "'jobs' 应大于 0"), ('executor = "ray"', "'executor'"), ("time-limit = true", "'time-limit' 应为小数")):
        config.write_text(written + "\n", encoding="utf-8")
        status, _, err = run(capsys, "check", "--config", str(config), str(EXAMPLES))
        assert status == 2 and expected in err, err


def test_run_settings_in_configuration_apply(tmp_path, capsys):
    report = tmp_path / "b.txt"
    os.mkfifo(report)
    (tmp_path / "nianbao.toml").write_text("time-limit = 2\njobs = 1\n", encoding="utf-8")
    status, out, _ = run(capsys, "check", str(report))
    # The configured limit bounds the read too: the reader's own 120 s are not waited for.
    assert stopped_after(out, report, 2)


def test_dask_without_its_extra_or_scheduler_is_a_clear_usage_error(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "nianbao.engine.dask_executor", None)  # as if distributed were missing
    status, _, err = run(capsys, "check", "--isolated", "--executor", "dask", str(EXAMPLES))
    assert status == 2 and "pip install 'nianbao[dask]'" in err


def test_an_unreachable_scheduler_is_a_clear_usage_error(capsys):
    pytest.importorskip("distributed")
    status, _, err = run(capsys, "check", "--isolated", "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9", str(EXAMPLES))
    assert status == 2 and "无法连接 Dask 调度器 tcp://127.0.0.1:9" in err


def test_the_command_line_on_a_dask_cluster_prints_what_a_local_run_prints(capsys):
    distributed = pytest.importorskip("distributed")
    local = run(capsys, "check", "--isolated", "--format", "json", str(EXAMPLES))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = run(capsys, "check", "--isolated", "--format", "json", "--executor", "dask", "--scheduler", cluster.scheduler_address, str(EXAMPLES))
    assert remote == local


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_the_progress_bar_shows_only_on_a_terminal_outside_ci(monkeypatch):
    for name in ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "JENKINS_URL", "BUILDKITE", "TF_BUILD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert should_show(_Stream(True))
    assert not should_show(_Stream(False))  # a pipe or a file: never
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert not should_show(_Stream(True))  # a CI log: never, even on a pseudo-terminal


def test_no_progress_text_reaches_a_pipe(capsys):
    _, _, err = run(capsys, "check", "--isolated", "-j", "2", str(EXAMPLES))
    assert err.count("\n") == 1 and "\r" not in err  # the summary line only
