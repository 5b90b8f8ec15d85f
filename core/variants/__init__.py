"""Variants: national defaults, province and city profiles, lexicons and deadlines, layered by one resolver."""
