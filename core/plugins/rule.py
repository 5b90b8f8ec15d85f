"""What a rule is: declarative metadata, a documented ``check`` and the findings it yields."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, Iterable

from nianbao.text.location import Location, Span

if TYPE_CHECKING:
    from nianbao.corpus.corpus import Corpus
    from nianbao.document.document import Document


class Severity(str, Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.lower())
        except ValueError:
            raise ValueError(f"未知的严重级别 {text!r}：可选 info、warning、error") from None


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}

ERAS = frozenset({"2008", "2019", "2021"})


@dataclass(frozen=True)
class Option:
    """A rule option: its name in configuration, type, default and a one-line description.

    For a ``list`` option, ``item_type`` is the type every item must have (``str`` items
    must also be non-blank).
    """

    name: str
    type: type
    default: Any
    description: str
    item_type: type | None = None

    def validate(self, value: Any) -> Any:
        value = self._validate_type(value)
        if self.item_type is not None:
            for item in value:
                if not isinstance(item, self.item_type) or (isinstance(item, str) and not item.strip()):
                    raise TypeError(f"选项 {self.name} 的每一项应为非空的 {self.item_type.__name__}，得到 {item!r}")
        return value

    def _validate_type(self, value: Any) -> Any:
        expected = self.type
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, bool) and expected is not bool:
            raise TypeError(f"选项 {self.name} 应为 {expected.__name__}，得到布尔值")
        if not isinstance(value, expected):
            raise TypeError(f"选项 {self.name} 应为 {expected.__name__}，得到 {type(value).__name__}")
        return value


@dataclass(frozen=True)
class Related:
    """A secondary location that explains a finding (the table cell compared with, the culprit)."""

    span: Span
    message: str


@dataclass(frozen=True)
class Finding:
    """What a rule reports: where (a span of the normalised text) and what, in Chinese.

    ``severity`` overrides the rule's default for this finding (e.g. ST003 is a warning
    for 2019 reports). ``place`` names the structural place (section, table, row,
    column) so that baselines and SARIF fingerprints survive edits elsewhere.
    """

    span: Span
    message: str
    related: tuple[Related, ...] = ()
    severity: Severity | None = None
    place: str = ""


class Rule:
    """Base class of every rule.

    Subclasses set the metadata class attributes and implement :meth:`check`. The
    class docstring is the rule's documentation (Markdown): what it checks, why it
    matters, a bad and a good example. ``nianbao rule CODE`` prints it.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    severity: ClassVar[Severity]
    eras: ClassVar[frozenset[str]] = ERAS
    options: ClassVar[tuple[Option, ...]] = ()
    tags: ClassVar[tuple[str, ...]] = ()

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.config = self.resolve_options(options or {})

    @classmethod
    def resolve_options(cls, given: dict[str, Any]) -> dict[str, Any]:
        """Defaults overlaid with ``given``; unknown names and wrong types raise ValueError."""
        known = {option.name: option for option in cls.options}
        resolved = {name: option.default for name, option in known.items()}
        for name, value in given.items():
            if name not in known:
                raise ValueError(f"规则 {cls.code} 没有选项 {name!r}")
            try:
                resolved[name] = known[name].validate(value)
            except TypeError as error:
                raise ValueError(f"规则 {cls.code}：{error}") from None
        return resolved

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def applies_to(cls, era: str | None) -> bool:
        return era is None or era in cls.eras

    def check(self, document: Document) -> Iterable[Finding]:
        """Yield a :class:`Finding` for every fault in ``document``."""
        raise NotImplementedError


@dataclass(frozen=True)
class RelatedIn:
    """A secondary location in any report of the corpus (the earlier year's cell, the copied text)."""

    path: str
    location: Location
    message: str


@dataclass(frozen=True)
class CorpusFinding:
    """What a cross-report rule reports: a place in one of the checked reports, already located
    (records keep locations, not documents), with related places in the same or other reports."""

    path: str
    location: Location
    message: str
    related: tuple[RelatedIn, ...] = ()
    severity: Severity | None = None
    place: str = ""
    snippet: str = ""
    """The text at fault as written, for fingerprints and baselines."""


class CorpusRule(Rule):
    """Base class of the rules that compare reports (XR): a body's consecutive years, bodies with
    each other. They read the corpus's records (:mod:`nianbao.document.record`), not documents,
    and run once per run after every report was checked.

    ``cells`` names the table rows whose cells the rule compares, as ``template/row`` patterns
    (``*.application/carried_over``), so that workers locate and a corpus keeps only those per
    report; ``passages`` says whether it needs the fingerprints of the reports' sentences.
    """

    cells: ClassVar[frozenset[str]] = frozenset()
    passages: ClassVar[bool] = False

    def check(self, document: Document) -> Iterable[Finding]:
        return ()

    def check_corpus(self, corpus: Corpus) -> Iterable[CorpusFinding]:
        """Yield a :class:`CorpusFinding` for every fault among the checked reports of ``corpus``."""
        raise NotImplementedError


@dataclass
class RuleInfo:
    """A rule class together with the plugin that provided it."""

    rule: type[Rule]
    plugin: str


def rules_in_package(package_name: str) -> list[type[Rule]]:
    """The rule classes defined in the modules of a package, one rule per module, by code.

    Lets a rule package register every rule file it holds without a hand-kept list.
    """
    import importlib
    import pkgutil

    package = importlib.import_module(package_name)
    found: list[type[Rule]] = []
    for module_info in pkgutil.iter_modules(package.__path__):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package_name}.{module_info.name}")
        found.extend(
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, Rule)
            and value is not Rule
            and value.__module__ == module.__name__
            and "code" in vars(value)
        )
    return sorted(found, key=lambda rule: rule.code)
