"""Table templates: the official tables as data, read from ``nianbao/data/templates/*.toml``.

One TOML file describes one official table (its captions, header, columns, row and group labels
with the variants seen in real reports, and the arithmetic relations between its cells; the
schema is in :class:`Template`'s docstring). Plugins add or replace templates with mappings of
the same shape (the ``nianbao_table_templates`` hook); :func:`template_from_mapping` checks them
and explains, in Chinese, what is wrong. :func:`load_templates` gives the :class:`TemplateSet` a
run recognises tables with (:mod:`nianbao.tables.recognize`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import Iterable, Mapping

from nianbao.data.cache import cached
from nianbao.data.toml import read_toml
from nianbao.tables.labels import LabelMatcher
from nianbao.text.normalize import fold_label

__all__ = [
    "COLUMN_KINDS",
    "RELATION_MEANINGS",
    "RELATION_OPERATORS",
    "RelationTerm",
    "Template",
    "TemplateColumn",
    "TemplateGroup",
    "TemplateRelation",
    "TemplateRow",
    "TemplateSet",
    "default_templates",
    "load_templates",
    "template_from_mapping",
]

COLUMN_KINDS = frozenset({"count", "delta", "amount", "money-10k", "unit"})


@dataclass(frozen=True)
class TemplateColumn:
    key: str
    label: str
    kind: str
    aliases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    display: str | None = None

    @property
    def title(self) -> str:
        """The label used in messages (``display`` when the bare label is ambiguous)."""
        return self.display or self.label


@dataclass(frozen=True)
class TemplateRow:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    group: str | None = None
    parent: str | None = None
    children: str | None = None
    """For a parent row: ``sum`` (children add up to it) or ``overlap`` (each is at most it)."""
    required: bool = True
    unlabeled: bool = False
    """The row has no label in the official table (section 四's single data row)."""


@dataclass(frozen=True)
class TemplateGroup:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    row: str | None = None
    """Row key given to this group label when values follow it directly."""


RELATION_OPERATORS = ("=", ">=", "<=")
RELATION_MEANINGS = ("fault", "misreading")


@dataclass(frozen=True)
class RelationTerm:
    """One term of a relation: a row key (``per = "column"``) or a column key (``per = "row"``)."""

    key: str
    required: bool = True
    """False for a row a ``group.*`` term expanded to that the table may leave out (附表 channels)."""


@dataclass(frozen=True)
class TemplateRelation:
    """An arithmetic relation between the cells of a table (``[[relations]]`` in a template).

    ``left op right`` holds in every column (``per = "column"``: the terms are rows) or in every
    row (``per = "row"``: the terms are columns); ``within`` limits it to some columns or rows.
    ``rule`` is the code of the rule that reports it; ``meaning`` is ``fault`` (a failure is an
    error) or ``misreading`` (the relation holding on every row is a sign of misread columns).
    """

    id: str
    rule: str
    per: str
    left: tuple[RelationTerm, ...]
    right: tuple[RelationTerm, ...]
    op: str = "="
    anchor: str = ""
    """The term whose cell a failure is reported at (default: the first left term)."""
    within: tuple[str, ...] = ()
    label: str | None = None
    """Chinese name of the relation's line or column in messages (default: its label)."""
    explain: str | None = None
    """What the relation says, in Chinese, for messages."""
    meaning: str = "fault"

    @property
    def terms(self) -> tuple[RelationTerm, ...]:
        return self.left + self.right


@dataclass(frozen=True)
class Template:
    """One official table, as read from ``nianbao/data/templates/*.toml`` or a plugin mapping.

    Schema (TOML keys = field names; labels are written as in the official format, compared
    after :func:`~nianbao.text.normalize.fold_label` and, failing that, without punctuation):

    * ``id``, ``title`` (Chinese, for messages), ``eras`` (``2008``/``2019``/``2021``),
      ``section`` (informational: ``二``, ``三``, ``四``, ``附表``).
    * ``captions``: the caption row ("第二十条第（一）项"); ``start``: header labels that open the
      table when there is no caption; ``header``: header-only labels (no column of their own);
      ``notes``: regexes for note cells (the 勾稽关系 note); ``index``: header of a 序号 column.
    * ``[[columns]]``: ``key``, ``label``, ``aliases``, ``patterns`` (regexes), ``kind``
      (``count`` | ``delta`` | ``amount`` | ``money-10k`` | ``unit``), ``display`` (message label
      when ``label`` alone is ambiguous). ``column_order = "header"`` maps values in the order
      the header shows its columns; the default ``template`` uses the order of ``[[columns]]``.
    * ``[[groups]]``: ``key``, ``label``, ``aliases``, ``parent`` (enclosing group), ``row``
      (row key for the group label when values follow it directly).
    * ``[[rows]]``: ``key``, ``label``, ``aliases``, ``patterns``, ``group``, ``parent`` (the
      "其中" parent row), ``children`` on a parent (``sum`` | ``overlap``), ``required``
      (default true), ``unlabeled`` (the row has no label: section 四).
    * ``units``: words of a ``unit`` column ("件"); ``label_prefix``: a regex removed from row
      labels before matching ("其中：1.").
    * ``[[relations]]`` (checked by the AR rules through :mod:`nianbao.rules.arithmetic.relations`): ``id``,
      ``rule`` (the reporting rule's code), ``per`` (``column``: ``left``/``right`` are row keys
      and the relation holds in every value column; ``row``: they are column keys and it holds
      in every row), ``left``, ``right``, ``op`` (``=`` | ``>=`` | ``<=``, read "left op right"),
      ``anchor`` (the term a failure is reported at; default the first left term), ``within``
      (only these columns or rows), ``label`` and ``explain`` (Chinese, for messages),
      ``meaning`` (``fault`` | ``misreading``). A row term ``key.*`` stands for the rows of group
      (or "其中" parent) ``key`` in template order; those the template does not require may be
      absent from a table and then drop out of the sum.

    Aliases are variants seen in real reports and count as exact; anything else that only
    resembles a label (difflib ratio ≥ 0.8) matches with ``label_exact=False``.
    """

    id: str
    title: str
    eras: frozenset[str]
    columns: tuple[TemplateColumn, ...]
    rows: tuple[TemplateRow, ...]
    groups: tuple[TemplateGroup, ...] = ()
    captions: tuple[str, ...] = ()
    start: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    index: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    label_prefix: str | None = None
    column_order: str = "template"
    section: str | None = None
    relations: tuple[TemplateRelation, ...] = ()

    def column(self, key: str) -> TemplateColumn | None:
        return self._columns_by_key.get(key)

    @cached_property
    def _columns_by_key(self) -> dict[str, TemplateColumn]:
        # Rules ask for a column's kind or label for every cell; the first of a key wins, as in a scan.
        by_key: dict[str, TemplateColumn] = {}
        for column in self.columns:
            by_key.setdefault(column.key, column)
        return by_key

    def row(self, key: str) -> TemplateRow | None:
        return next((row for row in self.rows if row.key == key), None)

    @cached_property
    def labels(self) -> frozenset[str]:
        """Every caption, header, index, column, group and row label (and alias), folded with ``fold_label``."""
        texts = [*self.captions, *self.start, *self.header, *self.index]
        for column in self.columns:
            texts.extend((column.label, *column.aliases))
        for group in self.groups:
            texts.extend((group.label, *group.aliases))
        for row in self.rows:
            if not row.unlabeled:
                texts.extend((row.label, *row.aliases))
        return frozenset(fold_label(text) for text in texts)

    def group(self, key: str) -> TemplateGroup | None:
        return next((group for group in self.groups if group.key == key), None)

    def children(self, parent: str) -> list[TemplateRow]:
        """Rows declared as ``parent``'s children (附表 "其中" rows), in template order."""
        return [row for row in self.rows if row.parent == parent]

    def group_rows(self, group: str) -> list[TemplateRow]:
        """Rows of ``group`` and of its nested groups, in template order."""
        keys = {group}
        changed = True
        while changed:
            nested = {g.key for g in self.groups if g.parent in keys}
            changed = not nested <= keys
            keys |= nested
        return [row for row in self.rows if row.group in keys]


def _strings(data: Mapping[str, object], name: str, where: str) -> tuple[str, ...]:
    value = data.get(name, ())
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{where}：{name} 应为字符串列表")
    return tuple(value)


def _text(data: Mapping[str, object], name: str, where: str, default: str | None = None) -> str:
    value = data.get(name, default)
    if not isinstance(value, str) or not value:
        raise ValueError(f"{where}：缺少 {name} 或其不是字符串")
    return value


def _optional_text(data: Mapping[str, object], name: str, where: str) -> str | None:
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{where}：{name} 应为字符串")
    return value


def _table_list(data: Mapping[str, object], name: str, where: str) -> list[Mapping[str, object]]:
    value = data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise ValueError(f"{where}：{name} 应为表数组（[[{name}]]）")
    return value


def _check_patterns(patterns: Iterable[str], where: str) -> None:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValueError(f"{where}：正则表达式 {pattern!r} 无效（{error}）") from None


def template_from_mapping(data: Mapping[str, object], origin: str = "插件") -> Template:
    """Build a :class:`Template` from a TOML-shaped mapping; raise ValueError (Chinese) if invalid."""
    where = f"表格模板（{origin}）"
    template_id = _text(data, "id", where)
    where = f"表格模板 {template_id}（{origin}）"
    eras = _strings(data, "eras", where)
    if not eras or not set(eras) <= {"2008", "2019", "2021"}:
        raise ValueError(f"{where}：eras 应为 2008、2019、2021 中的一个或多个")
    columns = []
    for item in _table_list(data, "columns", where):
        key = _text(item, "key", where)
        kind = _text(item, "kind", f"{where} 列 {key}", "count")
        if kind not in COLUMN_KINDS:
            raise ValueError(f"{where} 列 {key}：kind 应为 {'、'.join(sorted(COLUMN_KINDS))} 之一")
        patterns = _strings(item, "patterns", where)
        _check_patterns(patterns, where)
        columns.append(
            TemplateColumn(
                key=key,
                label=_text(item, "label", f"{where} 列 {key}"),
                kind=kind,
                aliases=_strings(item, "aliases", where),
                patterns=patterns,
                display=_optional_text(item, "display", where),
            )
        )
    if not columns:
        raise ValueError(f"{where}：至少需要一列（[[columns]]）")
    groups = []
    for item in _table_list(data, "groups", where):
        key = _text(item, "key", where)
        groups.append(
            TemplateGroup(
                key=key,
                label=_text(item, "label", f"{where} 分组 {key}"),
                aliases=_strings(item, "aliases", where),
                parent=_optional_text(item, "parent", where),
                row=_optional_text(item, "row", where),
            )
        )
    rows = []
    for item in _table_list(data, "rows", where):
        key = _text(item, "key", where)
        children = _optional_text(item, "children", where)
        if children not in (None, "sum", "overlap"):
            raise ValueError(f"{where} 行 {key}：children 应为 sum 或 overlap")
        patterns = _strings(item, "patterns", where)
        _check_patterns(patterns, where)
        required = item.get("required", True)
        unlabeled = item.get("unlabeled", False)
        if not isinstance(required, bool) or not isinstance(unlabeled, bool):
            raise ValueError(f"{where} 行 {key}：required、unlabeled 应为布尔值")
        rows.append(
            TemplateRow(
                key=key,
                label=_text(item, "label", f"{where} 行 {key}"),
                aliases=_strings(item, "aliases", where),
                patterns=patterns,
                group=_optional_text(item, "group", where),
                parent=_optional_text(item, "parent", where),
                children=children,
                required=required,
                unlabeled=unlabeled,
            )
        )
    if not rows:
        raise ValueError(f"{where}：至少需要一行（[[rows]]）")
    keyed = (("列", [c.key for c in columns]), ("行", [r.key for r in rows]), ("分组", [g.key for g in groups]))
    for kind, keys in keyed:
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise ValueError(f"{where}：{kind}键重复：{'、'.join(duplicates)}")
    group_keys = {group.key for group in groups}
    row_keys = {row.key for row in rows}
    for row in rows:
        if row.group is not None and row.group not in group_keys:
            raise ValueError(f"{where} 行 {row.key}：未定义的分组 {row.group}")
        if row.parent is not None and row.parent not in row_keys:
            raise ValueError(f"{where} 行 {row.key}：未定义的上级行 {row.parent}")
    column_order = _text(data, "column_order", where, "template")
    if column_order not in ("template", "header"):
        raise ValueError(f"{where}：column_order 应为 template 或 header")
    notes = _strings(data, "notes", where)
    _check_patterns(notes, where)
    label_prefix = _optional_text(data, "label_prefix", where)
    if label_prefix:
        _check_patterns([label_prefix], where)
    relations = tuple(
        _relation(item, columns, rows, groups, f"{where} 关系")
        for item in _table_list(data, "relations", where)
    )
    relation_ids = [relation.id for relation in relations]
    duplicates = sorted({key for key in relation_ids if relation_ids.count(key) > 1})
    if duplicates:
        raise ValueError(f"{where}：关系 id 重复：{'、'.join(duplicates)}")
    return Template(
        id=template_id,
        title=_text(data, "title", where),
        eras=frozenset(eras),
        columns=tuple(columns),
        rows=tuple(rows),
        groups=tuple(groups),
        captions=_strings(data, "captions", where),
        start=_strings(data, "start", where),
        header=_strings(data, "header", where),
        notes=notes,
        index=_strings(data, "index", where),
        units=_strings(data, "units", where),
        label_prefix=label_prefix or None,
        column_order=column_order,
        section=_optional_text(data, "section", where),
        relations=relations,
    )


_RELATION_KEYS = frozenset(
    {"id", "rule", "per", "left", "right", "op", "anchor", "within", "label", "explain", "meaning"}
)
_RULE_CODE = re.compile(r"^[A-Z]{2,4}[0-9]{3}$")


def _relation(
    data: Mapping[str, object],
    columns: list[TemplateColumn],
    rows: list[TemplateRow],
    groups: list[TemplateGroup],
    where: str,
) -> TemplateRelation:
    relation_id = _text(data, "id", where)
    where = f"{where} {relation_id}"
    unknown = sorted(set(data) - _RELATION_KEYS)
    if unknown:
        raise ValueError(f"{where}：未知的键 {'、'.join(unknown)}")
    rule = _text(data, "rule", where)
    if not _RULE_CODE.match(rule):
        raise ValueError(f"{where}：rule 应为规则代码（如 AR001），得到 {rule!r}")
    per = _text(data, "per", where)
    if per not in ("row", "column"):
        raise ValueError(f"{where}：per 应为 row 或 column")
    op = _text(data, "op", where, "=")
    if op not in RELATION_OPERATORS:
        raise ValueError(f"{where}：op 应为 {'、'.join(RELATION_OPERATORS)} 之一")
    meaning = _text(data, "meaning", where, "fault")
    if meaning not in RELATION_MEANINGS:
        raise ValueError(f"{where}：meaning 应为 {'、'.join(RELATION_MEANINGS)} 之一")
    row_keys = [row.key for row in rows]
    column_keys = [column.key for column in columns]
    term_keys, within_keys = (row_keys, column_keys) if per == "column" else (column_keys, row_keys)

    def terms(name: str) -> tuple[RelationTerm, ...]:
        found: list[RelationTerm] = []
        for key in _strings(data, name, where):
            if per == "column" and key.endswith(".*"):
                expanded = _group_members(key[:-2], rows, groups)
                if not expanded:
                    raise ValueError(f"{where}：{name} 中的 {key} 没有对应的行")
                found.extend(RelationTerm(row.key, row.required) for row in expanded)
            elif key in term_keys:
                found.append(RelationTerm(key))
            else:
                kind = "行" if per == "column" else "列"
                raise ValueError(f"{where}：{name} 中的 {key} 不是本表的{kind}键")
        if not found:
            raise ValueError(f"{where}：{name} 不能为空")
        return tuple(found)

    left, right = terms("left"), terms("right")
    anchor = _text(data, "anchor", where, left[0].key)
    if anchor not in {term.key for term in left + right}:
        raise ValueError(f"{where}：anchor {anchor} 不是关系中的一项")
    within = _strings(data, "within", where)
    stray = [key for key in within if key not in within_keys]
    if stray:
        raise ValueError(f"{where}：within 中的 {'、'.join(stray)} 不是本表的{'列' if per == 'column' else '行'}键")
    return TemplateRelation(
        id=relation_id,
        rule=rule,
        per=per,
        left=left,
        right=right,
        op=op,
        anchor=anchor,
        within=within,
        label=_optional_text(data, "label", where),
        explain=_optional_text(data, "explain", where),
        meaning=meaning,
    )


def _group_members(key: str, rows: list[TemplateRow], groups: list[TemplateGroup]) -> list[TemplateRow]:
    """The rows of group ``key`` (nested groups included) or the "其中" children of row ``key``."""
    keys = {key}
    changed = True
    while changed:
        nested = {group.key for group in groups if group.parent in keys}
        changed = not nested <= keys
        keys |= nested
    return [row for row in rows if row.group in keys or row.parent == key]


class TemplateSet:
    """The templates a run recognises tables with (built-ins plus plugin templates), each with the
    label index it is matched by (:mod:`nianbao.tables.labels`), built once for the whole run."""

    def __init__(self, templates: Iterable[Template]) -> None:
        self.templates: list[Template] = list(templates)
        self.matchers: dict[str, LabelMatcher] = {template.id: LabelMatcher(template) for template in self.templates}

    def template(self, template_id: str) -> Template | None:
        return next((template for template in self.templates if template.id == template_id), None)

    @cached_property
    def labels(self) -> frozenset[str]:
        """Every label of every template, folded with ``fold_label`` (see :attr:`Template.labels`);
        computed once, since every document is normalised with it."""
        return frozenset().union(*(template.labels for template in self.templates))


@lru_cache(maxsize=1)
def _builtin_templates() -> tuple[Template, ...]:
    return cached("templates", _read_builtin_templates, modules=("nianbao.text.normalize",))


def _read_builtin_templates() -> tuple[Template, ...]:
    folder = resources.files("nianbao.data").joinpath("templates")
    templates = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".toml"):
            data = read_toml(entry)
            templates.append(template_from_mapping(data, origin=entry.name))
    return tuple(templates)


def load_templates(extra: Iterable[Mapping[str, object]] = ()) -> TemplateSet:
    """The built-in templates plus plugin-supplied ones (same schema as the TOML files).

    A plugin template with the id of a built-in one replaces it.
    """
    templates = {template.id: template for template in _builtin_templates()}
    for data in extra:
        template = data if isinstance(data, Template) else template_from_mapping(data)
        templates[template.id] = template
    return TemplateSet(list(templates.values()))


@lru_cache(maxsize=1)
def default_templates() -> TemplateSet:
    return load_templates()
