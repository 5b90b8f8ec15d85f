"""DT: dates — the report year, the statistical period, publication against the deadline."""
