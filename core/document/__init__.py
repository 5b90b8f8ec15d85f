"""The complete report rules read: syntax tree, facts, recognised tables, profile and lexicons, built once."""
