"""Template labels → the labels a cell's text matches: the label index of one template.

Recognition (:mod:`nianbao.tables.recognize`) asks of every cell which caption, header, column,
group or row label of a template it is. A label matches exactly when it equals the template text
or one of its aliases once folded (:func:`~nianbao.text.normalize.fold_label`: widths, spaces) or
without punctuation, when a template pattern finds it, or when it is a group label and a row
label written in one cell; failing that, a label this similar to a template label
(:data:`FUZZY_THRESHOLD`) is read as an altered one.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Iterable, Sequence

from nianbao.text.normalize import fold_label

if TYPE_CHECKING:
    from nianbao.tables.templates import Template

__all__ = ["FUZZY_THRESHOLD", "LabelEntry", "LabelMatcher"]

# Labels this similar (difflib ratio, punctuation ignored) count as an altered template label.
FUZZY_THRESHOLD = 0.8
# A header cell cut short keeps at least this many characters ("本年新"); one is any label's start.
_MIN_CUT_HEADER = 2


@lru_cache(maxsize=16384)
def _loose(folded: str) -> str:
    """A folded label without punctuation: "1、" and "1." or straight and curly quotes compare equal."""
    return "".join(char for char in folded if not unicodedata.category(char).startswith(("P", "S")))


@dataclass(frozen=True)
class LabelEntry:
    """What a label is in one template: its role, the key of its row, column or group, and the
    template's own wording (``loose``: that label without punctuation, for fuzzy matching)."""

    role: str  # caption | note | header | column | index | group | row
    key: str
    canonical: str
    loose: str = ""


# Lookups remembered per matcher: a table tries every template on the same cells, and
# reports repeat the same labels. Bounded so a long run over many files stays small.
_LOOKUP_CACHE_SIZE = 8192


class LabelMatcher:
    """Label lookup for one template: exact, alias, punctuation-insensitive, pattern, then fuzzy.

    Lookups are pure functions of the cell text, so their results are remembered (the returned
    lists are shared and must not be changed by callers).
    """

    def __init__(self, template: Template) -> None:
        self.template = template
        self._exact_cache: dict[str, list[LabelEntry]] = {}
        self._fuzzy_cache: dict[tuple[str, Sequence[str]], tuple[LabelEntry, float] | None] = {}
        self._start_cache: dict[str, bool] = {}
        self._caption_cache: dict[str, bool] = {}
        self.exact_labels: dict[str, list[LabelEntry]] = {}
        self.loose_labels: dict[str, list[LabelEntry]] = {}
        self.fuzzy_entries: list[LabelEntry] = []
        self.patterns: list[tuple[re.Pattern[str], LabelEntry]] = []
        self.prefix = re.compile(template.label_prefix) if template.label_prefix else None
        self.notes = [re.compile(note) for note in template.notes]
        self.units = {fold_label(unit) for unit in template.units}
        self.starts = {fold_label(label) for label in (*template.captions, *template.start)}
        self.starts |= {_loose(label) for label in self.starts}
        self.captions = {fold_label(label) for label in template.captions}
        self.captions |= {_loose(label) for label in self.captions}
        for label in template.captions:
            self._add(LabelEntry("caption", "caption", label), [label])
        for label in template.header:
            self._add(LabelEntry("header", fold_label(label), label), [label])
        for label in template.index:
            self._add(LabelEntry("index", fold_label(label), label), [label])
        for column in template.columns:
            labels = [column.label, *column.aliases]
            self._add(LabelEntry("column", column.key, column.label), labels, column.patterns)
        self.group_labels: list[str] = []
        for group in template.groups:
            self._add(LabelEntry("group", group.key, group.label), [group.label, *group.aliases])
            self.group_labels.extend(fold_label(label) for label in (group.label, *group.aliases))
        for row in template.rows:
            if not row.unlabeled:
                self._add(LabelEntry("row", row.key, row.label), [row.label, *row.aliases], row.patterns)
        labels = {(entry.role, fold_label(entry.canonical)) for entry in self.fuzzy_entries}
        self.most_evidence = len(labels) + sum(1 for row in template.rows if row.unlabeled)
        """The most label evidence a reading by this template can gather from its own labels: one per
        distinct label and unlabelled row (notes found in a table add one each)."""

    def evidence_ceiling(self, labels: list[str]) -> float:
        """The most evidence a reading of a table with these label cells can gather."""
        notes = sum(1 for text in labels if any(entry.role == "note" for entry in self.exact(text)))
        return self.most_evidence + notes

    def _add(self, entry: LabelEntry, labels: list[str], patterns: Iterable[str] = ()) -> None:
        for label in labels:
            folded = fold_label(label)
            if entry.role == "row" and self.prefix:
                folded = self._strip_prefix(folded) or folded
            self.exact_labels.setdefault(folded, []).append(entry)
            self.loose_labels.setdefault(_loose(folded), []).append(entry)
            self.fuzzy_entries.append(LabelEntry(entry.role, entry.key, entry.canonical, _loose(folded)))
        for pattern in patterns:
            self.patterns.append((re.compile(pattern), entry))

    def _strip_prefix(self, folded: str) -> str:
        assert self.prefix is not None
        return self.prefix.sub("", folded, count=1)

    def _forms(self, text: str) -> list[str]:
        folded = fold_label(text)
        forms = [folded]
        if self.prefix:
            stripped = self._strip_prefix(folded)
            if stripped and stripped != folded:
                forms.append(stripped)
        return forms

    def exact(self, text: str) -> list[LabelEntry]:
        """Every template label ``text`` matches exactly (up to widths, spaces and punctuation)."""
        hits = self._exact_cache.get(text)
        if hits is None:
            hits = _remember(self._exact_cache, text, self._exact(text))
        return hits

    def _exact(self, text: str) -> list[LabelEntry]:
        forms = self._forms(text)
        for form in forms:
            hits = self.exact_labels.get(form) or self.loose_labels.get(_loose(form))
            if hits:
                return hits
        # A group label and its first item written in one cell: "（三）不予公开 1.属于国家秘密".
        for form in forms:
            for group_label in self.group_labels:
                if form.startswith(group_label) and len(form) > len(group_label):
                    rest = form[len(group_label):]
                    hits = self.exact_labels.get(rest) or self.loose_labels.get(_loose(rest))
                    if hits and any(entry.role == "row" for entry in hits):
                        return [entry for entry in hits if entry.role == "row"]
        if any(note.search(forms[0]) for note in self.notes):
            return [LabelEntry("note", "note", text)]
        hits = []
        for pattern, entry in self.patterns:
            form = forms[-1] if entry.role == "row" else forms[0]
            if pattern.search(form):
                hits.append(entry)
        return hits

    def fuzzy(self, text: str, roles: Sequence[str]) -> tuple[LabelEntry, float] | None:
        key = (text, roles)
        if key in self._fuzzy_cache:
            return self._fuzzy_cache[key]
        return _remember(self._fuzzy_cache, key, self._fuzzy(text, roles))

    def _fuzzy(self, text: str, roles: Sequence[str]) -> tuple[LabelEntry, float] | None:
        best: tuple[LabelEntry, float] | None = None
        for form in self._forms(text):
            loose = _loose(form)
            if len(loose) < 2:
                continue
            matcher = difflib.SequenceMatcher(None, "", loose)  # seq2 is the one SequenceMatcher indexes
            for entry in self.fuzzy_entries:
                if entry.role not in roles:
                    continue
                matcher.set_seq1(entry.loose)
                # Cheap upper bounds first: most labels are far apart in length or content.
                if matcher.real_quick_ratio() < FUZZY_THRESHOLD or matcher.quick_ratio() < FUZZY_THRESHOLD:
                    continue
                ratio = matcher.ratio()
                if ratio >= FUZZY_THRESHOLD and (best is None or ratio > best[1]):
                    best = (entry, ratio)
        return best

    def is_start(self, text: str) -> bool:
        start = self._start_cache.get(text)
        if start is None:
            folded = fold_label(text)
            start = _remember(
                self._start_cache,
                text,
                folded in self.starts or _loose(folded) in self.starts or any(note.search(folded) for note in self.notes),
            )
        return start

    def is_caption(self, text: str) -> bool:
        caption = self._caption_cache.get(text)
        if caption is None:
            folded = fold_label(text)
            caption = _remember(self._caption_cache, text, folded in self.captions or _loose(folded) in self.captions)
        return caption

    def is_unit(self, text: str) -> bool:
        return fold_label(text) in self.units

    def is_cut_header(self, text: str) -> bool:
        """``text`` is the beginning of a column or header label, cut short ("本年新" of
        "本年新制作数量": a header cell whose second line was lost)."""
        loose = _loose(fold_label(text))
        return len(loose) >= _MIN_CUT_HEADER and loose in self._header_prefixes

    @cached_property
    def _header_prefixes(self) -> frozenset[str]:
        labels = [
            *self.template.header,
            *(label for column in self.template.columns for label in (column.label, *column.aliases)),
        ]
        return frozenset(loose[:cut] for loose in map(_loose, map(fold_label, labels)) for cut in range(1, len(loose)))


def _remember(cache: dict, key, value):
    """Store ``value`` under ``key`` in a lookup cache, emptying it first when it is full."""
    if len(cache) >= _LOOKUP_CACHE_SIZE:
        cache.clear()
    cache[key] = value
    return value
