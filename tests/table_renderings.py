"""Official tables written in every rendering, shared by the table and rule tests.

A *description* is a list of rows, each a list of cell texts in normalised form; :func:`render`
writes it as a report would (``docs/renderings``), :func:`embed` puts it inside a small report.
The builders below describe the official tables with given values and return the description
with the grid the recogniser should read: ``{(template, row key, column key): text}``.
"""

from __future__ import annotations

# --- writing one table description in every rendering ------------------------------------------
#
# A description is a list of rows, each a list of cell texts in normalised form; "" is an empty
# cell, "\n" inside a cell is where a wrapped cell breaks. Renderings that cannot show an empty
# cell (cell-lines) leave it out, renderings that cannot wrap (pipe rows, Markdown) join it.

RENDERINGS = ["bar-lines", "pipe-rows", "markdown", "tab-cells", "cell-lines", "cell-lines-spaced", "cell-lines-piped"]
# Renderings that keep an empty value cell where it is.
BLANK_SAFE = {"bar-lines", "markdown", "tab-cells"}


def render(description: list[list[str]], rendering: str) -> str:
    lines: list[str] = []
    if rendering == "bar-lines":
        for index, cell in enumerate(cell for row in description for cell in row):
            if index:
                lines.append("|")
            if cell:
                lines.extend(cell.split("\n"))
        lines.append("|")
    elif rendering == "pipe-rows":
        for row in description:
            lines.append(" | ".join(cell.replace("\n", "") for cell in row) + " | |||")
    elif rendering == "markdown":
        width = max(len(row) for row in description)
        for number, row in enumerate(description):
            cells = [cell.replace("\n", "") for cell in row] + [""] * (width - len(row))
            lines.append("| " + " | ".join(cells) + " |")
            if number == 0:
                lines.append("|" + "---|" * width)
    elif rendering == "tab-cells":
        for row in description:
            for cell in row:
                first, *rest = cell.split("\n")
                lines.append("\t" + first)
                lines.extend(rest)
            lines.append("")
    else:
        for row in description:
            for cell in row:
                for part in cell.split("\n") if cell else []:
                    lines.append(part + " |" if rendering == "cell-lines-piped" else part)
                    if rendering == "cell-lines-spaced":
                        lines.append("")
    return "\n".join(lines)


def embed(table_text: str) -> tuple[str, list[tuple[int, str]]]:
    """The table inside a small document, and its lines with their offsets in that document."""
    text = "二、主动公开政府信息情况\n" + table_text + "\n五、存在的主要问题及改进情况\n无。"
    lines = lines_with_offsets(text)
    return text, lines[1:-2]


def lines_with_offsets(text: str) -> list[tuple[int, str]]:
    result, offset = [], 0
    for line in text.split("\n"):
        result.append((offset, line))
        offset += len(line) + 1
    return result


# --- the official tables, described once ---------------------------------------------------------

APPLICATION_COLUMNS = ["natural_person", "business", "research", "public_interest", "legal_service", "other", "total"]
NOTE = "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"
APPLICATION_HEADER = [
    [NOTE, "申请人情况", "", "", "", "", "", "", ""],
    ["", "自然人", "法人或其他组织", "", "", "", "", "总计"],
    ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
]
# (group label written in front of the row or "", row label, key); a label with "\n" wraps.
APPLICATION_ROWS_2021 = [
    (None, "一、本年新收政府信息公开申请数量", "new"),
    (None, "二、上年结转政府信息公开申请数量", "carried_over"),
    ("三、本年度办理结果", "(一)予以公开", "granted"),
    ("", "(二)部分公开(区分处理的,只计这一情形,\n不计其他情形)", "partial"),
    ("(三)\n不予公开", "1.属于国家秘密", "withheld.state_secret"),
    ("", "2.其他法律行政法规禁止公开", "withheld.prohibited_by_law"),
    ("", "3.危及“三安全一稳定”", "withheld.safety_stability"),
    ("", "4.保护第三方合法权益", "withheld.third_party"),
    ("", "5.属于三类内部事务信息", "withheld.internal_affairs"),
    ("", "6.属于四类过程性信息", "withheld.process_info"),
    ("", "7.属于行政执法案卷", "withheld.enforcement_file"),
    ("", "8.属于行政查询事项", "withheld.inquiry"),
    ("(四)无法提供", "1.本机关不掌握相关政府信息", "unavailable.not_held"),
    ("", "2.没有现成信息需要另行制作", "unavailable.needs_creation"),
    ("", "3.补正后申请内容仍不明确", "unavailable.still_unclear"),
    ("(五)不予处理", "1.信访举报投诉类申请", "not_processed.petition"),
    ("", "2.重复申请", "not_processed.repeated"),
    ("", "3.要求提供公开出版物", "not_processed.publication"),
    ("", "4.无正当理由大量反复申请", "not_processed.mass_repeated"),
    ("", "5.要求行政机关确认或重新出具已获取信息", "not_processed.confirmation"),
    ("(六)其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other.no_correction"),
    ("", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other.unpaid_fee"),
    ("", "3.其他", "other.other"),
    ("", "(七)总计", "total"),
    (None, "四、结转下年度继续办理", "carry_forward"),
]


def application_2021(values: list[list[str]]) -> tuple[list[list[str]], dict]:
    """The 2021 依申请 table with ``values`` (25 rows of 7, template column order)."""
    description = [list(row) for row in APPLICATION_HEADER]
    expected = {}
    for (group, label, key), row_values in zip(APPLICATION_ROWS_2021, values):
        description.append(([label] if group is None else [group, label]) + list(row_values))
        for column, value in zip(APPLICATION_COLUMNS, row_values):
            expected[("2021.application", key, column)] = value
    return description, expected


def active_2019() -> tuple[list[list[str]], dict]:
    """The five 2019 section-二 blocks in one block, with wrapped header cells."""
    blocks = [
        ("20-1", "第二十条第(一)项", ["本年新\n制作数量", "本年新\n公开数量", "对外公开总数量"],
         ["new_made", "new_published", "total_published"],
         [("规章", "rules", ["0", "2", "5"]), ("规范性文件", "normative_documents", ["3", "3", "17"])]),
        ("20-5", "第二十条第(五)项", ["上一年项目数量", "本年增/减", "处理决定数量"], ["previous", "delta", "decisions"],
         [("行政许可", "licensing", ["30", "+17", "13"]), ("其他对外管理服务事项", "other_services", ["0", "0", "0"])]),
        ("20-6", "第二十条第(六)项", ["上一年项目数量", "本年增/减", "处理决定数量"], ["previous", "delta", "decisions"],
         [("行政处罚", "penalty", ["1001", "减71", "930"]), ("行政强制", "coercion", ["102", "加89", "191"])]),
        ("20-8", "第二十条第(八)项", ["上一年项目数量", "本年增/减"], ["previous", "delta"],
         [("行政事业性收费", "fees", ["4", "-1"])]),
        ("20-9", "第二十条第(九)项", ["采购项目数量", "采购总金额"], ["projects", "amount"],
         [("政府集中采购", "procurement", ["15", "6603610.09"])]),
    ]
    description, expected = [], {}
    for block, caption, header, columns, rows in blocks:
        description.append([caption])
        description.append(["信息内容", *header])
        for label, key, values in rows:
            description.append([label, *values])
            for column, value in zip(columns, values):
                expected[(f"2019.active.{block}", key, column)] = value
    return description, expected


REVIEW_COLUMNS = [
    f"{group}.{result}"
    for group in ("review", "litigation_direct", "litigation_after_review")
    for result in ("upheld", "corrected", "other", "pending", "total")
]


def review_litigation(values: list[str]) -> tuple[list[list[str]], dict]:
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    description = [
        ["行政复议", "", "", "", "", "行政诉讼"],
        [*results, "未经复议直接起诉", "", "", "", "", "复议后起诉"],
        ["", "", "", "", "", *results, *results],
        list(values),
    ]
    expected = {("review-litigation", "cases", column): value for column, value in zip(REVIEW_COLUMNS, values)}
    return description, expected


def appendix() -> tuple[list[list[str]], dict]:
    rows = [
        ("主动公开政府信息数", "published", "条", "213", "2676"),
        ("其中:1.政府网站公开数", "published.website", "条", "213", "2676"),
        ("2.政府公报公开数", "published.gazette", "条", "0", "0"),
        ("受理政府信息公开申请总数", "applications", "件", "125", "384"),
        ("其中:1.当面申请数", "applications.in_person", "件", "0", "2"),
        ("2.网上申请数", "applications.online", "件", "122", "378"),
        ("3.信函申请数", "applications.letter", "件", "3", "4"),
        ("对申请的答复总数", "answers", "件", "125", "384"),
        ("其中:1.同意公开答复数", "answers.granted", "件", "53", "188"),
        ("2.同意部分公开答复数", "answers.partial", "件", "0", "1"),
        ("3.不予公开答复数", "answers.refused", "件", "72", "191"),
        ("4.其他类型答复数", "answers.other", "件", "0", "4"),
        ("行政复议数", "reviews", "件", "0", "0"),
        ("行政诉讼数", "lawsuits", "件", "0", "0"),
    ]
    description = [["指 标 名 称", "单位", "2015年", "历年累计"]]
    expected = {}
    for label, key, unit, annual, cumulative in rows:
        description.append([label, unit, annual, cumulative])
        expected[("2008.appendix", key, "unit")] = unit
        expected[("2008.appendix", key, "annual")] = annual
        expected[("2008.appendix", key, "cumulative")] = cumulative
    return description, expected
