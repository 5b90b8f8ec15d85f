"""The sichuan profile is data only. It reaches nianbao three ways with the same effect: as a
package named by module (the test kit, nothing installed), as a configuration's profile file
(nothing installed either), and through the ``nianbao.profiles`` entry point once installed."""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import replace
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from nianbao.cli import main
from nianbao.testing import lint_text, plugin_set

HERE = Path(__file__).parent
SOURCE = HERE.parent / "src"
PROFILE_FILE = SOURCE / "nianbao_sichuan" / "sichuan.toml"
REPORT = (HERE / "reports" / "wuhou-2021.txt").read_text("utf-8")
WITHOUT_PERIOD = REPORT.replace("，所列数据的统计期限为2021年1月1日至12月31日", "")
# DT006 anchors on the heading 一、总体情况, line 3.
UNDER_SICHUAN = [("DT006", 3, "warning")]
UNDER_NATIONAL = [("DT006", 3, "info")]


def findings(result) -> list[tuple[str, int, str]]:
    return [(item.code, item.location.line, item.severity.value) for item in result.diagnostics]


@pytest.fixture(scope="module")
def by_module_name():
    sys.path.insert(0, str(SOURCE))  # importable from the source folder: no installation
    try:
        yield plugin_set(profile_packages=("nianbao_sichuan",))
    finally:
        sys.path.remove(str(SOURCE))


def test_the_package_by_module_name_gives_the_profile_and_auto_finds_it(by_module_name):
    result = lint_text(WITHOUT_PERIOD, profile="auto", select=["DT006"], plugins=by_module_name)
    assert result.profile.profile.name == "sichuan"
    assert "发布机关“成都市武侯区商务局”中的地名“成都”" in result.profile.reason
    assert findings(result) == UNDER_SICHUAN
    national = lint_text(WITHOUT_PERIOD, profile="national", select=["DT006"], plugins=by_module_name)
    assert findings(national) == UNDER_NATIONAL
    stated = lint_text(REPORT, profile="sichuan", select=["DT006"], plugins=by_module_name)
    assert findings(stated) == []


def test_places_that_only_look_sichuanese_are_left_to_the_national_rules(by_module_name):
    # 资阳区 is in 益阳 (湖南): only 资阳市 names the Sichuan city.
    text = WITHOUT_PERIOD.replace("成都市武侯区商务局", "益阳市资阳区商务局")
    result = lint_text(text, profile="auto", select=["DT006"], plugins=by_module_name)
    assert result.profile.profile.name == "national"


def test_the_file_named_in_configuration_gives_the_same_profile(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "profiles").mkdir()
    shutil.copy(PROFILE_FILE, tmp_path / "profiles" / "sichuan.toml")
    (tmp_path / "nianbao.toml").write_text('profile = "auto"\nprofile-files = ["profiles/sichuan.toml"]\n', "utf-8")
    (tmp_path / "report.txt").write_text(WITHOUT_PERIOD, "utf-8")
    status = main(["check", "--no-plugins", "--select", "DT006", "--format", "json", "report.txt"])
    diagnostics = json.loads(capsys.readouterr().out)
    assert status == 0  # a warning does not fail the run (fail-on = "error")
    assert [(item["code"], item["line"], item["severity"]) for item in diagnostics] == UNDER_SICHUAN


def installed() -> bool:
    return any(entry.name == "nianbao-sichuan" for entry in entry_points(group="nianbao.profiles"))


@pytest.mark.skipif(not installed(), reason="nianbao-sichuan is not installed (pip install -e plugins/nianbao-sichuan)")
def test_the_installed_entry_point_gives_the_same_profile(tmp_path, monkeypatch, capsys, by_module_name):
    assert replace(plugin_set(("nianbao-sichuan",)).profiles["sichuan"], origin="") == replace(
        by_module_name.profiles["sichuan"], origin=""
    )
    # The command as a user runs it: the entry point is found, required and used.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "report.txt").write_text(WITHOUT_PERIOD, "utf-8")
    arguments = ["check", "--isolated", "--profile", "auto", "--require-plugins", "nianbao-sichuan"]
    status = main([*arguments, "--select", "DT006", "--format", "json", "report.txt"])
    diagnostics = json.loads(capsys.readouterr().out)
    assert status == 0
    assert [(item["code"], item["line"], item["severity"]) for item in diagnostics] == UNDER_SICHUAN
