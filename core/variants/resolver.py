"""What applies to one report: the national defaults, its profile, the plugins' additions and the
user's own settings, layered in one place.

- The publication deadline: the user's DT004 option ``deadlines``, then the report's profile for
  the years it covers, then the national profile, else none. The first layer with a key that fits
  the report decides, and within it the most specific key (see :mod:`nianbao.variants.deadlines`).
- Expected rows: the report's profile, then the national profile.
- Lexicon entries, added to the built-in file in this order: the plugins' (hook
  ``nianbao_lexicons``), the national profile's, the report's profile's ``[lexicons.…]``;
  ``Document.lexicon`` then adds a rule's own option entries (``extra_brands`` …).

Two layerings live elsewhere because of the order of the stages: a profile's rule settings go under
the user's ``[rules.…]`` tables in configuration (:func:`nianbao.config.profiles.apply_profile`), and
plugin table templates replace built-in ones of the same id in the tables stage
(``load_templates``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from nianbao.variants.bodies import CATEGORY_LABELS
from nianbao.variants.deadlines import (
    OPTION_MONTH_DAY,
    PROFILE_MONTH_DAY,
    SOURCE_CONFIG,
    SOURCE_NATIONAL,
    SOURCE_PROFILE,
    PublicationDeadline,
    deadline_basis,
    era_label,
    format_month_day,
    key_rank,
    no_deadline_reason,
    parse_month_day,
)
from nianbao.variants.profile import NATIONAL, ExpectedRow, Profile

if TYPE_CHECKING:
    from nianbao.document.facts import ReportFacts
    from nianbao.parse.tree import SemanticRow, SemanticTable

__all__ = ["VariantResolver"]


@dataclass(frozen=True)
class VariantResolver:
    """The layers for a report whose profile is ``profile``; ``plugin_lexicons`` are the lexicon
    entries plugins add (lexicon name → one extension per plugin)."""

    profile: Profile = NATIONAL
    plugin_lexicons: Mapping[str, Sequence[Mapping[str, Any]]] = field(default_factory=dict)

    @property
    def profiles(self) -> tuple[Profile, ...]:
        """The profile layers, most specific first: the report's own, then the national one."""
        return (NATIONAL,) if self.profile.is_national else (self.profile, NATIONAL)

    # --- deadlines ----------------------------------------------------------------------------

    def deadline(self, facts: ReportFacts, overrides: Mapping[str, str] | None = None) -> PublicationDeadline:
        """The publication deadline of the report ``facts`` describe.

        ``overrides`` (the DT004 option, already checked by
        :func:`~nianbao.variants.deadlines.check_overrides`) win over the profiles. ``date`` is None
        when no deadline applies or the report year is unknown; ``reason`` says why in either case.
        """
        if facts.year is None:
            return PublicationDeadline(None, no_deadline_reason("unknown_year"))
        kind = facts.body_kind
        category = CATEGORY_LABELS.get(kind.category, kind.label) if kind is not None else None
        who = f"{facts.body or '发布机关'}属于{category}" if category else None
        key = _best_key(overrides or {}, facts)
        if key is not None:
            return _configured(facts.year, key, overrides[key], who)
        # Outside its years a local profile's deadlines give way to the national ones.
        for profile in self.profiles:
            if not profile.is_national and not profile.covers_year(facts.year):
                continue
            key = _best_key(profile.deadlines, facts)
            if key is None:
                continue
            month, day = parse_month_day(profile.deadlines[key], PROFILE_MONTH_DAY)
            date = datetime.date(facts.year + 1, month, day)
            if profile.is_national:
                return _national(date, key, facts.era, who)
            bodies = category or "各类机关"
            reason = f"配置档 {profile.name}（{profile.description}）规定{bodies}的报告应在次年{format_month_day(month, day)}前发布"
            if who:
                reason += f"（{who}）"
            return PublicationDeadline(date, reason, SOURCE_PROFILE, key)
        if kind is None:
            return PublicationDeadline(None, no_deadline_reason("unknown_body"))
        if kind.category == "grassroots":
            return PublicationDeadline(None, f"{who}：{no_deadline_reason('grassroots')}")
        return PublicationDeadline(None, f"{who}：没有适用的发布期限")

    # --- expected rows ------------------------------------------------------------------------

    def expected_row(self, table: SemanticTable, row: SemanticRow) -> ExpectedRow | None:
        """The expected row ``row`` of ``table`` is, or None when no profile expects it.

        TB008 (unknown-row) asks this before reporting a row the template does not know.
        """
        return next(
            (found for profile in self.profiles if (found := profile.expected_row(table, row)) is not None), None
        )

    # --- lexicons -----------------------------------------------------------------------------

    def lexicon_extensions(self) -> dict[str, list[dict]]:
        """Lexicon name → the entries added to the built-in file, in layer order (see the module)."""
        extensions = {name: [dict(entries) for entries in added] for name, added in self.plugin_lexicons.items()}
        for profile in reversed(self.profiles):
            for name, sections in profile.lexicons.items():
                extensions.setdefault(name, []).append(dict(sections))
        return extensions


def _best_key(deadlines: Mapping[str, str], facts: ReportFacts) -> str | None:
    ranked = [
        (rank, key)
        for key in deadlines
        if (rank := key_rank(key, facts.era, facts.body_kind, facts.body or "")) is not None
    ]
    return max(ranked)[1] if ranked else None


def _national(date: datetime.date, key: str, era: str | None, who: str | None) -> PublicationDeadline:
    basis = deadline_basis(key) or f"全国统一要求：次年{format_month_day(date.month, date.day)}前发布"
    # A key for any body ("2008:*") applies whatever the body: saying which category it is adds nothing.
    applies = "，".join(part for part in (who if not key.endswith("*") else None, era_label(era)) if part)
    reason = f"{basis}（{applies}适用此规定）" if applies else basis
    return PublicationDeadline(date, reason, SOURCE_NATIONAL, key)


def _configured(year: int, key: str, value: str, who: str | None) -> PublicationDeadline:
    setting = f'规则 DT004 的 deadlines 选项 "{key}" = "{value}"'
    if value == "":
        return PublicationDeadline(None, f"{no_deadline_reason('configured_none')}（{setting}）", SOURCE_CONFIG, key)
    month, day = parse_month_day(value, OPTION_MONTH_DAY)
    reason = f"按配置（{setting}），报告应在次年{format_month_day(month, day)}前发布"
    if who:
        reason += f"（{who}）"
    return PublicationDeadline(datetime.date(year + 1, month, day), reason, SOURCE_CONFIG, key)
