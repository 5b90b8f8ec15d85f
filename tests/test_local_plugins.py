"""The plugin distributions in plugins/ together, installed as users install them (entry points):
each changes the outcome on a report that exercises it, and nowhere else.

The distributions are found by looking in plugins/, never listed: CI installs every one of them
(``.ci/run``, the README's second Quick start command), and these tests load every one.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from nianbao.testing import lint_text, plugin_set

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "docs" / "examples").glob("*.txt"))
SEED_001 = ROOT / "docs" / "examples" / "001_9e37d6351cd66a1a.txt"
PUBLISHED_TOTAL_LINE = 80  # seed 001: "2020年本行政区域（或本部门）政府信息公开发布总数量……：1"
ENTRY_POINT_GROUPS = ("nianbao", "nianbao.profiles")


def plugin_folders() -> list[Path]:
    """Every distribution in plugins/: a folder with a pyproject.toml."""
    return sorted(folder for folder in (ROOT / "plugins").iterdir() if (folder / "pyproject.toml").is_file())


def entry_point_names(folder: Path) -> list[str]:
    """The plugin names a distribution registers (plugin modules and profile packages alike)."""
    project = tomllib.loads((folder / "pyproject.toml").read_text("utf-8"))["project"]
    groups = project.get("entry-points", {})
    return [name for group in ENTRY_POINT_GROUPS for name in groups.get(group, {})]


LOCAL_PLUGINS = tuple(name for folder in plugin_folders() for name in entry_point_names(folder))


def report(plugin: str, name: str) -> str:
    return (ROOT / "plugins" / plugin / "tests" / "reports" / name).read_text("utf-8")


@pytest.fixture(scope="module")
def local():
    # Raises when a distribution of plugins/ is not installed: CI installs them all.
    return plugin_set(LOCAL_PLUGINS)


@pytest.fixture(scope="module")
def local_prefixes(local) -> tuple[str, ...]:
    """The code prefixes of the rules the plugins in plugins/ bring (JL, HH …)."""
    codes = [info.rule.code for info in local.rules if info.plugin in LOCAL_PLUGINS]
    return tuple(sorted({re.match(r"[A-Z]+", code).group() for code in codes}))


@pytest.fixture(scope="module")
def builtin_only():
    return plugin_set(())


def outcome(result) -> set[tuple]:
    return {(item.code, item.location.line, item.location.column, item.message) for item in result.diagnostics}


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.name[:3])
def test_local_plugins_change_nothing_on_the_seeds_but_the_jilin_extra_line(seed, local, local_prefixes, builtin_only):
    text = seed.read_text("utf-8")
    national = lint_text(text, plugins=builtin_only, path=seed.name)
    auto = lint_text(text, profile="auto", plugins=local, path=seed.name)
    assert not [item for item in auto.diagnostics if item.code.startswith(local_prefixes)]
    removed = outcome(national) - outcome(auto)
    assert outcome(auto) - outcome(national) == set()
    if seed == SEED_001:
        assert auto.profile.profile.name == "jilin"
        assert {(code, line) for code, line, _, _ in removed} <= {("TB008", PUBLISHED_TOTAL_LINE)}
    else:
        assert removed == set()


def test_seed_001_under_jilin_checks_the_extra_line_instead_of_calling_it_unknown(local, builtin_only):
    text = SEED_001.read_text("utf-8")
    if local.rule("TB008") is None:
        pytest.skip("TB008 (unknown-row) is not in the rule set yet")
    national = lint_text(text, select=["TB008"], plugins=builtin_only)
    jilin = lint_text(text, profile="jilin", select=["TB008", "JL"], plugins=local)
    assert ("TB008", PUBLISHED_TOTAL_LINE) in {(item.code, item.location.line) for item in national.diagnostics}
    assert ("TB008", PUBLISHED_TOTAL_LINE) not in {(item.code, item.location.line) for item in jilin.diagnostics}


def test_seed_001_under_jilin_reads_the_extra_line_as_a_number(local):
    text = SEED_001.read_text("utf-8")
    clean = lint_text(text, profile="jilin", select=["JL"], plugins=local)
    assert clean.diagnostics == []
    broken = lint_text(text.replace("消息类）：1", "消息类）：若干"), profile="jilin", select=["JL"], plugins=local)
    assert [(item.code, item.location.line, item.location.column) for item in broken.diagnostics] == [
        ("JL001", PUBLISHED_TOTAL_LINE, 40)
    ]


EXERCISES = [
    # (plugin's profile, report text that breaks its requirement, the code that must appear)
    ("jilin", SEED_001.read_text("utf-8").replace("消息类）：1", "消息类）：若干"), "JL001"),
    ("huaihua", report("nianbao-huaihua", "chengnan-2021.txt").replace("2022年2月18日", ""), "HH001"),
    ("wuwei", report("nianbao-wuwei", "liangzhou-2025-long.txt"), "WW001"),
    ("wuwei", report("nianbao-wuwei", "liangzhou-2025.txt").replace("在政府公报刊登规范性文件2件；", ""), "WW002"),
    ("fujian", report("nianbao-fujian", "chengxiang-2016-no-cumulative.txt"), "FJ002"),
    (
        "shanghai",
        "上海市徐汇区商务委员会2020年政府信息公开工作年度报告\n根据《中华人民共和国政府信息公开条例》编制本报告。\n"
        "一、总体情况\n2020年，本委主动公开政府信息120条。\n",
        "SH001",
    ),
]


@pytest.mark.parametrize(("profile", "text", "code"), EXERCISES, ids=[code for _, _, code in EXERCISES])
def test_each_plugin_fires_under_its_profile_and_only_there(local, local_prefixes, profile, text, code):
    # Everything local runs; only the rule of the report's own place may speak.
    auto = lint_text(text, profile="auto", select=list(local_prefixes), plugins=local)
    assert auto.profile.profile.name == profile
    assert {item.code for item in auto.diagnostics} == {code}
    national = lint_text(text, profile="national", select=list(local_prefixes), plugins=local)
    assert national.diagnostics == []


@pytest.mark.parametrize(
    ("body", "published", "late_under_huaihua"),
    [
        # 乡镇（街道）: no national deadline; Huaihua's is 2月20日.
        ("怀化市鹤城区城南街道办事处", "2022年2月25日", True),
        ("怀化市鹤城区城南街道办事处", "2022年2月18日", False),
        # 市直单位: national 1月31日, Huaihua 1月28日.
        ("怀化市教育局", "2022年1月30日", True),
    ],
)
def test_huaihua_deadlines_drive_late_publication(local, body, published, late_under_huaihua):
    if local.rule("DT004") is None:
        pytest.skip("DT004 (late-publication) is not in the rule set yet")
    text = report("nianbao-huaihua", "chengnan-2021.txt").replace("怀化市鹤城区城南街道办事处", body)
    text = text.replace("2022年2月18日", published)
    national = lint_text(text, profile="national", select=["DT004"], plugins=local)
    huaihua = lint_text(text, profile="huaihua", select=["DT004"], plugins=local)
    assert national.diagnostics == []
    assert [item.code for item in huaihua.diagnostics] == (["DT004"] if late_under_huaihua else [])
    if late_under_huaihua:
        assert "huaihua" in huaihua.diagnostics[0].message


# --- every distribution is installed by the one command CI runs --------------------------------------


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, re.S)


def test_ci_runs_exactly_the_readmes_second_quick_start_command():
    lines = (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
    # Besides the command: shell settings, and the system libraries installed only when missing.
    commands = [line for line in lines if line and not line.startswith(("#", "set ", "cd ", "if ", "    apt-get ", "fi"))]
    assert commands == [quick_start_commands()[1]]


def test_the_command_installs_every_distribution_in_plugins_without_naming_any():
    command = quick_start_commands()[1]
    assert not [folder.name for folder in plugin_folders() if folder.name in command]
    # What the shell makes of the command's plugin arguments, run from the repository's root.
    arguments = re.search(r"\$\((printf .*?)\)", command).group(1)
    expanded = subprocess.run(["bash", "-c", arguments], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    installed = [Path(path).name for flag, path in zip(*[iter(expanded.split())] * 2) if flag == "-e"]
    assert installed == [folder.name for folder in plugin_folders()]
