"""Write docs/rules/: one page per built-in rule, from the rule's own documentation, and an index.

    python3 scripts/generate_rule_docs.py           # regenerate the pages
    python3 scripts/generate_rule_docs.py --check   # exit 1 if a page is missing, stale or left over

Each page is what ``nianbao rule CODE`` prints (``nianbao.cli.rule_page``), so the rule class is
the only place its documentation is written. Third-party plugins are not loaded: their rules
are documented by their own packages.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nianbao.cli import rule_page
from nianbao.plugins.manager import load_plugins

DOCS_DIRECTORY = Path(__file__).resolve().parent.parent / "docs" / "rules"
INDEX_NAME = "README.md"
FAMILIES = {
    "PS": "读取与解析",
    "ST": "结构",
    "TB": "表格形状",
    "AR": "表格数字核对",
    "DT": "日期与年份",
    "NR": "正文叙述",
    "SR": "来源完整性",
    "XR": "跨年度核对",
}


def expected_pages() -> dict[str, str]:
    """File name → content of every page the rule docs directory should hold."""
    rules = load_plugins(entry_points=False).rules
    pages = {f"{info.rule.code}.md": rule_page(info) for info in rules}
    pages[INDEX_NAME] = index_page(rules)
    return pages


def index_page(rules) -> str:
    lines = [
        "# 规则一览",
        "",
        "本目录由 `scripts/generate_rule_docs.py` 根据各规则自身的说明生成，请勿手工编辑；",
        "修改规则类的文档字符串后重新运行该脚本。`nianbao rule 代码` 在命令行显示同样的内容。",
    ]
    family = None
    order = list(FAMILIES)

    def position(info) -> tuple:
        prefix = info.rule.code.rstrip("0123456789")
        return (order.index(prefix) if prefix in order else len(order), info.rule.code)

    for info in sorted(rules, key=position):
        rule = info.rule
        prefix = rule.code.rstrip("0123456789")
        if prefix != family:
            family = prefix
            lines += ["", f"## {prefix} {FAMILIES.get(prefix, '')}".rstrip(), "", "| 代码 | 名称 | 级别 | 适用格式 | 检查什么 |", "|---|---|---|---|---|"]
        eras = "、".join(sorted(rule.eras))
        summary = rule.summary.replace("|", "\\|")
        lines.append(f"| [{rule.code}]({rule.code}.md) | {rule.name} | {rule.severity.value} | {eras} | {summary} |")
    return "\n".join(lines) + "\n"


def problems(directory: Path, pages: dict[str, str]) -> list[str]:
    """What differs between ``directory`` and the pages it should hold, one Chinese line each."""
    found = []
    for name, content in sorted(pages.items()):
        path = directory / name
        if not path.is_file():
            found.append(f"缺少 {name}")
        elif path.read_text(encoding="utf-8") != content:
            found.append(f"{name} 已过时")
    if directory.is_dir():
        for path in sorted(directory.glob("*.md")):
            if path.name not in pages:
                found.append(f"{path.name} 对应的规则已不存在")
    return found


def write(directory: Path, pages: dict[str, str]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for path in directory.glob("*.md"):
        if path.name not in pages:
            path.unlink()
    for name, content in pages.items():
        path = directory / name
        if not path.is_file() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成 docs/rules/ 下的规则说明页")
    parser.add_argument("--check", action="store_true", help="只检查，不写入；有缺少或过时的页面时以状态 1 退出")
    parser.add_argument("--output-dir", type=Path, default=DOCS_DIRECTORY, help="规则说明页所在目录")
    args = parser.parse_args(argv)
    pages = expected_pages()
    if args.check:
        found = problems(args.output_dir, pages)
        for line in found:
            print(line, file=sys.stderr)
        if found:
            print("请运行 python3 scripts/generate_rule_docs.py 重新生成规则说明页", file=sys.stderr)
        return 1 if found else 0
    write(args.output_dir, pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
