"""NR: what the prose claims — counts, parts, percentages and placeholders against the tables and each other.

The rules read the report's sentences through ``nianbao.api`` (``document_sentences``: each sentence
with its figures, bracket groups, clauses and headings); what only this family needs lives beside them:

* ``lexicon.py`` — the narrative data (``data/narrative.toml``): counting units, breakdown markers,
  percentage words, placeholders, self-references and the statement patterns;
* ``figures.py`` — what a figure counts: a count of things, a change, a figure of another period;
* ``breakdowns.py`` — a total and its parts stated in one sentence (NR002), read once per document
  (``document_breakdowns``) and shared with NR003;
* ``percentages.py`` — percentages and the two counts they are the ratio of (NR003);
* ``cell_statements.py`` — statements about what the tables hold and the cells they name (NR001).
"""
