"""AR: the official tables add up — the relations each template declares, checked cell by cell.

Shared analysis: ``relations.py`` — every relation of every table evaluated once per document
(:func:`~nianbao.rules.arithmetic.relations.analyse`), failures grouped by the one cell that explains
them, and each rule's share of the findings (``relation_findings``, ``holding_checks``).
"""
