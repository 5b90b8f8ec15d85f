"""The complete report rules read: original and normalised text, syntax tree, facts, recognised
tables, the profile that applies and its lexicons. Built once, by :mod:`nianbao.document.build`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Callable, Iterable, Sequence, TypeVar

from nianbao.document.facts import ReportFacts
from nianbao.document.profile_choice import ProfileChoice
from nianbao.parse.tree import Node, Paragraph, Report, Section, SubSection
from nianbao.read.source import SourceText
from nianbao.tables.model import SemanticTable
from nianbao.text.location import Location, Span
from nianbao.text.normalize import NormalizedText
from nianbao.text.sentences import Sentence, sentences_in
from nianbao.variants.profile import Profile
from nianbao.variants.resolver import VariantResolver

if TYPE_CHECKING:
    from nianbao.tables.templates import TemplateSet

T = TypeVar("T")


@dataclass(frozen=True)
class Document:
    path: str
    source: SourceText
    normalized: NormalizedText
    report: Report
    facts: ReportFacts
    tables: Sequence[SemanticTable]
    unrecognized_tables: Sequence[tuple[Span, str]]
    """Table blocks no template matched: their span and why (PS003)."""
    templates: TemplateSet
    """The table templates (built-in and plugins') the tables were recognised with."""
    profile_choice: ProfileChoice
    """The profile that applies to this report, and why."""
    variants: VariantResolver
    """The national defaults, the report's profile and the plugins' additions, layered: deadlines
    (``variants.deadline(facts)``), expected rows and lexicon entries."""
    _analyses: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def profile(self) -> Profile:
        """The local requirements that apply."""
        return self.profile_choice.profile

    @property
    def text(self) -> str:
        """The normalised text every span refers to."""
        return self.normalized.text

    @property
    def era(self) -> str | None:
        return self.facts.era

    def text_at(self, span: Span) -> str:
        return self.normalized.text[span.start : span.end]

    def locate(self, span: Span) -> Location:
        """Where ``span`` is in the original file: line and column, and for a DOCX or PDF the page,
        paragraph or table cell (:class:`~nianbao.text.location.Place`)."""
        in_text = self.normalized.locate(span)
        origin = self.source.origin
        if origin is None:
            return in_text
        start, end = self.normalized.original_range(span)
        return origin.locate(start, end, in_text)

    @cached_property
    def undecodable(self) -> tuple[tuple[Span, bytes], ...]:
        """The runs of bytes the file's encoding could not decode, each read as one "\ufffd": its
        span in the normalised text and the bytes (PS005; other rules leave these characters alone)."""
        found = []
        for offset, raw in self.source.undecodable:
            start = self.normalized.from_original(offset)
            found.append((Span(start, min(start + 1, len(self.text))), raw))
        return tuple(found)

    def section(self, number: int) -> Section | None:
        return next((section for section in self.report.sections if section.number == number), None)

    def section_at(self, offset: int) -> Section | None:
        return next(
            (section for section in self.report.sections if section.span.start <= offset < section.span.end),
            None,
        )

    def place_prefix(self, offset: int) -> str:
        """"section:三/" for a finding at ``offset`` (empty outside numbered sections): how a
        finding's structural ``place`` starts."""
        section = self.section_at(offset)
        return f"section:{section.heading.ordinal.rstrip('、.．')}/" if section is not None else ""

    def tables_of(self, template_prefix: str) -> list[SemanticTable]:
        """Semantic tables whose template id starts with ``template_prefix``."""
        return [table for table in self.tables if table.template.startswith(template_prefix)]

    def lexicon(self, name: str, extra=()):
        """Lexicon ``name`` with the plugins' and the profile's entries, plus ``extra``
        (a rule's own option entries, same shape: section → entries)."""
        from nianbao.variants.lexicon import load_lexicon

        return load_lexicon(name, [*self._lexicon_extensions.get(name, ()), *extra])

    @cached_property
    def _lexicon_extensions(self) -> dict[str, list[dict]]:
        return self.variants.lexicon_extensions()

    def analysis(self, analyse: Callable[[Document], T]) -> T:
        """``analyse(self)``, computed the first time a rule asks and kept for the others.

        Rules of a family share what they all need (the relation checks of the AR rules, the
        sentences of the NR rules) through a named function of theirs, so it is computed once per
        report and its result keeps its type.
        """
        try:
            return self._analyses[analyse]
        except KeyError:
            result = self._analyses[analyse] = analyse(self)
            return result

    def sentences(self) -> list[Sentence]:
        """The sentences of every paragraph of the report (title, headings and tables excluded),
        each with the titles of the headings above it; computed once and shared by every rule."""
        return self.analysis(_sentences)

    def paragraphs(self) -> list[Paragraph]:
        return [node for node in self.report.walk() if isinstance(node, Paragraph)]


def document_sentences(document: Document) -> list[Sentence]:
    """``document.sentences()``, as a function (the name rules and plugins already use)."""
    return document.sentences()


def _sentences(document: Document) -> list[Sentence]:
    found: list[Sentence] = []
    text = document.text

    def visit(nodes: Iterable[Node], headings: tuple[str, ...]) -> None:
        for node in nodes:
            if isinstance(node, Paragraph):
                found.extend(sentences_in(text, node.span.start, node.span.end, headings))
            elif isinstance(node, (Section, SubSection)):
                visit(node.body, (*headings, node.heading.title))

    visit(document.report.preamble, ())
    visit(document.report.sections, ())
    return found
