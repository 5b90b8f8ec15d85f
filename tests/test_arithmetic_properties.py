"""Properties of the table rules over generated reports.

Reports of each era are generated with every official table (2019 and 2021: the section-二
blocks, the 依申请 table, the 行政复议/行政诉讼 table; 2008: the 附表) filled with random
numbers that satisfy every relation of the format, written in every rendering and with the
number styles real reports use (thousands separators, full-width digits, 件, signed 本年增/减).

* Such a report gives no TB or AR diagnostic.
* Change exactly one number: when the change breaks a relation (judged by the small model of
  the relations below, written independently of the templates), exactly one AR diagnostic
  appears, from the first rule (in code order) whose relation broke, at the changed cell or
  naming it among its related locations; when it breaks none, no AR diagnostic appears.

The number of examples comes from a Hypothesis profile: ``NIANBAO_HYPOTHESIS_PROFILE=thorough``
runs a few thousand per property instead of the quick default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from table_renderings import (
    ACTIVE_BLOCKS,
    APPLICATION_COLUMNS,
    APPLICATION_ROWS,
    LAYOUT,
    RENDERINGS,
    REVIEW_COLUMNS,
    active,
    appendix_table,
    application,
    render,
    report,
    review_litigation,
)

from nianbao.config.files import ConfigResolver
from nianbao.engine.linter import Linter
from nianbao.plugins.manager import load_plugins

LINTER = Linter(load_plugins(entry_points=False), ConfigResolver(isolated=True))

_PROFILES = {"default": 40, "thorough": 2500}
_PROFILE = os.environ.get("NIANBAO_HYPOTHESIS_PROFILE", "default")
if _PROFILE not in _PROFILES:
    raise ValueError(f"NIANBAO_HYPOTHESIS_PROFILE={_PROFILE!r}: choose one of {', '.join(_PROFILES)}")
for _name, _examples in _PROFILES.items():
    settings.register_profile(
        f"nianbao-arithmetic-{_name}",
        max_examples=_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
PROFILE = settings.get_profile(f"nianbao-arithmetic-{_PROFILE}")

# --- writing numbers as reports do -----------------------------------------------------------------

_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
COUNT_STYLES = ["plain", "plain", "plain", "thousands", "full-width", "unit"]
DELTA_SIGNS = [("+", "-"), ("加", "减"), ("增", "减少"), ("+", "减")]


def write_count(value: int, style: str) -> str:
    if style == "thousands":
        return f"{value:,}"
    if style == "full-width":
        return str(value).translate(_FULL_WIDTH)
    if style == "unit":
        return f"{value}件"
    return str(value)


def write_delta(value: int, signs: tuple[str, str]) -> str:
    if value == 0:
        return "0"
    return f"{signs[0] if value > 0 else signs[1]}{abs(value)}"


# --- a generated report --------------------------------------------------------------------------------

Key = tuple[str, str, str]  # (template id, row key, column key)


@dataclass
class Case:
    era: str
    rendering: str
    values: dict[Key, int | Decimal]
    styles: dict[Key, str] = field(default_factory=dict)
    delta_signs: tuple[str, str] = ("+", "-")
    channels: list[tuple[str, str, str]] = field(default_factory=list)
    """The 附表 rows used (families list different application channels)."""

    def text(self, key: Key) -> str:
        value = self.values[key]
        template, _, column = key
        if column == "delta":
            return write_delta(int(value), self.delta_signs)
        if isinstance(value, Decimal):
            return format(value, "f")
        style = self.styles.get(key, "plain")
        if template == "2008.appendix" and style == "unit":
            style = "plain"  # the 附表 has its own 单位 column
        return write_count(value, style)

    def row_texts(self, template: str, row: str, columns: list[str]) -> list[str]:
        return [self.text((template, row, column)) for column in columns]

    def report(self) -> str:
        era = self.era
        if era == "2008":
            columns = ["annual", "cumulative"]
            values = {key: self.row_texts("2008.appendix", key, columns) for _, key, _ in self.channels}
            description, _ = appendix_table(values, self.channels)
            return report(era, {"附表": render(description, self.rendering)})
        active_values = {
            (block, row): self.row_texts(f"{era}.active.{block}", row, columns)
            for block, _, _, columns, rows in ACTIVE_BLOCKS[era]
            for _, row in rows
        }
        application_values = {
            key: self.row_texts(f"{era}.application", key, APPLICATION_COLUMNS) for _, _, key in APPLICATION_ROWS[era]
        }
        sections = {
            "二": render(active(active_values, era)[0], self.rendering),
            "三": render(application(application_values, era)[0], self.rendering),
            "四": render(
                review_litigation(self.row_texts("review-litigation", "cases", REVIEW_COLUMNS))[0], self.rendering
            ),
        }
        return report(era, sections)


# Mostly small counts and zeros, as in real reports; now and then a large one.
_count = st.one_of(st.just(0), st.integers(0, 30), st.integers(0, 30), st.integers(0, 120_000))


def _sum(values) -> int:
    return sum(values)


@st.composite
def application_values(draw, era: str) -> dict[Key, int]:
    template = f"{era}.application"
    keys = [key for _, _, key in APPLICATION_ROWS[era]]
    outcomes = keys[keys.index("granted"):keys.index("total")]
    applicants = APPLICATION_COLUMNS[:6]
    grid: dict[str, list[int]] = {key: [draw(_count) for _ in applicants] for key in outcomes}
    grid["total"] = [_sum(grid[key][column] for key in outcomes) for column in range(6)]
    grid["carry_forward"] = [draw(_count) for _ in applicants]
    grid["carried_over"] = [
        draw(st.integers(0, grid["total"][column] + grid["carry_forward"][column])) for column in range(6)
    ]
    grid["new"] = [
        grid["total"][column] + grid["carry_forward"][column] - grid["carried_over"][column] for column in range(6)
    ]
    values = {}
    for key, row in grid.items():
        for column, value in zip(applicants, row):
            values[(template, key, column)] = value
        values[(template, key, "total")] = _sum(row)
    return values


@st.composite
def review_values(draw) -> dict[Key, int]:
    values = {}
    for group in ("review", "litigation_direct", "litigation_after_review"):
        parts = [draw(st.one_of(st.just(0), st.integers(0, 12))) for _ in range(4)]
        for result, value in zip(("upheld", "corrected", "other", "pending"), parts):
            values[("review-litigation", "cases", f"{group}.{result}")] = value
        values[("review-litigation", "cases", f"{group}.total")] = _sum(parts)
    return values


@st.composite
def active_values(draw, era: str) -> dict[Key, int | Decimal]:
    values: dict[Key, int | Decimal] = {}
    if era == "2019":
        for row in ("rules", "normative_documents"):
            new_published = draw(_count)
            values[("2019.active.20-1", row, "new_made")] = draw(_count)
            values[("2019.active.20-1", row, "new_published")] = new_published
            values[("2019.active.20-1", row, "total_published")] = new_published + draw(_count)
        decision_rows = (("20-5", "licensing"), ("20-5", "other_services"), ("20-6", "penalty"), ("20-6", "coercion"))
        for block, row in decision_rows:
            previous = draw(_count)
            delta = draw(st.integers(-previous, 500))
            decisions = draw(_count)
            # 处理决定数量 must not look like 上一年项目数量 ± 本年增/减 on any row: that is AR008's
            # pattern, and one changed cell must not complete it.
            if decisions in (previous + delta, previous - delta):
                decisions += 1
            values[(f"2019.active.{block}", row, "previous")] = previous
            values[(f"2019.active.{block}", row, "delta")] = delta
            values[(f"2019.active.{block}", row, "decisions")] = decisions
        previous = draw(_count)
        values[("2019.active.20-8", "fees", "previous")] = previous
        values[("2019.active.20-8", "fees", "delta")] = draw(st.integers(-previous, 50))
        values[("2019.active.20-9", "procurement", "projects")] = draw(_count)
        values[("2019.active.20-9", "procurement", "amount")] = Decimal(draw(st.integers(0, 99_999_999))) / 100
    else:
        for row in ("rules", "normative_documents"):
            for column in ("issued", "repealed", "in_force"):
                values[("2021.active.20-1", row, column)] = draw(_count)
        values[("2021.active.20-5", "licensing", "decisions")] = draw(_count)
        values[("2021.active.20-6", "penalty", "decisions")] = draw(_count)
        values[("2021.active.20-6", "coercion", "decisions")] = draw(_count)
        values[("2021.active.20-8", "fees", "amount")] = Decimal(draw(st.integers(0, 10_000_000))) / 100
    return values


# 附表 families: the channels they list (label as written, row key, unit).
APPENDIX_FAMILIES = [
    [("当面申请数", "applications.in_person"), ("网上申请数", "applications.online"), ("信函申请数", "applications.letter")],
    [("当面申请数", "applications.in_person"), ("网上申请数", "applications.online"), ("信函、传真申请数", "applications.letter_fax")],
    [("当面申请数", "applications.in_person"), ("传真申请数", "applications.fax"), ("电子邮件申请数", "applications.email"),
     ("网上申请数", "applications.online"), ("信函申请数", "applications.letter"), ("其他形式申请数", "applications.other")],
]
ANSWER_TYPES = [("同意公开答复数", "answers.granted"), ("同意部分公开答复数", "answers.partial"),
                ("不予公开答复数", "answers.refused"), ("其他类型答复数", "answers.other")]
PUBLICATION_CHANNELS = [("政府网站公开数", "published.website"), ("政府公报公开数", "published.gazette")]


def _numbered(children: list[tuple[str, str]], unit: str) -> list[tuple[str, str, str]]:
    return [
        (f"{'其中:' if number == 1 else ''}{number}.{label}", key, unit) for number, (label, key) in enumerate(children, 1)
    ]


@st.composite
def appendix_values(draw) -> tuple[dict[Key, int], list[tuple[str, str, str]]]:
    family = draw(st.sampled_from(APPENDIX_FAMILIES))
    rows = [
        ("主动公开政府信息数", "published", "条"),
        *_numbered(PUBLICATION_CHANNELS, "条"),
        ("受理政府信息公开申请总数", "applications", "件"),
        *_numbered(family, "件"),
        ("对申请的答复总数", "answers", "件"),
        *_numbered(ANSWER_TYPES, "件"),
        ("行政复议数", "reviews", "件"),
        ("行政诉讼数", "lawsuits", "件"),
    ]
    grid: dict[str, tuple[int, int]] = {}

    def annual_and_cumulative() -> tuple[int, int]:
        annual = draw(_count)
        return annual, annual + draw(_count)

    for parent, children in (("applications", family), ("answers", ANSWER_TYPES)):
        for _, key in children:
            grid[key] = annual_and_cumulative()
        grid[parent] = (_sum(grid[key][0] for _, key in children), _sum(grid[key][1] for _, key in children))
    grid["published"] = annual_and_cumulative()
    for _, key in PUBLICATION_CHANNELS:
        annual = draw(st.integers(0, grid["published"][0]))
        grid[key] = (annual, draw(st.integers(annual, annual + grid["published"][1] - grid["published"][0])))
    grid["reviews"] = annual_and_cumulative()
    grid["lawsuits"] = annual_and_cumulative()
    values = {}
    for key, (annual, cumulative) in grid.items():
        values[("2008.appendix", key, "annual")] = annual
        values[("2008.appendix", key, "cumulative")] = cumulative
    return values, rows


@st.composite
def cases(draw) -> Case:
    era = draw(st.sampled_from(["2008", "2019", "2021"]))
    rendering = draw(st.sampled_from([*RENDERINGS, LAYOUT]))
    if era == "2008":
        values, rows = draw(appendix_values())
        case = Case(era, rendering, values, channels=rows)
    else:
        values = {**draw(active_values(era)), **draw(application_values(era)), **draw(review_values())}
        case = Case(era, rendering, values, delta_signs=draw(st.sampled_from(DELTA_SIGNS)))
    # One writing style per table, as a report is written by one hand.
    table_styles = {template: draw(st.sampled_from(COUNT_STYLES)) for template, _, _ in values}
    case.styles = {key: table_styles[key[0]] for key in values}
    return case


# --- the relations, modelled independently of the templates ------------------------------------------


def broken_relations(case: Case) -> dict[str, int]:
    """Rule code → how many of its relations fail in ``case``."""
    value = case.values
    broken: dict[str, int] = {}

    def fail(code: str) -> None:
        broken[code] = broken.get(code, 0) + 1

    if case.era == "2008":
        present = {key for _, key, _ in case.channels}
        for column in ("annual", "cumulative"):
            for parent in ("applications", "answers"):
                children = [key for key in present if key.startswith(parent + ".")]
                parts = _sum(value[("2008.appendix", key, column)] for key in children)
                if value[("2008.appendix", parent, column)] != parts:
                    fail("AR005")
            for child in ("published.website", "published.gazette"):
                if value[("2008.appendix", child, column)] > value[("2008.appendix", "published", column)]:
                    fail("AR005")
        for key in present:
            if value[("2008.appendix", key, "cumulative")] < value[("2008.appendix", key, "annual")]:
                fail("AR006")
        return broken
    template = f"{case.era}.application"
    keys = [key for _, _, key in APPLICATION_ROWS[case.era]]
    outcomes = keys[keys.index("granted"):keys.index("total")]

    def cell(row: str, column: str) -> int:
        return value[(template, row, column)]

    for column in APPLICATION_COLUMNS:
        if cell("new", column) + cell("carried_over", column) != cell("total", column) + cell("carry_forward", column):
            fail("AR001")
        if cell("total", column) != _sum(cell(row, column) for row in outcomes):
            fail("AR003")
    for row in keys:
        if cell(row, "total") != _sum(cell(row, column) for column in APPLICATION_COLUMNS[:6]):
            fail("AR002")
    for group in ("review", "litigation_direct", "litigation_after_review"):
        parts = ("upheld", "corrected", "other", "pending")
        if value[("review-litigation", "cases", f"{group}.total")] != _sum(
            value[("review-litigation", "cases", f"{group}.{part}")] for part in parts
        ):
            fail("AR004")
    if case.era == "2019":
        for row in ("rules", "normative_documents"):
            if value[("2019.active.20-1", row, "total_published")] < value[("2019.active.20-1", row, "new_published")]:
                fail("AR007")
    return broken


def table_diagnostics(result) -> list:
    return [item for item in result.diagnostics if item.code[:2] in ("TB", "AR")]


def lint(case: Case):
    result = LINTER.lint_bytes(case.report().encode("utf-8"), "report.md")
    assert result.crashed_rules == [], [item.message for item in result.diagnostics if item.code == "PS900"]
    return result


def show(result) -> str:
    return "\n".join(
        f"{item.location.line}:{item.location.column} {item.code} {item.message}" for item in table_diagnostics(result)
    )


# --- the properties ------------------------------------------------------------------------------------


@PROFILE
@given(cases())
def test_tables_that_add_up_give_no_table_diagnostic(case: Case) -> None:
    assert broken_relations(case) == {}
    result = lint(case)
    expected_tables = 1 if case.era == "2008" else len(ACTIVE_BLOCKS[case.era]) + 2
    assert len(result.document.tables) == expected_tables
    assert table_diagnostics(result) == [], show(result)


def _mutable(case: Case) -> dict[str, list[Key]]:
    """The cells that may change, by table. Amounts (元, 万元) take part in no relation."""
    tables: dict[str, list[Key]] = {}
    for key in sorted(case.values):
        if isinstance(case.values[key], int):
            tables.setdefault(key[0], []).append(key)
    return tables


@PROFILE
@given(st.data())
def test_one_changed_cell_is_reported_once_at_that_cell(data) -> None:
    case = data.draw(cases())
    tables = _mutable(case)
    # A table first, then one of its cells: the small tables are changed as often as the big one.
    key = data.draw(st.sampled_from(tables[data.draw(st.sampled_from(sorted(tables)))]))
    old = case.values[key]
    if key[2] == "delta":
        new = data.draw(st.integers(-500, 500).filter(lambda value: value != old))
    else:
        new = data.draw(st.one_of(st.integers(0, 60), st.integers(0, 200_000)).filter(lambda value: value != old))
    case.values[key] = new
    broken = broken_relations(case)
    result = lint(case)
    document = result.document
    table = next(table for table in document.tables if table.template == key[0])
    changed = table.cell(key[1], key[2])
    assert changed is not None and changed.value.value == new, (key, changed)
    where = document.locate(changed.span)
    found = table_diagnostics(result)
    assert [item for item in found if item.code.startswith("TB")] == [], show(result)
    if not broken:
        assert found == [], show(result)
        return
    assert len(found) == 1, f"{key}: {old} → {new}, broken {broken}\n{show(result)}"
    (diagnostic,) = found
    assert diagnostic.code == min(broken), f"{key}: {old} → {new}, broken {broken}\n{show(result)}"
    named = [diagnostic.location, *(item.location for item in diagnostic.related)]
    assert where in named, f"{key} at {where}: {show(result)}"
    if sum(broken.values()) > 1:
        # Several relations broke: the changed cell explains them all and is the location.
        assert diagnostic.location == where, f"{key}: {old} → {new}, broken {broken}\n{show(result)}"
