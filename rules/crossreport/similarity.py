"""What XR004 compares: the passages (masked sentence fingerprints) that two reports share.

Pairs come from a body's own earlier reports, found by body and year, and from other bodies'
reports, found by MinHash signatures of each report's passage set in an LSH index (``datasketch``,
the optional ``corpus`` extra), so a corpus of 100,000 reports is not compared all with all. For
each pair the share is exact: the masked characters of one report's passages whose fingerprint
occurs in the other, over all its masked characters, without boilerplate — the statutory
sentences of ``statutory_sentences.toml`` and, in a corpus of enough bodies, passages that many
bodies write.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import groupby
from typing import Any, Iterable, Iterator

from nianbao.api import Corpus, Location, ReportRecord, fingerprint, mask_text, read_toml

NUM_PERM = 64
"""Signature length: LSH here only proposes pairs, every one is then measured exactly."""

LSH_MARGIN = 0.5
"""The LSH threshold is this fraction of the Jaccard similarity two equal-sized reports sharing
``threshold`` of their text have, so that reports of unequal size are still proposed: at the
default threshold, surely up to a source about 2.4 times as long as the copy. (An index by
containment, datasketch's LSH Ensemble, would lift that limit but holds several times the memory
per report.)"""

HASH_MASK = 0xFFFFFFFF

MAX_CANDIDATES = 16
"""Other bodies' reports measured exactly per checked report: those with the closest signatures."""


@dataclass(frozen=True)
class Run:
    """Consecutive copied sentences of the checked report: passage indices ``first``..``last``
    (inclusive) and where their fingerprints first occur in the other report."""

    first: int
    last: int
    length: int
    source_first: int
    source_last: int


@dataclass(frozen=True)
class Overlap:
    record: ReportRecord
    source: ReportRecord
    share: float
    copied: int
    """How many of the record's counted passages occur in the source."""
    runs: tuple[Run, ...]
    """The longest runs, in the order of the report."""


@lru_cache(maxsize=1)
def statutory_fingerprints() -> frozenset[int]:
    """Fingerprints of the statutory sentences kept beside this module."""
    data = read_toml(resources.files("nianbao.rules.crossreport").joinpath("statutory_sentences.toml"))
    return frozenset(fingerprint(mask_text(sentence)) for sentence in data["sentences"])


def load_minhash() -> Any:
    """The ``datasketch`` module, or None when the ``corpus`` extra is not installed."""
    try:
        import datasketch
    except ImportError:
        return None
    return datasketch


class PassageIndex:
    """The corpus's records and its boilerplate. Fingerprint sets are made when a record is compared,
    not kept for every record: a corpus of 100,000 reports holds its records and little else."""

    def __init__(self, corpus: Corpus, boilerplate_share: float, boilerplate_min_bodies: int) -> None:
        self.corpus = corpus
        self.records = corpus.records
        self.boilerplate = statutory_fingerprints() | self._common(boilerplate_share, boilerplate_min_bodies)

    def body(self, record: ReportRecord) -> str:
        """The body's key; a report of unknown body is a body of its own."""
        return self.corpus.body_key(record) or f"path:{record.path}"

    def _common(self, share: float, min_bodies: int) -> frozenset[int]:
        """Passages written by more than ``share`` of the bodies (document frequency by body, so a
        body repeating itself over the years counts once); none when there are too few bodies to say."""
        by_body: dict[str, list[ReportRecord]] = {}
        for record in self.records:
            by_body.setdefault(self.body(record), []).append(record)
        if len(by_body) < min_bodies:
            return frozenset()
        # Each body's distinct fingerprints side by side in one flat array, then counted in order:
        # no per-fingerprint dictionary over the whole corpus.
        every = array("q")
        for records in by_body.values():
            every.extend(set().union(*(record.passages.hashes for record in records)))
        limit = share * len(by_body)
        return frozenset(value for value, group in groupby(sorted(every)) if sum(1 for _ in group) > limit)

    @staticmethod
    def fingerprints(record: ReportRecord) -> frozenset[int]:
        return frozenset(record.passages.hashes)

    def counted(self, record: ReportRecord) -> frozenset[int]:
        return self.fingerprints(record) - self.boilerplate

    def overlap(self, record: ReportRecord, source: ReportRecord, max_runs: int) -> Overlap | None:
        """How much of ``record`` occurs in ``source``; None when nothing counted is left."""
        passages, source_set = record.passages, self.fingerprints(source)
        total = copied_length = copied = 0
        copied_at: list[bool] = []
        for value, length in passages:
            if value in self.boilerplate:
                copied_at.append(False)
                continue
            total += length
            hit = value in source_set
            copied_at.append(hit)
            if hit:
                copied += 1
                copied_length += length
        if total == 0:
            return None
        return Overlap(record, source, copied_length / total, copied, tuple(self._runs(record, source, copied_at, max_runs)))

    @staticmethod
    def _runs(record: ReportRecord, source: ReportRecord, copied_at: list[bool], max_runs: int) -> list[Run]:
        where: dict[int, int] = {}
        for index, value in enumerate(source.passages.hashes):
            where.setdefault(value, index)
        hashes, found, start = record.passages.hashes, [], None
        for index, hit in enumerate([*copied_at, False]):
            if hit and start is None:
                start = index
            elif not hit and start is not None:
                length = sum(record.passages.length(item) for item in range(start, index))
                found.append(Run(start, index - 1, length, where[hashes[start]], where[hashes[index - 1]]))
                start = None
        longest = sorted(found, key=lambda run: (-run.length, run.first))[:max_runs]
        return sorted(longest, key=lambda run: run.first)


def similar_pairs(index: PassageIndex, datasketch: Any, threshold: float, min_passages: int) -> Iterator[tuple[int, int]]:
    """(checked position, other position) of records of different bodies whose signatures are
    close enough to be measured: per checked record, together and at most ``MAX_CANDIDATES``, the
    closest first (ties by path, so the order of the files does not matter)."""
    positions: list[int] = []

    def passage_sets() -> Iterator[list[int]]:
        for position, record in enumerate(index.records):
            values = index.counted(record)
            if len(values) >= min_passages:
                positions.append(position)
                yield sorted(values)

    signatures = datasketch.MinHash.bulk(passage_sets(), num_perm=NUM_PERM, hashfunc=_hash)
    if not positions:
        return
    lsh = datasketch.MinHashLSH(threshold=max(0.05, LSH_MARGIN * threshold / (2 - threshold)), num_perm=NUM_PERM)
    by_position = dict(zip(positions, signatures))
    for position, signature in by_position.items():
        lsh.insert(position, signature)
    for position, signature in by_position.items():
        record = index.records[position]
        if not index.corpus.is_checked(record):
            continue
        body = index.body(record)
        others = [other for other in lsh.query(signature) if other != position and index.body(index.records[other]) != body]
        # A template many bodies copied makes every one of them a candidate of every other: only the
        # closest by signature are measured, so the work per report stays bounded.
        others.sort(key=lambda other: (-signature.jaccard(by_position[other]), index.records[other].path))
        for other in others[:MAX_CANDIDATES]:
            yield position, other


def _hash(value: int) -> int:
    return value & HASH_MASK


def span(record: ReportRecord, first: int, last: int) -> Location:
    """From the start of passage ``first`` to the end of passage ``last`` (just ``first`` when the
    other lies before it)."""
    start = record.passages.location(first)
    if last < first:
        return start
    end = record.passages.location(last)
    return Location(start.line, start.column, end.end_line, end.end_column, start.place)


def earlier_reports(corpus: Corpus) -> Iterator[tuple[ReportRecord, list[ReportRecord]]]:
    """Each checked report of a known body and year with its body's earlier reports, latest first."""
    for records in corpus.bodies().values():
        for record in records:
            if corpus.is_checked(record):
                earlier = [item for item in records if item.year < record.year]
                yield record, sorted(earlier, key=lambda item: (-item.year, item.path))


def later_of(record: ReportRecord, other: ReportRecord) -> bool | None:
    """Whether ``record`` came after ``other``: by report year, else by publication date; None when
    neither tells."""
    for mine, theirs in ((record.year, other.year), (record.publication_date, other.publication_date)):
        if mine is not None and theirs is not None and mine != theirs:
            return mine > theirs
    return None


def copied_enough(overlap: Overlap | None, threshold: float, min_passages: int) -> bool:
    return overlap is not None and overlap.share >= threshold and overlap.copied >= min_passages


def ranked(overlaps: Iterable[Overlap]) -> list[Overlap]:
    return sorted(overlaps, key=lambda item: (-item.share, item.source.path))
