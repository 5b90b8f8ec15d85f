"""A web page's bytes → text, and each parsed text node's characters → their offsets in that text.

Decoding comes before parsing: lxml handed raw GBK bytes under a wrong or missing declaration
silently drops the characters outside GB2312, so the page is decoded here and lxml only ever
sees a string. The order: a BOM; the charset a ``<meta>`` (or XML declaration) names in the
first bytes, kept when it decodes strictly and the bytes are not plainly something else (valid
UTF-8, or Chinese under a Western label: declarations are often wrong); otherwise the plain-text
detection of :func:`nianbao.read.source.decode_bytes` (strict UTF-8, then GB18030/Big5 scored for
plausibility). Every GB label reads as GB18030, its superset.

lxml gives no text offsets (and its ``sourceline`` stops at 65535), yet every extracted
character must point at its place in the page. :class:`SourcePositions` walks the parsed tree's
text nodes in document order and scans the source forward in step: markup (tags, comments,
doctype, the raw text of ``<script>``/``<style>``/``<title>``…) is skipped, and each character of
a node is matched to a literal character, a line break (the parser turns CRLF into LF) or the
character reference that produced it (decoded by the HTML5 rules Python's :mod:`html` follows,
as libxml2's parser does). Where the parser dropped or repaired something the scan resynchronises
forward; it never moves back, so one odd spot cannot shift what follows it by more than that spot.
"""

from __future__ import annotations

import codecs
import html
import re
from array import array
from html.entities import html5 as _HTML5_ENTITIES
from typing import Iterator

from nianbao.read.source import ReadError, SourceText, _plausibility, decode_bytes

__all__ = ["RAW_TEXT_TAGS", "SourcePositions", "decode_html", "declared_charset"]

# How far into the file a declaration counts (browsers look at the first 1024 bytes; CMS pages
# sometimes put a long comment or script first).
_SNIFF_BYTES = 4096
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([a-z0-9_.:\-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"<\?xml\b[^>]*?encoding\s*=\s*[\"']([a-z0-9_.:\-]+)", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"\A\s*<\?xml\b[^>]*>")

# WHATWG encoding labels for the Chinese encodings, and the codecs Python reads them with.
_GB_LABELS = frozenset({
    "gb2312", "gbk", "gb_2312-80", "gb_2312", "x-gbk", "cp936", "csgb2312", "chinese", "iso-ir-58", "euc-cn",
    "windows-936", "ms936", "gb18030", "csiso58gb231280",
})
_BIG5_LABELS = frozenset({"big5", "big5-hkscs", "cn-big5", "x-x-big5", "csbig5", "cp950"})
# A page may only declare a UTF-16 charset in a <meta> it could not have been read by: browsers
# take such a declaration as UTF-8. ISO-8859-1 and ASCII labels mean windows-1252 on the web.
_UTF8_LABELS = frozenset({"utf-8", "utf8", "unicode-1-1-utf-8", "utf-16", "utf-16le", "utf-16be", "unicode"})
_LATIN_LABELS = frozenset({"iso-8859-1", "latin1", "l1", "us-ascii", "ascii", "windows-1252", "cp1252"})
_MIN_PLAUSIBILITY = 0.85  # as nianbao.read.source: real report text scores above 0.98
_SINGLE_BYTE = frozenset({"cp1252", "latin-1", "iso8859-1", "ascii"})


def declared_charset(data: bytes) -> str | None:
    """The Python codec for the charset the page's head declares, or None."""
    head = data[:_SNIFF_BYTES]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if match is None:
        return None
    label = match.group(1).decode("ascii").lower()
    if label in _GB_LABELS:
        return "gb18030"
    if label in _BIG5_LABELS:
        return "cp950"
    if label in _UTF8_LABELS:
        return "utf-8"
    if label in _LATIN_LABELS:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes, path: str) -> SourceText:
    """The page as text (BOM removed); :class:`~nianbao.read.source.ReadError` "encoding" naming
    the line of the first bad byte when no encoding reads it."""
    declared = declared_charset(data)
    if declared is not None and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _declared_text(data, declared)
        if text is not None:
            return SourceText(path, text[0], text[1], format="html")
    try:
        source = decode_bytes(data, path)
    except ReadError as error:
        if error.reason != "encoding":
            raise
        raise ReadError(_bad_bytes_message(data, declared), "encoding") from None
    if source.undecodable:
        # Bad bytes are reported one by one only in text files; a page with them is refused (for now).
        raise ReadError(_bad_bytes_message(data, declared), "encoding")
    return SourceText(path, source.text, source.encoding, format="html")


def _declared_text(data: bytes, declared: str) -> tuple[str, str] | None:
    """The page read as declared, or None when the declaration is wrong: the bytes do not decode,
    or they are UTF-8 (GBK text is practically never valid UTF-8), or a Western single-byte
    charset is declared for bytes that read as Chinese."""
    try:
        text = data.decode(declared)
    except UnicodeDecodeError:
        return None
    if declared == "utf-8" or data.isascii():
        return text, declared
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if codecs.lookup(declared).name in _SINGLE_BYTE:
        try:
            chinese = data.decode("gb18030")
        except UnicodeDecodeError:
            return text, declared
        if _plausibility(chinese) >= _MIN_PLAUSIBILITY:
            return chinese, "gb18030"
    return text, declared


def _bad_bytes_message(data: bytes, declared: str | None) -> str:
    """Where the page stops being readable: in the declared encoding, or in whichever of UTF-8
    and GB18030 reads further (the page's probable encoding)."""
    names = {"utf-8": "UTF-8", "gb18030": "GB18030（GBK）", "cp950": "Big5"}
    tried = [declared] if declared else ["utf-8", "gb18030"]
    failures = []
    for codec in tried:
        try:
            data.decode(codec)
        except UnicodeDecodeError as error:
            failures.append((error.start, codec))
    start, codec = max(failures) if failures else (0, tried[0])
    line = data.count(b"\n", 0, start) + 1
    name = names.get(codec, codec.upper())
    if declared:
        return f"网页编码有误：网页声明的编码是 {name}，但第 {line} 行有不符合该编码的字节（按其他常用编码也无法读取）"
    space = " " if name[-1].isascii() else ""
    return f"网页编码有误：按 {name}{space}读取时第 {line} 行有无效字节"


def parser_input(text: str) -> str:
    """The text lxml can take: it refuses a string that starts with an XML declaration naming an
    encoding, so the declaration is blanked out with spaces (offsets stay the same)."""
    match = _XML_DECLARATION.match(text)
    if match is None:
        return text
    return " " * match.end() + text[match.end():]


# Elements whose content the parser takes as text, not markup: the scan jumps to their end tag.
RAW_TEXT_TAGS = frozenset({"script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes"})

# Unclosed markup runs to the end of the file, as in the HTML tokenizer; no alternative can
# backtrack over what another matched, so a hostile page costs linear time.
_MARKUP = re.compile(
    r"""<!--(?:.*?-->|.*\Z)                           # comment
      | <!\[CDATA\[.*?(?:\]\]>|\Z)
      | <[!?/][^>]*(?:>|\Z)                          # doctype, processing instruction, end tag
      | <[a-zA-Z](?:[^"'>]|"[^"]*(?:"|\Z)|'[^']*(?:'|\Z))*(?:>|\Z)   # start tag, quoted values
    """,
    re.DOTALL | re.VERBOSE,
)
_TAG_NAME = re.compile(r"<([a-zA-Z][^\s/>]*)")
_RAW_TEXT_END = {name: re.compile(r"</" + name + r"[\s/>]", re.IGNORECASE) for name in RAW_TEXT_TAGS}
_REFERENCE = re.compile(r"&(?:#[xX]([0-9a-fA-F]+);?|#([0-9]+);?|([A-Za-z][A-Za-z0-9]{0,31};?))")
_REPLACEMENT = "\ufffd"  # what the parser puts for NUL, a surrogate or an invalid reference
# How far a resynchronisation looks ahead, and how many characters all of them may search in
# one page (beyond that, unplaced characters keep the last known position).
_RESYNC_WINDOW = 4096
_RESYNC_BUDGET = 20_000_000


class SourcePositions:
    """Per text node of a parsed page, each character's offset in the page's text.

    Call :meth:`map` for every text node in document order (an element's text, its children,
    its tail: :func:`text_nodes`), leaving out the content of :data:`RAW_TEXT_TAGS`.
    """

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                      "source", "track", "wbr", "keygen"})

    def map_node(self, element, kind: str, text: str) -> array:
        """:meth:`map` for the ``text`` or ``tail`` of ``element``, after the tag it follows."""
        tag = element.tag if isinstance(element.tag, str) else None
        if tag is None:
            return self.map(text)
        if kind == "text":
            return self.map(text, tag)
        return self.map(text, tag, closing=tag.lower() not in self.VOID)

    def __init__(self, source: str) -> None:
        self._source = source
        self._position = 0
        self._budget = _RESYNC_BUDGET

    def map(self, text: str, after_tag: str | None = None, closing: bool = False) -> array:
        """Offsets of ``text``'s characters; the scan continues after them. ``after_tag``: the
        element whose start tag (or, ``closing``, end tag) the text follows, when known: the scan
        first passes that tag if only whitespace and markup lie before it, so whitespace the parser
        dropped (between ``<html>`` and ``<body>``, say) is not taken for the node's own."""
        source = self._source
        if after_tag is not None:
            self._position = self._seek_tag(self._position, after_tag.lower(), closing)
        start = self._skip_markup(self._position)
        if "&" not in text and source.startswith(text, start):  # the usual case: no reference, CR or markup
            self._position = start + len(text)
            return array("l", range(start, start + len(text)))
        offsets = array("l")
        position = start
        while len(offsets) < len(text):
            after_markup = self._skip_markup(position)
            if after_markup != position and not text[: len(offsets)].strip():
                # Only whitespace so far, and then markup: that was whitespace the parser dropped
                # (between <html> and <body>, say); the node starts after the markup.
                del offsets[:]
            position = after_markup
            if position >= len(source):
                break
            width, produced = self._read_character(position, text, len(offsets))
            if width:
                offsets.extend([position] * produced)
                position += width
                continue
            if text[len(offsets)].isspace():
                offsets.append(position)  # whitespace the source does not have here: nothing to place
                continue
            found = self._resync(position, text, len(offsets))
            if found is None:
                break
            position = found
        # What the scan could not place points where it stopped.
        last = max(min(position, len(source) - 1), 0)
        offsets.extend([last] * (len(text) - len(offsets)))
        self._position = max(position, start)
        return offsets

    def _skip_markup(self, position: int) -> int:
        while True:
            after = self._markup_end(position)
            if after is None:
                return position
            position = after

    def _markup_end(self, position: int, tag: str | None = None, closing: bool = False) -> int | None:
        """Where the markup at ``position`` ends (with a raw-text element's content), or None when
        there is none (a "<" that starts no markup is text) or it is not the ``tag`` asked for."""
        source = self._source
        if position >= len(source) or source[position] != "<":
            return None
        match = _MARKUP.match(source, position)
        if match is None:
            return None
        token = match.group()
        if tag is not None:
            prefix = "</" if closing else "<"
            name = token[len(prefix) : len(prefix) + len(tag)].lower()
            follows = token[len(prefix) + len(tag) : len(prefix) + len(tag) + 1]
            if not token.startswith(prefix) or name != tag or not (follows == "" or follows in " \t\n\r\f/>"):
                return None
        position = match.end()
        name = _TAG_NAME.match(token)
        raw = name is not None and name.group(1).lower()
        if raw in RAW_TEXT_TAGS and not token.endswith("/>"):
            end = _RAW_TEXT_END[raw].search(source, position)
            position = end.start() if end is not None else len(source)
        return position

    def _seek_tag(self, position: int, tag: str, closing: bool) -> int:
        """Past the tag when only whitespace and markup come before it; else ``position``."""
        source = self._source
        cursor = position
        while cursor < len(source) and self._budget > 0:
            while cursor < len(source) and source[cursor] in " \t\n\r\f":
                cursor += 1
            found = self._markup_end(cursor, tag, closing)
            if found is not None:
                return found
            after = self._markup_end(cursor)
            if after is None:
                break  # text comes first: the tag is implied by the parser, not written
            self._budget -= after - cursor
            cursor = after
        return position

    def _read_character(self, position: int, text: str, index: int) -> tuple[int, int]:
        """``(source characters consumed, text characters produced)`` at ``position``, or (0, 0)."""
        source = self._source
        char = source[position]
        expected = text[index]
        if char == "&":  # a reference first: "&amp;" yields "&" too, and then "amp;" would not match
            match = _REFERENCE.match(source, position)
            if match is not None:
                width, value = _reference_value(match)
                if value and text.startswith(value, index):
                    return width, len(value)
        if char == expected:
            return 1, 1
        if char == "\r" and expected == "\n":
            return (2 if source.startswith("\r\n", position) else 1), 1
        if expected == _REPLACEMENT and not char.isspace():
            return 1, 1
        return 0, 0

    def _resync(self, position: int, text: str, index: int) -> int | None:
        """Where the rest of ``text`` goes on in the source, or None: whitespace the parser
        dropped is passed over; otherwise the next occurrence of the next few characters."""
        source = self._source
        if source[position].isspace():
            return position + 1
        if self._budget <= 0:
            return None
        probe = text[index : index + 8]
        self._budget -= _RESYNC_WINDOW
        found = source.find(probe, position + 1, position + _RESYNC_WINDOW)
        if found < 0 and len(probe) > 1:
            found = source.find(probe[0], position + 1, position + _RESYNC_WINDOW)
        return found if found >= 0 else None


def _reference_value(match: re.Match) -> tuple[int, str]:
    """``(width, decoded text)`` of a character reference, by the HTML5 rules."""
    hexadecimal, decimal, name = match.groups()
    if name is None:
        number = int(hexadecimal, 16) if hexadecimal is not None else int(decimal)
        if number == 0 or 0xD800 <= number <= 0xDFFF or number > 0x10FFFF:
            return match.end() - match.start(), _REPLACEMENT
        return match.end() - match.start(), html.unescape(match.group())
    # The longest known name that starts the reference: "&notit;" reads as "¬" + "it;".
    for length in range(len(name), 1, -1):
        value = _HTML5_ENTITIES.get(name[:length])
        if value is not None:
            return 1 + length, value
    return 0, ""


def text_nodes(root, skip: frozenset[str] = RAW_TEXT_TAGS) -> Iterator[tuple[object, str, str]]:
    """``(element, "text" | "tail", string)`` for every text node under ``root`` in document order,
    leaving out the content of raw-text elements (their tails are kept)."""
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        element, done = stack.pop()
        if done:
            if element is not root and element.tail:
                yield element, "tail", element.tail
            continue
        stack.append((element, True))
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag.lower() in skip:
            continue
        if element.text and isinstance(element.tag, str):
            yield element, "text", element.text
        stack.extend((child, False) for child in reversed(element))
