"""The narrative data: what ``data/narrative.toml`` says about how report prose states figures.

Units that count things, the words of changes and comparisons, the markers of a breakdown
("其中", "分别为", "合计"), the words of percentages, template placeholders, self-references
("我局", "我办") and the statement patterns that link a sentence to table cells (NR001).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Mapping

from nianbao.api import LazyPattern, cached, read_toml


@dataclass(frozen=True)
class CellTarget:
    """Table cells a statement describes: the cells of one table, added up."""

    table: str
    """A template id or its era-free end: ``application`` matches ``2021.application``."""
    cells: tuple[tuple[str, str], ...]
    """(row key, column key) pairs; a row key ``group.*`` stands for every row of that group
    ("withheld.*": the eight rows under （三）不予公开), as in the templates' relations."""


@dataclass(frozen=True)
class StatementPattern:
    id: str
    what: str
    subjects: tuple[LazyPattern, ...]
    exclude: tuple[str, ...]
    context: tuple[str, ...]
    sentence_requires: tuple[str, ...]
    zero: bool
    targets: tuple[CellTarget, ...]
    accept: tuple[CellTarget, ...] = ()
    with_carried_over: CellTarget | None = None
    heading_context: tuple[str, ...] = ()
    exclude_in_sentence: bool = False
    at_most_after: tuple[str, ...] = ()
    listed_after_subset: bool = False
    """The statement may be an item of the list after 其中 ("办结23件，其中予以公开12件、部分公开3件")."""
    combines: tuple[str, ...] = ()
    """Ids of the patterns whose subjects this one joins ("予以公开及部分公开"): its cells are theirs."""
    percent_of: tuple[CellTarget, ...] = ()
    """Totals a share right after the figure ("12件，占52.2%") may be of; the first is named in messages."""


@dataclass(frozen=True)
class Placeholder:
    what: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class SelfReferenceWord:
    word: str
    kind_characters: tuple[str, ...]
    unless_followed_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class NarrativeLexicon:
    count_units: frozenset[str]
    interchangeable_units: tuple[frozenset[str], ...]
    change_words: tuple[str, ...]
    comparison_words: tuple[str, ...]
    average_words: tuple[str, ...]
    markers: tuple[tuple[str, bool], ...]
    trailing_totals: tuple[str, ...]
    catch_all: tuple[str, ...]
    overlapping_channels: tuple[str, ...]
    dimensions: Mapping[str, tuple[str, ...]]
    share_words: tuple[str, ...]
    general_denominators: tuple[str, ...]
    each_words: tuple[str, ...]
    rate_fillers: tuple[str, ...]
    statistic_words: tuple[str, ...]
    placeholders: tuple[Placeholder, ...]
    self_references: tuple[SelfReferenceWord, ...]
    self_reference_tolerated: Mapping[str, tuple[str, ...]]
    max_gap: int
    other_scope: tuple[str, ...]
    subset: tuple[str, ...]
    includes_carried_over: tuple[str, ...]
    negations: tuple[str, ...]
    negation_false: tuple[str, ...]
    negation_limits: tuple[str, ...]
    zero_words: tuple[str, ...]
    statements: tuple[StatementPattern, ...]
    any_subject: re.Pattern[str]
    """Matches where any statement pattern's subject does: a sentence without a match has no statement."""

    def same_unit(self, first: str | None, second: str | None) -> bool:
        """Whether two figures count the same kind of thing (a missing unit fits any)."""
        if first is None or second is None or first == second:
            return True
        return any(first in group and second in group for group in self.interchangeable_units)


def _words(data: Mapping, key: str) -> tuple[str, ...]:
    return tuple(sorted(data.get(key, []), key=len, reverse=True))


def _target(data: Mapping) -> CellTarget:
    return CellTarget(str(data["table"]), tuple((str(row), str(column)) for row, column in data["cells"]))


@lru_cache(maxsize=1)
def narrative_lexicon() -> NarrativeLexicon:
    """The contents of ``data/narrative.toml`` (loaded once)."""
    return cached("narrative", _read_narrative_lexicon)


def _read_narrative_lexicon() -> NarrativeLexicon:
    raw = read_toml(resources.files("nianbao.data").joinpath("narrative.toml"))
    figures, breakdown, percent = raw["figures"], raw["breakdown"], raw["percent"]
    statements = raw["statements"]
    denominators = statements.get("denominators", {})
    patterns = tuple(
        StatementPattern(
            id=entry["id"],
            what=entry["what"],
            subjects=tuple(LazyPattern(subject) for subject in entry["subjects"]),
            exclude=tuple(entry.get("exclude", [])),
            context=tuple(entry.get("context", [])),
            sentence_requires=tuple(entry.get("sentence_requires", [])),
            zero=bool(entry.get("zero", False)),
            targets=tuple(_target(target) for target in entry["targets"]),
            accept=tuple(_target(target) for target in entry.get("accept", [])),
            with_carried_over=_target(entry["with_carried_over"]) if "with_carried_over" in entry else None,
            heading_context=tuple(entry.get("heading_context", [])),
            exclude_in_sentence=bool(entry.get("exclude_in_sentence", False)),
            at_most_after=tuple(entry.get("at_most_after", [])),
            listed_after_subset=bool(entry.get("listed_after_subset", False)),
            combines=tuple(entry.get("combines", [])),
            percent_of=tuple(_target(target) for target in denominators[entry["percent_of"]]) if "percent_of" in entry else (),
        )
        for entry in statements["patterns"]
    )
    return NarrativeLexicon(
        count_units=frozenset(figures["count_units"]),
        interchangeable_units=tuple(frozenset(group) for group in figures["interchangeable_units"]),
        change_words=_words(figures, "change_words"),
        comparison_words=_words(figures, "comparison_words"),
        average_words=_words(figures, "average_words"),
        markers=tuple(
            sorted(((entry["word"], bool(entry["exhaustive"])) for entry in breakdown["markers"]), key=lambda m: -len(m[0]))
        ),
        trailing_totals=_words(breakdown, "trailing_totals"),
        catch_all=_words(breakdown, "catch_all"),
        overlapping_channels=_words(breakdown, "overlapping_channels"),
        dimensions={name: tuple(words) for name, words in breakdown["dimensions"].items()},
        share_words=_words(percent, "share_words"),
        general_denominators=_words(percent, "general_denominators"),
        each_words=_words(percent, "each_words"),
        rate_fillers=_words(percent, "rate_fillers"),
        statistic_words=_words(raw["approximate"], "statistic_words"),
        placeholders=tuple(Placeholder(entry["what"], re.compile(entry["pattern"])) for entry in raw["placeholders"]),
        self_references=tuple(
            SelfReferenceWord(entry["word"], tuple(entry["kind_characters"]), tuple(entry.get("unless_followed_by", [])))
            for entry in raw["self_reference"]["words"]
        ),
        self_reference_tolerated={
            kind: tuple(words) for kind, words in raw["self_reference"].get("tolerated", {}).items()
        },
        max_gap=int(statements["max_gap"]),
        other_scope=_words(statements, "other_scope"),
        subset=_words(statements, "subset"),
        includes_carried_over=_words(statements, "includes_carried_over"),
        negations=_words(statements, "negations"),
        negation_false=_words(statements, "negation_false"),
        negation_limits=_words(statements, "negation_limits"),
        zero_words=_words(statements, "zero_words"),
        statements=patterns,
        any_subject=re.compile("|".join(f"(?:{subject.pattern})" for pattern in patterns for subject in pattern.subjects)),
    )
