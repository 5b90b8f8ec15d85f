"""The tables stage: table blocks → cells → semantic tables, driven by declarative templates.

The grammar locates a table block; the modules here read it, in this order:

* :mod:`~nianbao.tables.cells` — ``build_table``: the block's lines → a
  :class:`~nianbao.parse.tree.Table` of rows and cells with exact spans, whatever the rendering
  (bar lines, pipe rows, Markdown, tab cells, one cell per line); :mod:`~nianbao.tables.layout`
  reads the ``pdftotext -layout`` rendering.
* :mod:`~nianbao.tables.templates` — the official tables as data (``nianbao/data/templates/*.toml``
  and plugin templates of the same schema) and the ``TemplateSet`` a run recognises tables with.
* :mod:`~nianbao.tables.labels` — the label index of a template: which template label a cell's
  text is, exactly or approximately.
* :mod:`~nianbao.tables.recognize` — ``recognize_tables``: the cells → the official tables they
  hold, the runs that fit no template and the cells that belong to no table.
* :mod:`~nianbao.tables.model` — ``SemanticTable``, ``SemanticRow``, ``SemanticCell``: a
  recognised table, addressable by the template's row and column keys.
* :mod:`~nianbao.tables.reading` — what rules read of a semantic table beyond its keys (the
  value cells of a row, names of rows and cells in messages), exported through :mod:`nianbao.api`.
"""
