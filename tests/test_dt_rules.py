"""Date rules DT001–DT006 and publication deadlines, through the real engine.

Case files (tests/cases/dt/*.toml, format in tests/cases/dt/README.md) give a report and every DT
diagnostic it must produce; the seed reports are checked against what reading them by hand gives.
"""

from __future__ import annotations

import datetime
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nianbao.config.files import ConfigResolver
from nianbao.document.facts import ReportFacts, era_of_year
from nianbao.engine.linter import Linter
from nianbao.plugins.hookspecs import hookimpl
from nianbao.plugins.manager import load_plugins
from nianbao.rules.dates.dt004_late_publication import LatePublication
from nianbao.variants.bodies import kind_of_body
from nianbao.variants.deadlines import check_overrides, deadline_basis
from nianbao.variants.profile import NATIONAL, profile_from_mapping
from nianbao.variants.resolver import VariantResolver

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
CASES = sorted((HERE / "cases" / "dt").glob("*.toml"))
EXAMPLES = HERE.parent / "docs" / "examples"
DT_CODES = ("DT001", "DT002", "DT003", "DT004", "DT005", "DT006")


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(load_plugins(entry_points=False), ConfigResolver(isolated=True))


def dt_diagnostics(result):
    return [item for item in result.diagnostics if item.code.startswith("DT")]


def case_linter(case: dict, tmp_path: Path, default: Linter) -> Linter:
    """The default linter, or one with the case's configuration and test profile."""
    if "config" not in case and "profile" not in case:
        return default
    extra = []
    if "profile" in case:
        profile = profile_from_mapping(case["profile"], origin="test case")

        class ProfilePlugin:
            @hookimpl
            def nianbao_profiles(self):
                return [profile]

        extra.append(("test-profile", ProfilePlugin()))
    config = tmp_path / "nianbao.toml"
    config.write_text(case.get("config", ""), encoding="utf-8")
    return Linter(load_plugins(entry_points=False, extra=extra), ConfigResolver(explicit=config, cwd=tmp_path))


def text_at(text: str, line: int, column: int, length: int) -> str:
    return text.split("\n")[line - 1][column - 1 : column - 1 + length]


# --- case files -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", CASES, ids=lambda path: path.stem)
def test_case(path: Path, tmp_path: Path, linter: Linter):
    case = tomllib.loads(path.read_text(encoding="utf-8"))
    text = case["text"]
    expected = case.get("expect", [])
    for item in expected:
        # The case file itself must be right: its position names the text it claims to.
        assert text_at(text, item["line"], item["column"], len(item["text"])) == item["text"], item

    result = case_linter(case, tmp_path, linter).lint_bytes(text.encode("utf-8"), "case.md")
    assert not [item for item in result.diagnostics if item.code == "PS900"], "a rule crashed"
    found = dt_diagnostics(result)
    assert Counter((item.code, item.line, item.column) for item in found) == Counter(
        (item["code"], item["line"], item["column"]) for item in expected
    ), [f"{item.line}:{item.column} {item.code} {item.message}" for item in found]

    for item in expected:
        diagnostic = next(
            found_item
            for found_item in found
            if (found_item.code, found_item.line, found_item.column) == (item["code"], item["line"], item["column"])
        )
        assert diagnostic.location.end_line == item["line"]
        assert diagnostic.location.end_column == item["column"] + len(item["text"])
        for phrase in item.get("message", []):
            assert phrase in diagnostic.message, (phrase, diagnostic.message)


def test_case_files_cover_every_rule():
    codes = set()
    for path in CASES:
        codes.update(item["code"] for item in tomllib.loads(path.read_text(encoding="utf-8")).get("expect", []))
    assert codes == set(DT_CODES)


# --- the seed reports -------------------------------------------------------------------------

# Read by hand: none of 000, 001, 002 states a statistical period (003 has one at the end of
# section 一, 004 in the preamble); their years agree everywhere; only 001 has a sign-off
# (绿园区商务局, 2021年1月21日: a department, in time for 1月31日).
SEED_DT = {
    "000_b67df828cb4a1735.txt": [("DT006", 2, 1)],  # "一、总体情况" on line 2
    "001_9e37d6351cd66a1a.txt": [("DT006", 4, 1)],
    "002_61bfce714908b168.txt": [("DT006", 9, 1)],  # "一、概述"
    "003_92d244c9ede656a3.txt": [],
    "004_843d7a1260357fac.txt": [],
}


@pytest.mark.parametrize("name", sorted(SEED_DT))
def test_seed(name: str, linter: Linter):
    result = linter.lint_path(str(EXAMPLES / name))
    found = dt_diagnostics(result)
    assert sorted((item.code, item.line, item.column) for item in found) == SEED_DT[name], [
        f"{item.line}:{item.column} {item.code} {item.message}" for item in found
    ]


def test_seed_001_is_published_in_time(linter: Linter):
    document = linter.lint_path(str(EXAMPLES / "001_9e37d6351cd66a1a.txt")).document
    deadline = document.variants.deadline(document.facts)
    assert document.facts.publication_date == datetime.date(2021, 1, 21)
    assert deadline.date == datetime.date(2021, 1, 31)
    assert "县级以上人民政府部门" in deadline.reason


# --- deadlines --------------------------------------------------------------------------------

# The national profile with nothing over it but the overrides a test passes.
NATIONAL_RULES = VariantResolver()


def facts_for(year: int, body: str | None) -> ReportFacts:
    return ReportFacts(
        year=year, year_source="title", era=era_of_year(year), body=body, body_kind=kind_of_body(body) if body else None
    )


@pytest.mark.parametrize(
    "year, body, expected",
    [
        # formats.md §1: before 2019 every body by 3月31日; from 2019 部门 1月31日, 本级政府 3月31日,
        # 乡镇/街道 none.
        (2017, "某市商务局", datetime.date(2018, 3, 31)),
        (2017, "某县人民政府", datetime.date(2018, 3, 31)),
        (2017, "某某镇人民政府", datetime.date(2018, 3, 31)),
        (2020, "某市商务局", datetime.date(2021, 1, 31)),
        (2020, "某县人民政府办公室", datetime.date(2021, 1, 31)),
        (2020, "某市卫生健康委员会", datetime.date(2021, 1, 31)),
        (2022, "某县人民政府", datetime.date(2023, 3, 31)),
        (2020, "某某镇人民政府", None),
        (2021, "某某街道办事处", None),
        (2021, None, None),
    ],
)
def test_national_deadlines(year, body, expected):
    deadline = NATIONAL_RULES.deadline(facts_for(year, body))
    assert deadline.date == expected
    assert deadline.reason


def test_no_deadline_reasons_say_why():
    assert "乡镇" in NATIONAL_RULES.deadline(facts_for(2020, "某某镇人民政府")).reason
    assert "类别" in NATIONAL_RULES.deadline(facts_for(2020, None)).reason
    assert "报告年度" in NATIONAL_RULES.deadline(ReportFacts()).reason


def test_every_national_deadline_has_a_legal_basis():
    for key in NATIONAL.deadlines:
        assert deadline_basis(key), key


def test_overrides_win_and_can_remove_a_deadline():
    facts = facts_for(2020, "某市商务局")
    assert NATIONAL_RULES.deadline(facts, {"department": "02-10"}).date == datetime.date(2021, 2, 10)
    assert NATIONAL_RULES.deadline(facts, {"bureau": "02-05", "department": "02-10"}).date == datetime.date(2021, 2, 5)
    era_first = {"2019:department": "02-01", "department": "02-10"}
    assert NATIONAL_RULES.deadline(facts, era_first).date == datetime.date(2021, 2, 1)
    assert NATIONAL_RULES.deadline(facts, {"2008:*": "04-30"}).date == datetime.date(2021, 1, 31)  # other era: not used
    removed = NATIONAL_RULES.deadline(facts, {"department": ""})
    assert removed.date is None and "deadlines" in removed.reason


def test_profile_deadlines_apply_under_overrides():
    profile = profile_from_mapping(
        {"name": "testcity", "description": "某市", "years": [2020, 2020], "deadlines": {"grassroots": "02-20"}}
    )
    township = facts_for(2020, "某某镇人民政府")
    assert VariantResolver(profile).deadline(township).date == datetime.date(2021, 2, 20)
    assert "testcity" in VariantResolver(profile).deadline(township).reason
    assert VariantResolver(profile).deadline(township, {"grassroots": ""}).date is None
    # Outside the profile's years the national rules apply: no deadline for a 乡镇.
    assert VariantResolver(profile).deadline(facts_for(2021, "某某镇人民政府")).date is None


@pytest.mark.parametrize(
    "value, fragment",
    [
        ({"department": "1月31日"}, "deadlines.department"),
        ({"department": "02-30"}, "不是有效的月日"),
        ({"department": 131}, "应为字符串"),
        ({"ministry": "01-31"}, "'ministry'"),
        ({"2020:department": "01-31"}, "'2020:department'"),
        ("01-31", "应为表"),
    ],
)
def test_bad_overrides_are_refused_in_chinese(value, fragment):
    with pytest.raises(ValueError, match=fragment):
        check_overrides(value)
    with pytest.raises(ValueError, match="DT004"):
        LatePublication({"deadlines": value})


def test_overrides_are_normalised():
    assert check_overrides({"department": "1-5", "grassroots": " "}) == {"department": "01-05", "grassroots": ""}
    assert LatePublication({"deadlines": {"government": "3-31"}}).config["deadlines"] == {"government": "03-31"}


@settings(max_examples=60, deadline=None)
@given(
    year=st.integers(min_value=2008, max_value=2040),
    body=st.sampled_from(["某市商务局", "某县人民政府", "某某镇人民政府", "某某街道办事处", "某市发展和改革委员会"]),
    month=st.integers(min_value=1, max_value=12),
    day=st.integers(min_value=1, max_value=28),
)
def test_deadline_follows_the_era_and_body_category(year, body, month, day):
    facts = facts_for(year, body)
    category = facts.body_kind.category
    deadline = NATIONAL_RULES.deadline(facts)
    if year <= 2018:
        assert deadline.date == datetime.date(year + 1, 3, 31)
    elif category == "department":
        assert deadline.date == datetime.date(year + 1, 1, 31)
    elif category == "government":
        assert deadline.date == datetime.date(year + 1, 3, 31)
    else:
        assert deadline.date is None
    # An override for the body's category always decides.
    override = NATIONAL_RULES.deadline(facts, {category: f"{month:02d}-{day:02d}"})
    assert override.date == datetime.date(year + 1, month, day)


REPORT = """某区商务局{year}年政府信息公开工作年度报告
一、总体情况
{year}年，我局主动公开政府信息120条。
本报告所列数据的统计期限为{year}年1月1日至12月31日止。
六、其他需要报告的事项
无。

某区商务局
{signed}
"""


@settings(max_examples=25, deadline=None)
@given(
    year=st.integers(min_value=2019, max_value=2030),
    offset=st.integers(min_value=-40, max_value=120),
    form=st.sampled_from(["{y}年{m}月{d}日", "{y}-{m:02d}-{d:02d}", "{y}.{m}.{d}"]),
)
def test_signoff_against_period_end_and_deadline(linter, year, offset, form):
    """A department's report signed ``offset`` days after 1月1日 of the next year, in any written form:
    DT003 before that day, DT004 after 1月31日, nothing in between."""
    signed = datetime.date(year + 1, 1, 1) + datetime.timedelta(days=offset)
    text = REPORT.format(year=year, signed=form.format(y=signed.year, m=signed.month, d=signed.day))
    codes = {item.code for item in dt_diagnostics(linter.lint_bytes(text.encode("utf-8"), "case.md"))}
    expected = set()
    if signed <= datetime.date(year, 12, 31):
        expected.add("DT003")
    if signed > datetime.date(year + 1, 1, 31):
        expected.add("DT004")
    assert codes == expected


@settings(max_examples=25, deadline=None)
@given(date=st.dates(min_value=datetime.date(2008, 1, 1), max_value=datetime.date(2040, 12, 31)))
def test_well_formed_dates_are_not_malformed_and_lost_characters_are_restored(linter, date):
    """A date written correctly is no DT005; the same date with 年 and 月 lost is one, and the
    message restores it when the digits can be split only one way (two-digit month and day)."""
    written = f"{date.year}年{date.month}月{date.day}日"
    text = f"某区商务局{date.year}年政府信息公开工作年度报告\n一、总体情况\n{written}，我局召开会议。\n"
    assert not [item for item in dt_diagnostics(linter.lint_bytes(text.encode(), "case.md")) if item.code == "DT005"]
    if date.month >= 10 and date.day >= 10:
        lost = f"{date.year}{date.month}{date.day}日"
        broken = text.replace(written, lost)
        found = [item for item in dt_diagnostics(linter.lint_bytes(broken.encode(), "case.md")) if item.code == "DT005"]
        assert [(item.line, item.column, item.location.end_column) for item in found] == [(3, 1, 1 + len(lost))]
        assert f"原意可能是“{written}”" in found[0].message


def test_rule_docs_and_options_are_documented():
    plugins = load_plugins(entry_points=False)
    for code in DT_CODES:
        rule = plugins.rule(code).rule
        for heading in ("## 检查什么", "## 为什么重要", "## 反例", "## 正例"):
            assert heading in rule.doc()
        for option in rule.options:
            assert option.description and f"`{option.name}`" in rule.doc()
