"""Publication deadlines of annual reports: when a report had to be published, and why.

The deadline is a month and day of the year after the report year (formats.md §1). Three layers
decide, the first that has a key for the report wins:

1. ``overrides``: the user's settings (option ``deadlines`` of rule DT004), key → ``"MM-DD"``, or
   ``""`` for "no deadline";
2. the report's profile (``document.profile``): a local profile's own keys for the years it
   covers, then the national profile (``national_profile.toml``);
3. otherwise there is no deadline (乡镇/街道 under the national rules), and the reason says why.

A key is a body category (``department``, ``government``, ``grassroots``), a body kind key from
``bodies.toml`` (``township``, ``bureau`` …) or ``*`` for any body, each optionally prefixed with a
format era (``"2008:*"``, ``"2021:department"``). The most specific key applies: era-prefixed
before plain, kind before category before ``*`` (the same order as profiles use).

The legal basis of each national deadline, quoted in messages, is in ``deadlines.toml``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Mapping

from nianbao.data.toml import read_toml
from nianbao.document.facts import body_kinds
from nianbao.variants.profile import (
    BODY_CATEGORIES,
    CATEGORY_LABELS,
    ERAS,
    NATIONAL,
    Profile,
)

if TYPE_CHECKING:
    from nianbao.document.facts import ReportFacts

__all__ = [
    "PublicationDeadline",
    "deadline_for",
    "check_overrides",
    "deadline_basis",
    "format_month_day",
]

# "01-31", also written "1-31"; normalised to two digits each.
_MONTH_DAY = re.compile(r"^\s*(\d{1,2})-(\d{1,2})\s*$")
SOURCE_CONFIG = "config"
SOURCE_PROFILE = "profile"
SOURCE_NATIONAL = "national"


@dataclass(frozen=True)
class PublicationDeadline:
    """The last day a report could be published on, or None when no deadline applies.

    ``reason`` always says, in Chinese, why this deadline (or why none) applies: the body
    category, the era and the legal basis or the setting that set it.
    """

    date: datetime.date | None
    reason: str
    source: str = ""
    """``config`` (the DT004 option), ``profile`` (a local profile), ``national`` or ``""`` (none)."""
    key: str | None = None
    """The deadline key that applied (``department``, ``2008:*`` …)."""


@dataclass(frozen=True)
class _Data:
    basis: dict[str, str]
    no_deadline: dict[str, str]
    eras: dict[str, str]


@lru_cache(maxsize=1)
def _data() -> _Data:
    raw = read_toml(resources.files("nianbao.data").joinpath("deadlines.toml"))
    return _Data(dict(raw["basis"]), dict(raw["no_deadline"]), dict(raw["eras"]))


def deadline_basis(key: str) -> str | None:
    """The legal basis (Chinese) of a national deadline key, or None when the file has none."""
    return _data().basis.get(key)


def format_month_day(month: int, day: int) -> str:
    return f"{month}月{day}日"


def _parse_month_day(text: str) -> tuple[int, int]:
    """``"01-31"`` → (1, 31); raises ValueError (Chinese) for anything else."""
    match = _MONTH_DAY.match(text)
    if match is None:
        raise ValueError(f"期限 {text!r} 应写成“月-日”，如 \"01-31\"；写 \"\" 表示没有期限")
    month, day = int(match.group(1)), int(match.group(2))
    try:
        datetime.date(2001, month, day)  # a common year: "02-29" would not exist in most years
    except ValueError:
        raise ValueError(f"期限 {text!r} 不是有效的月日") from None
    return month, day


def _valid_bodies() -> set[str]:
    return set(BODY_CATEGORIES) | {kind.key for _, kind in body_kinds()} | {"*"}


def check_overrides(value: Any) -> dict[str, str]:
    """Validate deadline overrides (the DT004 option): key → ``"MM-DD"`` or ``""``.

    Returns them with month-days normalised to ``"MM-DD"``; raises ValueError with a Chinese
    message naming the offending key.
    """
    if not isinstance(value, Mapping):
        raise ValueError(
            '发布期限 deadlines 应为表，如 deadlines = {department = "01-31", government = "03-31", grassroots = ""}'
        )
    bodies = _valid_bodies()
    checked: dict[str, str] = {}
    for key, text in value.items():
        era, _, body = str(key).rpartition(":")
        if (era and era not in ERAS) or body not in bodies:
            kinds = "、".join(sorted(bodies - set(BODY_CATEGORIES) - {"*"}))
            raise ValueError(
                f"发布期限 deadlines 的键 {key!r} 无效：应为机关类别 {'、'.join(BODY_CATEGORIES)}，"
                f"机关类型 {kinds}，或 *（任何机关）；可加格式前缀，如 \"2008:*\"、\"2021:department\""
            )
        if not isinstance(text, str):
            raise ValueError(f"发布期限 deadlines.{key} 应为字符串“月-日”，如 \"01-31\"，或 \"\" 表示没有期限")
        if text.strip() == "":
            checked[key] = ""
            continue
        try:
            month, day = _parse_month_day(text)
        except ValueError as error:
            raise ValueError(f"发布期限 deadlines.{key}：{error}") from None
        checked[key] = f"{month:02d}-{day:02d}"
    return checked


def _lookup_keys(era: str | None, kind: str | None, category: str | None) -> list[str]:
    """Keys to try, most specific first."""
    plain = [key for key in (kind, category) if key] + ["*"]
    return ([f"{era}:{key}" for key in plain] if era else []) + plain


def deadline_for(
    facts: ReportFacts,
    overrides: Mapping[str, str] | None = None,
    profile: Profile | None = None,
) -> PublicationDeadline:
    """The publication deadline of the report ``facts`` describe.

    ``overrides`` (already checked by :func:`check_overrides`) win over ``profile`` (the
    national profile when None). ``date`` is None when no deadline applies or the report year
    is unknown; ``reason`` says why in either case.
    """
    data = _data()
    if facts.year is None:
        return PublicationDeadline(None, data.no_deadline["unknown_year"])
    kind = facts.body_kind
    body = facts.body or "发布机关"
    category_label = CATEGORY_LABELS.get(kind.category, kind.label) if kind is not None else None
    who = f"{body}属于{category_label}" if category_label else None

    keys = _lookup_keys(facts.era, kind.key if kind else None, kind.category if kind else None)
    for key in keys:
        if overrides and key in overrides:
            return _from_override(facts.year, key, overrides[key], who)

    found = (profile or NATIONAL).deadline_for(facts)
    if found is not None:
        month_day = format_month_day(found.date.month, found.date.day)
        if found.profile == NATIONAL.name:
            basis = deadline_basis(found.rule) or f"全国统一要求：次年{month_day}前发布"
            era_label = data.eras.get(facts.era or "", "")
            applies = "，".join(part for part in (who if not found.rule.endswith("*") else None, era_label) if part)
            reason = f"{basis}（{applies}适用此规定）" if applies else basis
            return PublicationDeadline(found.date, reason, SOURCE_NATIONAL, found.rule)
        reason = f"配置档 {found.profile}（{found.basis}）规定{found.body}的报告应在次年{month_day}前发布"
        if who:
            reason += f"（{who}）"
        return PublicationDeadline(found.date, reason, SOURCE_PROFILE, found.rule)

    if kind is None:
        return PublicationDeadline(None, data.no_deadline["unknown_body"])
    if kind.category == "grassroots":
        return PublicationDeadline(None, f"{who}：{data.no_deadline['grassroots']}")
    return PublicationDeadline(None, f"{who}：没有适用的发布期限")


def _from_override(year: int, key: str, value: str, who: str | None) -> PublicationDeadline:
    setting = f'规则 DT004 的 deadlines 选项 "{key}" = "{value}"'
    if value == "":
        return PublicationDeadline(None, f"{_data().no_deadline['configured_none']}（{setting}）", SOURCE_CONFIG, key)
    month, day = _parse_month_day(value)
    reason = f"按配置（{setting}），报告应在次年{format_month_day(month, day)}前发布"
    if who:
        reason += f"（{who}）"
    return PublicationDeadline(datetime.date(year + 1, month, day), reason, SOURCE_CONFIG, key)
