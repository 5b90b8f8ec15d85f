"""Official tables written in every rendering, shared by the table and rule tests.

A *description* is a list of rows, each a list of cell texts in normalised form; :func:`render`
writes it as a report would (in the renderings :mod:`nianbao.tables.cells` reads), :func:`embed`
puts it inside a small report.
The builders below describe the official tables with given values and return the description
with the grid the recogniser should read: ``{(template, row key, column key): text}``.
"""

from __future__ import annotations

import re
import unicodedata

# --- writing one table description in every rendering ------------------------------------------
#
# A description is a list of rows, each a list of cell texts in normalised form; "" is an empty
# cell, "\n" inside a cell is where a wrapped cell breaks. Renderings that cannot show an empty
# cell (cell-lines) leave it out, renderings that cannot wrap (pipe rows, Markdown) join it.

RENDERINGS = ["bar-lines", "pipe-rows", "markdown", "tab-cells", "cell-lines", "cell-lines-spaced", "cell-lines-piped"]
# Renderings that keep an empty value cell where it is.
BLANK_SAFE = {"bar-lines", "pipe-rows", "markdown", "tab-cells"}
# pdftotext -layout text (render_layout). Kept out of RENDERINGS: a wrapped label's span there
# covers the cells written beside it, which the span checks of the other renderings exclude.
LAYOUT = "layout"


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
    elif rendering == LAYOUT:
        return render_layout(description)
    else:
        for row in description:
            for cell in row:
                for part in cell.split("\n") if cell else []:
                    lines.append(part + " |" if rendering == "cell-lines-piped" else part)
                    if rendering == "cell-lines-spaced":
                        lines.append("")
    return "\n".join(lines)


# A value cell as the descriptions write them: counts, signed deltas, amounts, dashes.
_VALUE_CELL = re.compile(r"(?:[+\-加减增]|减少)?[\d,]+(?:\.\d+)?(?:元|万元|件|条)?|[/\-—]")


def render_layout(description: list[list[str]], *, cjk_width: int = 2, indent: int = 4, gap: int = 3,
                  row_gap: int = 0) -> str:
    """The table as ``pdftotext -layout`` writes a PDF table: cells placed by column and padded
    with spaces, ``cjk_width`` columns per CJK character (2 = by display width, 1 = one column
    per character), ``gap`` spaces at least between columns, ``row_gap`` blank lines between rows.

    As in the PDF, the value columns line up: a data row with fewer cells than the widest one
    (no group label in front) has its first cell spread over the missing columns, and header
    rows line up with the data rows after them. A wrapped cell ("\n") takes several lines and
    the row's other cells are centred vertically beside it, so a value next to a two-line label
    gets a line of its own between the label's halves. Labels are left-aligned, header cells and
    values centred. Empty cells are not written at all.
    """

    def width(text: str) -> int:
        return sum(cjk_width if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)

    def is_data(row: list[str]) -> bool:
        return any(_VALUE_CELL.fullmatch(cell) for cell in row)

    def trimmed(row: list[str]) -> int:
        return max((index + 1 for index, cell in enumerate(row) if cell), default=0)

    # Each run of header rows and the data rows after them is one table: its own offsets.
    offsets: list[int] = []
    start = 0
    while start < len(description):
        end = start
        while end < len(description) and not is_data(description[end]):
            end += 1
        while end < len(description) and is_data(description[end]):
            end += 1
        rows = description[start:end]
        data_width = max((len(row) for row in rows if is_data(row)), default=0)
        header_width = max((trimmed(row) for row in rows if not is_data(row)), default=0)
        offsets += [data_width - len(row) if is_data(row) else max(0, data_width - header_width) for row in rows]
        start = end

    # (row, first column, last column, centred, lines) for every written cell.
    placed = []
    for number, (row, offset) in enumerate(zip(description, offsets)):
        for index, cell in enumerate(row):
            if cell:
                first = 0 if index == 0 else index + offset
                last = offset if index == 0 else index + offset
                centred = not is_data(row) or bool(_VALUE_CELL.fullmatch(cell))
                placed.append((number, first, last, centred, cell.split("\n")))
    columns = max(last for _, _, last, _, _ in placed) + 1
    widths = [0] * columns
    for _, first, last, _, lines in placed:
        if first == last:
            widths[first] = max(widths[first], *(width(line) for line in lines))
    for _, first, last, _, lines in placed:
        room = sum(widths[first:last + 1]) + gap * (last - first)
        widths[last] += max(0, max(width(line) for line in lines) - room)
    starts = [indent + sum(widths[:column]) + gap * column for column in range(columns)]

    output: list[str] = []
    for number in range(len(description)):
        cells = [(first, last, centred, lines) for row, first, last, centred, lines in placed if row == number]
        height = max((len(lines) for _, _, _, lines in cells), default=1)
        # Vertical places in half lines: a cell of n lines in a row of h starts at (h - n) / 2.
        pieces: dict[int, list[tuple[int, str]]] = {}
        for first, last, centred, lines in cells:
            room = sum(widths[first:last + 1]) + gap * (last - first)
            for index, line in enumerate(lines):
                x = starts[first] + ((room - width(line)) // 2 if centred and first else 0)
                pieces.setdefault(height - len(lines) + 2 * index, []).append((x, line))
        for y in sorted(pieces):
            text, column = "", 0
            for x, line in sorted(pieces[y]):
                padding = x - column if x >= column + (gap if column else 0) else gap
                text += " " * padding + line
                column += padding + width(line)
            output.append(text)
        if number < len(description) - 1:
            output.extend([""] * row_gap)
    return "\n".join(output)


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


# The 2019 trial format: （六）其他处理 is a single row.
APPLICATION_ROWS_2019 = [
    *APPLICATION_ROWS_2021[:20],
    ("", "(六)其他处理", "other"),
    *APPLICATION_ROWS_2021[23:],
]
APPLICATION_ROWS = {"2019": APPLICATION_ROWS_2019, "2021": APPLICATION_ROWS_2021}


def application(values: dict[str, list[str]], era: str) -> tuple[list[list[str]], dict]:
    """The 依申请 table of ``era`` ("2019": 23 rows, "2021": 25) with ``values`` by row key (7 each)."""
    description = [list(row) for row in APPLICATION_HEADER]
    expected = {}
    for group, label, key in APPLICATION_ROWS[era]:
        row_values = values[key]
        description.append(([label] if group is None else [group, label]) + list(row_values))
        for column, value in zip(APPLICATION_COLUMNS, row_values):
            expected[(f"{era}.application", key, column)] = value
    return description, expected


def application_2021(values: list[list[str]]) -> tuple[list[list[str]], dict]:
    """The 2021 依申请 table with ``values`` (25 rows of 7, template column order)."""
    description = [list(row) for row in APPLICATION_HEADER]
    expected = {}
    for (group, label, key), row_values in zip(APPLICATION_ROWS_2021, values):
        description.append(([label] if group is None else [group, label]) + list(row_values))
        for column, value in zip(APPLICATION_COLUMNS, row_values):
            expected[("2021.application", key, column)] = value
    return description, expected


# The section-二 blocks: (block, caption, header cells, column keys, [(row label, row key)]).
ACTIVE_BLOCKS = {
    "2019": [
        ("20-1", "第二十条第(一)项", ["本年新\n制作数量", "本年新\n公开数量", "对外公开总数量"],
         ["new_made", "new_published", "total_published"], [("规章", "rules"), ("规范性文件", "normative_documents")]),
        ("20-5", "第二十条第(五)项", ["上一年项目数量", "本年增/减", "处理决定数量"], ["previous", "delta", "decisions"],
         [("行政许可", "licensing"), ("其他对外管理服务事项", "other_services")]),
        ("20-6", "第二十条第(六)项", ["上一年项目数量", "本年增/减", "处理决定数量"], ["previous", "delta", "decisions"],
         [("行政处罚", "penalty"), ("行政强制", "coercion")]),
        ("20-8", "第二十条第(八)项", ["上一年项目数量", "本年增/减"], ["previous", "delta"], [("行政事业性收费", "fees")]),
        ("20-9", "第二十条第(九)项", ["采购项目数量", "采购总金额"], ["projects", "amount"], [("政府集中采购", "procurement")]),
    ],
    "2021": [
        ("20-1", "第二十条第(一)项", ["本年制发件数", "本年废止件数", "现行有效件数"], ["issued", "repealed", "in_force"],
         [("规章", "rules"), ("行政规范性文件", "normative_documents")]),
        ("20-5", "第二十条第(五)项", ["本年处理决定数量"], ["decisions"], [("行政许可", "licensing")]),
        ("20-6", "第二十条第(六)项", ["本年处理决定数量"], ["decisions"], [("行政处罚", "penalty"), ("行政强制", "coercion")]),
        ("20-8", "第二十条第(八)项", ["本年收费金额(单位:万元)"], ["amount"], [("行政事业性收费", "fees")]),
    ],
}


def active(values: dict[tuple[str, str], list[str]], era: str) -> tuple[list[list[str]], dict]:
    """The section-二 blocks of ``era`` in one block; ``values`` by (block, row key)."""
    description, expected = [], {}
    for block, caption, header, columns, rows in ACTIVE_BLOCKS[era]:
        description.append([caption])
        description.append(["信息内容", *header])
        for label, key in rows:
            row_values = values[(block, key)]
            description.append([label, *row_values])
            for column, value in zip(columns, row_values):
                expected[(f"{era}.active.{block}", key, column)] = value
    return description, expected


def active_2019() -> tuple[list[list[str]], dict]:
    """The five 2019 section-二 blocks in one block, with wrapped header cells."""
    return active(
        {
            ("20-1", "rules"): ["0", "2", "5"],
            ("20-1", "normative_documents"): ["3", "3", "17"],
            ("20-5", "licensing"): ["30", "+17", "13"],
            ("20-5", "other_services"): ["0", "0", "0"],
            ("20-6", "penalty"): ["1001", "减71", "930"],
            ("20-6", "coercion"): ["102", "加89", "191"],
            ("20-8", "fees"): ["4", "-1"],
            ("20-9", "procurement"): ["15", "6603610.09"],
        },
        "2019",
    )


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


# The 附表 rows: (label, key, unit). Channel and answer rows vary between families.
APPENDIX_ROWS = [
    ("主动公开政府信息数", "published", "条"),
    ("其中:1.政府网站公开数", "published.website", "条"),
    ("2.政府公报公开数", "published.gazette", "条"),
    ("受理政府信息公开申请总数", "applications", "件"),
    ("其中:1.当面申请数", "applications.in_person", "件"),
    ("2.网上申请数", "applications.online", "件"),
    ("3.信函申请数", "applications.letter", "件"),
    ("对申请的答复总数", "answers", "件"),
    ("其中:1.同意公开答复数", "answers.granted", "件"),
    ("2.同意部分公开答复数", "answers.partial", "件"),
    ("3.不予公开答复数", "answers.refused", "件"),
    ("4.其他类型答复数", "answers.other", "件"),
    ("行政复议数", "reviews", "件"),
    ("行政诉讼数", "lawsuits", "件"),
]


def appendix_table(
    values: dict[str, tuple[str, str]], rows: list[tuple[str, str, str]] = APPENDIX_ROWS, year: int = 2015
) -> tuple[list[list[str]], dict]:
    """A 2008–2018 附表 with (本年, 历年累计) ``values`` by row key, for the ``rows`` given."""
    description = [["指 标 名 称", "单位", f"{year}年", "历年累计"]]
    expected = {}
    for label, key, unit in rows:
        annual, cumulative = values[key]
        description.append([label, unit, annual, cumulative])
        expected[("2008.appendix", key, "unit")] = unit
        expected[("2008.appendix", key, "annual")] = annual
        expected[("2008.appendix", key, "cumulative")] = cumulative
    return description, expected


def appendix() -> tuple[list[list[str]], dict]:
    return appendix_table(
        {
            "published": ("213", "2676"),
            "published.website": ("213", "2676"),
            "published.gazette": ("0", "0"),
            "applications": ("125", "384"),
            "applications.in_person": ("0", "2"),
            "applications.online": ("122", "378"),
            "applications.letter": ("3", "4"),
            "answers": ("125", "384"),
            "answers.granted": ("53", "188"),
            "answers.partial": ("0", "1"),
            "answers.refused": ("72", "191"),
            "answers.other": ("0", "4"),
            "reviews": ("0", "0"),
            "lawsuits": ("0", "0"),
        }
    )


# --- whole reports ---------------------------------------------------------------------------------

# The report year that puts a report in each format era.
ERA_YEARS = {"2008": 2015, "2019": 2020, "2021": 2022}


def report(era: str, tables: dict[str, str]) -> str:
    """A minimal report of ``era`` with rendered ``tables`` by section (二, 三, 四; 附表 for 2008)."""
    year = ERA_YEARS[era]
    lines = [f"某某市商务局{year}年政府信息公开工作年度报告"]
    if era == "2008":
        lines += [
            "一、概述",
            f"{year}年，我局认真贯彻落实政府信息公开条例。本报告所列数据的统计期限为{year}年1月1日至12月31日。",
            "二、主动公开政府信息的情况",
            "全年主动公开政府信息。",
            "三、依申请公开政府信息和不予公开政府信息的情况",
            "详见附表。",
            "四、政府信息公开的收费及减免情况",
            "无。",
            "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
            "无。",
            "六、政府信息公开工作存在的主要问题及改进情况",
            "无。",
            "七、其他需要报告的事项",
            "附表",
            tables["附表"],
            "",
        ]
    else:
        lines += [
            "一、总体情况",
            f"{year}年，我局认真贯彻落实政府信息公开条例。本报告所列数据的统计期限为{year}年1月1日至12月31日。",
            "二、主动公开政府信息情况",
            tables["二"],
            "",
            "三、收到和处理政府信息公开申请情况",
            tables["三"],
            "",
            "四、政府信息公开行政复议、行政诉讼情况",
            tables["四"],
            "",
            "五、存在的主要问题及改进情况",
            "无。",
            "六、其他需要报告的事项",
            "无。",
        ]
    lines += ["某某市商务局", f"{year + 1}年1月20日", ""]
    return "\n".join(lines)
