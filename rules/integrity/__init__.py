"""SR: source integrity — injected spam, pinyin, web-page residue, converted script, garbled text, foreign links, personal data.

The rules read the normalised text with their lexicons (``document.lexicon``); ``helpers.py`` holds
what several of them share: grouping nearby suspicious pieces into one finding (SR003, SR005) and
the section part of a finding's place (SR001, SR002, SR003, SR005).
"""
