"""Word lists that rules match against: built-in data files plus user and profile extensions.

A lexicon is a TOML file ``nianbao/data/lexicons/<name>.toml`` whose top-level keys are
*sections*. A section is a list of strings (``brands = ["beat365", "威廉希尔"]``) or a list of
tables with a ``term`` and further attributes (``[[pairs]] term = "档案" mainland = "文件"``).
Every term is normalised the way report text is (half-width ASCII, Simplified characters), so a
list written in Traditional characters or full-width letters still matches the normalised text.

Extensions are merged with :func:`load_lexicon`'s ``extra`` argument: each item maps section
names to further entries of the same shape. Rules get their lexicons from
:meth:`nianbao.document.document.Document.lexicon`, which adds the entries of plugins (hook
``nianbao_lexicons``) and of the profiles (``[lexicons.NAME]``), in the order
:class:`nianbao.variants.resolver.VariantResolver` layers them, before the rule's own option
entries (``extra_brands`` …). An unknown section or an entry of the wrong shape raises
:class:`LexiconError`.

Two attributes have a meaning for matching (:meth:`Lexicon.finditer`):
``unless_followed_by`` and ``unless_preceded_by`` (lists of strings) veto a match in that context,
e.g. 买球 is not spam in 买球拍.

A rule that looks for several sections asks :meth:`Lexicon.scan` for all of them at once: one pass
over the text (:mod:`nianbao.variants.term_scanner`), built once per lexicon and set of sections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Iterator, Mapping

from nianbao.data.cache import cached
from nianbao.data.toml import TomlError, read_toml
from nianbao.text.normalize import normalize
from nianbao.variants.term_scanner import TermScanner, is_ascii_alnum

__all__ = ["Lexicon", "LexiconError", "Term", "load_lexicon", "lexicon_names"]

_DATA_PACKAGE = "nianbao.data"
_DATA_FOLDER = "lexicons"
_CONTEXT_KEYS = ("unless_followed_by", "unless_preceded_by")


class LexiconError(ValueError):
    """A lexicon file or an extension is malformed; the message is Chinese and names the place."""


@dataclass(frozen=True)
class Term:
    """One entry: the normalised ``text`` and any further attributes from a table entry."""

    text: str
    attributes: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def get(self, key: str, default: Any = None) -> Any:
        return self.attributes.get(key, default)

    def vetoed(self, text: str, start: int, end: int) -> bool:
        """Whether the context around ``text[start:end]`` cancels this term's match."""
        # startswith/endswith at an offset: slicing the text here would cost its length per match.
        return any(text.startswith(word, end) for word in self.get("unless_followed_by", ())) or any(
            text.endswith(word, 0, start) for word in self.get("unless_preceded_by", ())
        )


@dataclass(frozen=True)
class Lexicon:
    """Named sections of terms. Build with :func:`load_lexicon`."""

    name: str
    sections: Mapping[str, tuple[Term, ...]]
    _patterns: dict = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)
    _scanners: dict = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def section_names(self) -> tuple[str, ...]:
        return tuple(self.sections)

    def entries(self, section: str) -> tuple[Term, ...]:
        try:
            return self.sections[section]
        except KeyError:
            raise LexiconError(f"词库 {self.name} 没有“{section}”这一类") from None

    def terms(self, section: str) -> tuple[str, ...]:
        return tuple(term.text for term in self.entries(section))

    def lookup(self, section: str, text: str) -> Term | None:
        """The entry of ``section`` whose text is ``text`` (case-insensitive for ASCII)."""
        folded = text.casefold()
        return next((term for term in self.entries(section) if term.text.casefold() == folded), None)

    def pattern(self, section: str) -> re.Pattern[str]:
        """An alternation of the section's terms, longest first, ASCII letters case-insensitive.

        A term that begins or ends with an ASCII letter or digit only matches there as a whole
        word (``jav`` is not found in ``java``). A section without terms never matches.
        """
        if section not in self._patterns:
            texts = sorted({term.text for term in self.entries(section)}, key=lambda text: (-len(text), text))
            source = _alternation(texts) or r"(?!)"
            self._patterns[section] = re.compile(source, re.IGNORECASE | re.ASCII)
        return self._patterns[section]

    def finditer(
        self, section: str, text: str, start: int = 0, end: int | None = None
    ) -> Iterator[tuple[int, int, Term]]:
        """Non-overlapping matches ``(start, end, term)`` of the section in ``text[start:end]``:
        at the first place :meth:`pattern` matches, the longest term there, unless its context
        vetoes it (then the search goes on from the next character); then on from its end."""
        return iter(self.scan(text, (section,), start, end)[section])

    def scan(
        self, text: str, sections: Iterable[str], start: int = 0, end: int | None = None
    ) -> dict[str, list[tuple[int, int, Term]]]:
        """Each section's matches in ``text[start:end]``, exactly as :meth:`finditer` finds them,
        in one pass over the text for all the sections."""
        key = tuple(sections)
        scanner = self._scanners.get(key)
        if scanner is None:
            scanner = self._scanners[key] = TermScanner({section: self.entries(section) for section in key})
        return scanner.scan(text, start, end)


def lexicon_names() -> tuple[str, ...]:
    """The names of the built-in lexicons."""
    folder = resources.files(_DATA_PACKAGE).joinpath(_DATA_FOLDER)
    return tuple(sorted(entry.name[: -len(".toml")] for entry in folder.iterdir() if entry.name.endswith(".toml")))


def load_lexicon(name: str, extra: Iterable[Mapping[str, Iterable[Any]]] = ()) -> Lexicon:
    """The built-in lexicon ``name`` with the ``extra`` entries added, section by section.

    Results are cached: rules may call this for every document at no cost.
    """
    return _load(name, _freeze_extensions(name, extra))


@lru_cache(maxsize=64)
def _load(name: str, frozen_extra: tuple) -> Lexicon:
    sections = {section: list(terms) for section, terms in _builtin_terms(name).items()}
    for index, extension in enumerate(frozen_extra, 1):
        for section, entries in extension:
            where = f"词库 {name} 的扩展（第 {index} 项）“{section}”"
            if section not in sections:
                known = "、".join(sections) or "（无）"
                raise LexiconError(f"{where}：没有这一类，可选：{known}")
            needs_attributes = _table_required(sections[section])
            for entry in entries:
                term = _term(_thaw(entry), where)
                if needs_attributes and not term.attributes:
                    raise LexiconError(f"{where}：条目 {term.text!r} 缺少属性，应为表（含 term 及其他键）")
                sections[section].append(term)
    return Lexicon(name, {section: _deduplicated(terms) for section, terms in sections.items()})


@lru_cache(maxsize=32)
def _builtin_terms(name: str) -> dict[str, tuple[Term, ...]]:
    """The built-in file's terms, normalised, by section (kept between runs: see nianbao.data.cache)."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise LexiconError(f"词库名称无效：{name!r}")
    return cached(f"lexicon-{name}", lambda: _read_builtin_terms(name), modules=("nianbao.text.normalize",))


def _read_builtin_terms(name: str) -> dict[str, tuple[Term, ...]]:
    sections: dict[str, tuple[Term, ...]] = {}
    for section, entries in _read_builtin(name).items():
        where = f"词库文件 {name}.toml 的“{section}”"
        if not isinstance(entries, list):
            raise LexiconError(f"{where}应为列表")
        sections[section] = tuple(_term(entry, where) for entry in entries)
    return sections


def _read_builtin(name: str) -> dict[str, Any]:
    try:
        return read_toml(resources.files(_DATA_PACKAGE).joinpath(_DATA_FOLDER, f"{name}.toml"), "词库文件")
    except TomlError as error:
        if error.missing:
            raise LexiconError(f"没有名为 {name} 的词库") from None
        raise LexiconError(f"词库文件 {name}.toml 格式有误：{error.problem}") from None


def _term(entry: Any, where: str) -> Term:
    if isinstance(entry, str):
        text, attributes = entry, {}
    elif isinstance(entry, Mapping):
        if "term" not in entry or not isinstance(entry["term"], str):
            raise LexiconError(f"{where}：表形式的条目需要字符串键 term，得到 {dict(entry)!r}")
        text = entry["term"]
        attributes = {key: value for key, value in entry.items() if key != "term"}
        for key in _CONTEXT_KEYS:
            if key in attributes:
                words = attributes[key]
                if not isinstance(words, (list, tuple)) or not all(isinstance(word, str) and word for word in words):
                    raise LexiconError(f"{where}：条目 {text!r} 的 {key} 应为非空字符串列表")
                attributes[key] = tuple(_normalised(word) for word in words)
    else:
        raise LexiconError(f"{where}：条目应为字符串或表，得到 {type(entry).__name__}")
    text = _normalised(text)
    if not text.strip():
        raise LexiconError(f"{where}：条目不能为空")
    return Term(text, attributes)


def _normalised(text: str) -> str:
    """The term as it appears in normalised report text."""
    if text.isascii() and "\r" not in text:
        return text  # normalisation only changes CR and non-ASCII characters
    return normalize(text).text


def _alternation(texts: list[str]) -> str:
    """Regex source matching any of ``texts``, tried in the given order; a term that begins or
    ends with an ASCII letter or digit only matches there at a word boundary.

    Neighbouring terms with the same boundaries share one pair of boundary checks: the regex
    matches the same, and compiles and runs many times faster than one check per term (a
    lexicon of ASCII words otherwise takes a tenth of a second to compile).
    """
    runs: list[tuple[tuple[bool, bool], list[str]]] = []
    for text in texts:
        bounds = (is_ascii_alnum(text[0]), is_ascii_alnum(text[-1]))
        if runs and runs[-1][0] == bounds:
            runs[-1][1].append(text)
        else:
            runs.append((bounds, [text]))
    parts = []
    for (bounded_start, bounded_end), run in runs:
        source = "|".join(re.escape(text) for text in run)
        if len(run) > 1 and (bounded_start or bounded_end):
            source = f"(?:{source})"
        if bounded_start:
            source = "(?<![A-Za-z0-9])" + source
        if bounded_end:
            source += "(?![A-Za-z0-9])"
        parts.append(source)
    return "|".join(parts)


def _table_required(terms: list[Term]) -> bool:
    """A section whose every built-in entry carries attributes needs them in extensions too
    (a vocabulary pair without its mainland word is useless)."""
    return bool(terms) and all(term.attributes for term in terms)


def _deduplicated(terms: list[Term]) -> tuple[Term, ...]:
    seen: dict[str, Term] = {}
    for term in terms:
        seen.setdefault(term.text, term)  # the built-in entry wins over a repeated extension
    return tuple(seen.values())


def _freeze_extensions(name: str, extra: Iterable[Mapping[str, Iterable[Any]]]) -> tuple:
    """A hashable copy of ``extra`` for the cache key; shape errors surface here, in Chinese."""
    frozen = []
    for index, extension in enumerate(extra, 1):
        if not isinstance(extension, Mapping):
            raise LexiconError(f"词库 {name} 的扩展（第 {index} 项）应为“类别 → 条目列表”的表")
        sections = []
        for section, entries in extension.items():
            if isinstance(entries, (str, bytes)) or not isinstance(entries, Iterable):
                raise LexiconError(f"词库 {name} 的扩展“{section}”应为列表")
            sections.append((str(section), tuple(_freeze(entry) for entry in entries)))
        frozen.append(tuple(sections))
    return tuple(frozen)


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return ("__table__", tuple(sorted((str(key), _freeze(item)) for key, item in value.items())))
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(item) for item in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "__table__":
        return {key: _thaw(item) for key, item in value[1]}
    if isinstance(value, tuple):
        return [_thaw(item) for item in value]
    return value
