"""Across reports: the records of every checked report (and of earlier ones, ``history``), grouped by
body and year, and the cross-report rules (XR) run over them once every file is done."""
