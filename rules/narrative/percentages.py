"""Percentages and the two counts they are the ratio of (NR003).

"办结申请125条，其中同意公开53条，占42%" (a share of the total before 其中), "通过293个，通过率86.4%"
(a rate naming its numerator), "其中自然人20件、法人5件，分别为80%和20%" (one percentage per part).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Iterable

from nianbao.api import SEMICOLONS, Figure, Sentence
from nianbao.rules.narrative.breakdowns import (
    Breakdown,
    breakdowns,
    document_breakdowns,
)
from nianbao.rules.narrative.figures import is_amount
from nianbao.rules.narrative.lexicon import NarrativeLexicon, narrative_lexicon

if TYPE_CHECKING:
    from nianbao.api import Document


DEFAULT_TOLERANCE = Decimal("0.1")
"""Percentage points a stated percentage may be off after rounding like it (NR003's default)."""


def rounded_like(value: Decimal, stated: Decimal) -> Decimal:
    """``value`` rounded to as many decimals as ``stated`` is written with (42 → whole percent)."""
    exponent = stated.as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def ratio_percent(numerator: Decimal, denominator: Decimal) -> Decimal:
    return numerator / denominator * 100


def percent_agrees(stated: Decimal, numerator: Decimal, denominator: Decimal, tolerance: Decimal = DEFAULT_TOLERANCE) -> bool:
    """Whether ``stated`` is ``numerator / denominator`` as a percentage, rounded like it is written."""
    return abs(stated - rounded_like(ratio_percent(numerator, denominator), stated)) <= tolerance


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


@dataclass(frozen=True)
class Share:
    """"53条，占42%": a percentage written as the share of the count before 占."""

    percent: Figure
    numerator: Figure
    named: str
    """The words naming the denominator ("收到申请" in "占收到申请总数的40%"); empty for a share of
    the total just given ("占42%", "占总数的42%")."""


@dataclass(frozen=True)
class _Surroundings:
    before: str
    """The percentage's clause up to the percentage."""
    counts: list[Figure]
    """Exact counts before the percentage in its bracket group."""
    region_start: int
    """Where the percentage's list starts: its group's start or the last semicolon before it."""


def _surroundings(sentence: Sentence, percent: Figure, lexicon: NarrativeLexicon) -> _Surroundings:
    clause = sentence.clause_at(percent.start)
    group = percent.group
    low, _ = sentence.group_bounds(group)
    semicolons = sentence.separators(group, low, percent.start, SEMICOLONS)
    counts = [
        figure
        for figure in sentence.figures_in(group, low, percent.start)
        if is_amount(sentence, figure, lexicon) and not figure.mention.approximate
    ]
    return _Surroundings(
        sentence.at(clause.start, percent.start), counts, max([low, *(offset + 1 for offset in semicolons)])
    )


def _percentages(sentence: Sentence) -> list[Figure]:
    return [figure for figure in sentence.figures if figure.mention.percent and not figure.quoted]


def percent_claims(
    sentence: Sentence, found: list[Breakdown] | None = None, lexicon: NarrativeLexicon | None = None
) -> list[PercentClaim]:
    """The percentages of a sentence whose numerator and denominator the sentence gives."""
    lexicon = lexicon or narrative_lexicon()
    found = breakdowns(sentence, lexicon) if found is None else found
    whole_of = {part.figure: item.whole for item in found for part in item.parts}
    claims: list[PercentClaim] = []
    handled: set[Figure] = set()
    for percent in _percentages(sentence):
        if percent in handled or percent.mention.approximate:
            continue
        around = _surroundings(sentence, percent, lexicon)
        before = around.before
        share = next((word for word in lexicon.share_words if word in before), None)
        each = next((word for word in lexicon.each_words if word in before), None)
        if each is not None:
            claims.extend(_each_claims(sentence, percent, around.counts, around.region_start, whole_of, handled, lexicon))
        elif share is not None:
            claim = _share_claim(sentence, _share(sentence, percent, around, share, lexicon), around.counts, whole_of, lexicon)
            if claim is not None:
                claims.append(claim)
        elif "率" in before:
            claim = _rate_claim(sentence, percent, before, around.counts, lexicon)
            if claim is not None:
                claims.append(claim)
    return claims


def document_percent_claims(document: Document) -> list[PercentClaim]:
    """Every percent claim of the report, read once per document (NR003 checks them; NR001 leaves
    the percentages they cover to NR003)."""
    return document.analysis(_document_percent_claims)


def _document_percent_claims(document: Document) -> list[PercentClaim]:
    lexicon = narrative_lexicon()
    return [claim for sentence, found in document_breakdowns(document) for claim in percent_claims(sentence, found, lexicon)]


def shares(sentence: Sentence, lexicon: NarrativeLexicon | None = None) -> list[Share]:
    """The percentages of a sentence written as a share of the count before 占 ("12件，占52.2%"),
    whatever the denominator; :func:`percent_claims` keeps those whose denominator the text gives."""
    lexicon = lexicon or narrative_lexicon()
    found = []
    for percent in _percentages(sentence):
        if percent.mention.approximate:
            continue
        around = _surroundings(sentence, percent, lexicon)
        if any(word in around.before for word in lexicon.each_words):
            continue
        share = next((word for word in lexicon.share_words if word in around.before), None)
        if share is not None and (item := _share(sentence, percent, around, share, lexicon)) is not None:
            found.append(item)
    return found


def _share(sentence: Sentence, percent: Figure, around: _Surroundings, share: str, lexicon: NarrativeLexicon) -> Share | None:
    before = around.before
    share_at = percent.start - len(before) + before.rindex(share)
    numerators = [figure for figure in around.counts if figure.end <= share_at and figure.start >= around.region_start]
    if not numerators:
        return None
    numerator = numerators[-1]
    if len(sentence.separators(percent.group, numerator.end, share_at)) > 1:
        return None
    named = _strip_words(sentence.at(share_at + len(share), percent.start), lexicon.general_denominators)
    return Share(percent, numerator, named)


def _share_claim(sentence, share: Share | None, counts, whole_of, lexicon) -> PercentClaim | None:
    if share is None:
        return None
    numerator, named = share.numerator, share.named
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
    return PercentClaim(share.percent, numerator, denominator.value, (denominator,), "share")


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
