"""The pre-commit hook, run by the real ``pre-commit`` program against this checkout.

The working tree (tracked files and new ones git does not ignore, so uncommitted work is
tested) is copied into a temporary git repository and committed; a second temporary repository
holds a report and a ``.pre-commit-config.yaml`` pointing at the first. pre-commit builds its
virtualenv from PyPI once for the module: both tests share one PRE_COMMIT_HOME.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLEAN_2020 = ROOT / "docs" / "examples" / "003_92d244c9ede656a3.txt"
# Seed 003 adds up; 3 requests carried over from last year while (七)总计 stays 29 breaks
# 一 + 二 = (七)总计 + 四 in the 自然人 column (AR001, an error).
CARRIED_OVER_CLEAN = "二、上年结转政府信息公开申请数量 | 0 |"
CARRIED_OVER_FAULT = "二、上年结转政府信息公开申请数量 | 3 |"

pytestmark = pytest.mark.slow

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "nianbao tests",
    "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "nianbao tests",
    "GIT_COMMITTER_EMAIL": "tests@example.invalid",
}


def git(*arguments: str, cwd: Path) -> str:
    completed = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null", *arguments],
        cwd=cwd,
        env={**os.environ, **GIT_IDENTITY},
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.strip()


@pytest.fixture(scope="module")
def hook_repository(tmp_path_factory) -> tuple[Path, str]:
    """A committed copy of the working tree; returns its path and commit."""
    if shutil.which("git") is None:
        pytest.fail("git is needed to test the pre-commit hook")
    copy = tmp_path_factory.mktemp("hook-repository")
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT).split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if not source.is_file():  # deleted in the working tree but still in the index
            continue
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    git("init", "-q", cwd=copy)
    git("add", "-A", cwd=copy)
    git("commit", "-q", "-m", "working tree", cwd=copy)
    return copy, git("rev-parse", "HEAD", cwd=copy)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def run_pre_commit(tmp_path: Path, hook_repository, pre_commit_home: Path, report: str) -> subprocess.CompletedProcess:
    repository, commit = hook_repository
    work = tmp_path / "reports"
    work.mkdir()
    (work / "report.txt").write_text(report, encoding="utf-8")
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repository.as_posix()}\n    rev: {commit}\n    hooks:\n      - id: nianbao\n",
        encoding="utf-8",
    )
    git("init", "-q", cwd=work)
    git("add", "-A", cwd=work)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        cwd=work,
        env={**os.environ, **GIT_IDENTITY, "PRE_COMMIT_HOME": str(pre_commit_home)},
        capture_output=True,
        timeout=900,
    )


def output_of(completed: subprocess.CompletedProcess) -> str:
    return (completed.stdout + completed.stderr).decode("utf-8", errors="replace")


def test_a_clean_report_passes_the_hook(tmp_path, hook_repository, pre_commit_home):
    completed = run_pre_commit(tmp_path, hook_repository, pre_commit_home, CLEAN_2020.read_text(encoding="utf-8"))
    output = output_of(completed)
    assert completed.returncode == 0, output
    assert "Passed" in output


def test_an_arithmetic_fault_fails_the_hook_at_its_line(tmp_path, hook_repository, pre_commit_home):
    text = CLEAN_2020.read_text(encoding="utf-8")
    assert CARRIED_OVER_CLEAN in text
    faulty = text.replace(CARRIED_OVER_CLEAN, CARRIED_OVER_FAULT)
    lines = faulty.split("\n")
    fault_lines = {
        number
        for number, line in enumerate(lines, 1)
        if line.startswith(CARRIED_OVER_FAULT) or line.startswith("(七)总计 |")
    }
    completed = run_pre_commit(tmp_path, hook_repository, pre_commit_home, faulty)
    output = output_of(completed)
    assert completed.returncode == 1, output
    assert "Failed" in output
    located = [line for line in output.splitlines() if line.startswith("report.txt:") and " AR001 " in line]
    assert located, output
    line_number = int(located[0].split(":")[1])
    assert line_number in fault_lines


def test_a_repository_of_word_reports_runs_under_the_hook_with_findings_at_cells(
    tmp_path, hook_repository, pre_commit_home
):
    """The office keeps its reports as .docx: the hook reads them with the docx extra's libraries
    installed through additional_dependencies, passes the clean one and fails the changed one at
    its table cell."""
    sys.path.insert(0, str(ROOT))
    from tests.documents.make_docx import change_number, write_docx

    repository, commit = hook_repository
    work = tmp_path / "reports"
    work.mkdir()
    template = (ROOT / "docs" / "examples" / "2021-template.md").read_text(encoding="utf-8")
    write_docx(template, work / "2021年报.docx")
    faulty = write_docx(template, work / "2021年报-修改.docx")
    change = change_number(faulty, "（一）予以公开", 1)  # 予以公开 自然人 2 → 3: 三 no longer adds up
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repository.as_posix()}\n    rev: {commit}\n    hooks:\n      - id: nianbao\n"
        '        additional_dependencies: ["python-docx>=1.1", "lxml>=4.9"]\n',
        encoding="utf-8",
    )
    git("init", "-q", cwd=work)
    git("add", "-A", cwd=work)
    completed = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        cwd=work,
        env={**os.environ, **GIT_IDENTITY, "PRE_COMMIT_HOME": str(pre_commit_home)},
        capture_output=True,
        timeout=900,
    )
    output = output_of(completed)
    assert completed.returncode == 1, output
    findings = [line for line in output.splitlines() if ".docx:" in line]
    assert findings and all(line.startswith("2021年报-修改.docx:") for line in findings), output
    assert [line for line in findings if f"〔{change.place.describe()}〕" in line and " AR002 " in line], output
