"""Profiles: bundles of local requirements layered over the national format.

A profile is data. The national one is built in (``nianbao/data/national_profile.toml``); local
ones come from plugins (hook ``nianbao_profiles``), usually loaded from a TOML file the plugin
ships, with :func:`load_profile`. The schema (every key optional except ``name``)::

    name = "huaihua"                      # lower-case ASCII, hyphens allowed
    description = "湖南省怀化市：……"
    places = ["怀化", "鹤城区", "沅陵县"]  # place names that select it under profile = "auto"
    years = [2021]                        # report years it applies to: [first] or [first, last]

    [deadlines]                           # month-day of the year after the report year
    grassroots = "02-20"                  # key: [ERA:]BODY[@PLACE]; BODY is a body category
    "department@怀化市" = "01-28"          # (department, government, grassroots), a body kind
    "2008:*" = "03-31"                    # key from bodies.toml or "*"; PLACE must occur in
                                          # the issuing body's name; the most specific key wins

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

Rules read the profile that applies to a report as ``document.profile``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from nianbao.config.files import Config, ConfigError
from nianbao.config.options import SEVERITIES
from nianbao.config.selection import RuleRef
from nianbao.data.cache import cached
from nianbao.data.toml import TomlError, read_toml
from nianbao.text.normalize import fold_label

if TYPE_CHECKING:
    from nianbao.document.facts import ReportFacts
    from nianbao.parse.tree import Report, SemanticRow, SemanticTable
    from nianbao.plugins.rule import RuleInfo

__all__ = [
    "AUTO",
    "NATIONAL",
    "NATIONAL_NAME",
    "Deadline",
    "ExpectedRow",
    "Profile",
    "ProfileChoice",
    "ProfileError",
    "apply_profile",
    "choose_profile",
    "load_profile",
    "profile_from_mapping",
    "validated_profile",
]

NATIONAL_NAME = "national"
AUTO = "auto"
BODY_CATEGORIES = ("department", "government", "grassroots")
CATEGORY_LABELS = {"department": "县级以上人民政府部门", "government": "县级以上地方人民政府", "grassroots": "乡镇、街道"}
ERAS = ("2008", "2019", "2021")
ROW_VALUE_KINDS = ("count", "amount", "text")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")
_KEYS = ("name", "description", "places", "years", "deadlines", "expected_rows", "lexicons", "rules")
_ROW_KEYS = ("key", "label", "pattern", "tables", "value", "required")


class ProfileError(ValueError):
    """A malformed profile; the message is Chinese and names the profile or its file."""


@dataclass(frozen=True)
class ExpectedRow:
    """A row or line a profile expects in a table although the national template lacks it.

    The table recognizer keeps such a line as an extra row (``key`` None) of the table it
    follows; :meth:`Profile.expected_row` tells a rule that the row is expected here.
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
class Deadline:
    """When a report had to be published, and on whose authority."""

    date: datetime.date
    profile: str
    basis: str
    """Who set it, in Chinese: the profile's description."""
    body: str
    """The kind of body it applies to, in Chinese (乡镇、街道 …)."""
    rule: str
    """The deadline key that applied (``department``, ``2008:*`` …)."""


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

    def deadline_for(self, facts: ReportFacts) -> Deadline | None:
        """The publication deadline for the report ``facts`` describe, or None when there is
        none (a 乡镇 report under the national rules) or the year or body is unknown.

        A local profile's own keys win (for the years it covers); what it does not say falls back
        to the national profile.
        """
        if facts.year is None:
            return None
        kind = facts.body_kind
        # Outside its years a local profile's deadlines give way to the national ones.
        local = (self,) if not self.is_national and self.covers_year(facts.year) else ()
        for profile in (*local, NATIONAL):
            ranked = [
                (rank, key)
                for key in profile.deadlines
                if (rank := _deadline_rank(key, facts.era, kind, facts.body or "")) is not None
            ]
            if ranked:
                key = max(ranked)[1]
                month, day = _month_day(profile.deadlines[key])
                body = CATEGORY_LABELS.get(kind.category, kind.label) if kind else "各类机关"
                return Deadline(datetime.date(facts.year + 1, month, day), profile.name, profile.description, body, key)
        return None

    def expected_row(self, table: SemanticTable, row: SemanticRow) -> ExpectedRow | None:
        """The expected row ``row`` of ``table`` is, or None when the profile does not expect it.

        TB008 (unknown-row) asks this before reporting a row the template does not know.
        """
        if row.key is not None:
            return None
        return next((expected for expected in self.expected_rows if expected.matches(table, row)), None)

    def lexicon_extension(self, name: str) -> Mapping[str, tuple[Any, ...]] | None:
        """This profile's additions to lexicon ``name`` (section → entries), if any."""
        return self.lexicons.get(name)


@dataclass(frozen=True)
class ProfileChoice:
    """The profile that applies to one report and why, in Chinese (shown by ``check -v``)."""

    profile: Profile
    reason: str
    how: str
    """``config`` (named in configuration), ``auto`` (inferred) or ``default``."""


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


def _month_day(text: str) -> tuple[int, int]:
    match = MONTH_DAY.match(text)
    if match is None:
        raise ProfileError(f"期限 {text!r} 应写成 MM-DD，如 01-31")
    month, day = int(match.group(1)), int(match.group(2))
    try:
        datetime.date(2001, month, day)  # a non-leap year: 02-29 is refused, it would fail most years
    except ValueError:
        raise ProfileError(f"期限 {text!r} 不是有效的月日") from None
    return month, day


def _split_deadline_key(key: str) -> tuple[str | None, str, str | None]:
    """``[ERA:]BODY[@PLACE]`` → (era, body, place)."""
    era, _, rest = key.rpartition(":") if ":" in key else ("", "", key)
    body, _, place = rest.partition("@")
    return era or None, body, place or None


def _deadline_rank(key: str, era: str | None, kind, body_name: str) -> tuple[int, int, int] | None:
    """How specifically ``key`` fits the report (None: not at all). A place named in the body's
    name beats an era prefix, which beats a body kind over a category over ``*``."""
    key_era, body, place = _split_deadline_key(key)
    if key_era is not None and key_era != era:
        return None
    if place is not None and place not in body_name:
        return None
    if body == "*":
        body_rank = 0
    elif kind is not None and body == kind.category:
        body_rank = 1
    elif kind is not None and body == kind.key:
        body_rank = 2
    else:
        return None
    return (place is not None, key_era is not None, body_rank)


def _deadlines(value: Any, where: str) -> dict[str, str]:
    from nianbao.document.facts import body_kinds

    if not isinstance(value, Mapping):
        raise ProfileError(f"{where}：deadlines 应为表（机关类别 = \"MM-DD\"）")
    bodies = set(BODY_CATEGORIES) | {kind.key for _, kind in body_kinds()} | {"*"}
    deadlines = {}
    for key, text in value.items():
        era, body, place = _split_deadline_key(key)
        if (era is not None and era not in ERAS) or body not in bodies or key.endswith("@"):
            raise ProfileError(
                f"{where}：deadlines 的键 {key!r} 无效；应为 {'、'.join(BODY_CATEGORIES)}、bodies.toml 中的机关类型或 *，"
                f"可加格式前缀（如 \"2008:*\"）和机关名称中的地名（如 \"department@怀化市\"）"
            )
        if not isinstance(text, str):
            raise ProfileError(f"{where}：deadlines.{key} 应为字符串 \"MM-DD\"")
        try:
            _month_day(text)
        except ProfileError as error:
            raise ProfileError(f"{where}：deadlines.{key}：{error}") from None
        deadlines[key] = text
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


NATIONAL = cached("national-profile", _national)


# --- checking a plugin's profile against the loaded rules -----------------------------------------


def validated_profile(profile: Profile, rules: Sequence[RuleInfo]) -> tuple[Profile, list[str]]:
    """The profile with rule settings that cannot apply removed, and why each was removed.

    Settings for a rule that is not installed are kept silently (the rule may come from a
    plugin that is simply absent); settings a rule would refuse (unknown option, wrong type)
    are removed so that they cannot crash the rule on every report.
    """
    by_key = {info.rule.code: info.rule for info in rules} | {info.rule.name: info.rule for info in rules}
    problems = []
    kept = {}
    for key, settings in profile.rules.items():
        rule = by_key.get(key)
        if rule is not None:
            options = {name: value for name, value in settings.items() if name != "severity"}
            try:
                rule.resolve_options(options)
            except ValueError as error:
                problems.append(f"配置档 {profile.name} 对规则 {key} 的设置无效，已忽略：{error}")
                continue
        kept[key] = settings
    return (replace(profile, rules=kept) if problems else profile), problems


def apply_profile(config: Config, profile: Profile, rules: Sequence[RuleRef]) -> Config:
    """``config`` with the profile's rule settings laid under the user's: for each rule the
    profile configures, the user's own ``[rules.…]`` keys win, the profile fills in the rest.
    Settings for rules that are not loaded are dropped."""
    if not profile.rules:
        return config
    code_of = {rule.code: rule.code for rule in rules} | {rule.name: rule.code for rule in rules}
    user_key_for_code = {code_of[key]: key for key in config.rules if key in code_of}
    merged: dict[str, dict[str, object]] = {key: dict(settings) for key, settings in config.rules.items()}
    for key, settings in profile.rules.items():
        code = code_of.get(key)
        if code is None:
            continue
        user_key = user_key_for_code.get(code)
        if user_key is None:
            merged[code] = {**merged.get(code, {}), **settings}
        else:
            merged[user_key] = {**settings, **config.rules[user_key]}
    return replace(config, rules=merged)


# --- choosing the profile for a report ------------------------------------------------------------


def choose_profile(
    config: Config,
    profiles: Mapping[str, Profile],
    facts: ReportFacts | None = None,
    report: Report | None = None,
) -> ProfileChoice:
    """The profile ``config`` asks for, inferring it from the report under ``profile = "auto"``.

    Raises :class:`ConfigError` (naming the configuration file) for an unknown profile name.
    """
    setting = config.profile
    where = f"配置文件 {config.path.name} 的 profile" if config.path is not None else "profile"
    if setting == AUTO:
        return infer_profile(profiles, facts, report)
    if setting == NATIONAL_NAME:
        if config.path is None:
            return ProfileChoice(NATIONAL, "未找到配置文件，使用全国统一要求", "default")
        return ProfileChoice(NATIONAL, f'{where} 为 "{NATIONAL_NAME}"：使用全国统一要求', "config")
    profile = profiles.get(setting)
    if profile is None:
        known = "、".join([NATIONAL_NAME, AUTO, *sorted(profiles)])
        close = _close_match(setting, [NATIONAL_NAME, AUTO, *profiles])
        hint = f"（是否想写 '{close}'？）" if close else ""
        raise ConfigError(
            f"未知的配置档 '{setting}'{hint}；可选：{known}。地方配置档由插件提供，"
            f"例如 pip install nianbao-{setting}",
            path=config.path,
            key="profile",
        )
    return ProfileChoice(profile, f'{where} = "{setting}"（{profile.description}）', "config")


def infer_profile(
    profiles: Mapping[str, Profile], facts: ReportFacts | None, report: Report | None
) -> ProfileChoice:
    """Pick the local profile whose place name occurs in the issuing body's name, the title,
    the sign-off or the preamble, in that order; the longest place name wins."""
    sources = _place_sources(facts, report)
    passed_over: list[str] = []
    for what, text in sources:
        matches = [(place, profile) for profile in profiles.values() if (place := profile.place_in(text))]
        if not matches:
            continue
        longest = max(len(place) for place, _ in matches)
        best = [(place, profile) for place, profile in matches if len(place) == longest]
        if len({profile.name for _, profile in best}) > 1:
            names = "、".join(sorted({profile.name for _, profile in best}))
            passed_over.append(f"{what}中的地名“{best[0][0]}”同时对应配置档 {names}")
            continue
        place, profile = best[0]
        year = facts.year if facts is not None else None
        if not profile.covers_year(year):
            passed_over.append(f"{what}中的地名“{place}”对应配置档 {profile.name}，但它只适用于{profile.years_text()}报告")
            continue
        return ProfileChoice(
            profile,
            f'profile = "auto"：{what}“{_excerpt(text)}”中的地名“{place}”对应配置档 {profile.name}（{profile.description}）',
            "auto",
        )
    if passed_over:
        detail = "；".join(passed_over)
    elif profiles:
        detail = f"发布机关、标题、落款和引言中没有已安装配置档（{'、'.join(sorted(profiles))}）的地名"
    else:
        detail = "没有安装任何地方配置档"
    return ProfileChoice(NATIONAL, f'profile = "auto"：{detail}，使用全国统一要求', "auto")


def _place_sources(facts: ReportFacts | None, report: Report | None) -> list[tuple[str, str]]:
    from nianbao.parse.tree import Paragraph

    sources = []
    if facts is not None and facts.body:
        sources.append(("发布机关", facts.body))
    if report is not None:
        if report.title is not None:
            sources.append(("标题", report.title.text))
        if report.signoff is not None and report.signoff.body:
            sources.append(("落款", report.signoff.body))
        preamble = "".join(node.text for node in report.preamble if isinstance(node, Paragraph))
        if preamble:
            sources.append(("引言", preamble))
    return sources


def _excerpt(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _close_match(written: str, candidates: Iterable[str]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(written, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None
