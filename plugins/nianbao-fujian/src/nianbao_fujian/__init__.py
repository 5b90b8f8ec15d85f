"""nianbao plugin: the Fujian (pre-2019) profile and its rules (code prefix FJ)."""
