"""A generated corpus for the audit view: many bodies of several regions, two years each, with
faults chosen by construction (a broken 总计, a carry-over that does not match the year before, late
and missing publication dates), and a hostile report whose text, table cell and file name carry
markup and script.
"""

from __future__ import annotations

from pathlib import Path

from body_histories import report_2021_format

REGIONS = ("淮安市", "淮安市淮安区", "苏州市", "苏州市吴江区", "南京市鼓楼区", "无锡市", "徐州市铜山区", "扬州市")
BODIES = ("市场监督管理局", "商务局", "教育局", "卫生健康委员会", "交通运输局", "民政局", "财政局", "司法局", "自然资源和规划局", "人民政府办公室", "水务局", "文化广电和旅游局", "住房和城乡建设局")
SIGN_OFF = "1月20日"
OUTCOME_TOTAL = "| | （七）总计 | 4 | 1 |"
BROKEN_OUTCOME_TOTAL = "| | （七）总计 | 5 | 1 |"

PAYLOAD_SCRIPT = "<script>window.__pwned = 'script';</script>"
PAYLOAD_IMG = "<img src=x onerror=\"window.__pwned = 'img'\">"
PAYLOAD_LINK = "<a href=\"javascript:window.__pwned = 'link'\">点此查看</a>"
PAYLOAD_BREAKOUT = "</script><script>window.__pwned = 'breakout';</script>"
HOSTILE_FILE_NAME = "<img src=x onerror=window.__pwned=1>.md"


def corpus_reports(count: int) -> dict[str, str]:
    """``count`` report texts by file name (half 2021, half 2022, body by body)."""
    reports: dict[str, str] = {}
    number = 0
    while len(reports) < count:
        region = REGIONS[number % len(REGIONS)]
        body = BODIES[(number // len(REGIONS)) % len(BODIES)]
        name = f"{region}{body}"
        # Every seventh body's 2022 report carries over 2 applications where 2021 left 1 (XR001, AR001).
        carried = (2, 0, 0, 0, 0, 0, 2) if number % 7 == 3 else (1, 0, 0, 0, 0, 0, 1)
        for year, carried_over in ((2021, (1, 0, 0, 0, 0, 0, 1)), (2022, carried)):
            text = report_2021_format(year, carried_over=carried_over, body=name)
            if number % 5 == 1:
                text = text.replace(OUTCOME_TOTAL, BROKEN_OUTCOME_TOTAL)
            if number % 4 == 2:
                text = text.replace(f"{year + 1}年{SIGN_OFF}", f"{year + 1}年3月15日")
            if number % 9 == 4:
                text = text.replace(f"\n{year + 1}年{SIGN_OFF}\n", "\n")
            reports[f"{number:04d}-{year}.md"] = text
        number += 1
    return dict(list(reports.items())[:count])


def hostile_report() -> str:
    """The 2021 example tampered: markup in the body's name, a paragraph with a script and a
    ``javascript:`` link, and a table cell that tries to close the page's data element."""
    text = report_2021_format(2021, body=f"某某县{PAYLOAD_IMG}市场监督管理局")
    # Each payload sits next to an approximate count (NR004), so a finding's excerpt shows it.
    text = text.replace(
        "我局严格执行政府信息公开审查制度，做到先审查、后公开。",
        f"我局严格执行政府信息公开审查制度。{PAYLOAD_LINK}全年审查信息20余条{PAYLOAD_SCRIPT}",
    )
    return text.replace("| 行政许可 | 1240 |", f"| 行政许可 | {PAYLOAD_BREAKOUT} |")


def write_corpus(directory: Path, count: int, hostile: bool = False) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in corpus_reports(count).items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    if hostile:
        path = directory / HOSTILE_FILE_NAME
        path.write_text(hostile_report(), encoding="utf-8")
        written.append(path)
    return written
