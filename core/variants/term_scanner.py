"""Every section of a lexicon found in one pass over a text.

One regular expression holds every term of the sections asked for, written as a trie (terms that
begin alike share those characters, so a position costs a step per character of the longest term
there, not a try per term); an ASCII letter matches in either case by a class of its two cases,
since a case-insensitive expression runs several times slower. At each position where a term
begins it finds the longest; the shorter terms beginning there are its prefixes, listed beside it
when the scanner is built. From the terms at each position every section's matches are then
chosen as :meth:`nianbao.variants.lexicon.Lexicon.finditer` defines them: not overlapping, the
longest term first, a term that begins or ends with an ASCII letter or digit only as a whole
word, vetoed matches skipped.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["TermScanner", "ascii_lowered", "is_ascii_alnum"]

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def ascii_lowered(text: str) -> str:
    """``text`` with A–Z lowered and nothing else changed: offsets stay those of ``text``."""
    return text.translate(_ASCII_LOWER)


def is_ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


@dataclass(frozen=True)
class _Shape:
    """How a term of a section can match where it begins: its length and word boundaries."""

    length: int
    bounded_start: bool
    bounded_end: bool


class TermScanner:
    """The matches of several sections of terms in one pass; build once, scan many texts."""

    def __init__(self, sections: Mapping[str, Iterable[Any]]) -> None:
        """``sections``: section name → its terms, objects with ``text`` and ``vetoed(text, start,
        end)`` (:class:`nianbao.variants.lexicon.Term`)."""
        self.sections = tuple(sections)
        shapes: dict[str, dict[str, set[_Shape]]] = {}  # lowered term → section → shapes
        self._terms: dict[str, dict[str, Any]] = {}  # section → casefolded text → first entry
        for section, terms in sections.items():
            by_text = self._terms[section] = {}
            for term in terms:
                by_text.setdefault(term.text.casefold(), term)
                shape = _Shape(len(term.text), is_ascii_alnum(term.text[0]), is_ascii_alnum(term.text[-1]))
                shapes.setdefault(ascii_lowered(term.text), {}).setdefault(section, set()).add(shape)
        # For each term the trie can find: per section, the shapes of it and of every shorter term
        # that is its beginning, longest first.
        self._beginnings: dict[str, tuple[tuple[str, tuple[_Shape, ...]], ...]] = {}
        for lowered in shapes:
            found: dict[str, list[_Shape]] = {}
            for cut in range(len(lowered), 0, -1):
                for section, section_shapes in shapes.get(lowered[:cut], {}).items():
                    found.setdefault(section, []).extend(sorted(section_shapes, key=_shape_order))
            self._beginnings[lowered] = tuple((section, tuple(items)) for section, items in found.items())
        self._pattern = re.compile(_trie_source(shapes) or r"(?!)")

    def scan(self, text: str, start: int = 0, end: int | None = None) -> dict[str, list[tuple[int, int, Any]]]:
        """Every section's matches ``(start, end, term)`` in ``text[start:end]``, as ``finditer``
        finds them (a term may look at the text before ``start`` for its word boundary and for
        ``unless_preceded_by``, as a regular expression searched from ``start`` does)."""
        end = len(text) if end is None else end
        places: dict[str, list[tuple[int, tuple[_Shape, ...]]]] = {section: [] for section in self.sections}
        search = self._pattern.search
        beginnings = self._beginnings
        position = start
        while (match := search(text, position, end)) is not None:
            where = match.start()
            for section, shapes in beginnings[ascii_lowered(match.group())]:
                places[section].append((where, shapes))
            position = where + 1
        return {section: self._chosen(section, text, end, places[section]) for section in self.sections}

    def _chosen(self, section: str, text: str, end: int, places) -> list[tuple[int, int, Any]]:
        """The section's matches among the places its terms begin, as ``finditer`` chooses them."""
        terms = self._terms[section]
        chosen: list[tuple[int, int, Any]] = []
        position = 0
        for where, shapes in places:
            if where < position:
                continue
            for shape in shapes:
                stop = where + shape.length
                if shape.bounded_start and where > 0 and is_ascii_alnum(text[where - 1]):
                    continue
                if shape.bounded_end and stop < end and is_ascii_alnum(text[stop]):
                    continue
                break
            else:
                continue
            # What was found differs from a term in the case of ASCII letters only, so its casefolded
            # text is that of a term.
            term = terms[text[where:stop].casefold()]
            if term.vetoed(text, where, stop):
                position = where + 1
                continue
            chosen.append((where, stop, term))
            position = stop
        return chosen


def _shape_order(shape: _Shape) -> tuple:
    return (-shape.length, shape.bounded_start, shape.bounded_end)


def _trie_source(words: Iterable[str]) -> str:
    """A regex source matching any of ``words`` (ASCII letters lowered; they match in either
    case), the longest where several begin at one place."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here
    # Every first branch begins with one plain character, a letter's two cases as two branches:
    # then the engine skips at C speed the places where no term can begin.
    branches = []
    for char, child in sorted(trie.items()):
        rest = _node_source(child)
        branches += [re.escape(case) + rest for case in sorted({char, char.upper()} if char in string.ascii_lowercase else {char})]
    return "|".join(branches)


def _node_source(node: dict) -> str:
    branches = [_either_case(char) + _node_source(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    source = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # A word ending here with longer ones going on: the longer ones are tried first (greedy).
    return f"(?:{source})?" if "" in node else source


def _either_case(char: str) -> str:
    return f"[{char}{char.upper()}]" if char in string.ascii_lowercase else re.escape(char)
