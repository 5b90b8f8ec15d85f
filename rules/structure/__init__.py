"""ST: the report's structure — title, sections in the official order, tables present, the format of the right era.

Shared analysis: ``sections.py`` — the required sections of each format era and the title and
format data (``data/sections.toml``), and which of the report's headings satisfy which section
(:func:`~nianbao.rules.structure.sections.report_sections`, matched once per document for ST003–ST006).
"""
