"""nianbao's plugin API: every name a rule, a profile or a plugin may use, in one module.

Built-in rules use nothing else of nianbao (besides their own family's helpers), so what a
built-in rule can do, a plugin can do too. docs/plugin-api.md documents each name; a name not
exported here is internal and may change without notice.

    from nianbao.api import Finding, Rule, Severity, Span, hookimpl
"""

from __future__ import annotations

from nianbao.data.cache import cached
from nianbao.document.document import Document
from nianbao.document.facts import YEAR_IN_TITLE, ReportFacts
from nianbao.parse.parser import chinese_ordinal_value
from nianbao.parse.tree import (
    Cell,
    Heading,
    Node,
    Paragraph,
    Report,
    Row,
    Section,
    SemanticCell,
    SemanticRow,
    SemanticTable,
    SignOff,
    SubSection,
    Table,
    Title,
)
from nianbao.plugins.hookspecs import PLUGIN_API_VERSION, PROJECT_NAME, hookimpl
from nianbao.plugins.rule import (
    ERAS,
    Finding,
    Option,
    Related,
    Rule,
    RuleInfo,
    Severity,
    rules_in_package,
)
from nianbao.tables import Template, TemplateRelation, default_templates
from nianbao.text.dates import (
    DateMention,
    PeriodStatement,
    find_dates,
    find_malformed_dates,
    find_period_statement,
)
from nianbao.text.location import Location, Span
from nianbao.text.normalize import fold_label
from nianbao.text.numbers import NumberMention, extract_counts, extract_numbers, lexicon
from nianbao.text.values import CellValue, parse_cell_value
from nianbao.variants.deadlines import PublicationDeadline, check_overrides
from nianbao.variants.lexicon import Lexicon, LexiconError, Term, group_nearby
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
    "PROJECT_NAME",
    "hookimpl",
    # rules
    "ERAS",
    "Finding",
    "Option",
    "Related",
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
    "DateMention",
    "NumberMention",
    "PeriodStatement",
    "chinese_ordinal_value",
    "extract_counts",
    "extract_numbers",
    "find_dates",
    "find_malformed_dates",
    "find_period_statement",
    "fold_label",
    "lexicon",
    "parse_cell_value",
    # tables
    "Template",
    "TemplateRelation",
    "default_templates",
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
    "group_nearby",
    "load_profile",
    "profile_from_mapping",
    # derived data kept between runs
    "cached",
]
