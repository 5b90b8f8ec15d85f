"""docs/rules/: one generated page per built-in rule, never missing or stale."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from nianbao.cli import rule_page
from nianbao.plugins.manager import load_plugins

ROOT = Path(__file__).resolve().parent.parent
RULE_DOCS = ROOT / "docs" / "rules"
GENERATOR_PATH = ROOT / "scripts" / "generate_rule_docs.py"
REGENERATE = "run: python3 scripts/generate_rule_docs.py"


def load_generator():
    spec = importlib.util.spec_from_file_location("generate_rule_docs", GENERATOR_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_builtin_rule_has_an_up_to_date_page():
    generator = load_generator()
    problems = generator.problems(RULE_DOCS, generator.expected_pages())
    assert problems == [], REGENERATE


def test_a_page_is_the_rules_own_documentation():
    for info in load_plugins(entry_points=False).rules:
        page = (RULE_DOCS / f"{info.rule.code}.md").read_text(encoding="utf-8")
        assert page == rule_page(info), REGENERATE
        assert page.startswith(f"# {info.rule.code} {info.rule.name}\n")
        assert info.rule.doc() in page


def test_the_index_links_every_page():
    index = (RULE_DOCS / "README.md").read_text(encoding="utf-8")
    for info in load_plugins(entry_points=False).rules:
        assert f"[{info.rule.code}]({info.rule.code}.md)" in index


def test_check_mode_finds_missing_stale_and_leftover_pages(tmp_path, capsys):
    generator = load_generator()
    assert generator.main(["--output-dir", str(tmp_path)]) == 0
    assert generator.main(["--check", "--output-dir", str(tmp_path)]) == 0
    pages = sorted(tmp_path.glob("*.md"))
    pages[0].unlink()
    pages[1].write_text("旧内容\n", encoding="utf-8")
    (tmp_path / "XX999.md").write_text("# XX999\n", encoding="utf-8")
    assert generator.main(["--check", "--output-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"缺少 {pages[0].name}" in err
    assert f"{pages[1].name} 已过时" in err
    assert "XX999.md 对应的规则已不存在" in err
    assert generator.main(["--output-dir", str(tmp_path)]) == 0
    assert not (tmp_path / "XX999.md").exists()
    assert generator.main(["--check", "--output-dir", str(tmp_path)]) == 0
