"""The command line as users run it: output lines, exit codes, bad input, formats, stdin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nianbao.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
SEED_003 = EXAMPLES / "003_92d244c9ede656a3.txt"
SEED_001 = EXAMPLES / "001_9e37d6351cd66a1a.txt"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def lines_of(output: str) -> list[str]:
    return [line for line in output.splitlines() if line]


def test_check_prints_pre_commit_style_lines_and_a_summary(capsys):
    status, out, err = run(capsys, "check", "--isolated", "--select", "ST001", str(SEED_003))
    assert lines_of(out) == [
        f"{SEED_003}:1:1: ST001 警告：报告缺少标题：开头应为“〈机关名称〉〈年份〉年政府信息公开工作年度报告” [missing-title]"
    ]
    assert "发现 1 个问题" in err and "检查了 1 个文件" in err
    assert status == 0  # ST001 is a warning; the default failing severity is error


def test_fail_on_warning_turns_a_warning_into_exit_1(capsys):
    status, _, _ = run(capsys, "check", "--isolated", "--select", "ST001", "--fail-on", "warning", str(SEED_003))
    assert status == 1


def test_clean_run_exits_0_with_a_clean_summary(tmp_path, capsys):
    status, out, err = run(capsys, "check", "--isolated", "--select", "ST001", str(EXAMPLES / "000_b67df828cb4a1735.txt"))
    assert (status, out) == (0, "")
    assert "未发现问题" in err


def test_output_is_sorted_by_path_line_column_code(capsys):
    _, out, _ = run(capsys, "check", "--isolated", str(EXAMPLES))
    keys = []
    for line in lines_of(out):
        path, line_number, column, rest = line.split(":", 3)
        keys.append((path, int(line_number), int(column), rest.split()[0]))
    assert keys == sorted(keys)
    assert len({key[0] for key in keys}) >= 4


def test_json_format_is_a_documented_array(capsys):
    _, out, _ = run(capsys, "check", "--isolated", "--select", "ST001", "--format", "json", str(SEED_003))
    [item] = json.loads(out)
    assert {key: item[key] for key in ("line", "column", "code", "name", "severity")} == {
        "line": 1,
        "column": 1,
        "code": "ST001",
        "name": "missing-title",
        "severity": "warning",
    }
    assert item["path"] == str(SEED_003)
    assert item["end_line"] == 1 and item["end_column"] == 7  # "一、总体情况" is six characters


def test_stdin_with_a_display_name(capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SEED_003.read_bytes())))
    status, out, err = run(capsys, "check", "--isolated", "--select", "ST001", "--stdin", "--stdin-filename", "报告.txt")
    assert out.startswith("报告.txt:1:1: ST001 ")
    assert status == 0 and "检查了 1 个文件" in err  # ST001 is a warning


@pytest.mark.parametrize("seed", ["000_b67df828cb4a1735.txt", "003_92d244c9ede656a3.txt"])
def test_txt_md_and_gbk_copies_give_the_same_diagnostics(tmp_path, capsys, seed):
    text = (EXAMPLES / seed).read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.md").write_text(text, encoding="utf-8")
    (tmp_path / "c.txt").write_bytes(text.replace("\n", "\r\n").encode("gbk"))
    outputs = []
    for name in ("a.txt", "b.md", "c.txt"):
        _, out, _ = run(capsys, "check", "--isolated", "--format", "json", str(tmp_path / name))
        outputs.append([{key: value for key, value in item.items() if key != "path"} for item in json.loads(out)])
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0], "the seed has findings"


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "PS001"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n\x00\x01", "PS001"),
    ],
)
def test_binary_files_get_one_ps001_and_the_run_goes_on(tmp_path, capsys, content, expected):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    status, out, err = run(capsys, "check", "--isolated", "--select", "PS001,ST001", str(bad), str(SEED_003))
    found = lines_of(out)
    assert [line for line in found if line.startswith(f"{bad}:")] == [
        line for line in found if line.startswith(f"{bad}:1:1: {expected} ")
    ]
    assert sum(line.startswith(f"{bad}:1:1: {expected} ") for line in found) == 1
    assert any(line.startswith(f"{SEED_003}:1:1: ST001") for line in found)
    assert status == 1
    assert "Traceback" not in err


def test_missing_file_and_directory_named_as_file(tmp_path, capsys):
    status, out, err = run(capsys, "check", "--isolated", str(tmp_path / "nope.txt"))
    assert f"{tmp_path / 'nope.txt'}:1:1: PS001 " in out
    assert status == 1 and "Traceback" not in err


def test_empty_file_is_checked_not_refused(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    status, out, err = run(capsys, "check", "--isolated", "--select", "PS,ST001", str(empty))
    assert "PS001" not in out and "Traceback" not in err


def test_directories_recurse_over_txt_and_md_only(tmp_path, capsys):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "r.md").write_text("一、总体情况\n正文。\n", encoding="utf-8")
    (tmp_path / "r.txt").write_text("一、总体情况\n正文。\n", encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    _, out, _ = run(capsys, "check", "--isolated", "--select", "ST001", str(tmp_path))
    paths = {line.split(":")[0] for line in lines_of(out)}
    assert paths == {str(tmp_path / "r.txt"), str(tmp_path / "sub" / "r.md")}


def test_malformed_config_is_a_clear_error_with_exit_2(tmp_path, capsys):
    (tmp_path / "nianbao.toml").write_text("selct = ['ST']\n", encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_text("一、总体情况\n", encoding="utf-8")
    status, out, err = run(capsys, "check", str(report))
    assert status == 2
    assert "selct" in err and "select" in err
    assert "Traceback" not in err


def test_unknown_rule_on_the_command_line_suggests_the_close_match(capsys):
    status, _, err = run(capsys, "check", "--isolated", "--select", "ST0001", str(SEED_003))
    assert status == 2 and "ST0001" in err


def test_unknown_format_is_a_usage_error(capsys):
    status, _, err = run(capsys, "check", "--isolated", "--format", "yaml", str(SEED_003))
    assert status == 2 and "yaml" in err


def test_rules_lists_every_rule_and_rule_prints_its_doc(capsys):
    _, out, _ = run(capsys, "rules")
    listed = {line.split()[0] for line in lines_of(out)}
    assert {"PS001", "PS002", "PS003", "PS900", "ST001", "AR001"} <= listed
    status, page, _ = run(capsys, "rule", "AR001")
    assert status == 0
    assert page.startswith("# AR001 application-balance")
    assert "## 反例" in page and "## 正例" in page
    status, _, err = run(capsys, "rule", "AR01")
    assert status == 2 and "AR001" in err


def test_parse_shows_tree_with_original_positions_and_tables(capsys):
    status, out, _ = run(capsys, "parse", "--isolated", str(SEED_003))
    assert status == 0
    assert "[L   1:C1  ] Report" in out
    assert "[L   1:C1  ]     Section  一、 '总体情况'\n[L   2:C1  ]         SubSection  (一) '政府信息主动公开、依申请公开方面'\n" in out
    assert "2019.application" in out and "行 23，数值 161" in out
    assert "review-litigation" in out and "行 1，数值 15" in out


def test_parse_indents_items_under_sub_sections_under_sections(tmp_path, capsys):
    report = tmp_path / "报告.txt"
    report.write_text("一、总体情况\n（一）主动公开\n1.加强领导。成立领导小组。\n二、其他需要报告的事项\n", encoding="utf-8")
    status, out, _ = run(capsys, "parse", "--isolated", str(report))
    assert status == 0
    assert out.split("\n\n")[0].splitlines() == [
        "[L   1:C1  ] Report",
        "[L   1:C1  ]     Section  一、 '总体情况'",
        "[L   2:C1  ]         SubSection  (一) '主动公开'",
        "[L   3:C1  ]             Item  1. '加强领导'",
        "[L   3:C8  ]                 Paragraph  '成立领导小组。'",
        "[L   4:C1  ]     Section  二、 '其他需要报告的事项'",
    ]


def test_a_rule_that_raises_gives_ps900_and_other_rules_still_run(capsys, monkeypatch):
    from nianbao.plugins.rule import Rule, Severity

    class Exploding(Rule):
        """爆炸。

        ## 检查什么
        无。
        """

        code = "XX901"
        name = "exploding"
        summary = "always raises"
        severity = Severity.ERROR

        def check(self, document):
            raise ZeroDivisionError("division by zero")

    class Plugin:
        from nianbao.plugins.hookspecs import hookimpl

        @staticmethod
        @hookimpl
        def nianbao_rules():
            return [Exploding]

    import nianbao.plugins.manager as plugins

    original = plugins.load_plugins
    monkeypatch.setattr(plugins, "load_plugins", lambda entry_points=True: original(False, extra=[("exploder", Plugin)]))
    status, out, err = run(capsys, "check", "--isolated", str(SEED_003))
    assert status == 2
    crash = [line for line in lines_of(out) if " PS900 " in line]
    assert len(crash) == 1 and "XX901" in crash[0] and "ZeroDivisionError" in crash[0] and "exploder" in crash[0]
    assert any(" ST001 " in line for line in lines_of(out))

    # With PS900 ignored nothing on stdout says why, so stderr does, even with -q.
    status, out, err = run(capsys, "check", "--isolated", "-q", "--ignore", "PS900", str(SEED_003))
    assert status == 2
    assert " PS900 " not in out
    assert err.strip() == "nianbao: 错误：规则 XX901（1 个文件）运行出错，退出状态为 2；加 --debug 可看到出错的位置，请把它报告给规则的维护者"


def test_the_installed_command_runs_as_a_process():
    process = subprocess.run(
        [sys.executable, "-m", "nianbao", "check", "--isolated", "--select", "ST001", str(SEED_003)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
    )
    assert process.returncode == 0
    assert process.stdout.startswith(f"{SEED_003}:1:1: ST001 ")


def test_verbose_names_plugins_configuration_and_profile(capsys):
    status, _, err = run(capsys, "check", "-v", "--isolated", "--no-plugins", str(SEED_003))
    assert "nianbao: 插件 nianbao.rules（" in err
    assert "nianbao: 配置文件 无（使用默认设置）" in err
    assert f"nianbao: {SEED_003}：配置档 national" in err


def test_parse_shows_the_profile_the_configuration_chose(tmp_path, capsys):
    (tmp_path / "nianbao.toml").write_text('profile = "auto"\n', encoding="utf-8")
    report = tmp_path / "report.txt"
    report.write_text("吉林省长春市绿园区商务局2020年政府信息公开工作年度报告\n一、总体情况\n", encoding="utf-8")
    status, out, _ = run(capsys, "parse", str(report))
    assert status == 0
    [line] = [line for line in out.splitlines() if line.startswith("  配置档: ")]
    # The Jilin plugin's profile, inferred from the place name in the title.
    assert line.startswith("  配置档: jilin（") and "吉林" in line


def test_a_parser_bug_is_reported_as_an_internal_error_with_exit_2(capsys, monkeypatch):
    import nianbao.engine.linter as engine

    def broken(source, inputs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(engine, "build_document", broken)
    # --no-cache: the code changed under the run's feet, which no cache key can see.
    status, out, err = run(capsys, "check", "--isolated", "--no-cache", str(SEED_003))
    assert status == 2
    [line] = lines_of(out)
    assert line.startswith(f"{SEED_003}:1:1: PS900 错误：nianbao 解析报告时出错（内部错误") and "RecursionError" in line
    assert "Traceback" not in err


def test_built_in_rules_that_fail_to_load_stop_the_run_with_exit_2(capsys, monkeypatch):
    import nianbao.plugins.manager as plugins

    original = plugins.load_plugins

    def load_with_a_broken_builtin(entry_points=True, extra=()):
        loaded = original(entry_points=False)
        loaded.problems.append(
            plugins.PluginProblem("nianbao.rules", "插件 nianbao.rules 的 nianbao_rules 出错：IndentationError")
        )
        return loaded

    monkeypatch.setattr(plugins, "load_plugins", load_with_a_broken_builtin)
    status, out, err = run(capsys, "check", "--isolated", str(SEED_003))
    assert status == 2 and out == ""
    assert "内部错误：插件 nianbao.rules 的 nianbao_rules 出错" in err


# --- documents: extract, and directories without a reader's extra ----------------------------

DOCUMENTS = Path(__file__).resolve().parent / "data" / "documents"


def test_extract_shows_each_line_of_a_pdf_with_its_page_and_line(capsys):
    status, out, _ = run(capsys, "extract", str(DOCUMENTS / "huaian-2024.pdf"))
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == f"# {DOCUMENTS / 'huaian-2024.pdf'}（PDF，6 页）"
    body = [line for line in lines if not line.startswith("#")]
    # Line 1 of the text is the two-line title on page 1 read as one line; each line names its place.
    number, rest = body[0].split(maxsplit=1)
    assert number == "1" and rest.startswith("第1页 第1行") and rest.endswith("│ 淮安市人民政府2024 年政府信息公开工作年度报告")
    row = next(line for line in body if "| 一、本年新收政府信息公开申请数量 |" in line)
    assert "第4页 表2 第4行" in row and "| 3001 |" in row


def test_extract_tables_lists_every_cell_of_a_word_table(capsys, tmp_path):
    from tests.documents.make_docx import write_docx

    path = write_docx((EXAMPLES / "2021-template.md").read_text(encoding="utf-8"), tmp_path / "年报.docx")
    status, out, _ = run(capsys, "extract", "--tables", str(path))
    assert status == 0
    assert any(line.startswith("   15  表1 第1行") and line.endswith("│ | 第二十条第（一）项 |") for line in out.splitlines())
    cells = out[out.index("\n表5\n") : out.index("\n表6\n")].splitlines()
    # The row labels span grid columns 1–2 (gridSpan 2), so 自然人's value is in column 3.
    assert cells[11:14] == ["  第3行第1列: 一、本年新收政府信息公开申请数量", "  第3行第3列: 4", "  第3行第4列: 1"]


def test_extract_refuses_an_unreadable_file_with_exit_status_2(capsys, tmp_path):
    bad = tmp_path / "报告.docx"
    bad.write_bytes(b"PK\x03\x04 truncated")
    status, _, err = run(capsys, "extract", str(bad))
    assert status == 2
    assert "已损坏" in err


def test_a_directory_walk_leaves_out_documents_whose_extra_is_missing_and_says_so(capsys, tmp_path, monkeypatch):
    import nianbao.read.formats as formats

    (tmp_path / "年报.md").write_text(SEED_003.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "年报.pdf").write_bytes((DOCUMENTS / "huaian-2024.pdf").read_bytes())
    monkeypatch.setattr(formats, "available_formats", lambda: frozenset({"docx", "html", "ofd"}))
    status, out, err = run(capsys, "check", "--isolated", "--select", "PS001", str(tmp_path))
    assert status == 0 and out == ""
    assert "跳过了 1 个PDF 文件：读取它们需要安装 pip install 'nianbao[pdf]'" in err
    assert "检查了 1 个文件" in err
    # Named on the command line, the same file is not skipped: it is refused, naming the extra.
    real_find_spec = formats.importlib.util.find_spec
    monkeypatch.setattr(formats.importlib.util, "find_spec", lambda name, *rest: None if name == "pdfplumber" else real_find_spec(name, *rest))
    status, out, _ = run(capsys, "check", "--isolated", "--select", "PS001", str(tmp_path / "年报.pdf"))
    assert status == 1
    assert "pip install 'nianbao[pdf]'" in out


def test_an_emptied_report_fails_the_run(capsys, tmp_path):
    """The gate: a report emptied by mistake (or a conversion that produced nothing) must not pass."""
    emptied = tmp_path / "2021年报.md"
    emptied.write_text("", encoding="utf-8")
    status, out, _ = run(capsys, "check", "--isolated", str(emptied))
    assert status == 1
    assert f"{emptied}:1:1: ST011 错误：文件是空的：这里应是政府信息公开工作年度报告的全文，请检查文件是否被清空 [not-an-annual-report]" in lines_of(out)
    # Before ST011 only a warning (ST001) and a note (DT006) were reported, and the run passed.


@pytest.mark.parametrize(
    ("arguments", "complaint"),
    [
        (["check", "--fail-on", "x"], "nianbao check: 错误：参数 --fail-on 的值 'x' 无效，可选：'error', 'warning', 'info'"),
        (["check", "--bogus"], "nianbao: 错误：无法识别的参数：--bogus"),
        (["parse"], "nianbao parse: 错误：缺少参数：path"),
        (["check", "--select"], "nianbao check: 错误：参数 --select 后面需要一个值"),
    ],
)
def test_argument_errors_are_in_chinese_with_status_2(capsys, arguments, complaint):
    with pytest.raises(SystemExit) as exit_:
        main(arguments)
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert err.startswith("用法：nianbao ")
    assert err.splitlines()[-1] == f"{complaint}（用 {complaint.split(':')[0]} -h 查看用法）"


def test_help_is_in_chinese(capsys):
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("用法：nianbao check [-h]")
    assert "\n参数:\n" in out and "\n选项:\n" in out and "显示本帮助并退出" in out
    assert "usage:" not in out and "show this help" not in out and "options:" not in out


def test_one_bad_byte_is_reported_where_it_is_and_the_rest_is_linted(capsys, tmp_path):
    """A GBK report with one byte that is no GBK (0x80 is never a lead byte), at the start of
    line 3: PS005 there, the other rules still run, and SR005 leaves that character to PS005."""
    lines = SEED_003.read_text(encoding="utf-8").split("\n")
    data = "\n".join(lines).encode("gbk").split(b"\n")
    data[2] = b"\x80" + data[2]
    report = tmp_path / "年报.txt"
    report.write_bytes(b"\n".join(data))
    status, out, _ = run(capsys, "check", "--isolated", str(report))
    found = lines_of(out)
    assert status == 1
    assert f"{report}:3:1: PS005 错误：这里有 1 个字节无法按 GB18030/GBK 解码（80），已按“�”读入：原来的文字已无法辨认，请检查文件是否被截断或混入了其他编码的内容 [undecodable-bytes]" in found
    assert not [line for line in found if " PS001 " in line or (" SR005 " in line and ":3:1:" in line)]
    assert [line for line in found if " ST001 " in line]  # the rest of the file was linted
