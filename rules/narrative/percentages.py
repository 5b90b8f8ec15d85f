"""Percentages and the two counts they are the ratio of (NR003).

"办结申请125条，其中同意公开53条，占42%" (a share of the total before 其中), "通过293个，通过率86.4%"
(a rate naming its numerator), "其中自然人20件、法人5件，分别为80%和20%" (one percentage per part).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from nianbao.api import SEMICOLONS, Figure, Sentence
from nianbao.rules.narrative.breakdowns import Breakdown, breakdowns
from nianbao.rules.narrative.figures import is_amount
from nianbao.rules.narrative.lexicon import NarrativeLexicon, narrative_lexicon


@dataclass(frozen=True)
class PercentClaim:
    """A percentage the text gives and the ratio it must be: ``numerator / denominator``."""

    percent: Figure
    numerator: Figure
    denominator: Decimal
    denominator_figures: tuple[Figure, ...]
    """The figure(s) the denominator comes from (several: the sum of parts)."""
    how: str
    """``share`` ("53条，占42%"), ``rate`` ("通过293个，通过率86.4%") or ``each`` ("分别为80%和20%")."""


def _strip_words(text: str, words: Iterable[str]) -> str:
    for word in words:  # longest first
        text = text.replace(word, "")
    return text.strip(" ,;:，；：")


def percent_claims(
    sentence: Sentence, found: list[Breakdown] | None = None, lexicon: NarrativeLexicon | None = None
) -> list[PercentClaim]:
    """The percentages of a sentence whose numerator and denominator the sentence gives."""
    lexicon = lexicon or narrative_lexicon()
    found = breakdowns(sentence, lexicon) if found is None else found
    whole_of = {part.figure: item.whole for item in found for part in item.parts}
    claims: list[PercentClaim] = []
    handled: set[Figure] = set()
    for percent in (figure for figure in sentence.figures if figure.mention.percent and not figure.quoted):
        if percent in handled or percent.mention.approximate:
            continue
        clause = sentence.clause_at(percent.start)
        before = sentence.at(clause.start, percent.start)
        group = percent.group
        low, _ = sentence.group_bounds(group)
        semicolons = sentence.separators(group, low, percent.start, SEMICOLONS)
        region_start = max([low, *(offset + 1 for offset in semicolons)])
        # Counts before the percentage in its group, back to a semicolon.
        counts = [
            figure
            for figure in sentence.figures_in(group, low, percent.start)
            if is_amount(sentence, figure, lexicon) and not figure.mention.approximate
        ]
        share = next((word for word in lexicon.share_words if word in before), None)
        each = next((word for word in lexicon.each_words if word in before), None)
        if each is not None:
            claims.extend(_each_claims(sentence, percent, counts, region_start, whole_of, handled, lexicon))
        elif share is not None:
            claim = _share_claim(sentence, percent, before, share, counts, region_start, whole_of, lexicon)
            if claim is not None:
                claims.append(claim)
        elif "率" in before:
            claim = _rate_claim(sentence, percent, before, counts, lexicon)
            if claim is not None:
                claims.append(claim)
    return claims


def _share_claim(sentence, percent, before, share, counts, region_start, whole_of, lexicon) -> PercentClaim | None:
    share_at = percent.start - len(before) + before.rindex(share)
    numerators = [figure for figure in counts if figure.end <= share_at and figure.start >= region_start]
    if not numerators:
        return None
    numerator = numerators[-1]
    if len(sentence.separators(percent.group, numerator.end, share_at)) > 1:
        return None
    named = _strip_words(sentence.at(share_at + len(share), percent.start), lexicon.general_denominators)
    if named:
        # "占收到申请总数的40%": the count whose clause names that.
        candidates = [
            figure
            for figure in counts
            if figure.end <= numerator.start and named in sentence.at(sentence.clause_at(figure.start).start, figure.start)
        ]
        if len(candidates) != 1:
            return None
        denominator = candidates[0]
    else:
        denominator = whole_of.get(numerator)
        if denominator is None:
            return None
    if denominator.value <= 0 or not lexicon.same_unit(numerator.unit, denominator.unit):
        return None
    return PercentClaim(percent, numerator, denominator.value, (denominator,), "share")


def _rate_claim(sentence, percent, before, counts, lexicon) -> PercentClaim | None:
    """"预审项目339个，通过293个，通过率86.4%": the rate names its numerator ("通过")."""
    rate_at = before.rindex("率")
    run = re.search(r"[\u4e00-\u9fff]+$", before[:rate_at])
    if run is None:
        return None
    phrase = run.group()
    for filler in lexicon.rate_fillers:
        if phrase.startswith(filler):
            phrase = phrase[len(filler) :]
    if len(phrase) < 2:
        return None
    rate_clause = sentence.clause_at(percent.start)

    def names(figure: Figure) -> bool:
        return phrase in sentence.at(sentence.clause_at(figure.start).start, figure.start)

    numerators = [figure for figure in counts if names(figure) and figure.start < rate_clause.start]
    if not numerators:
        return None
    numerator = numerators[-1]
    if len(sentence.separators(percent.group, numerator.end, rate_clause.start)) > 1:
        return None  # the rate must follow its numerator's clause
    denominators = [
        figure
        for figure in counts
        if figure.end <= numerator.start and not names(figure) and lexicon.same_unit(figure.unit, numerator.unit)
    ]
    if not denominators:
        return None
    denominator = denominators[-1]
    if denominator.value <= 0 or numerator.value > denominator.value:
        return None
    return PercentClaim(percent, numerator, denominator.value, (denominator,), "rate")


def _each_claims(sentence, first_percent, counts, region_start, whole_of, handled, lexicon) -> list[PercentClaim]:
    """"其中自然人20件、法人5件，分别为80%和20%": one percentage per part, in order."""
    clause = sentence.clause_at(first_percent.start)
    percents = [
        figure
        for figure in sentence.figures_in(first_percent.group, first_percent.start, clause.end)
        if figure.mention.percent and not figure.quoted
    ]
    handled.update(percents)
    parts = [figure for figure in counts if region_start <= figure.start and figure.end <= clause.start]
    if len(percents) < 2 or len(parts) < len(percents):
        return []
    parts = parts[-len(percents) :]
    if any(not lexicon.same_unit(parts[0].unit, part.unit) for part in parts):
        return []
    wholes = {whole_of.get(part) for part in parts}
    if len(wholes) == 1 and None not in wholes:
        whole = wholes.pop()
        denominator, sources = whole.value, (whole,)
    elif abs(sum(p.value for p in percents) - 100) <= 1:
        denominator, sources = sum((part.value for part in parts), Decimal(0)), tuple(parts)
    else:
        return []
    if denominator <= 0:
        return []
    return [PercentClaim(percent, part, denominator, sources, "each") for percent, part in zip(percents, parts)]
