"""From decoded source to the complete :class:`Document`, every stage in one place.

    source ─normalise─▶ text + offset map ─parse─▶ syntax tree ─facts─▶ year, era, body, dates
           ─tables─▶ recognised official tables ─profile─▶ the local requirements and their lexicons

The result is complete when rules first see it: nothing is added to a document afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

from nianbao.document.document import Document
from nianbao.document.facts import derive_facts
from nianbao.parse.parser import parse_report
from nianbao.parse.tree import Node, Paragraph, Report, Section, SubSection, Table
from nianbao.read.source import SourceText
from nianbao.tables.cells import build_table
from nianbao.tables.recognize import recognize_tables
from nianbao.tables.templates import TemplateSet
from nianbao.text.normalize import normalize
from nianbao.variants.profile import Profile, choose_profile

if TYPE_CHECKING:
    from nianbao.config import Config


@dataclass(frozen=True)
class BuildInputs:
    """What a run brings to every report besides the file: the plugins' templates, profiles and
    lexicon entries."""

    templates: TemplateSet
    profiles: Mapping[str, Profile]
    lexicons: Mapping[str, Sequence[Mapping[str, Any]]]


def build_document(source: SourceText, inputs: BuildInputs, config: Config) -> Document:
    """The complete document of ``source``; raises ConfigError when ``config`` names an unknown profile."""
    templates = inputs.templates
    labels = templates.labels
    normalized = normalize(source.text, labels)
    report = parse_report(normalized.text, partial(build_table, labels=labels)).report
    facts = derive_facts(normalized.text, report)
    tables, unrecognized = [], []
    for container, table in list(_tables_with_containers(report)):
        recognition = recognize_tables(templates, table, facts.era)
        tables.extend(recognition.tables)
        unrecognized.extend(recognition.unrecognized)
        if recognition.leftover:
            # Text after a table that no template claims (web residue after the 附表) is prose again.
            # Which template claims what needs the era, known only once the tree is parsed, so this
            # is the one change made to a tree after parsing, before any rule sees it.
            position = container.index(table) + 1
            container[position:position] = [Paragraph(cell.span, cell.text) for cell in recognition.leftover]
    choice = choose_profile(config, inputs.profiles, facts, report)
    return Document(
        path=source.path,
        source=source,
        normalized=normalized,
        report=report,
        facts=facts,
        tables=tables,
        unrecognized_tables=unrecognized,
        templates=templates,
        profile_choice=choice,
        lexicon_extensions=_lexicon_extensions(inputs.lexicons, choice.profile),
    )


def _lexicon_extensions(plugins: Mapping[str, Sequence[Mapping[str, Any]]], profile: Profile) -> dict[str, list]:
    """Each lexicon's added entries: the plugins' first, then the profile's."""
    extensions = {name: list(entries) for name, entries in plugins.items()}
    for name, sections in profile.lexicons.items():
        extensions.setdefault(name, []).append(dict(sections))
    return extensions


def _tables_with_containers(report: Report) -> Iterator[tuple[list[Node], Table]]:
    containers: list[list[Node]] = [report.preamble]
    for node in report.walk():
        if isinstance(node, (Section, SubSection)):
            containers.append(node.body)
    for container in containers:
        for node in container:
            if isinstance(node, Table):
                yield container, node
