"""The evaluator's audit view (``nianbao report``): a whole corpus's findings in one offline HTML
file — overview charts, rankings, and each report's findings down to the faulty table cell."""

from __future__ import annotations

from nianbao.output.audit.data import AuditEntry, audit_data, excerpt_lines
from nianbao.output.audit.page import render_page

__all__ = ["AuditEntry", "audit_data", "excerpt_lines", "render_page"]
