"""Publication deadlines: how they are written, and why each one applies.

A deadline is a month and day of the year after the report year (formats.md §1), written
``"MM-DD"`` (``"1-31"`` is read as ``"01-31"``). It is set under a *key*, ``[ERA:]BODY[@PLACE]``:

- ``BODY`` is a body category (``department``, ``government``, ``grassroots``), a body kind key from
  ``bodies.toml`` (``township``, ``bureau`` …) or ``*`` for any body;
- ``ERA:`` limits the key to reports of one format era (``"2008:*"``, ``"2021:department"``);
- ``@PLACE`` (profiles only) limits it to bodies whose name contains the place (``"department@怀化市"``).

Profiles (``[deadlines]``) and the DT004 option ``deadlines`` use this syntax; which of them decides
for a report is up to :class:`nianbao.variants.resolver.VariantResolver`. The legal basis of each
national deadline, quoted in messages, is in ``deadlines.toml``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

from nianbao.data.toml import read_toml
from nianbao.variants.bodies import BODY_CATEGORIES, BodyKind, body_kinds

__all__ = [
    "ERAS",
    "OPTION_MONTH_DAY",
    "PROFILE_MONTH_DAY",
    "SOURCE_CONFIG",
    "SOURCE_NATIONAL",
    "SOURCE_PROFILE",
    "PublicationDeadline",
    "check_overrides",
    "deadline_basis",
    "era_label",
    "format_month_day",
    "key_rank",
    "no_deadline_reason",
    "parse_month_day",
    "split_key",
    "valid_bodies",
]

ERAS = ("2008", "2019", "2021")
# Leading zeros and surrounding spaces are forgiven: "1-31" and " 01-31 " are 1月31日.
_MONTH_DAY = re.compile(r"^\s*(\d{1,2})-(\d{1,2})\s*$")
# How a month-day is to be written, for messages: the DT004 option also takes "" for "none".
OPTION_MONTH_DAY = "“月-日”，如 \"01-31\"；写 \"\" 表示没有期限"
PROFILE_MONTH_DAY = " MM-DD，如 01-31"
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


def no_deadline_reason(situation: str) -> str:
    """Why no deadline is checked (``grassroots``, ``unknown_body``, ``unknown_year``, ``configured_none``)."""
    return _data().no_deadline[situation]


def era_label(era: str | None) -> str:
    """How a message names the reports of ``era`` (``2019年度起的报告`` …)."""
    return _data().eras.get(era or "", "")


def format_month_day(month: int, day: int) -> str:
    return f"{month}月{day}日"


def parse_month_day(text: str, how_to_write: str) -> tuple[int, int]:
    """``"01-31"`` → (1, 31). Raises ValueError with a Chinese message for anything else;
    ``how_to_write`` ends the message for a text of the wrong shape (it differs between a
    profile and the DT004 option, which also accepts ``""``)."""
    match = _MONTH_DAY.match(text)
    if match is None:
        raise ValueError(f"期限 {text!r} 应写成{how_to_write}")
    month, day = int(match.group(1)), int(match.group(2))
    try:
        datetime.date(2001, month, day)  # a common year: "02-29" would not exist in most years
    except ValueError:
        raise ValueError(f"期限 {text!r} 不是有效的月日") from None
    return month, day


def split_key(key: str) -> tuple[str | None, str, str | None]:
    """``[ERA:]BODY[@PLACE]`` → (era, body, place)."""
    era, _, rest = key.rpartition(":") if ":" in key else ("", "", key)
    body, _, place = rest.partition("@")
    return era or None, body, place or None


def valid_bodies() -> set[str]:
    """What ``BODY`` of a key may be: a category, a kind from bodies.toml or ``*``."""
    return set(BODY_CATEGORIES) | {kind.key for _, kind in body_kinds()} | {"*"}


def key_rank(key: str, era: str | None, kind: BodyKind | None, body_name: str) -> tuple[int, int, int] | None:
    """How specifically ``key`` fits the report (None: not at all). A place named in the body's
    name beats an era prefix, which beats a body kind over a category over ``*``."""
    key_era, body, place = split_key(key)
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


def check_overrides(value: Any) -> dict[str, str]:
    """Validate deadline overrides (the DT004 option): key → ``"MM-DD"`` or ``""``.

    Returns them with month-days normalised to ``"MM-DD"``; raises ValueError with a Chinese
    message naming the offending key.
    """
    if not isinstance(value, Mapping):
        raise ValueError(
            '发布期限 deadlines 应为表，如 deadlines = {department = "01-31", government = "03-31", grassroots = ""}'
        )
    bodies = valid_bodies()
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
            month, day = parse_month_day(text, OPTION_MONTH_DAY)
        except ValueError as error:
            raise ValueError(f"发布期限 deadlines.{key}：{error}") from None
        checked[key] = f"{month:02d}-{day:02d}"
    return checked
