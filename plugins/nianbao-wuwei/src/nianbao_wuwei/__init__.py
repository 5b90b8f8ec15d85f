"""nianbao plugin: the Wuwei (Gansu) profile and its rules (code prefix WW)."""
