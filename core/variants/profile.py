"""Profiles: bundles of local requirements layered over the national format.

A profile is data. The national one is built in (``nianbao/data/national_profile.toml``); local
ones come from plugins (hook ``nianbao_profiles``), usually loaded from a TOML file the plugin
ships, with :func:`load_profile`. The schema (every key optional except ``name``)::

    name = "huaihua"                      # lower-case ASCII, hyphens allowed
    description = "湖南省怀化市：……"
    places = ["怀化", "鹤城区", "沅陵县"]  # place names that select it under profile = "auto"
    years = [2021]                        # report years it applies to: [first] or [first, last]

    [deadlines]                           # month-day of the year after the report year; keys
    grassroots = "02-20"                  # [ERA:]BODY[@PLACE] as in nianbao.variants.deadlines:
    "department@怀化市" = "01-28"          # a body category or kind, or "*"; PLACE must occur in
    "2008:*" = "03-31"                    # the issuing body's name; the most specific key wins

    [[expected_rows]]                     # rows or lines the national template lacks
    key = "published_total"
    label = "政府信息公开发布总数量"
    pattern = "政府信息公开发布总数量"      # regular expression searched in the folded row label
    tables = ["2019.active", "2021.active"]  # template id prefixes of the tables it belongs to
    value = "count"                       # count, amount or text
    required = true                       # its absence is a defect

    [lexicons.spam]                       # extra lexicon entries: lexicon → section → entries
    brands = ["某某娱乐"]

    [rules.WW001]                         # rule settings (code or name), applied before the
    max_chars = 1000                      # user's own [rules.…] tables: the user wins
    [rules.TB008]
    severity = "off"

Rules read the profile that applies to a report as ``document.profile``; which of its data
applies, layered over the national profile and under the user's settings, is decided by
:class:`nianbao.variants.resolver.VariantResolver`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any, Mapping

from nianbao.data.cache import cached
from nianbao.data.toml import TomlError, read_toml
from nianbao.text.normalize import fold_label
from nianbao.variants.bodies import BODY_CATEGORIES
from nianbao.variants.deadlines import (
    ERAS,
    PROFILE_MONTH_DAY,
    parse_month_day,
    split_key,
    valid_bodies,
)

if TYPE_CHECKING:
    from nianbao.tables.model import SemanticRow, SemanticTable

__all__ = [
    "AUTO",
    "NATIONAL",
    "NATIONAL_NAME",
    "SEVERITIES",
    "ExpectedRow",
    "Profile",
    "ProfileError",
    "load_profile",
    "profile_from_mapping",
]

NATIONAL_NAME = "national"
AUTO = "auto"
# What a rule's severity may be set to, in a profile's [rules.…] as in the user's configuration.
SEVERITIES = ("error", "warning", "info", "off")
ROW_VALUE_KINDS = ("count", "amount", "text")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_KEYS = ("name", "description", "places", "years", "deadlines", "expected_rows", "lexicons", "rules")
_ROW_KEYS = ("key", "label", "pattern", "tables", "value", "required")


class ProfileError(ValueError):
    """A malformed profile; the message is Chinese and names the profile or its file."""


@dataclass(frozen=True)
class ExpectedRow:
    """A row or line a profile expects in a table although the national template lacks it.

    The table recognizer keeps such a line as an extra row (``key`` None) of the table it
    follows; :meth:`nianbao.variants.resolver.VariantResolver.expected_row` tells a rule that the
    row is expected here.
    """

    key: str
    label: str
    pattern: str
    tables: tuple[str, ...]
    value: str = "count"
    required: bool = False

    def matches(self, table: SemanticTable, row: SemanticRow) -> bool:
        return table.template.startswith(self.tables) and re.search(self.pattern, fold_label(row.label)) is not None

    def matches_text(self, text: str) -> bool:
        return re.search(self.pattern, fold_label(text)) is not None


@dataclass(frozen=True)
class Profile:
    """A named set of local requirements; see the module docstring for the TOML schema.

    ``places`` are place names (吉林, 长春 …) that select the profile when configuration
    says ``profile = "auto"``; ``rules`` maps a rule code or name to settings (``severity``
    and options) applied before the user's own configuration.
    """

    name: str
    description: str
    places: tuple[str, ...] = ()
    rules: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    years: tuple[int | None, int | None] = (None, None)
    deadlines: Mapping[str, str] = field(default_factory=dict)
    expected_rows: tuple[ExpectedRow, ...] = ()
    lexicons: Mapping[str, Mapping[str, tuple[Any, ...]]] = field(default_factory=dict)
    origin: str = ""
    """Where the profile came from (a file or plugin name), for messages."""

    @property
    def is_national(self) -> bool:
        return self.name == NATIONAL_NAME

    def covers_year(self, year: int | None) -> bool:
        """Whether the local requirements apply to a report on ``year`` (unknown: yes)."""
        first, last = self.years
        if year is None:
            return True
        return (first is None or year >= first) and (last is None or year <= last)

    def years_text(self) -> str:
        first, last = self.years
        if first is None and last is None:
            return "所有年度"
        if last is None:
            return f"{first}年度及以后"
        if first is None:
            return f"{last}年度及以前"
        return f"{first}年度" if first == last else f"{first}–{last}年度"

    def place_in(self, text: str) -> str | None:
        """The longest of this profile's place names that occurs in ``text``."""
        found = [place for place in self.places if place in text]
        return max(found, key=len) if found else None

    def expected_row(self, table: SemanticTable, row: SemanticRow) -> ExpectedRow | None:
        """The expected row ``row`` of ``table`` is, or None when this profile does not expect it
        (the resolver asks each profile layer in turn)."""
        if row.key is not None:
            return None
        return next((expected for expected in self.expected_rows if expected.matches(table, row)), None)

    def lexicon_extension(self, name: str) -> Mapping[str, tuple[Any, ...]] | None:
        """This profile's additions to lexicon ``name`` (section → entries), if any."""
        return self.lexicons.get(name)


# --- loading ------------------------------------------------------------------------------------


def load_profile(source: Any, origin: str | None = None) -> Profile:
    """Read a profile from a TOML file: a path or an ``importlib.resources`` traversable."""
    label = origin or getattr(source, "name", None) or str(source)
    try:
        data = read_toml(source, "配置档文件")
    except TomlError as error:
        raise ProfileError(f"配置档文件 {label}：{error.problem}") from None
    return profile_from_mapping(data, origin=label)


def profile_from_mapping(data: Mapping[str, Any], origin: str = "") -> Profile:
    """Build and check a :class:`Profile` from TOML-shaped data; raise :class:`ProfileError`."""
    where = f"配置档（{origin}）" if origin else "配置档"
    name = data.get("name")
    if not isinstance(name, str) or not NAME_PATTERN.match(name) or name == AUTO:
        raise ProfileError(f"{where}：name 应为小写字母、数字和连字符组成的名称（不能是 auto），得到 {name!r}")
    where = f"配置档 {name}" + (f"（{origin}）" if origin else "")
    unknown = sorted(set(data) - set(_KEYS))
    if unknown:
        raise ProfileError(f"{where}：未知的键 {'、'.join(unknown)}；可用的键：{'、'.join(_KEYS)}")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise ProfileError(f"{where}：description 应为字符串")
    return Profile(
        name=name,
        description=description or name,
        places=_string_tuple(data.get("places", []), f"{where} 的 places"),
        rules=_rules(data.get("rules", {}), where),
        years=_years(data.get("years", []), where),
        deadlines=_deadlines(data.get("deadlines", {}), where),
        expected_rows=tuple(_expected_row(item, where) for item in _table_list(data.get("expected_rows", []), where)),
        lexicons=_lexicons(data.get("lexicons", {}), where),
        origin=origin,
    )


def _string_tuple(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ProfileError(f"{where} 应为非空字符串的列表")
    return tuple(item.strip() for item in value)


def _years(value: Any, where: str) -> tuple[int | None, int | None]:
    if not isinstance(value, list) or len(value) > 2 or not all(isinstance(item, int) for item in value):
        raise ProfileError(f"{where}：years 应为 [起始年度] 或 [起始年度, 截止年度]")
    if not value:
        return (None, None)
    first, last = value[0], value[-1] if len(value) == 2 else None
    if last is not None and last < first:
        raise ProfileError(f"{where}：years 的截止年度 {last} 早于起始年度 {first}")
    return (first, last)


def _deadlines(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ProfileError(f"{where}：deadlines 应为表（机关类别 = \"MM-DD\"）")
    bodies = valid_bodies()
    deadlines = {}
    for key, text in value.items():
        era, body, _ = split_key(key)
        if (era is not None and era not in ERAS) or body not in bodies or key.endswith("@"):
            raise ProfileError(
                f"{where}：deadlines 的键 {key!r} 无效；应为 {'、'.join(BODY_CATEGORIES)}、bodies.toml 中的机关类型或 *，"
                f"可加格式前缀（如 \"2008:*\"）和机关名称中的地名（如 \"department@怀化市\"）"
            )
        if not isinstance(text, str):
            raise ProfileError(f"{where}：deadlines.{key} 应为字符串 \"MM-DD\"")
        try:
            month, day = parse_month_day(text, PROFILE_MONTH_DAY)
        except ValueError as error:
            raise ProfileError(f"{where}：deadlines.{key}：{error}") from None
        deadlines[key] = f"{month:02d}-{day:02d}"
    return deadlines


def _table_list(value: Any, where: str) -> list[Mapping[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise ProfileError(f"{where}：expected_rows 应为表的数组（[[expected_rows]]）")
    return value


def _expected_row(item: Mapping[str, Any], where: str) -> ExpectedRow:
    unknown = sorted(set(item) - set(_ROW_KEYS))
    if unknown:
        raise ProfileError(f"{where}：expected_rows 中未知的键 {'、'.join(unknown)}")
    for key in ("key", "label", "pattern"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise ProfileError(f"{where}：expected_rows 的每一项都需要字符串 {key}")
    where = f"{where} 的 expected_rows.{item['key']}"
    try:
        re.compile(item["pattern"])
    except re.error as error:
        raise ProfileError(f"{where}：pattern 不是有效的正则表达式（{error}）") from None
    value = item.get("value", "count")
    if value not in ROW_VALUE_KINDS:
        raise ProfileError(f"{where}：value 应为 {'、'.join(ROW_VALUE_KINDS)} 之一")
    required = item.get("required", False)
    if not isinstance(required, bool):
        raise ProfileError(f"{where}：required 应为布尔值")
    tables = _string_tuple(item.get("tables", []), f"{where} 的 tables")
    if not tables:
        raise ProfileError(f"{where}：tables 至少要列出一个表格模板前缀，如 \"2021.active\"")
    return ExpectedRow(item["key"], item["label"], item["pattern"], tables, value, required)


def _lexicons(value: Any, where: str) -> dict[str, dict[str, tuple[Any, ...]]]:
    if not isinstance(value, Mapping):
        raise ProfileError(f"{where}：lexicons 应为表（[lexicons.词库名] 类别 = [条目]）")
    lexicons = {}
    for name, sections in value.items():
        if not isinstance(sections, Mapping) or not all(isinstance(entries, list) for entries in sections.values()):
            raise ProfileError(f"{where}：lexicons.{name} 应为表（类别 = [条目]）")
        lexicons[name] = {section: tuple(entries) for section, entries in sections.items()}
    return lexicons


def _rules(value: Any, where: str) -> dict[str, dict[str, Any]]:
    if not isinstance(value, Mapping) or not all(isinstance(settings, Mapping) for settings in value.values()):
        raise ProfileError(f"{where}：rules 应为表（[rules.规则代码] 选项 = 值）")
    rules = {}
    for key, settings in value.items():
        settings = dict(settings)
        if "severity" in settings:
            severity = settings["severity"]
            if not isinstance(severity, str) or severity.lower() not in SEVERITIES:
                raise ProfileError(f"{where}：rules.{key}.severity 应为 {'、'.join(SEVERITIES)} 之一")
            settings["severity"] = severity.lower()
        rules[key] = settings
    return rules


def _national() -> Profile:
    return load_profile(resources.files("nianbao.data").joinpath("national_profile.toml"), "national_profile.toml")


NATIONAL = cached("national-profile", _national, modules=("nianbao.text.normalize", "nianbao.variants.deadlines"))
