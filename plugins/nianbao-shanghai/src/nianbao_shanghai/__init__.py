"""nianbao plugin: the Shanghai profile and its rules (code prefix SH)."""
