"""The arithmetic rules AR001–AR008, the relations in the templates and nianbao.rules.arithmetic.relations.

Most expectations live in case files under ``cases/ar/`` (the format of ``nianbao.testing``),
linted by the real engine; each selects several AR codes so that a single wrong cell must give a
single diagnostic. Lines, columns and sums there were worked out by hand from the case text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.rules.arithmetic.relations import analyse, relation_findings
from nianbao.config.files import ConfigResolver
from nianbao.engine.linter import Linter
from nianbao.plugins.manager import load_plugins
from nianbao.rules.arithmetic.ar001_application_balance import ApplicationBalance
from nianbao.rules.arithmetic.ar002_applicant_total import ApplicantTotal
from nianbao.rules.arithmetic.ar008_delta_as_decisions import DeltaAsDecisions
from nianbao.read.source import decode_bytes
from nianbao.tables.templates import default_templates, load_templates
from nianbao.testing import compare, lint_text, load_cases

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "docs" / "examples"
SEEDS = {path.name[:3]: path for path in sorted(EXAMPLES.glob("*.txt"))}
PLUGINS = load_plugins(entry_points=False)
ISOLATED = Linter(PLUGINS, ConfigResolver(isolated=True))


def lint_case(case):
    if case.rules or case.profile != "national":
        return lint_text(case.text, profile=case.profile, rules=case.rules, plugins=PLUGINS, path="case.md")
    return ISOLATED.lint_bytes(case.text.encode("utf-8"), "case.md")


AR_CASES = [case for path in sorted((HERE / "cases" / "ar").glob("*.toml")) for case in load_cases(path)]


@pytest.mark.parametrize("case", AR_CASES, ids=lambda case: f"{case.source.stem}:{case.name}")
def test_case_file(case) -> None:
    result = lint_case(case)
    assert result.crashed_rules == [], [d.message for d in result.diagnostics if d.code == "PS900"]
    chosen = [item for item in result.diagnostics if item.code.startswith(tuple(case.select or ("AR",)))]
    missing, unexpected = compare(case.expect, chosen)
    shown = "\n".join(f"  {d.location.line}:{d.location.column} {d.code} {d.message}" for d in chosen)
    assert not missing and not unexpected, f"{case.name}: missing {missing}, unexpected:\n{shown}"


def test_every_ar_rule_has_passing_and_failing_cases() -> None:
    for code in [f"AR00{number}" for number in range(1, 9)]:
        cases = [case for case in AR_CASES if case.select and code in case.select]
        assert any(not case.expect for case in cases), f"{code}: no passing case"
        assert any(expected.code == code for case in cases for expected in case.expect), f"{code}: no failing case"


# --- the seeds (rules.md, "What the seeds should produce") -------------------------------------------


@pytest.fixture(scope="module")
def seed_results():
    return {seed: ISOLATED.lint_path(str(path)) for seed, path in SEEDS.items()}


def test_seeds_add_up_so_only_the_misread_columns_of_003_are_reported(seed_results) -> None:
    found = {seed: [(d.code, d.location.line, d.location.column) for d in result.diagnostics if d.code.startswith("AR")]
             for seed, result in seed_results.items()}
    assert found == {"000": [], "001": [], "002": [], "003": [("AR008", 18, 23)], "004": []}


def test_every_seed_table_relation_is_checked(seed_results) -> None:
    """The seeds' tables are complete: the relations are evaluated, not skipped, and all hold."""
    for seed, expected in {"000": 46, "001": 45, "003": 46, "004": 23}.items():
        analysis = analyse(seed_results[seed].document)
        # 2019: 7 balance + 23 row totals + 7 outcome totals + 3 review groups + AR007/AR008 rows.
        assert len(analysis.checks) == expected, seed
        assert analysis.failures == [], seed


# --- who reports a shared culprit ----------------------------------------------------------------------


def _document(text: str):
    return ISOLATED.parse(decode_bytes(text.encode("utf-8"), "case.md"))


def _seed_text(seed: str, old: str, new: str) -> str:
    text = SEEDS[seed].read_text("utf-8")
    assert old in text
    return text.replace(old, new)


WRONG_TOTAL = _seed_text("003", "(七)总计 | 29", "(七)总计 | 30")


def test_a_shared_culprit_is_reported_by_the_first_rule_and_names_the_other_failures() -> None:
    document = _document(WRONG_TOTAL)
    findings = {code: relation_findings(document, code) for code in ("AR001", "AR002", "AR003")}
    (finding,) = findings["AR001"]
    assert findings["AR002"] == [] and findings["AR003"] == []
    assert finding.place == "section:三/table:2019.application/row:total/col:natural_person/culprit"
    assert document.text_at(finding.span) == "30"
    # The other failing relations are related locations at their own anchors: the row's 总计 and
    # (the 自然人 column's （七）总计 being the culprit itself) nothing else.
    assert [(document.locate(item.span).line, document.text_at(item.span)) for item in finding.related] == [(55, "31")]
    assert finding.related[0].message.startswith("“（七）总计”行：总计 31 ≠ 自然人 30")
    # Asking again (the same rule on the same document) gives the same answer.
    assert relation_findings(document, "AR001") == [finding]


def test_when_the_first_rule_is_off_the_next_one_reports_the_culprit() -> None:
    result = lint_text(WRONG_TOTAL, select=["AR002", "AR003"], plugins=PLUGINS, path="case.md")
    assert [(d.code, d.location.line, d.location.column) for d in result.diagnostics] == [("AR002", 55, 9)]


def test_rules_report_through_the_shared_analysis() -> None:
    document = _document(WRONG_TOTAL)
    assert [f.place for f in ApplicationBalance().check(document)] == [
        "section:三/table:2019.application/row:total/col:natural_person/culprit"
    ]
    assert list(ApplicantTotal().check(document)) == []


def test_misreading_evidence_needs_min_rows_and_every_row_to_fit() -> None:
    document = _document(SEEDS["003"].read_text("utf-8"))
    assert len(list(DeltaAsDecisions({"min_rows": 3}).check(document))) == 1
    assert list(DeltaAsDecisions({"min_rows": 4}).check(document)) == []
    with pytest.raises(ValueError, match="正整数"):
        DeltaAsDecisions({"min_rows": 0})


# --- the relations are template data ---------------------------------------------------------------------


def _row_keys(relation) -> list[str]:
    return [term.key for term in relation.right]


@pytest.mark.parametrize("era", ["2019", "2021"])
def test_outcome_total_covers_every_result_row(era: str) -> None:
    template = default_templates().template(f"{era}.application")
    outcome = next(relation for relation in template.relations if relation.id == "outcome-total")
    results = [row.key for row in template.group_rows("results") if row.key != "total"]
    assert _row_keys(outcome) == results
    assert len(results) == (19 if era == "2019" else 21)


def test_appendix_channel_rows_are_optional_terms() -> None:
    template = default_templates().template("2008.appendix")
    channels = next(relation for relation in template.relations if relation.id == "application-channels")
    assert [term.key for term in channels.left] == ["applications"] and channels.left[0].required
    assert {term.key for term in channels.right} == {row.key for row in template.children("applications")}
    assert not any(term.required for term in channels.right)


def _template(**relation) -> dict:
    return {
        "id": "test.table",
        "title": "测试表",
        "eras": ["2021"],
        "columns": [{"key": "a", "label": "甲"}, {"key": "b", "label": "乙"}, {"key": "total", "label": "合计"}],
        "rows": [{"key": "x", "label": "第一行"}, {"key": "y", "label": "第二行"}],
        "relations": [relation],
    }


GOOD = {"id": "sum", "rule": "AR002", "per": "row", "left": ["total"], "right": ["a", "b"]}


def test_a_plugin_template_can_declare_relations() -> None:
    template = load_templates([_template(**GOOD)]).template("test.table")
    (relation,) = template.relations
    assert (relation.per, relation.op, relation.anchor, relation.meaning) == ("row", "=", "total", "fault")


@pytest.mark.parametrize(
    "change, complaint",
    [
        ({"per": "cell"}, "per"),
        ({"op": "!="}, "op"),
        ({"rule": "ar002"}, "rule"),
        ({"right": ["a", "c"]}, "不是本表的列键"),
        ({"right": []}, "不能为空"),
        ({"anchor": "a2"}, "anchor"),
        ({"within": ["z"]}, "within"),
        ({"meaning": "maybe"}, "meaning"),
        ({"weight": 2}, "未知的键"),
        ({"per": "column", "left": ["x"], "right": ["z.*"]}, "没有对应的行"),
    ],
)
def test_invalid_relations_are_refused_in_chinese(change: dict, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        load_templates([_template(**{**GOOD, **change})])


def test_duplicate_relation_ids_are_refused() -> None:
    data = _template(**GOOD)
    data["relations"] = [GOOD, GOOD]
    with pytest.raises(ValueError, match="关系 id 重复"):
        load_templates([data])
