"""TB: the shape of the official tables — cells per row, values that are numbers, labels as the template has them.

The family has no analysis module of its own: its rules read the recognised tables and the value
cells of their rows (``row_values``, ``numeric_cells``), the table reading the AR and NR rules use too.
"""
