"""nianbao plugin: the Jilin (Changchun) profile and its rules (code prefix JL)."""
