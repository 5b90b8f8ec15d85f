"""DT: dates — the report year, the statistical period, publication against the deadline.

Shared analysis: ``periods.py`` — the statistical-period statement (read once per document for
DT001, DT002 and DT006), the whole calendar year it covers, and the publication date when a trusted
report year makes it checkable (DT003, DT004).
"""
