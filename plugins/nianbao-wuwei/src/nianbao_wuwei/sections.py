"""Finding a 2019/2021-format section by its canonical title."""

from __future__ import annotations


def section_titled(document, keyword: str, number: int):
    """The section whose title contains ``keyword``, else section ``number`` (一 = 1)."""
    sections = document.report.sections
    return next((section for section in sections if keyword in section.title), None) or document.section(number)
