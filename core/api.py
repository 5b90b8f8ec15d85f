"""nianbao's plugin API: every name a rule, a profile or a plugin may use, in one module.

Built-in rules use nothing else of nianbao (besides their own family's helpers), so what a
built-in rule can do, a plugin can do too. docs/plugin-api.md documents each name; a name not
exported here is internal and may change without notice.

    from nianbao.api import Finding, Rule, Severity, Span, hookimpl
"""

from __future__ import annotations

from nianbao.data.cache import cached
from nianbao.data.toml import TomlError, read_toml
from nianbao.document.document import Document, document_sentences
from nianbao.document.facts import YEAR_IN_TITLE, ReportFacts
from nianbao.engine.diagnostic import Diagnostic
from nianbao.output.formats import Formatter, RunContext
from nianbao.parse.headings import CHINESE_ORDINAL, HEADING_ORDINAL
from nianbao.parse.tree import (
    Cell,
    Heading,
    Node,
    Paragraph,
    Report,
    Row,
    Section,
    SignOff,
    SubSection,
    Table,
    Title,
)
from nianbao.plugins.hookspecs import (
    PLUGIN_API_VERSION,
    PROFILES_GROUP,
    PROJECT_NAME,
    hookimpl,
)
from nianbao.corpus.corpus import Corpus
from nianbao.document.identity import ReportIdentity
from nianbao.document.record import CellRecord, Passages, ReportRecord, fingerprint, mask_text
from nianbao.plugins.rule import (
    ERAS,
    CorpusFinding,
    CorpusRule,
    Finding,
    Option,
    Related,
    RelatedIn,
    Rule,
    RuleInfo,
    Severity,
    rules_in_package,
)
from nianbao.tables.model import SemanticCell, SemanticRow, SemanticTable
from nianbao.tables.reading import (
    NumericCell,
    RowValues,
    cell_name,
    column_kind,
    column_title,
    format_number,
    iter_numeric_cells,
    numeric_cells,
    row_title,
    row_values,
    section_prefix,
    template_of,
    value_columns,
)
from nianbao.tables.templates import Template, TemplateRelation, default_templates
from nianbao.text.dates import (
    DateMention,
    PeriodStatement,
    find_dates,
    find_malformed_dates,
    find_period_statement,
)
from nianbao.text.location import Location, Span
from nianbao.text.normalize import fold_label
from nianbao.text.numbers import NumberMention, extract_counts, extract_numbers
from nianbao.text.numerals import chinese_ordinal_value
from nianbao.text.patterns import LazyPattern
from nianbao.text.sentences import (
    CLAUSE_SEPARATORS,
    SEMICOLONS,
    Clause,
    Figure,
    Sentence,
    approximation_words,
    sentences_in,
)
from nianbao.text.values import CellValue, parse_cell_value
from nianbao.variants.deadlines import PublicationDeadline, check_overrides
from nianbao.variants.lexicon import Lexicon, LexiconError, Term
from nianbao.variants.profile import (
    NATIONAL,
    ExpectedRow,
    Profile,
    ProfileError,
    load_profile,
    profile_from_mapping,
)
from nianbao.variants.resolver import VariantResolver

__all__ = [
    # hooks
    "PLUGIN_API_VERSION",
    "PROFILES_GROUP",
    "PROJECT_NAME",
    "hookimpl",
    # rules
    "ERAS",
    "Finding",
    "Option",
    "Related",
    "RelatedIn",
    "CorpusRule",
    "CorpusFinding",
    "Corpus",
    "ReportIdentity",
    "ReportRecord",
    "CellRecord",
    "Passages",
    "mask_text",
    "fingerprint",
    "Rule",
    "RuleInfo",
    "Severity",
    "rules_in_package",
    # positions
    "Location",
    "Span",
    # the report
    "Document",
    "ReportFacts",
    "YEAR_IN_TITLE",
    "Cell",
    "CellValue",
    "Heading",
    "Node",
    "Paragraph",
    "Report",
    "Row",
    "Section",
    "SemanticCell",
    "SemanticRow",
    "SemanticTable",
    "SignOff",
    "SubSection",
    "Table",
    "Title",
    # text facilities
    "CHINESE_ORDINAL",
    "HEADING_ORDINAL",
    "CLAUSE_SEPARATORS",
    "SEMICOLONS",
    "Clause",
    "DateMention",
    "Figure",
    "LazyPattern",
    "NumberMention",
    "PeriodStatement",
    "Sentence",
    "approximation_words",
    "chinese_ordinal_value",
    "document_sentences",
    "extract_counts",
    "extract_numbers",
    "find_dates",
    "find_malformed_dates",
    "find_period_statement",
    "fold_label",
    "parse_cell_value",
    "sentences_in",
    # tables
    "NumericCell",
    "RowValues",
    "Template",
    "TemplateRelation",
    "cell_name",
    "column_kind",
    "column_title",
    "default_templates",
    "format_number",
    "iter_numeric_cells",
    "numeric_cells",
    "row_title",
    "row_values",
    "section_prefix",
    "template_of",
    "value_columns",
    # variants
    "NATIONAL",
    "ExpectedRow",
    "Lexicon",
    "LexiconError",
    "Profile",
    "ProfileError",
    "PublicationDeadline",
    "Term",
    "VariantResolver",
    "check_overrides",
    "load_profile",
    "profile_from_mapping",
    # data files
    "TomlError",
    "cached",
    "read_toml",
    # output formats (nianbao_output_formats) and diagnostics
    "Diagnostic",
    "Formatter",
    "RunContext",
]
