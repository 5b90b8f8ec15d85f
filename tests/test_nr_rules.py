"""Narrative rules NR001–NR006 through the real engine, and the narrative facility behind them."""

from __future__ import annotations

import re
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nianbao.api import document_sentences, sentences_in
from nianbao.config.files import ConfigResolver
from nianbao.engine.linter import Linter
from nianbao.rules.narrative.breakdowns import breakdowns, document_breakdowns
from nianbao.rules.narrative.cell_statements import find_statements
from nianbao.rules.narrative.lexicon import narrative_lexicon
from nianbao.rules.narrative.percentages import percent_claims
from nianbao.text.normalize import normalize
from nianbao.plugins.manager import load_plugins
from nianbao.plugins.rule import Severity
from nianbao.rules.narrative.nr001_narrative_table_mismatch import NarrativeTableMismatch
from nianbao.rules.narrative.nr002_parts_sum_mismatch import PartsSumMismatch
from nianbao.rules.narrative.nr003_percentage_mismatch import PercentageMismatch
from nianbao.rules.narrative.nr004_approximate_count import ApproximateCount
from nianbao.rules.narrative.nr005_template_placeholder import TemplatePlaceholder
from nianbao.rules.narrative.nr006_self_reference_mismatch import SelfReferenceMismatch
from nianbao.tables.templates import default_templates
from nianbao.testing import Case, compare, lint_text, load_cases

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases" / "nr"
EXAMPLES = HERE.parent / "docs" / "examples"

PLUGINS = load_plugins(entry_points=False)
LINTER = Linter(PLUGINS, ConfigResolver(isolated=True))


def all_cases():
    return [case for case_file in sorted(CASES.glob("*.toml")) for case in load_cases(case_file)]


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return "[" + ", ".join(toml_value(item) for item in value) + "]"


def linter_for(case: Case, tmp_path: Path) -> Linter:
    """The default linter, or one reading the case's rule options from a configuration file."""
    if not case.rules:
        return LINTER
    lines = []
    for code, settings_ in case.rules.items():
        lines.append(f"[rules.{code}]")
        lines.extend(f"{name} = {toml_value(value)}" for name, value in settings_.items())
    config = tmp_path / "nianbao.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Linter(PLUGINS, ConfigResolver(explicit=config, cwd=tmp_path))


@pytest.mark.parametrize("case", all_cases(), ids=lambda case: f"{case.source.stem}:{case.name}")
def test_case(case: Case, tmp_path: Path):
    result = linter_for(case, tmp_path).lint_bytes(case.text.encode("utf-8"), "case.md")
    assert not [d for d in result.diagnostics if d.code == "PS900"], "a rule crashed"
    selected = [d for d in result.diagnostics if d.code.startswith(tuple(case.select or ("NR",)))]
    missing, unexpected = compare(case.expect, selected)
    assert not missing and not unexpected, (
        f"missing: {[expected.describe() for expected in missing]}\n"
        f"unexpected: {[(d.line, d.column, d.location.end_column, d.code, d.message) for d in unexpected]}"
    )


def test_every_nr_rule_has_a_case_file():
    stems = {path.stem.split("_")[0] for path in CASES.glob("nr*.toml")}
    assert stems == {f"nr00{number}" for number in range(1, 7)}


# --- false-positive guard -------------------------------------------------------------------------


def clean_corpus() -> tuple[Case, list[str]]:
    case = next(case for case in load_cases(CASES / "clean_sentences.toml") if case.expect == ())
    raw = tomllib.loads((CASES / "clean_sentences.toml").read_text("utf-8"))
    inserted = raw["case"][0]["replace"][0][1]
    return case, [line for line in inserted.splitlines() if line.strip()]


def test_false_positive_guard_has_at_least_forty_clean_sentences():
    _, sentences = clean_corpus()
    assert len(sentences) >= 40


def test_false_positive_guard_is_checked_against_real_tables():
    """The guard is not vacuous: the report's tables are recognised and its agreeing statements are
    linked to their cells (so NR001 did compare them)."""
    case, sentences = clean_corpus()
    document = lint_text(case.text, select=["NR"], plugins=PLUGINS).document
    assert {table.template for table in document.tables} >= {"2021.application", "review-litigation", "2021.active.20-6"}
    corpus = {normalize(sentence).text for sentence in sentences}
    linked = {
        statement.pattern.id
        for statement in find_statements(document_sentences(document), document.facts.year)
        if statement.sentence.text in corpus
    }
    assert {"applications.new", "applications.carried_over", "applications.handled", "review", "litigation"} <= linked
    assert {"penalty.decisions", "coercion.decisions", "normative_documents.issued"} <= linked


# --- the seeds ------------------------------------------------------------------------------------

SEEDS = sorted(EXAMPLES.glob("*.txt"))
# Read by hand: the approximate figures of the seeds are "N余条/N余篇" (seed 004 writes 餘); seed
# 004's "日均阅读量3000多人次" is an average. Nothing else in them is an NR fault (rules.md, last table).
APPROXIMATE = re.compile(r"\d+[余餘][条篇]")


@pytest.mark.parametrize("path", SEEDS, ids=lambda path: path.name[:3])
def test_seed_reports_only_their_approximate_counts(path: Path):
    text = path.read_text("utf-8")
    expected = set()
    for number, line in enumerate(text.split("\n"), 1):
        for match in APPROXIMATE.finditer(line):
            expected.add(("NR004", number, match.start() + 1, match.end() + 1))
    found = {
        (d.code, d.line, d.column, d.location.end_column)
        for d in LINTER.lint_path(str(path)).diagnostics
        if d.code.startswith("NR")
    }
    assert found == expected


def test_seed_counts_of_approximate_figures():
    counts = {path.name[:3]: len(APPROXIMATE.findall(path.read_text("utf-8"))) for path in SEEDS}
    # 000: 20余条, 5余条; 002: 457余条, 100余条, 535余条, 100余条; 004: 50餘篇 twice.
    assert counts == {"000": 2, "001": 0, "002": 4, "003": 0, "004": 2}


def test_changed_figure_in_seed_003_is_reported_at_that_figure_naming_the_cell():
    """Done-when of the issue: one figure of seed 003's text changed, the NR001 diagnostic stands
    at that figure, names the table cell it disagrees with and both values, and points at the cell."""
    text = (EXAMPLES / "003_92d244c9ede656a3.txt").read_text("utf-8")
    statement = "我局收到申请公开政府信息的要求31件"
    assert text.count(statement) == 1
    changed = text.replace(statement, statement.replace("31件", "32件"))
    result = LINTER.lint_bytes(changed.encode("utf-8"), "003.txt")
    found = [d for d in result.diagnostics if d.code.startswith("NR")]
    assert len(found) == 1
    diagnostic = found[0]
    lines = changed.split("\n")
    location = diagnostic.location
    assert lines[location.line - 1][location.column - 1 : location.end_column - 1] == "32件"
    assert "“一、本年新收政府信息公开申请数量”行“总计”栏为 31" in diagnostic.message
    assert "“32件”" in diagnostic.message
    (related,) = diagnostic.related
    assert related.message.startswith("表格中的数值")
    cell_line = lines[related.location.line - 1]
    assert cell_line.startswith("一、本年新收政府信息公开申请数量")
    assert cell_line[related.location.column - 1 : related.location.end_column - 1] == "31"
    # The same figure unchanged is not reported.
    assert not [d for d in LINTER.lint_bytes(text.encode("utf-8"), "003.txt").diagnostics if d.code.startswith("NR")]


# --- the narrative facility on the seeds -----------------------------------------------------------


def seed_document(name: str):
    return LINTER.lint_path(str(EXAMPLES / name)).document


def breakdown_values(document) -> list[tuple[int, list[int]]]:
    return [
        (int(item.whole.value), [int(part.figure.value) for part in item.parts])
        for sentence in document_sentences(document)
        for item in breakdowns(sentence)
    ]


def test_breakdowns_of_seed_004():
    # Read by hand (line 7, 10, 23 of the seed): 1025 = 213 + 223 + 589 with 213 = 6 + 114 + 93 in
    # brackets; 35 = 5 + 30 ("(各处室1名)" is no list); 125 = 53 + 72 (parts separated by ";").
    assert breakdown_values(seed_document("004_843d7a1260357fac.txt")) == [
        (1025, [213, 223, 589]),
        (213, [6, 114, 93]),
        (35, [5, 30]),
        (125, [53, 72]),
    ]


def test_breakdowns_are_read_once_per_document_and_agree_with_each_sentence():
    """NR002 and NR003 share one reading of the breakdowns; it is the per-sentence reading."""
    document = seed_document("004_843d7a1260357fac.txt")
    shared = document_breakdowns(document)
    assert document_breakdowns(document) is shared
    assert [sentence for sentence, _ in shared] == document_sentences(document)
    assert [
        (int(item.whole.value), [int(part.figure.value) for part in item.parts]) for _, found in shared for item in found
    ] == breakdown_values(document)


def test_breakdown_of_seed_003_ends_at_the_semicolon():
    # 272条,分布情况为:103, 1, 2, 1, 2, 12, 2, 120, 4, 1, 24; then ";" and the channels of 2425.
    (whole, parts), = breakdown_values(seed_document("003_92d244c9ede656a3.txt"))
    assert whole == 272 and parts == [103, 1, 2, 1, 2, 12, 2, 120, 4, 1, 24] and sum(parts) == 272


def test_percent_claims_of_seed_004_use_the_total_before_qizhong():
    document = seed_document("004_843d7a1260357fac.txt")
    claims = [claim for sentence in document_sentences(document) for claim in percent_claims(sentence)]
    assert [(claim.percent.text, int(claim.numerator.value), int(claim.denominator)) for claim in claims] == [
        ("42%", 53, 125),
        ("58%", 72, 125),
    ]


def test_statements_of_seed_000():
    # "发生行政复议案件1件,无行政诉讼案件" and "制发规范性文件0个"; "行政处罚10项" is an item list.
    document = seed_document("000_b67df828cb4a1735.txt")
    found = [
        (statement.pattern.id, int(statement.value))
        for statement in find_statements(document_sentences(document), document.facts.year)
    ]
    assert found == [("review", 1), ("litigation", 0), ("normative_documents.issued", 0)]


def names_rows(template, row: str) -> bool:
    """A target's row key is a row of the template, or ``group.*`` with rows in that group (or,
    as the 2019 （六）其他处理, a single row of that key)."""
    if row.endswith(".*"):
        return any(item.key.startswith(row[:-1]) for item in template.rows) or template.row(row[:-2]) is not None
    return template.row(row) is not None


def test_statement_targets_name_cells_of_the_templates():
    templates = default_templates()
    lexicon = narrative_lexicon()
    ids = {pattern.id for pattern in lexicon.statements}
    for pattern in lexicon.statements:
        targets = (*pattern.targets, *pattern.accept, *filter(None, [pattern.with_carried_over]), *pattern.percent_of)
        assert targets or pattern.combines, pattern.id
        assert set(pattern.combines) <= ids, pattern.id
        for target in targets:
            matching = [t for t in templates.templates if t.id == target.table or t.id.endswith("." + target.table)]
            assert matching, (pattern.id, target.table)
            for row, column in target.cells:
                assert any(names_rows(t, row) and t.column(column) for t in matching), (pattern.id, row, column)
    # Each group of the outcome rows is a group in every era's application table.
    for template_id in ("2019.application", "2021.application"):
        template = templates.template(template_id)
        for group in ("withheld", "unavailable", "not_processed", "other"):
            assert names_rows(template, f"{group}.*"), (template_id, group)


# --- metadata and options ---------------------------------------------------------------------------


RULES = {
    "NR001": (NarrativeTableMismatch, Severity.ERROR, {"2019", "2021"}),
    "NR002": (PartsSumMismatch, Severity.WARNING, {"2008", "2019", "2021"}),
    "NR003": (PercentageMismatch, Severity.WARNING, {"2008", "2019", "2021"}),
    "NR004": (ApproximateCount, Severity.WARNING, {"2008", "2019", "2021"}),
    "NR005": (TemplatePlaceholder, Severity.ERROR, {"2008", "2019", "2021"}),
    "NR006": (SelfReferenceMismatch, Severity.WARNING, {"2008", "2019", "2021"}),
}


@pytest.mark.parametrize("code", sorted(RULES))
def test_catalog_metadata(code):
    rule, severity, eras = RULES[code]
    assert rule.code == code and rule.severity == severity and set(rule.eras) == eras
    assert any(info.rule is rule for info in PLUGINS.rules)
    for option in rule.options:
        assert option.description and f"`{option.name}`" in rule.doc()


@pytest.mark.parametrize(
    "rule, options",
    [
        (NarrativeTableMismatch, {"skip": ["no-such-statement"]}),
        (NarrativeTableMismatch, {"skip": "review"}),
        (PartsSumMismatch, {"report_shortfall": "yes"}),
        (PercentageMismatch, {"tolerance": -0.1}),
        (PercentageMismatch, {"tolerance": 10}),
        (ApproximateCount, {"words": ["大概"]}),
        (TemplatePlaceholder, {"extra_patterns": ["("]}),
        (TemplatePlaceholder, {"extra_patterns": [".*"]}),
        (SelfReferenceMismatch, {"accept": ["局"]}),
        (SelfReferenceMismatch, {"unknown": 1}),
    ],
)
def test_invalid_options_are_rejected(rule, options):
    with pytest.raises(ValueError):
        rule.resolve_options(options)


def test_valid_options_are_accepted():
    assert NarrativeTableMismatch.resolve_options({"skip": ["review"]})["skip"] == ["review"]
    assert PercentageMismatch.resolve_options({"tolerance": 1})["tolerance"] == 1.0
    assert ApproximateCount.resolve_options({"words": ["约", "余"]})["words"] == ["约", "余"]


# --- properties ---------------------------------------------------------------------------------------

HEADER = "某市商务局2021年政府信息公开工作年度报告\n一、总体情况\n"


def diagnostics_of(sentence: str, code: str):
    result = LINTER.lint_bytes((HEADER + sentence + "\n").encode("utf-8"), "property.md")
    assert not [d for d in result.diagnostics if d.code == "PS900"]
    return [d for d in result.diagnostics if d.code == code]


@settings(max_examples=40, deadline=None)
@given(
    whole=st.integers(1, 500),
    parts=st.lists(st.integers(0, 600), min_size=2, max_size=4),
    exhaustive=st.booleans(),
)
def test_parts_must_not_exceed_the_total_and_complete_lists_must_reach_it(whole, parts, exhaustive):
    labels = ["政策文件", "工作动态", "通知公告", "规划计划"]
    listed = "、".join(f"{label}{value}条" for label, value in zip(labels, parts))
    marker = "分别为" if exhaustive else "其中"
    found = diagnostics_of(f"全年共发布信息{whole}条，{marker}{listed}。", "NR002")
    too_big = [value for value in parts if value > whole]
    if too_big:
        expected = len(too_big)  # one per part, no sum message
    elif sum(parts) > whole or (exhaustive and sum(parts) < whole):
        expected = 1
    else:
        expected = 0
    assert len(found) == expected, [d.message for d in found]


@settings(max_examples=40, deadline=None)
@given(denominator=st.integers(1, 2000), data=st.data())
def test_percentages_agree_within_a_tenth_of_a_point_after_rounding(denominator, data):
    numerator = data.draw(st.integers(0, denominator))
    decimals = data.draw(st.sampled_from([0, 1]))
    exact = Decimal(numerator) / Decimal(denominator) * 100
    correct = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    tenths = data.draw(st.sampled_from([0, 0, 1, -1, 2, -2, 7, 30]))
    stated = correct + Decimal(tenths) / 10
    assume(stated >= 0)
    written = format(stated, "f")
    written_decimals = len(written.split(".")[1]) if "." in written else 0
    reference = exact.quantize(Decimal(1).scaleb(-written_decimals), rounding=ROUND_HALF_UP)
    found = diagnostics_of(f"全年办结申请{denominator}件，其中予以公开{numerator}件，占{written}%。", "NR003")
    assert len(found) == (1 if abs(stated - reference) > Decimal("0.1") else 0), (written, [d.message for d in found])


@settings(max_examples=30, deadline=None)
@given(value=st.integers(1, 99999), unit=st.sampled_from(["条", "件", "篇"]), word=st.sampled_from(["余", "多", ""]))
def test_every_approximate_count_of_published_information_is_reported(value, unit, word):
    sentence = f"全年发布信息{value}{word}{unit}。"
    found = diagnostics_of(sentence, "NR004")
    if not word:
        assert found == []
    else:
        (diagnostic,) = found
        start = len("全年发布信息") + 1
        assert (diagnostic.line, diagnostic.column) == (3, start)
        assert diagnostic.location.end_column == start + len(f"{value}{word}{unit}")


OUTCOMES = {
    "outcomes.granted": "予以公开",
    "outcomes.partial": "部分公开",
    "outcomes.withheld": "不予公开",
    "outcomes.unavailable": "无法提供",
    "outcomes.not_processed": "不予处理",
    "outcomes.other": "其他处理",
}


@settings(max_examples=40, deadline=None)
@given(
    chosen=st.lists(st.sampled_from(sorted(OUTCOMES)), min_size=1, max_size=6, unique=True),
    values=st.lists(st.integers(0, 500), min_size=6, max_size=6),
    joiner=st.sampled_from(["、", "，", "；"]),
    lead=st.sampled_from(["全年办结申请{total}件，其中", "办结的申请中，", ""]),
    joined=st.booleans(),
)
def test_every_listed_outcome_is_one_statement_with_its_own_figure(chosen, values, joiner, lead, joined):
    """"其中予以公开a件、部分公开b件…" and "予以公开及部分公开N件": each outcome named alone is a
    statement of its own figure; names joined by 及 are one statement of their common figure."""
    items = [(OUTCOMES[key], value) for key, value in zip(chosen, values)]
    if joined and len(items) >= 2:
        names = "及".join(name for name, _ in items)
        listed = f"{names}{sum(value for _, value in items)}件"
        expected = [("outcomes.combined", sum(value for _, value in items))]
    else:
        listed = joiner.join(f"{name}{value}件" for name, value in items)
        expected = [(key, value) for key, value in zip(chosen, values)]
    total = sum(value for _, value in items)
    text = HEADER.replace("一、总体情况", "（二）依申请公开") + lead.format(total=total) + listed + "。\n"
    document = LINTER.lint_bytes(text.encode("utf-8"), "outcomes.md").document
    statements = find_statements(document_sentences(document), document.facts.year)
    found = [
        (statement.pattern.id, int(statement.value))
        for statement in sorted(statements, key=lambda statement: statement.span.start)
        if statement.pattern.id.startswith("outcomes.")
    ]
    assert found == expected, text


def test_narrative_readings_of_a_long_paragraph_cost_work_in_proportion_to_its_length():
    """Statements, breakdowns and percentages of ten times the paragraph execute at most about ten
    times the lines (work counted, not timed); every copy is read like the paragraph alone."""
    from test_sentences import lines_executed

    paragraph = (Path(CASES / "report_2021.txt").read_text("utf-8").split("\n")[6]) + "全年共发布信息100条，其中政策文件30条、工作动态80条。"

    def read(copies: int):
        sentences = sentences_in(paragraph * copies)
        statements = find_statements(sentences, 2021)
        found = [breakdowns(sentence) for sentence in sentences]
        claims = [percent_claims(sentence) for sentence in sentences]
        return sentences, statements, found, claims

    small, large = lines_executed(read, 3), lines_executed(read, 30)
    assert large <= 10.5 * small, (small, large)
    one, many = read(1), read(30)
    assert len(many[1]) == 30 * len(one[1]) and len(many[1]) > 0
    assert sum(map(len, many[2])) == 30 * sum(map(len, one[2])) > 0
    assert sum(map(len, many[3])) == 30 * sum(map(len, one[3])) > 0
