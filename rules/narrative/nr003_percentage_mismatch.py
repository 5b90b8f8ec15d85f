from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from nianbao.api import Finding, Option, Related, Rule, Severity, format_number
from nianbao.rules.narrative.percentages import (
    DEFAULT_TOLERANCE,
    PercentClaim,
    document_percent_claims,
    percent_agrees,
    ratio_percent,
)


class PercentageMismatch(Rule):
    """正文中的百分比与它所依据的数字算不出来。

    ## 检查什么
    句子同时给出件数和百分比时，按句子自己指明的分母重新计算：

    - "办结申请125条，其中同意公开53条，占42%"：53 ÷ 125（"其中"前的总数；"占收到申请总数的…"
      则用句中写明的那个数）；
    - "预审项目339个，通过293个，通过率86.4%"："通过率"的分子是写着"通过"的数，分母是它前面的总数；
    - "其中自然人申请20件、法人5件，分别为80%和20%"：每个百分比对应一个分项，分母是总数（没有总数、
      百分比合计为 100% 时用分项之和）。

    百分比按写出的精度四舍五入后比较（写"42%"按整数，写"86.4%"按一位小数），相差超过
    0.1 个百分点（可用选项 `tolerance` 调整）才报告。诊断指向百分比，并给出算式和应有的值。
    找不到分子或分母的百分比（"同比增长12.5%""办结率100%"）不检查。

    ## 为什么重要
    百分比是读者理解数据的捷径，算错的比例会误导读者，也说明报告没有经过核对。

    ## 反例
    ```
    全年办结政府信息公开申请125条，其中同意公开53条，占48%。
    ```

    ## 正例
    ```
    全年办结政府信息公开申请125条，其中同意公开53条，占42%。
    ```
    """

    code = "NR003"
    name = "percentage-mismatch"
    summary = "正文中的百分比与件数算出的比例不符"
    severity = Severity.WARNING
    options = (
        Option("tolerance", float, float(DEFAULT_TOLERANCE), "按写出的精度四舍五入后允许相差的百分点（0 到 5 之间）"),
    )
    tags = ("narrative", "arithmetic")

    @classmethod
    def resolve_options(cls, given):
        resolved = super().resolve_options(given)
        if not 0 <= resolved["tolerance"] <= 5:
            raise ValueError(f"规则 {cls.code}：选项 tolerance 应在 0 到 5 之间，得到 {resolved['tolerance']}")
        return resolved

    def check(self, document):
        tolerance = Decimal(str(self.config["tolerance"]))
        for claim in document_percent_claims(document):
            if percent_agrees(claim.percent.value, claim.numerator.value, claim.denominator, tolerance):
                continue
            yield self._finding(document, claim, ratio_percent(claim.numerator.value, claim.denominator))

    def _finding(self, document, claim: PercentClaim, expected: Decimal) -> Finding:
        sources = claim.denominator_figures
        if len(sources) == 1:
            denominator = f"“{sources[0].text}”"
        else:
            denominator = f"（{' + '.join(figure.text for figure in sources)} = {format_number(claim.denominator)}）"
        exact = format_number(expected.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
        message = (
            f"百分比“{claim.percent.text}”与数字不符：“{claim.numerator.text}”占{denominator}的比例是 "
            f"{format_number(claim.numerator.value)} ÷ {format_number(claim.denominator)} = {exact}%"
        )
        related = (
            Related(claim.numerator.span, f"分子：{claim.numerator.text}"),
            *(Related(figure.span, f"分母：{figure.text}") for figure in sources),
        )
        place = f"{document.place_prefix(claim.percent.start)}percent:{claim.percent.text}/of:{claim.numerator.text}"
        return Finding(claim.percent.span, message, related=related, place=place)

