"""NR: what the prose claims — counts, parts, percentages and placeholders against the tables and each other."""
