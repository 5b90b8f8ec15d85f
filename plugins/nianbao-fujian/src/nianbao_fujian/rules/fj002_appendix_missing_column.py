from __future__ import annotations

from nianbao.api import Finding, Option, Rule, Severity, default_templates

APPENDIX_TEMPLATE = "2008.appendix"


class AppendixMissingColumn(Rule):
    """统计附表缺少规定的列（本年度或历年累计）。

    ## 检查什么
    选项 `columns` 列出附表必须有的列，用附表模板（2008.appendix）的列键表示：`annual` 为
    本年度（“2017年”“本年度”“统计数”等），`cumulative` 为历年累计。福建省配置档 fujian 要求
    两列都有。附表表头缺少其中一列时报告本问题，位置在表头。`columns` 默认为空，此时本规则
    不检查任何内容。

    ## 为什么重要
    福建省的附表同时报本年度数和历年累计数；缺了历年累计，就无法核对“历年累计不小于本年”
    和逐年累计关系（上年累计 + 本年 = 本年累计）。

    ## 反例
    ```
    指标名称	单位	2017年
    主动公开政府信息数	条	213
    ```

    ## 正例
    ```
    指标名称	单位	2017年	历年累计
    主动公开政府信息数	条	213	2676
    ```
    """

    code = "FJ002"
    name = "appendix-missing-column"
    summary = "统计附表缺少本年度或历年累计列（福建，2019年以前）"
    severity = Severity.ERROR
    eras = frozenset({"2008"})
    options = (Option("columns", list, [], "附表必须有的列（模板列键：annual、cumulative）"),)
    tags = ("local", "fujian")

    @classmethod
    def resolve_options(cls, given):
        resolved = super().resolve_options(given)
        template = default_templates().template(APPENDIX_TEMPLATE)
        known = [column.key for column in template.columns] if template else []
        for key in resolved["columns"]:
            if key not in known:
                raise ValueError(f"规则 {cls.code}：选项 columns 中的 {key!r} 不是附表的列，可选：{'、'.join(known)}")
        return resolved

    def check(self, document):
        wanted = self.config["columns"]
        if not wanted:
            return
        template = default_templates().template(APPENDIX_TEMPLATE)
        for table in document.tables_of(APPENDIX_TEMPLATE):
            header = table.source.rows[0].span if table.source is not None and table.source.rows else table.span
            for key in wanted:
                if key in table.columns:
                    continue
                column = template.column(key) if template else None
                label = column.label if column else key
                yield Finding(
                    header,
                    f"附表缺少“{label}”列：福建省要求附表同时列出本年度数和历年累计数",
                    place=f"appendix/column:{key}",
                )
