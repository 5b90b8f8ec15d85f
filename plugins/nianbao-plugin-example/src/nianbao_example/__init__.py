"""An example nianbao plugin: one rule (code prefix EX) and one profile."""
