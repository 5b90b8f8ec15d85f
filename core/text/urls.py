"""Where a text has URLs, bare domains and e-mail addresses: the digits and dates in them are neither
figures nor dates (:mod:`nianbao.text.numbers`, :mod:`nianbao.text.dates`)."""

from __future__ import annotations

import re

__all__ = ["url_spans"]

_URL = re.compile(
    r"(?:https?://|ftp://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'*+;=%]+"
    r"|[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"
    r"|(?<![A-Za-z0-9])[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.(?:gov|com|net|org|edu)(?:\.cn)?(?:/[A-Za-z0-9\-._~/?#=&%]*)?"
)


# Every match of _URL holds one of these. Searching for them is many times faster than trying the
# expression at every character, and most Chinese prose holds none.
_REQUIRED = ("://", "www.", "@", ".gov", ".com", ".net", ".org", ".edu")


def url_spans(text: str) -> list[tuple[int, int]]:
    """Where URLs, bare domains and e-mail addresses are; the digits in them are not figures."""
    if not any(mark in text for mark in _REQUIRED):
        return []
    return [m.span() for m in _URL.finditer(text)]
