"""The typed syntax tree of a report.

Every node carries a :class:`~nianbao.text.location.Span` in the normalised text;
:meth:`nianbao.document.document.Document.locate` turns it into a line and column of the
original file. Rules work on these nodes only, never on Lark objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from nianbao.text.location import Span


@dataclass
class Node:
    span: Span

    @property
    def kind(self) -> str:
        return type(self).__name__

    def children(self) -> list[Node]:
        return []

    def walk(self) -> Iterator[Node]:
        """This node and all its descendants, depth first, in document order."""
        # A stack, not nested generators: each node would otherwise pass through one generator
        # per level above it.
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children()))


@dataclass
class Title(Node):
    """The report's title; ``lines`` holds one span per physical line it occupies."""

    text: str
    lines: list[Span] = field(default_factory=list)


@dataclass
class Paragraph(Node):
    text: str


@dataclass
class Heading(Node):
    """A numbered heading: ``一、总体情况`` (level 1) or ``（一）基本情况`` / ``1.`` (level 2, 3).

    ``ordinal`` is the number as written (``一``, ``（一）``, ``1.``), ``number`` its value,
    ``title`` the text after it, ``title_span`` where that text is.
    """

    level: int
    ordinal: str
    number: int
    title: str
    title_span: Span
    markdown: bool = False


@dataclass
class Cell(Node):
    """One cell of a raw table as written; ``text`` has internal line breaks joined."""

    text: str


@dataclass
class Row(Node):
    cells: list[Cell]

    def children(self) -> list[Node]:
        return list(self.cells)


@dataclass
class Table(Node):
    """A table-like block as found in the text, before any template is applied.

    ``rendering`` names how it was written: ``bar-lines``, ``pipe-rows``, ``markdown``,
    ``tab-cells``, ``cell-lines`` or ``layout`` (``pdftotext -layout`` columns). ``rows`` reflects the
    row structure the rendering shows; renderings without row delimiters give one
    row per cell run between blank lines (or a single row).
    """

    rendering: str
    rows: list[Row]

    def children(self) -> list[Node]:
        return list(self.rows)

    def cells(self) -> list[Cell]:
        return [cell for row in self.rows for cell in row.cells]


@dataclass
class SubSection(Node):
    heading: Heading
    body: list[Node] = field(default_factory=list)

    def children(self) -> list[Node]:
        return [self.heading, *self.body]


@dataclass
class Section(Node):
    """A top-level section ``一、…``; ``body`` holds paragraphs, sub-sections and tables."""

    heading: Heading
    body: list[Node] = field(default_factory=list)

    @property
    def number(self) -> int:
        return self.heading.number

    @property
    def title(self) -> str:
        return self.heading.title

    def children(self) -> list[Node]:
        return [self.heading, *self.body]

    def tables(self) -> list[Table]:
        return [node for node in self.walk() if isinstance(node, Table)]


@dataclass
class SignOff(Node):
    """The 落款 at the end: issuing body on one line, date on the next."""

    body: str | None
    body_span: Span | None
    date_text: str
    date_span: Span


@dataclass
class Unparsed(Node):
    """A region the grammar could not place; reported as PS002."""

    text: str
    reason: str


@dataclass
class Report(Node):
    title: Title | None
    preamble: list[Node] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    signoff: SignOff | None = None
    unparsed: list[Unparsed] = field(default_factory=list)

    def children(self) -> list[Node]:
        nodes: list[Node] = []
        if self.title is not None:
            nodes.append(self.title)
        nodes.extend(self.preamble)
        nodes.extend(self.sections)
        if self.signoff is not None:
            nodes.append(self.signoff)
        nodes.extend(self.unparsed)
        return sorted(nodes, key=lambda node: node.span.start)
