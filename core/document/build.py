"""From decoded source to the complete :class:`Document`, every stage in one place.

    source ─normalise─▶ text + offset map ─parse─▶ syntax tree ─facts─▶ year, era, body, dates
           ─tables─▶ recognised official tables ─profile─▶ the local requirements and their lexicons

The result is complete when rules first see it: nothing is added to a document afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from nianbao.document.document import Document
from nianbao.document.facts import derive_facts
from nianbao.document.profile_choice import choose_profile
from nianbao.parse.parser import parse_report
from nianbao.parse.tree import Node, Paragraph, Report, Section, SubSection, Table
from nianbao.read.source import SourceText
from nianbao.tables.cells import build_table
from nianbao.tables.recognize import recognize_tables
from nianbao.tables.templates import TemplateSet
from nianbao.text.normalize import normalize
from nianbao.variants.profile import Profile
from nianbao.variants.resolver import VariantResolver


@dataclass(frozen=True)
class BuildInputs:
    """What building a report takes besides its file: the plugins' templates and lexicon entries, and
    the profiles the configuration may choose from, its ``profile`` setting and the file that sets it."""

    templates: TemplateSet
    plugin_lexicons: Mapping[str, Sequence[Mapping[str, Any]]]
    profiles: Mapping[str, Profile]
    profile_setting: str
    settings_file: Path | None


def build_document(source: SourceText, inputs: BuildInputs) -> Document:
    """The complete document of ``source``; raises UnknownProfileError when the configuration names a
    profile that does not exist."""
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
    choice = choose_profile(inputs.profile_setting, inputs.settings_file, inputs.profiles, facts, report)
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
        variants=VariantResolver(choice.profile, inputs.plugin_lexicons),
    )


def _tables_with_containers(report: Report) -> Iterator[tuple[list[Node], Table]]:
    containers: list[list[Node]] = [report.preamble]
    for node in report.walk():
        if isinstance(node, (Section, SubSection)):
            containers.append(node.body)
    for container in containers:
        for node in container:
            if isinstance(node, Table):
                yield container, node
