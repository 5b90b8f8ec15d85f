from __future__ import annotations

from nianbao.api import Finding, Rule, Section, Severity, Span, SubSection

# How much of the first line the finding marks: enough to see what the file holds.
_SHOWN_CHARACTERS = 40


class NotAnAnnualReport(Rule):
    """文件不是一份年度报告（空文件、乱码、放错的文件）。

    ## 检查什么
    文件中既没有标题，也没有编号的部分（“一、总体情况”“（一）主动公开”这样的标题），没有任何一张
    法定表格，正文中也没有一个统计数字（“收到申请5件”“公开信息356条”）。空文件、转换失败留下的乱码、
    误提交的其他文件都属于这种情况。只要有其中任何一样（哪怕只是报告开头的标题或第一部分），就不报告：
    缺少的内容由其他结构规则逐项指出。

    ## 为什么重要
    其他规则检查的是报告里写错的地方；一个被清空或转换坏了的文件里没有可检查的内容，其他规则都不会
    报告错误，提交或检查就会“通过”。这条规则让这样的文件不能通过。

    ## 反例
    一个空文件；或者转换失败后只剩下：
    ```
    ������ ���� ��
    ```

    ## 正例
    ```
    某某县市场监督管理局2021年政府信息公开工作年度报告
    一、总体情况
    2021年，我局主动公开政府信息356条……
    ```
    """

    code = "ST011"
    name = "not-an-annual-report"
    summary = "文件不是年度报告：没有标题、编号的部分、法定表格或统计数字"
    severity = Severity.ERROR
    tags = ("structure",)

    def check(self, document):
        text = document.text
        if not text.strip():
            yield Finding(
                Span(0, 0),
                "文件是空的：这里应是政府信息公开工作年度报告的全文，请检查文件是否被清空",
                place="report",
            )
            return
        if _looks_like_a_report(document):
            return
        start = len(text) - len(text.lstrip())
        line_end = text.find("\n", start)
        end = min(line_end if line_end != -1 else len(text), start + _SHOWN_CHARACTERS)
        yield Finding(
            Span(start, end),
            "这不像是一份政府信息公开工作年度报告：没有标题、没有编号的部分（如“一、总体情况”）、没有法定表格，"
            "正文中也没有统计数字；请检查文件是否放错、被清空或转换出错",
            place="report",
        )


def _looks_like_a_report(document) -> bool:
    report = document.report
    if report.title is not None or report.sections or document.tables:
        return True
    if any(isinstance(node, (Section, SubSection)) for node in report.walk()):
        return True
    return any(not figure.quoted for sentence in document.sentences() for figure in sentence.figures)
