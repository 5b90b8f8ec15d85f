"""nianbao plugin: the Huaihua (Hunan) profile and its rules (code prefix HH)."""
