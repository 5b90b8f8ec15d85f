"""A parsed report: original and normalised text, syntax tree, semantic tables and facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Callable, TypeVar

from nianbao.document.facts import ReportFacts, derive_facts
from nianbao.parse.parser import parse_report
from nianbao.parse.tree import (
    Node,
    Paragraph,
    Report,
    Section,
    SubSection,
    Table,
)
from nianbao.read.source import SourceText
from nianbao.tables.cells import build_table
from nianbao.tables.model import SemanticTable
from nianbao.tables.recognize import recognize_tables
from nianbao.tables.templates import TemplateSet
from nianbao.text.location import Location, Span
from nianbao.text.normalize import NormalizedText, normalize
from nianbao.variants.profile import NATIONAL, Profile

T = TypeVar("T")


@dataclass
class Document:
    path: str
    source: SourceText
    normalized: NormalizedText
    report: Report
    facts: ReportFacts
    tables: list[SemanticTable] = field(default_factory=list)
    unrecognized_tables: list[tuple[Span, str]] = field(default_factory=list)
    profile: Profile = NATIONAL
    """The local requirements that apply (set by the engine from configuration)."""
    lexicon_extensions: dict[str, list[dict]] = field(default_factory=dict)
    """Lexicon name → entries plugins and the profile add to it; see :meth:`lexicon`."""
    templates: TemplateSet | None = None
    """The table templates (built-in and plugins') the tables were recognised with."""
    _analyses: dict = field(default_factory=dict, repr=False, compare=False)

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
        return self.normalized.locate(span)

    def section(self, number: int) -> Section | None:
        return next((section for section in self.report.sections if section.number == number), None)

    def section_at(self, offset: int) -> Section | None:
        return next(
            (section for section in self.report.sections if section.span.start <= offset < section.span.end),
            None,
        )

    def tables_of(self, template_prefix: str) -> list[SemanticTable]:
        """Semantic tables whose template id starts with ``template_prefix``."""
        return [table for table in self.tables if table.template.startswith(template_prefix)]

    def lexicon(self, name: str, extra=()):
        """Lexicon ``name`` with the plugins' and the profile's entries, plus ``extra``
        (a rule's own option entries, same shape: section → entries)."""
        from nianbao.variants.lexicon import load_lexicon

        return load_lexicon(name, [*self.lexicon_extensions.get(name, ()), *extra])

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

    def paragraphs(self) -> list[Paragraph]:
        return [node for node in self.report.walk() if isinstance(node, Paragraph)]


def build_document(source: SourceText, templates: TemplateSet) -> Document:
    normalized = normalize(source.text, templates.labels)
    outcome = parse_report(normalized.text, partial(build_table, labels=templates.labels))
    report = outcome.report
    facts = derive_facts(normalized.text, report)
    document = Document(source.path, source, normalized, report, facts, templates=templates)
    for container, table in list(_tables_with_parents(report)):
        recognition = recognize_tables(templates, table, facts.era)
        document.tables.extend(recognition.tables)
        document.unrecognized_tables.extend(recognition.unrecognized)
        if recognition.leftover:
            # Text after a table that no template claims (web residue after the 附表) is prose again.
            position = container.index(table) + 1
            container[position:position] = [Paragraph(cell.span, cell.text) for cell in recognition.leftover]
    return document


def _tables_with_parents(report: Report):
    containers: list[list[Node]] = [report.preamble]
    for node in report.walk():
        if isinstance(node, (Section, SubSection)):
            containers.append(node.body)
    for container in containers:
        for node in container:
            if isinstance(node, Table):
                yield container, node
