"""SR: source integrity — injected spam, pinyin, web-page residue, converted script, garbled text, foreign links, personal data."""
