"""Word's automatic numbering, rendered as Word shows it.

Offices number a report's headings with Word's lists rather than typing "一、": the paragraph holds
"总体情况" and a reference (``w:numPr``: list ``w:numId``, level ``w:ilvl``) into ``numbering.xml``,
where the list's level says how its number looks (``w:lvlText`` "%1、", ``w:numFmt``
chineseCounting). No library renders these labels, so this module keeps Word's counters:

* a list instance (``w:num``) points at an abstract definition (``w:abstractNum``); instances of
  one definition share its counters, as in Word, unless an instance overrides a level
  (``w:lvlOverride``: ``w:startOverride`` restarts that level at the instance's first paragraph,
  an ``w:lvl`` inside replaces the level's definition);
* a paragraph at level *n* advances level *n* (starting at ``w:start``) and restarts every lower
  level, unless a lower level's ``w:lvlRestart`` says after which level it restarts (0: never);
* numbering can come from the paragraph's style (``w:pStyle`` → the style's ``w:numPr``, through
  ``w:basedOn``), a level can name its style (``w:lvl/w:pStyle``), and a definition can stand for
  a numbering style (``w:numStyleLink`` → the style's list → the definition with that
  ``w:styleLink``); ``w:numId`` 0 removes a style's numbering;
* ``%1``…``%9`` in ``w:lvlText`` show those levels' current numbers, each in its own level's format
  (decimal with ``w:isLgl``); the suffix (``w:suff``: tab by default, space, nothing) becomes a
  space or nothing, since the text is read line by line; bullets show no text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

__all__ = ["Numbering", "format_number"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_LEVELS = 9
_PLACEHOLDER = re.compile(r"%([1-9])")


def _val(element, name: str = "val") -> str | None:
    return None if element is None else element.get(f"{W}{name}")


def _int(element, default: int | None = None, name: str = "val") -> int | None:
    value = _val(element, name)
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


# --- number formats --------------------------------------------------------------------------

_CHINESE_DIGITS = "零一二三四五六七八九"
_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ENCLOSED = {
    "decimalEnclosedCircle": (1, 20, 0x2460),  # ①
    "decimalEnclosedCircleChinese": (1, 20, 0x2460),
    "decimalEnclosedFullstop": (1, 20, 0x2488),  # ⒈
    "decimalEnclosedParen": (1, 20, 0x2474),  # ⑴
    "ideographEnclosedCircle": (1, 10, 0x3280),  # ㊀
    "ideographParenthesized": (1, 10, 0x3220),  # ㈠
}
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def _chinese(number: int, digits: str = _CHINESE_DIGITS, units: str = "十百千", *, japanese: bool = False) -> str:
    """Chinese counting: 10 → 十, 21 → 二十一, 105 → 一百零五 (Japanese: 百五, no 零, no leading 一)."""
    if number == 0:
        return digits[0]
    if number >= 10000:
        high, low = divmod(number, 10000)
        rest = _chinese(low, digits, units, japanese=japanese) if low else ""
        gap = digits[0] if 0 < low < 1000 and not japanese else ""
        return _chinese(high, digits, units, japanese=japanese) + "万" + gap + rest
    text = ""
    pending_zero = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        digit = number // power % 10
        if digit == 0:
            pending_zero = bool(text)
            continue
        if pending_zero and not japanese:
            text += digits[0]
        pending_zero = False
        omit_one = digit == 1 and unit and (japanese or (unit == units[0] and not text))
        text += ("" if omit_one else digits[digit]) + unit
    return text


def _letters(number: int, alphabet: str) -> str:
    """Word's letters: A … Z, AA, BB … ZZ, AAA (decimal past 780, where Word stops too)."""
    if not 0 < number <= 780:
        return str(number)
    repeat, index = divmod(number - 1, 26)
    return alphabet[index] * (repeat + 1)


def _roman(number: int) -> str:
    if not 0 < number < 4000:
        return str(number)
    text = ""
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        text += letters * count
    return text


def format_number(number: int, number_format: str) -> str:
    """``number`` as Word shows it in ``w:numFmt`` ``number_format`` (decimal for unknown formats)."""
    if number_format in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting",
                         "taiwaneseCountingThousand", "ideographLegalTraditional"):
        return _chinese(number)
    if number_format == "chineseLegalSimplified":
        return _chinese(number, _LEGAL_DIGITS, "拾佰仟")
    if number_format in ("japaneseCounting", "japaneseLegal"):
        return _chinese(number, japanese=True)
    if number_format in ("ideographDigital", "japaneseDigitalTenThousand", "taiwaneseDigital"):
        return "".join(_CHINESE_DIGITS[int(digit)].replace("零", "〇") for digit in str(number))
    if number_format == "ideographTraditional":
        return _HEAVENLY_STEMS[(number - 1) % 10] if number > 0 else str(number)
    if number_format == "ideographZodiac":
        return _EARTHLY_BRANCHES[(number - 1) % 12] if number > 0 else str(number)
    if number_format in _ENCLOSED:
        low, high, base = _ENCLOSED[number_format]
        return chr(base + number - low) if low <= number <= high else str(number)
    if number_format == "upperLetter":
        return _letters(number, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    if number_format == "lowerLetter":
        return _letters(number, "abcdefghijklmnopqrstuvwxyz")
    if number_format == "upperRoman":
        return _roman(number)
    if number_format == "lowerRoman":
        return _roman(number).lower()
    if number_format == "decimalZero":
        return f"{number:02d}"
    if number_format == "decimalFullWidth" or number_format == "decimalFullWidth2":
        return str(number).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if number_format in ("none", "bullet"):
        return ""
    return str(number)


# --- definitions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Level:
    start: int = 1
    number_format: str = "decimal"
    text: str | None = None
    restart: int | None = None
    """``w:lvlRestart``: None restarts after any higher level, 0 never, n after level n (1-based)."""
    legal: bool = False
    suffix: str = "tab"
    style: str | None = None


def _read_level(element) -> _Level:
    text = element.find(f"{W}lvlText")
    return _Level(
        start=_int(element.find(f"{W}start"), 1),
        number_format=_val(element.find(f"{W}numFmt")) or "decimal",
        text=_val(text) if text is not None else None,
        restart=_int(element.find(f"{W}lvlRestart")),
        legal=element.find(f"{W}isLgl") is not None and _val(element.find(f"{W}isLgl")) not in ("0", "false", "off"),
        suffix=_val(element.find(f"{W}suff")) or "tab",
        style=_val(element.find(f"{W}pStyle")),
    )


@dataclass
class _Abstract:
    levels: dict[int, _Level] = field(default_factory=dict)
    style_link: str | None = None
    num_style_link: str | None = None


@dataclass
class _Instance:
    abstract: str
    starts: dict[int, int] = field(default_factory=dict)
    levels: dict[int, _Level] = field(default_factory=dict)


@dataclass(frozen=True)
class _StyleNumbering:
    num: str | None
    level: int | None
    based_on: str | None


class Numbering:
    """The labels of a document's numbered paragraphs, in document order.

    Built from the roots of ``numbering.xml`` and ``styles.xml`` (either may be None); call
    :meth:`label` for every paragraph in reading order, since each numbered one advances its
    list's counters.
    """

    def __init__(self, numbering_root=None, styles_root=None) -> None:
        self._abstracts: dict[str, _Abstract] = {}
        self._instances: dict[str, _Instance] = {}
        self._styles: dict[str, _StyleNumbering] = {}
        self._counters: dict[str, list[int | None]] = {}
        self._seen: set[str] = set()
        if numbering_root is not None:
            self._read_numbering(numbering_root)
        if styles_root is not None:
            self._read_styles(styles_root)

    def _read_numbering(self, root) -> None:
        for element in root.iterfind(f"{W}abstractNum"):
            key = _val(element, "abstractNumId")
            if key is None:
                continue
            abstract = _Abstract(
                style_link=_val(element.find(f"{W}styleLink")),
                num_style_link=_val(element.find(f"{W}numStyleLink")),
            )
            for level in element.iterfind(f"{W}lvl"):
                index = _int(level, None, "ilvl")
                if index is not None and 0 <= index < _LEVELS:
                    abstract.levels[index] = _read_level(level)
            self._abstracts[key] = abstract
        for element in root.iterfind(f"{W}num"):
            key = _val(element, "numId")
            abstract = _val(element.find(f"{W}abstractNumId"))
            if key is None or abstract is None:
                continue
            instance = _Instance(abstract)
            for override in element.iterfind(f"{W}lvlOverride"):
                index = _int(override, None, "ilvl")
                if index is None or not 0 <= index < _LEVELS:
                    continue
                start = _int(override.find(f"{W}startOverride"))
                if start is not None:
                    instance.starts[index] = start
                level = override.find(f"{W}lvl")
                if level is not None:
                    instance.levels[index] = _read_level(level)
            self._instances[key] = instance

    def _read_styles(self, root) -> None:
        for style in root.iterfind(f"{W}style"):
            key = _val(style, "styleId")
            if key is None:
                continue
            properties = style.find(f"{W}pPr/{W}numPr")
            self._styles[key] = _StyleNumbering(
                num=_val(properties.find(f"{W}numId")) if properties is not None else None,
                level=_int(properties.find(f"{W}ilvl")) if properties is not None else None,
                based_on=_val(style.find(f"{W}basedOn")),
            )

    # --- which list and level a paragraph is in --------------------------------------------------

    def _style_numbering(self, style: str | None) -> tuple[str | None, int | None]:
        num = level = None
        seen: set[str] = set()
        while style is not None and style not in seen and (num is None or level is None):
            seen.add(style)
            found = self._styles.get(style)
            if found is None:
                break
            num = num if num is not None else found.num
            level = level if level is not None else found.level
            style = found.based_on
        return num, level

    def _abstract_of(self, instance: _Instance) -> tuple[str, _Abstract] | None:
        key = instance.abstract
        abstract = self._abstracts.get(key)
        if abstract is not None and abstract.num_style_link:
            # The definition stands for a numbering style: the list that style names holds the levels.
            linked_num, _ = self._style_numbering(abstract.num_style_link)
            linked = self._instances.get(linked_num) if linked_num else None
            if linked is not None and linked.abstract in self._abstracts:
                key, abstract = linked.abstract, self._abstracts[linked.abstract]
        return (key, abstract) if abstract is not None else None

    def _reference(self, paragraph) -> tuple[str, int, str | None] | None:
        properties = paragraph.find(f"{W}pPr")
        style = _val(properties.find(f"{W}pStyle")) if properties is not None else None
        direct = properties.find(f"{W}numPr") if properties is not None else None
        num = _val(direct.find(f"{W}numId")) if direct is not None else None
        level = _int(direct.find(f"{W}ilvl")) if direct is not None else None
        if num is None or level is None:
            style_num, style_level = self._style_numbering(style)
            num = num if num is not None else style_num
            level = level if level is not None else style_level
        if num is None or num == "0" or num not in self._instances:
            return None
        return num, level, style

    # --- labels ---------------------------------------------------------------------------------

    def label(self, paragraph) -> str:
        """The number Word shows before ``paragraph`` (a ``w:p``) with its suffix, or ""; advances
        the counters of the paragraph's list."""
        reference = self._reference(paragraph)
        if reference is None:
            return ""
        num, index, style = reference
        instance = self._instances[num]
        found = self._abstract_of(instance)
        if found is None:
            return ""
        key, abstract = found
        if index is None:
            # A style named by one of the definition's levels puts its paragraphs at that level.
            index = next((i for i, level in abstract.levels.items() if style and level.style == style), 0)
        if not 0 <= index < _LEVELS:
            return ""
        levels = [self._level(instance, abstract, i) for i in range(_LEVELS)]
        counters = self._counters.setdefault(key, [None] * _LEVELS)
        if num not in self._seen:
            self._seen.add(num)
            for overridden in instance.starts:
                counters[overridden] = None
        counters[index] = levels[index].start if counters[index] is None else counters[index] + 1
        for lower in range(index + 1, _LEVELS):
            restart = levels[lower].restart
            if restart is None or (restart > 0 and index <= restart - 1):
                counters[lower] = None
        return self._render(levels, counters, index)

    @staticmethod
    def _level(instance: _Instance, abstract: _Abstract, index: int) -> _Level:
        level = instance.levels.get(index) or abstract.levels.get(index) or _Level(text=f"%{index + 1}.")
        if index in instance.starts:
            level = replace(level, start=instance.starts[index])
        return level

    @staticmethod
    def _render(levels: list[_Level], counters: list[int | None], index: int) -> str:
        level = levels[index]
        if level.number_format == "bullet" or not level.text:
            return ""

        def number(match: re.Match) -> str:
            shown = int(match.group(1)) - 1
            value = counters[shown] if counters[shown] is not None else levels[shown].start
            number_format = levels[shown].number_format
            if level.legal:
                number_format = "decimal"
            return format_number(value, number_format)

        text = _PLACEHOLDER.sub(number, level.text)
        if not text:
            return ""
        return text + ("" if level.suffix == "nothing" else " ")
