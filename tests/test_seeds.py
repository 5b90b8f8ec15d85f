"""The five real reports in docs/examples/ and what the rule catalog says they must (not) produce.

Expectations come from the rule catalog's table "What the seeds should produce" (kept below as
MUST / MUST_NOT) and were checked against the reports by reading them; positions are checked
through the original text, so they stay right whatever normalisation did.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.config.files import ConfigResolver
from nianbao.engine.linter import Linter
from nianbao.plugins.manager import load_plugins
from nianbao.read.source import read_path

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
SEEDS = {path.name[:3]: path for path in sorted(EXAMPLES.glob("*.txt"))}


@pytest.fixture(scope="module")
def results():
    linter = Linter(load_plugins(entry_points=False), ConfigResolver(isolated=True))
    return {seed: linter.lint_path(str(path)) for seed, path in SEEDS.items()}


def codes(result) -> list[str]:
    return [item.code for item in result.diagnostics]


def original_text_at(seed: str, diagnostic) -> str:
    """The text of the original file between a diagnostic's start and end."""
    lines = read_path(SEEDS[seed]).text.split("\n")
    location = diagnostic.location
    if location.line == location.end_line:
        return lines[location.line - 1][location.column - 1 : location.end_column - 1]
    parts = [lines[location.line - 1][location.column - 1 :]]
    parts += lines[location.line : location.end_line - 1]
    parts.append(lines[location.end_line - 1][: location.end_column - 1])
    return "\n".join(parts)


def test_all_five_seeds_are_present():
    assert sorted(SEEDS) == ["000", "001", "002", "003", "004"]


def test_no_seed_is_unreadable_or_crashes_a_rule(results):
    for seed, result in results.items():
        assert "PS001" not in codes(result), seed
        assert "PS900" not in codes(result), (seed, [d.message for d in result.diagnostics if d.code == "PS900"])
        assert result.crashed_rules == [], seed


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_tables_balance_so_no_application_balance_finding(results, seed):
    assert "AR001" not in codes(results[seed])


def test_seed_003_has_no_title(results):
    [finding] = [item for item in results["003"].diagnostics if item.code == "ST001"]
    assert (finding.location.line, finding.location.column) == (1, 1)
    assert original_text_at("003", finding) == "一、总体情况"


@pytest.mark.parametrize("seed", ["000", "001", "002", "004"])
def test_seeds_with_a_title_do_not_report_a_missing_one(results, seed):
    assert "ST001" not in codes(results[seed])


def test_seed_000_reports_each_tampered_place(results):
    spam = [item for item in results["000"].diagnostics if item.code == "SR001"]
    assert len(spam) == 9
    assert len({item.location.line for item in spam}) == 5
    for item in spam:
        assert original_text_at("000", item) == "beat365体育亚洲入口_365bet最新备用_bte365"


def test_seed_004_is_traditional_with_web_residue_and_garbling(results):
    found = codes(results["004"])
    for code in ("SR004", "SR003", "SR005", "ST003"):
        assert code in found, code
    residue = [item for item in results["004"].diagnostics if item.code == "SR003"]
    assert any("相關詞條" in original_text_at("004", item) for item in residue)
    [missing] = [item for item in results["004"].diagnostics if item.code == "ST003"]
    assert "收费及减免" in missing.message


def test_seed_002_is_a_2019_report_in_the_old_structure(results):
    by_code = {item.code: item for item in results["002"].diagnostics}
    assert by_code["ST005"].severity.value == "warning"
    assert "ST002" in by_code
    for item in results["002"].diagnostics:
        if item.code in ("ST003", "ST006"):
            assert item.severity.value != "error", item


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_every_position_points_into_the_original_file(results, seed):
    lines = read_path(SEEDS[seed]).text.split("\n")
    for item in results[seed].diagnostics:
        location = item.location
        assert location.line >= 1 and location.line <= location.end_line <= len(lines), item
        assert location.column >= 1 and location.column <= len(lines[location.line - 1]) + 1, item
        assert location.end_column >= 1 and location.end_column <= len(lines[location.end_line - 1]) + 1, item
        if location.line == location.end_line:
            assert location.column <= location.end_column, item


# The catalog's table "What the seeds should produce", as data: what each seed must and must not report.
MUST = {
    "000": {"SR001", "NR004", "TB006"},
    "001": {"TB001", "TB008"},
    "002": {"ST005", "ST002", "NR004"},
    "003": {"ST001", "TB006"},
    "004": {"SR004", "SR003", "SR005", "ST003"},
}
MUST_NOT = {
    "000": {f"AR00{n}" for n in range(1, 8)},
    "001": {f"AR00{n}" for n in range(1, 9)} | {"DT004"},
    "002": set(),
    "003": {"AR001", "AR002", "AR003", "AR004", "NR001", "NR002"},
    "004": {"AR005", "AR006", "NR002", "NR003"},
}


@pytest.mark.parametrize("seed", sorted(MUST))
def test_catalog_expectations_for_each_seed(results, seed):
    found = set(codes(results[seed]))
    assert MUST[seed] <= found, MUST[seed] - found
    assert not (MUST_NOT[seed] & found), MUST_NOT[seed] & found


def test_seed_000_approximate_counts_and_unsigned_delta(results):
    by_code = {}
    for item in results["000"].diagnostics:
        by_code.setdefault(item.code, []).append(item)
    assert sorted(original_text_at("000", item) for item in by_code["NR004"]) == ["20余条", "5余条"]
    [delta] = by_code["TB006"]
    assert original_text_at("000", delta) == "17"
    assert not any(item.code == "NR001" for item in results["000"].diagnostics)


def test_seed_001_short_row_and_extra_line(results):
    by_code = {item.code: item for item in results["001"].diagnostics}
    assert original_text_at("001", by_code["TB001"]) == "行政处罚"
    assert by_code["TB008"].location.line == 80


def test_seed_003_unsigned_delta_is_the_1228(results):
    [delta] = [item for item in results["003"].diagnostics if item.code == "TB006"]
    assert original_text_at("003", delta) == "1228"
