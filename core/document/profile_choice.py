"""Which profile applies to a report, and why: named in configuration, or inferred from the place
names in the report under ``profile = "auto"``.

The reason is Chinese and is shown by ``nianbao check -v``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from nianbao.document.facts import ReportFacts
from nianbao.parse.tree import Paragraph, Report
from nianbao.variants.profile import AUTO, NATIONAL, NATIONAL_NAME, Profile

__all__ = ["ProfileChoice", "UnknownProfileError", "choose_profile", "infer_profile"]


@dataclass(frozen=True)
class ProfileChoice:
    """The profile that applies to one report and why, in Chinese (shown by ``check -v``)."""

    profile: Profile
    reason: str
    how: str
    """``config`` (named in configuration), ``auto`` (inferred) or ``default``."""

    @property
    def name(self) -> str:
        return self.profile.name


class UnknownProfileError(ValueError):
    """Configuration names a profile that no plugin or profile file provides; the message is Chinese
    and offers the known names (the engine reports it as a configuration error of that file)."""


def choose_profile(
    setting: str,
    config_file: Path | None,
    profiles: Mapping[str, Profile],
    facts: ReportFacts | None = None,
    report: Report | None = None,
) -> ProfileChoice:
    """The profile that configuration (``setting``, from ``config_file``; None when there is no
    configuration file) asks for, inferring it from the report under ``profile = "auto"``.

    Raises :class:`UnknownProfileError` for a name that is not in ``profiles``.
    """
    where = f"配置文件 {config_file.name} 的 profile" if config_file is not None else "profile"
    if setting == AUTO:
        return infer_profile(profiles, facts, report)
    if setting == NATIONAL_NAME:
        if config_file is None:
            return ProfileChoice(NATIONAL, "未找到配置文件，使用全国统一要求", "default")
        return ProfileChoice(NATIONAL, f'{where} 为 "{NATIONAL_NAME}"：使用全国统一要求', "config")
    profile = profiles.get(setting)
    if profile is None:
        known = "、".join([NATIONAL_NAME, AUTO, *sorted(profiles)])
        close = _close_match(setting, [NATIONAL_NAME, AUTO, *profiles])
        hint = f"（是否想写 '{close}'？）" if close else ""
        raise UnknownProfileError(
            f"未知的配置档 '{setting}'{hint}；可选：{known}。地方配置档由插件提供，"
            f"例如 pip install nianbao-{setting}"
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
    matches = difflib.get_close_matches(written, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None
