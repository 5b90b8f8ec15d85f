"""The sections a report must have, and which of its headings satisfy them.

The canonical sections of each format era, their accepted wordings and the keywords that
recognise a freely worded heading by meaning live in ``nianbao/data/sections.toml``.
:func:`match_sections` maps each canonical section key (``active``, ``application`` …) to the
heading that satisfies it, so that the structure rules and any other rule ("the table of
section 三") agree on where a section is; :func:`report_sections` is that match for the report's
own era, computed once per document for all the rules that read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Iterator

from nianbao.api import (
    CHINESE_ORDINAL,
    HEADING_ORDINAL,
    Node,
    Paragraph,
    Report,
    Section,
    Span,
    SubSection,
    Table,
    cached,
    chinese_ordinal_value,
    read_toml,
)

if TYPE_CHECKING:
    from nianbao.api import Document


__all__ = [
    "CanonicalSection",
    "SectionScheme",
    "SectionHit",
    "SectionMatch",
    "StructureData",
    "CoverLetterPattern",
    "FormatNotice",
    "structure_data",
    "scheme_for_era",
    "fold_heading",
    "match_sections",
    "report_sections",
    "headings",
    "HeadingRef",
    "UNNUMBERED_LEVEL",
    "parse_count",
]

# A paragraph read as a heading ranks after every numbered heading when two satisfy one item.
UNNUMBERED_LEVEL = 9
# Below this many numbered sections there is too little structure to call it old or new.
MIN_SECTIONS_TO_JUDGE = 3
# A report with at least this many of the six format headings is in the format, however
# freely the rest is worded.
MIN_FORMAT_HEADINGS = 4
# Official tables are the heart of the 2019/2021 formats: a report that has them is in the
# format even when its headings are worded freely.
MIN_FORMAT_TABLES = 2
FORMAT_TABLE_ERAS = frozenset({"2019", "2021"})

# A heading's ordinal, or the 第一部分 / 第二节 a freely structured report numbers its parts with.
_ORDINAL_PREFIX = re.compile(rf"^(?:#{{1,6}})?[ \t]*(?:第{CHINESE_ORDINAL}(?:部分|节|项)[、.:]?|{HEADING_ORDINAL})")
_MARKDOWN_HASHES = re.compile(r"^[ \t]*#{1,6}[ \t]*")
# Dropped when comparing headings: spacing, punctuation (normalised to ASCII where it has a
# half-width form), and the function words that wordings add or leave out freely.
_HEADING_NOISE = re.compile(r"[\s、,，.。:：;；()（）\[\]“”\"'《》〈〉<>—\-_·…!?！？]|以及|的|和|及|与")
# A paragraph's lead-in ends at the first full stop or colon.
_LEAD_END = re.compile(r"[。:;]")
_CHINESE_COUNT = str.maketrans({"两": "二"})


# --- data ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CanonicalSection:
    """One required section (2019/2021) or content item (2008) of a scheme."""

    key: str
    number: int
    ordinal: str
    heading: str
    variants: tuple[str, ...] = ()
    keywords: tuple[tuple[str, ...], ...] = ()
    exclude: tuple[str, ...] = ()
    table: str | None = None
    """What table the section must hold (None: no table required)."""
    table_templates: tuple[str, ...] = ()
    """Semantic tables that belong in this section: template ids containing one of these."""
    ordinal_style: str = "section"

    @property
    def numbered(self) -> str:
        """The heading with its ordinal: ``二、主动公开政府信息情况`` or ``（三）政府信息公开的收费及减免情况``."""
        if self.ordinal_style == "item":
            return f"（{self.ordinal}）{self.heading}"
        return f"{self.ordinal}、{self.heading}"

    def match(self, title: str) -> str | None:
        """How ``title`` (a heading without its ordinal) satisfies this section, if it does.

        ``heading`` (the canonical wording), ``variant`` (an accepted wording) or
        ``keywords`` (a free wording with the same meaning).
        """
        folded = fold_heading(title)
        if not folded:
            return None
        if folded == fold_heading(self.heading):
            return "heading"
        if folded in {fold_heading(variant) for variant in self.variants}:
            return "variant"
        if any(word in folded for word in self.exclude):
            return None
        if any(all(word in folded for word in group) for group in self.keywords):
            return "keywords"
        return None


@dataclass(frozen=True)
class SectionScheme:
    key: str
    eras: frozenset[str]
    name: str
    sections: tuple[CanonicalSection, ...]
    top_level_only: bool
    multi_key: bool
    basis: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    """The legal text or notice that prescribes the sections, per era (for messages)."""

    def get(self, key: str) -> CanonicalSection | None:
        return next((section for section in self.sections if section.key == key), None)


@dataclass(frozen=True)
class CoverLetterPattern:
    pattern: re.Pattern[str]
    label: str


@dataclass(frozen=True)
class FormatNotice:
    name: str
    pattern: re.Pattern[str]
    superseded_in: frozenset[str]
    replacement: str


@dataclass(frozen=True)
class StructureData:
    schemes: tuple[SectionScheme, ...]
    unnumbered_max_length: int
    unnumbered_endings: tuple[str, ...]
    title_suffix: str
    title_anchors: tuple[str, ...]
    claim_subjects: tuple[str, ...]
    cover_letter: tuple[CoverLetterPattern, ...]
    notices: tuple[FormatNotice, ...]


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ValueError(f"sections.toml：{where} 应为非空字符串的列表")
    return tuple(value)


def _compile(pattern: object, where: str) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise ValueError(f"sections.toml：{where} 应为正则表达式字符串")
    try:
        return re.compile(pattern)
    except re.error as error:
        raise ValueError(f"sections.toml：{where} 的正则表达式无效（{error}）") from None


def _scheme(data: dict) -> SectionScheme:
    key = data["key"]
    style = data.get("ordinal_style", "section")
    if style not in ("section", "item"):
        raise ValueError(f"sections.toml：方案 {key} 的 ordinal_style 应为 section 或 item")
    sections = []
    for number, item in enumerate(data["sections"], start=1):
        where = f"方案 {key} 的 {item.get('key', number)}"
        keywords = item.get("keywords", [])
        if not isinstance(keywords, list):
            raise ValueError(f"sections.toml：{where}.keywords 应为词组的列表")
        sections.append(
            CanonicalSection(
                key=item["key"],
                number=number,
                ordinal=item["ordinal"],
                heading=item["heading"],
                variants=_strings(item.get("variants", []), f"{where}.variants") if item.get("variants") else (),
                keywords=tuple(_strings(group, f"{where}.keywords") for group in keywords),
                exclude=_strings(item.get("exclude", []), f"{where}.exclude") if item.get("exclude") else (),
                table=item.get("table") or None,
                table_templates=_strings(item["table_templates"], f"{where}.table_templates")
                if item.get("table_templates")
                else (),
                ordinal_style=style,
            )
        )
        if chinese_ordinal_value(item["ordinal"]) != number:
            raise ValueError(f"sections.toml：{where} 的序号 {item['ordinal']} 与位置 {number} 不符")
    return SectionScheme(
        key=key,
        eras=frozenset(_strings(data["eras"], f"方案 {key}.eras")),
        name=data["name"],
        sections=tuple(sections),
        top_level_only=bool(data.get("top_level_only", True)),
        multi_key=bool(data.get("multi_key", False)),
        basis=dict(data.get("basis", {})),
    )


@lru_cache(maxsize=1)
def structure_data() -> StructureData:
    """Everything in ``nianbao/data/sections.toml``, checked."""
    return cached("sections", _read_structure_data, modules=("nianbao.parse.headings",))


def _read_structure_data() -> StructureData:
    data = read_toml(resources.files("nianbao.data").joinpath("sections.toml"))
    unnumbered = data["unnumbered"]
    return StructureData(
        schemes=tuple(_scheme(item) for item in data["schemes"]),
        unnumbered_max_length=int(unnumbered["max_length"]),
        unnumbered_endings=_strings(unnumbered["endings"], "unnumbered.endings"),
        title_suffix=data["title"]["suffix"],
        title_anchors=_strings(data["title"]["anchors"], "title.anchors"),
        claim_subjects=_strings(data["claims"]["subjects"], "claims.subjects"),
        cover_letter=tuple(
            CoverLetterPattern(_compile(item["pattern"], f"cover_letter[{index}]"), item["label"])
            for index, item in enumerate(data["cover_letter"])
        ),
        notices=tuple(
            FormatNotice(
                name=item["name"],
                pattern=_compile(item["pattern"], f"notices[{index}]"),
                superseded_in=frozenset(_strings(item["superseded_in"], f"notices[{index}].superseded_in")),
                replacement=item["replacement"],
            )
            for index, item in enumerate(data["notices"])
        ),
    )


def scheme_for_era(era: str | None) -> SectionScheme | None:
    """The scheme of required sections for a format era; None when the era is unknown."""
    if era is None:
        return None
    return next((scheme for scheme in structure_data().schemes if era in scheme.eras), None)


# Kept: every report's headings are matched against the same canonical headings and variants.
@lru_cache(maxsize=4096)
def fold_heading(text: str) -> str:
    """A heading reduced to what distinguishes it: no Markdown hashes, ordinal, punctuation,
    spacing or function words (的、和、及、与)."""
    text = _MARKDOWN_HASHES.sub("", text.strip())
    text = _ORDINAL_PREFIX.sub("", text, count=1)
    return _HEADING_NOISE.sub("", text)


def parse_count(text: str) -> int | None:
    """``八`` → 8, ``两`` → 2, ``12`` → 12, ``十二`` → 12."""
    text = text.strip().translate(_CHINESE_COUNT)
    if not text:
        return None
    if text.isdigit():
        return int(text)
    value = chinese_ordinal_value(text)
    return value or None


# --- matching ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeadingRef:
    """A heading of the report, wherever it is: a section's, a sub-section's, or a paragraph
    that may be a heading without ordinal (``level`` is then :data:`UNNUMBERED_LEVEL`)."""

    node: Node
    level: int
    span: Span
    title: str
    """The heading's text without ordinal."""
    number: int | None
    container_end: int
    """Where the section or sub-section that holds this heading ends."""


@dataclass(frozen=True)
class SectionHit:
    """The heading that satisfies one canonical section."""

    key: str
    node: Node
    """A :class:`Section`, a :class:`SubSection`, or a :class:`Paragraph` read as a heading
    without ordinal."""
    heading_span: Span
    extent: Span
    """The heading and everything under it, up to the next section."""
    how: str
    """``heading``, ``variant`` or ``keywords`` (see :meth:`CanonicalSection.match`)."""
    level: int

    @property
    def number(self) -> int | None:
        heading = getattr(self.node, "heading", None)
        return heading.number if heading is not None else None

    def tables(self, document: Document) -> list[Table]:
        """Raw tables inside this section."""
        return [
            node
            for node in document.report.walk()
            if isinstance(node, Table) and self.extent.start <= node.span.start < self.extent.end
        ]


@dataclass
class SectionMatch:
    """Which of a report's headings satisfy which canonical sections of its scheme."""

    scheme: SectionScheme
    hits: dict[str, SectionHit]
    sections: list[Section]
    """The report's numbered top-level sections, in order."""
    conforming: list[Section] = field(default_factory=list)
    """Top-level sections whose heading is a format heading or accepted variant."""
    old_structure: bool = False
    """A 2019+ report written in the old free structure (too few format headings and tables)."""
    sections_end: int = 0
    """Where the last section's text ends (trailing blanks excluded); 0 without sections."""
    headings: list[HeadingRef] = field(default_factory=list)
    """Every heading of the report and every paragraph that may be one (:func:`headings`)."""

    def section(self, key: str) -> Node | None:
        hit = self.hits.get(key)
        return hit.node if hit is not None else None

    def missing(self) -> list[CanonicalSection]:
        return [section for section in self.scheme.sections if section.key not in self.hits]

    def unmatched_sections(self) -> list[Section]:
        """Top-level sections that satisfy no canonical section."""
        used = {id(hit.node) for hit in self.hits.values()}
        return [section for section in self.sections if id(section) not in used]

    def next_present(self, key: str) -> SectionHit | None:
        """The first present section that the scheme puts after ``key``."""
        canonical = self.scheme.get(key)
        if canonical is None:
            return None
        later = [self.hits[s.key] for s in self.scheme.sections if s.number > canonical.number and s.key in self.hits]
        return later[0] if later else None

    def expected_span(self, key: str) -> Span:
        """Where a missing section would be: at the heading of the section that should follow
        it, or (when none follows) at the end of the last section."""
        following = self.next_present(key)
        if following is not None:
            return following.heading_span
        return Span(self.sections_end, self.sections_end)


def report_sections(document: Document) -> SectionMatch:
    """:func:`match_sections` with the scheme of the document's era, computed once per document:
    ST003–ST006 all read it."""
    return document.analysis(match_sections)


def match_sections(document: Document, scheme: SectionScheme | None = None) -> SectionMatch:
    """Match ``document``'s headings against ``scheme`` (by default the scheme of its era;
    the 2019/2021 format when the era is unknown)."""
    if scheme is None:
        scheme = scheme_for_era(document.era) or scheme_for_era("2021")
        assert scheme is not None
    report = document.report
    text = document.text
    candidates = headings(report, len(text))
    if scheme.multi_key:
        chosen = _assign_by_meaning(scheme, candidates)
    else:
        chosen = _assign_one_each(scheme, candidates)
    hits = _with_extents(chosen, report, len(text))
    ends = [section.span.end for section in report.sections]
    ends.extend(hit.extent.end for hit in hits.values())
    sections_end = len(text[: max(ends)].rstrip()) if ends else 0
    match = SectionMatch(
        scheme=scheme, hits=hits, sections=list(report.sections), sections_end=sections_end, headings=candidates
    )
    match.conforming = [
        hit.node for hit in hits.values() if isinstance(hit.node, Section) and hit.how in ("heading", "variant")
    ]
    match.conforming.sort(key=lambda section: section.span.start)
    if "2019" in scheme.eras or "2021" in scheme.eras:
        format_tables = [table for table in document.tables if table.eras and table.eras <= FORMAT_TABLE_ERAS]
        match.old_structure = (
            len(match.sections) >= MIN_SECTIONS_TO_JUDGE
            and len(match.conforming) < MIN_FORMAT_HEADINGS
            and len(format_tables) < MIN_FORMAT_TABLES
        )
    return match


def headings(report: Report, text_length: int) -> list[HeadingRef]:
    """Every heading of the report, and every paragraph that might be a heading without
    ordinal (short, or with a short lead-in before its first full stop or colon)."""
    return list(_headings(report, text_length))


def _headings(report: Report, text_length: int) -> Iterator[HeadingRef]:
    first_section = report.sections[0].span.start if report.sections else None
    preamble_end = first_section
    if preamble_end is None:
        preamble_end = report.signoff.span.start if report.signoff is not None else text_length
    yield from _paragraph_candidates(report.preamble, preamble_end)
    for section in report.sections:
        heading = section.heading
        yield HeadingRef(section, 1, heading.span, heading.title, heading.number, section.span.end)
        yield from _nested_candidates(section.body, section.span.end)


def _nested_candidates(body: list[Node], container_end: int) -> Iterator[HeadingRef]:
    yield from _paragraph_candidates(body, container_end)
    for node in body:
        if isinstance(node, SubSection):
            heading = node.heading
            yield HeadingRef(node, heading.level, heading.span, heading.title, heading.number, node.span.end)
            yield from _nested_candidates(node.body, node.span.end)


def _paragraph_candidates(body: list[Node], container_end: int) -> Iterator[HeadingRef]:
    limit = structure_data().unnumbered_max_length
    for node in body:
        if not isinstance(node, Paragraph):
            continue
        lead = node.text
        cut = _LEAD_END.search(lead)
        if cut is not None:
            lead = lead[: cut.start()]
        stripped = lead.rstrip()
        hashes = _MARKDOWN_HASHES.match(stripped)
        start = hashes.end() if hashes else 0
        title = stripped[start:]
        if not title or len(title) > limit:
            continue
        span = Span(node.span.start + start, node.span.start + len(stripped))
        yield HeadingRef(node, UNNUMBERED_LEVEL, span, title, None, container_end)


def _is_unnumbered_heading(candidate: HeadingRef, how: str) -> bool:
    """A paragraph counts as a heading when it is a canonical wording, or a heading-like phrase."""
    if candidate.level != UNNUMBERED_LEVEL:
        return True
    if how in ("heading", "variant"):
        return True
    return candidate.title.endswith(structure_data().unnumbered_endings)


def _assign_one_each(scheme: SectionScheme, candidates: list[HeadingRef]) -> list[tuple[str, HeadingRef, str]]:
    """Format scheme: each numbered top-level heading (or exact unnumbered heading) is one section."""
    taken: dict[str, tuple[HeadingRef, str]] = {}
    # Numbered sections first: a line "主动公开政府信息情况" inside 一、总体情况 must not take the
    # place of the section 二 that follows.
    numbered = [candidate for candidate in candidates if candidate.level == 1]
    unnumbered = [candidate for candidate in candidates if candidate.level == UNNUMBERED_LEVEL]
    for candidate in numbered + unnumbered:
        options = []
        for section in scheme.sections:
            how = section.match(candidate.title)
            if how is None:
                continue
            if candidate.level == UNNUMBERED_LEVEL and how == "keywords":
                continue  # free wording without an ordinal is prose, not a heading
            exact = how in ("heading", "variant")
            options.append((not exact, section.number != candidate.number, section.number, section.key, how))
        for *_, key, how in sorted(options):
            if key not in taken:
                taken[key] = (candidate, how)
                break
    return [(key, candidate, how) for key, (candidate, how) in taken.items()]


def _assign_by_meaning(scheme: SectionScheme, candidates: list[HeadingRef]) -> list[tuple[str, HeadingRef, str]]:
    """2008 scheme: a content item is covered by its highest-level heading about it, anywhere."""
    chosen = []
    for section in scheme.sections:
        best: tuple[tuple[int, int, int], HeadingRef, str] | None = None
        for candidate in candidates:
            if scheme.top_level_only and candidate.level not in (1, UNNUMBERED_LEVEL):
                continue
            how = section.match(candidate.title)
            if how is None or not _is_unnumbered_heading(candidate, how):
                continue
            rank = (candidate.level, 0 if how != "keywords" else 1, candidate.span.start)
            if best is None or rank < best[0]:
                best = (rank, candidate, how)
        if best is not None:
            chosen.append((section.key, best[1], best[2]))
    return chosen


def _with_extents(
    chosen: list[tuple[str, HeadingRef, str]], report: Report, text_length: int
) -> dict[str, SectionHit]:
    boundaries = sorted(
        {section.span.start for section in report.sections}
        | {candidate.span.start for _, candidate, _ in chosen}
        | ({report.signoff.span.start} if report.signoff is not None else set())
    )
    hits: dict[str, SectionHit] = {}
    for key, candidate, how in chosen:
        node = candidate.node
        if isinstance(node, (Section, SubSection)):
            extent = node.span
        else:
            following = [b for b in boundaries if b > candidate.span.start]
            end = min([candidate.container_end, text_length, *following])
            extent = Span(candidate.span.start, max(end, candidate.span.end))
        hits[key] = SectionHit(key, node, candidate.span, extent, how, candidate.level)
    return dict(sorted(hits.items(), key=lambda item: item[1].heading_span.start))
