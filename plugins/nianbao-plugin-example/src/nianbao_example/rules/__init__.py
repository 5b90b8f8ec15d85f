"""The EX rules, one per module."""
