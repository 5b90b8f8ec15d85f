"""Whatever the input, the engine answers with diagnostics, never with an exception."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao.config.files import ConfigResolver
from nianbao.engine.linter import Linter
from nianbao.plugins.manager import load_plugins

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
SEED_TEXTS = [path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.txt"))]
LINTER = Linter(load_plugins(entry_points=False), ConfigResolver(isolated=True))

# Pieces that matter to the grammar and the tables, mixed into random text.
REPORT_PIECES = [
    "一、总体情况", "二、主动公开政府信息情况", "(一)", "（二）", "1.", "㈠", "|", " | ", "\t", "\n", "\r\n",
    "第二十条第(一)项", "信息内容", "规章", "0", "-3", "减71", "(七)总计", "四、结转下年度继续办理",
    "行政复议", "指标名称", "2021年1月21日", "二〇二一年一月二十一日", "政府信息公开工作年度报告", "## ", "|---|",
    "\u3000", "\xa0", "檔案", "beat365体育", "公(gong)开", "??", "\ufffd", "本报告所列数据的统计期限为",
]


def assert_no_crash(result) -> None:
    assert result.crashed_rules == [], [item.message for item in result.diagnostics if item.code == "PS900"]
    assert all(item.code != "PS900" for item in result.diagnostics)
    for item in result.diagnostics:
        assert item.location.line >= 1 and item.location.column >= 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_arbitrary_text_never_raises(text):
    assert_no_crash(LINTER.lint_bytes(text.encode("utf-8", "surrogatepass"), "random.txt"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(REPORT_PIECES), st.text(max_size=8)), max_size=60))
def test_report_like_text_never_raises(pieces):
    assert_no_crash(LINTER.lint_bytes("".join(pieces).encode("utf-8", "surrogatepass"), "pieces.txt"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_mutated_seeds_never_raise(data):
    text = data.draw(st.sampled_from(SEED_TEXTS))
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(1, 8))):
        operation = data.draw(st.sampled_from(["delete", "duplicate", "swap", "replace", "insert"]))
        index = data.draw(st.integers(0, len(lines) - 1))
        if operation == "delete" and len(lines) > 1:
            del lines[index]
        elif operation == "duplicate":
            lines.insert(index, lines[index])
        elif operation == "swap":
            other = data.draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif operation == "replace":
            lines[index] = data.draw(st.one_of(st.sampled_from(REPORT_PIECES), st.text(max_size=20)))
        else:
            lines.insert(index, data.draw(st.text(max_size=20)))
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]))
    payload = "\n".join(lines).encode(encoding, "replace")
    assert_no_crash(LINTER.lint_bytes(payload, "mutated.txt"))
