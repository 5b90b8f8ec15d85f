"""What a figure of a sentence counts (a count of things, a change, a figure of another period),
and where the words around it are.

The breakdowns, the percentages and the statements about table cells only use counts; the units
and words that tell them apart are narrative data (:mod:`nianbao.rules.narrative.lexicon`).
"""

from __future__ import annotations

from typing import Iterator

from nianbao.api import Figure, Sentence
from nianbao.rules.narrative.lexicon import NarrativeLexicon


def is_count(figure: Figure, lexicon: NarrativeLexicon, allow_no_unit: bool = False) -> bool:
    """A count of things: not a percentage, not inside a title, with a counting unit."""
    if figure.quoted or figure.mention.percent:
        return False
    if figure.unit is None:
        return allow_no_unit
    return figure.unit in lexicon.count_units


def is_change(sentence: Sentence, figure: Figure, lexicon: NarrativeLexicon) -> bool:
    """A change or a figure of another period ("比上年增加15条", "同比", "历年累计384条")."""
    clause = sentence.clause_at(figure.start)
    before = sentence.at(clause.start, figure.start)
    if any(word in before for word in lexicon.comparison_words):
        return True
    near = before[-5:]
    return any(word in near for word in lexicon.change_words)


def is_amount(sentence: Sentence, figure: Figure, lexicon: NarrativeLexicon) -> bool:
    """A count that can be a total or a part (its unit says what it counts)."""
    return is_count(figure, lexicon) and not is_change(sentence, figure, lexicon)


def occurrences(word: str, text: str) -> Iterator[tuple[int, int]]:
    """Where ``word`` occurs in ``text``, left to right, without overlaps: what
    ``re.finditer(re.escape(word), text)`` finds, without building a regex per word and sentence."""
    start = text.find(word)
    while start != -1:
        end = start + len(word)
        yield start, end
        start = text.find(word, end if end > start else start + 1)
