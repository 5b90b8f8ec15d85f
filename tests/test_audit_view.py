"""The audit view (``nianbao report``): what it computes, that report text cannot become markup or
script, and — in Debian's chromium through its chromedriver — that the file works as a person uses it:
it loads offline without errors, its charts are drawn, a body in the ranking opens its reports, a
finding opens its table with the faulty cell marked, and a hostile report runs nothing."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
from audit_corpus import (
    HOSTILE_FILE_NAME,
    PAYLOAD_BREAKOUT,
    PAYLOAD_IMG,
    PAYLOAD_LINK,
    PAYLOAD_SCRIPT,
    write_corpus,
)
from hypothesis import given
from hypothesis import strategies as st
from nianbao.cli import main
from nianbao.document.identity import ReportIdentity
from nianbao.document.record import CellRecord, ReportRecord
from nianbao.engine.diagnostic import Diagnostic, RelatedLocation
from nianbao.output.audit import AuditEntry, audit_data, render_page
from nianbao.output.audit.page import content_security_policy, embed_json, static_file
from nianbao.plugins.rule import Severity
from nianbao.tables.templates import default_templates
from nianbao.text.location import Location

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
RULES = {"AR001": ("application-balance", "依申请表：新收 + 上年结转 ≠ 办理总计 + 结转下年"), "DT004": ("late-publication", "发布日期晚于期限")}


# --- what the view computes ----------------------------------------------------------


def _identity(region: str, body: str, year: int) -> ReportIdentity:
    return ReportIdentity(body=body, region=region, level="city", kind="bureau", category="department", year=year, name=region + body)


def _cell(row: str, label: str, column: str, text: str, line: int, column_number: int) -> CellRecord:
    location = Location(line, column_number, line, column_number + len(text))
    return CellRecord("2021.application", row, column, label, text, "number", text, None, location)


def _record(path: str, region: str, body: str, year: int, published: datetime.date | None, cells=()) -> ReportRecord:
    deadline = datetime.date(year + 1, 1, 31)
    return ReportRecord(path, _identity(region, body, year), "2021", published, None, deadline, "部门", tuple(cells))


def _finding(path: str, code: str, severity: str, line: int, column: int, related=()) -> Diagnostic:
    return Diagnostic(path, Location(line, column, line, column + 1), code, RULES.get(code, (code,))[0], Severity(severity), f"{code} 的说明", tuple(related))


# A table of two rows written on lines 10 and 11: | 一、本年新收 | 4 | 1 | and | （七）总计 | 6 | 1 |.
CELLS = (
    _cell("new", "一、本年新收", "natural_person", "4", 10, 12),
    _cell("new", "一、本年新收", "total", "1", 10, 16),
    _cell("total", "（七）总计", "natural_person", "6", 11, 11),
    _cell("total", "（七）总计", "total", "1", 11, 15),
)


def _corpus() -> list[AuditEntry]:
    fault = _finding("a.md", "AR001", "error", 11, 11, [RelatedLocation(Location(10, 12, 10, 13), "一、本年新收：4")])
    late = _finding("b.md", "DT004", "warning", 30, 1)
    return [
        AuditEntry("a.md", _record("a.md", "淮安市", "商务局", 2021, datetime.date(2022, 1, 20), CELLS), [fault], {11: "| （七）总计 | 6 | 1 |"}),
        AuditEntry("b.md", _record("b.md", "淮安市", "商务局", 2022, datetime.date(2023, 3, 1)), [late]),
        AuditEntry("c.md", _record("c.md", "苏州市", "教育局", 2022, None)),
        AuditEntry("broken.pdf", None),
    ]


def test_the_summary_counts_findings_by_family_rule_body_and_year():
    data = audit_data(_corpus(), RULES, default_templates())
    summary = data["summary"]
    assert summary["reports"] == 4
    assert summary["bodies"] == 3  # 淮安市/商务局 twice, 苏州市/教育局, and the unreadable file by its path
    assert summary["severities"] == [1, 1, 0]
    assert summary["families"] == [("AR", 1), ("DT", 1)]
    assert summary["heat"]["bodies"][0] == "淮安市/商务局"
    assert dict(summary["timeliness"]) == {2021: {"on_time": 1}, 2022: {"late": 1, "missing": 1}, None: {"missing": 1}}
    # year, reports, errors, findings
    assert summary["years"] == [[2021, 1, 1, 1], [2022, 2, 0, 1]]


def test_a_report_row_names_its_body_timeliness_and_counts():
    rows = audit_data(_corpus(), RULES, default_templates(), {"bureau": "局"})["reports"]
    assert rows[0] | {"rc": None} == {
        "p": "a.md", "n": "淮安市商务局", "b": "淮安市/商务局", "r": "淮安市", "k": "局", "lv": "市级", "y": 2021,
        "t": "on_time", "pd": "2022-01-20", "dl": "2022-01-31", "c": [1, 0, 0], "rc": None,
    }
    assert [row["t"] for row in rows] == ["on_time", "late", "missing", "missing"]


def test_a_table_finding_marks_its_cell_and_the_other_side_of_the_equation():
    detail = audit_data(_corpus(), RULES, default_templates())["details"][0]
    (finding,) = detail["f"]
    (table,) = detail["tables"]
    assert table["title"] == default_templates().template("2021.application").title
    # the rows as the official table names them, not as the report wrote them
    assert [label for label, _ in table["rows"]] == ["一、本年新收政府信息公开申请数量", "（七）总计"]
    assert [values for _, values in table["rows"]] == [["4", "1"], ["6", "1"]]
    natural, total = (table["cols"].index(default_templates().template("2021.application").column(key).title) for key in ("natural_person", "total"))
    assert (natural, total) == (0, 1)
    # the fault at 11:11 is 总计/自然人 ("6"); its related location 10:12 is 新收/自然人 ("4")
    assert finding["g"] == [[0, 1, 0, "f"], [0, 0, 0, "r"]]
    assert finding["x"] == ["| （七）总计 | ", "6", " | 1 |"]


def test_only_tables_a_finding_points_into_are_kept():
    entry = AuditEntry("a.md", _record("a.md", "淮安市", "商务局", 2021, None, CELLS), [_finding("a.md", "DT004", "warning", 30, 1)])
    assert audit_data([entry], RULES, default_templates())["details"][0]["tables"] == []


def test_cross_report_findings_link_both_reports():
    entries = _corpus()
    related = RelatedLocation(Location(80, 20, 80, 21), "2021 年报告的结转下年度：1", "a.md")
    entries[1].diagnostics.append(Diagnostic("b.md", Location(57, 20, 57, 21), "XR001", "carry-over-mismatch", Severity.WARNING, "上年结转为 2", (related,)))
    (row,) = audit_data(entries, RULES, default_templates())["xr"]
    assert row == {"i": 1, "c": "XR001", "s": "warning", "m": "上年结转为 2", "rel": [[0, "a.md", "2021 年报告的结转下年度：1"]]}


# --- nothing from a report becomes markup --------------------------------------------


@given(st.text(alphabet=st.sampled_from(["<", ">", "/", "!", "-", "&", "s", "c", "r", "i", "p", "t", "\u2028", "\u2029", '"', "字"])))
def test_embedded_json_never_ends_its_element_and_reads_back(text):
    embedded = embed_json({"t": text})
    assert not set(embedded) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(embedded) == {"t": text}


def _hostile_page() -> str:
    name = f"某某县{PAYLOAD_IMG}商务局"
    record = _record(HOSTILE_FILE_NAME, "", name, 2021, None, [_cell("new", PAYLOAD_SCRIPT, "natural_person", PAYLOAD_BREAKOUT, 10, 10)])
    finding = Diagnostic(HOSTILE_FILE_NAME, Location(10, 10, 10, 20), "TB002", "non-numeric-cell", Severity.ERROR, f"栏填的是“{PAYLOAD_BREAKOUT}”")
    entry = AuditEntry(HOSTILE_FILE_NAME, record, [finding], {10: f"| {PAYLOAD_LINK} | {PAYLOAD_BREAKOUT} |"})
    return render_page(audit_data([entry], RULES, default_templates()), f"标题{PAYLOAD_IMG}", "nianbao")


def test_report_text_is_never_written_as_markup():
    page = _hostile_page()
    for payload in ("<img src=x", "<script>window", "<a href=\"javascript", "</script><script>"):
        assert payload not in page
    # the page's own elements only: one data element, one script, one style
    assert page.count("<script") == 2 and page.count("</script>") == 2 and page.count("<style>") == 1
    assert "&lt;img src=x" in page  # the title line, escaped as text


def test_the_content_security_policy_allows_only_the_files_own_script_and_style():
    page = _hostile_page()
    script = re.search(r"<script>(.*)</script>", page, re.DOTALL).group(1)
    style = re.search(r"<style>(.*)</style>", page, re.DOTALL).group(1)
    assert (script, style) == (static_file("audit.js"), static_file("audit.css"))
    policy = content_security_policy(script, style)
    assert f'content="{policy}"' in page.replace("&#x27;", "'")
    assert policy.startswith("default-src 'none'; ") and "unsafe" not in policy and "img-src data:;" in policy
    assert " on" not in static_file("page.html").replace(" one", "")  # no inline event handler attributes


# --- the command ------------------------------------------------------------------------


def test_report_writes_one_file_for_the_examples(tmp_path, capsys):
    output = tmp_path / "audit.html"
    assert main(["report", str(EXAMPLES), "-o", str(output), "--no-progress", "--title", "示例"]) == 0
    page = output.read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="audit-data">(.*?)</script>', page, re.DOTALL).group(1))
    assert sorted(Path(row["p"]).name for row in data["reports"]) == sorted(path.name for path in EXAMPLES.iterdir() if path.suffix in (".txt", ".md"))
    assert "示例" in page and "份报告" in capsys.readouterr().err


def test_check_writes_the_view_of_one_run_with_format_html(tmp_path):
    output = tmp_path / "run.html"
    example = EXAMPLES / "003_92d244c9ede656a3.txt"
    assert main(["check", "--isolated", "--format", "html", "-o", str(output), str(example)]) == 0  # a warning and an info, no error
    data = json.loads(re.search(r'id="audit-data">(.*?)</script>', output.read_text(encoding="utf-8"), re.DOTALL).group(1))
    (report,) = data["reports"]
    assert report["p"] == str(example) and report["rc"]["AR008"] == 1  # the example's delta-as-decisions finding
    assert report["b"] == "" and data["details"][0]["tables"] == []  # no record: no identity, no tables


def test_report_without_files_is_a_usage_error(tmp_path, capsys):
    assert main(["report", str(tmp_path), "-o", str(tmp_path / "x.html")]) == 2
    assert "没有找到" in capsys.readouterr().err


# --- in the browser ---------------------------------------------------------------------

needs_browser = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The view of the example reports and of a generated corpus (220 reports and a hostile one)."""
    root = tmp_path_factory.mktemp("audit")
    corpus = root / "corpus"
    write_corpus(corpus, 220, hostile=True)
    built = {}
    for name, source in (("examples", EXAMPLES), ("corpus", corpus)):
        built[name] = root / f"{name}.html"
        assert main(["report", str(source), "-o", str(built[name]), "-q", "--no-progress", "--jobs", "2"]) == 0
    return built


def _open(browser, page: Path, fragment: str = ""):
    browser.get(page.as_uri() + fragment)
    browser.get_log("browser")  # the log of the page before
    browser.refresh()


def _problems(browser) -> list:
    return [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]


@needs_browser
@pytest.mark.parametrize("name", ["examples", "corpus"])
def test_the_file_loads_offline_without_errors_and_draws_its_charts(browser, pages, name):
    _open(browser, pages[name])
    assert _problems(browser) == []
    resources = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert [name for name in resources if not name.startswith("data:")] == []
    charts = browser.find_elements("css selector", "svg.chart")
    assert len(charts) >= 4
    for chart in charts:
        assert chart.find_elements("css selector", "rect, circle"), chart.get_attribute("id")
        assert chart.find_elements("css selector", "a.mark")
    assert browser.find_elements("css selector", "#bodies-rows tr")


@needs_browser
def test_a_body_in_the_ranking_lists_its_reports(browser, pages):
    _open(browser, pages["corpus"], "#sort=errors")
    first = browser.find_element("css selector", "#bodies-rows tr")
    body = first.find_element("css selector", "th a").text
    count = int(first.find_elements("css selector", "td")[1].text)
    first.find_element("css selector", "th a").click()
    assert browser.find_element("id", "reports").is_displayed()
    assert not browser.find_element("id", "overview").is_displayed()
    rows = browser.find_elements("css selector", "#reports-rows tr")
    assert len(rows) == count >= 2  # each generated body has a 2021 and a 2022 report
    assert {row.find_element("css selector", "th a").text for row in rows} == {body.replace("/", "")}
    assert "body=" in browser.current_url
    assert _problems(browser) == []


@needs_browser
def test_a_finding_shows_its_table_with_the_faulty_cell_marked(browser, pages):
    _open(browser, pages["corpus"], "#view=reports&rule=AR001")
    browser.find_element("css selector", "#reports-rows th a").click()
    findings = browser.find_elements("css selector", "#findings a")
    broken = next(link for link in findings if "AR001" in link.text and "（七）总计" in link.text and "可能有误" in link.text)
    broken.click()
    fault = browser.find_element("css selector", "#finding td.fault")
    # the generated fault: （七）总计 of 自然人 written 5 where the outcomes add up to 4
    assert fault.text.startswith("5") and "出错" in fault.text
    row = fault.find_element("xpath", "./..")
    assert row.find_element("css selector", "th").text == "（七）总计"
    headers = [cell.text for cell in browser.find_elements("css selector", "#finding thead th")]
    assert headers[browser.execute_script("return arguments[0].cellIndex", fault)] == "自然人"
    assert browser.find_elements("css selector", "#finding td.related")
    assert browser.find_element("css selector", "#finding mark").text == "5"
    assert _problems(browser) == []


@needs_browser
def test_a_hostile_report_runs_nothing_and_shows_its_text_literally(browser, pages):
    _open(browser, pages["corpus"], "#view=reports&q=onerror")
    (link,) = browser.find_elements("css selector", "#reports-rows th a")
    link.click()
    shown = []
    for index in range(len(browser.find_elements("css selector", "#findings a"))):
        browser.find_elements("css selector", "#findings a")[index].click()
        shown.append(browser.find_element("id", "report").text)
        assert browser.execute_script("return typeof window.__pwned") == "undefined"
    text = "\n".join(shown)
    for payload in (PAYLOAD_IMG, PAYLOAD_SCRIPT, PAYLOAD_LINK, PAYLOAD_BREAKOUT, HOSTILE_FILE_NAME):
        assert payload in text
    assert browser.execute_script("return document.images.length") == 0
    assert browser.execute_script("return document.scripts.length") == 2
    assert browser.execute_script("return document.querySelectorAll('[onerror], a[href^=\"javascript\"]').length") == 0
    assert _problems(browser) == []


@needs_browser
def test_the_view_works_from_the_keyboard(browser, pages):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    _open(browser, pages["examples"])
    reached = None
    for _ in range(300):  # every filter, chart mark and link before the ranking
        ActionChains(browser).send_keys(Keys.TAB).perform()
        reached = browser.execute_script("const a = document.activeElement; return a.closest('#bodies-rows') ? a.textContent : null")
        if reached:
            break
    assert reached, "the body ranking is not reachable with Tab"
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    assert browser.find_element("id", "reports").is_displayed()
    assert browser.execute_script("return document.activeElement.id") == "reports-title"  # focus follows the view


@needs_browser
def test_the_print_sheet_leaves_out_navigation_and_filters(browser, pages):
    _open(browser, pages["examples"])
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not browser.find_element("id", "filters").is_displayed()
        assert not browser.find_element("css selector", "nav").is_displayed()
        assert browser.find_element("css selector", "svg.chart").is_displayed()
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


@needs_browser
def test_a_filter_narrows_the_rankings_and_the_link_keeps_it(browser, pages):
    from selenium.webdriver.support.ui import Select

    _open(browser, pages["corpus"])
    Select(browser.find_element("id", "f-region")).select_by_visible_text("苏州市")
    regions = [row.find_element("css selector", "th").text for row in browser.find_elements("css selector", "#regions-rows tr")]
    assert regions == ["苏州市"]
    bodies = [row.find_element("css selector", "th").text for row in browser.find_elements("css selector", "#bodies-rows tr")]
    assert bodies and all(body.startswith("苏州市/") for body in bodies)
    assert "筛选出" in browser.find_element("id", "filtered-count").text
    shared = browser.current_url
    assert "region=" in shared
    browser.get("about:blank")
    browser.get(shared)  # the link opens the same view
    assert Select(browser.find_element("id", "f-region")).first_selected_option.text == "苏州市"
    assert [row.find_element("css selector", "th").text for row in browser.find_elements("css selector", "#bodies-rows tr")] == bodies
