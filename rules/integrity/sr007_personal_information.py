from __future__ import annotations

import datetime
import re

from nianbao.api import Finding, LazyPattern, Lexicon, Rule, Severity, Span

# GB 11643-1999 citizen identity number: 6-digit region, birth date YYYYMMDD, 3-digit sequence,
# check character.
_RESIDENT_ID = re.compile(
    r"(?<![0-9A-Za-z])(?P<number>[1-9]\d{5}(?:18|19|20)\d{6}\d{3}[0-9Xx])(?![0-9A-Za-z])"
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARACTERS = "10X98765432"
# Mainland mobile numbers, optionally with +86 and grouped 3-4-4 by hyphens or spaces.
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?(?P<number>1[3-9]\d(?P<gap>[- ]?)\d{4}(?P=gap)\d{4})(?![0-9A-Za-z])")
_SENTENCE_BREAK = LazyPattern(r"[。；;！!？?\n]")
# How far back a person word may stand from the number it qualifies.
_CONTEXT_WINDOW = 40


def resident_id_is_valid(number: str) -> bool:
    """Whether ``number`` is an 18-character GB 11643 identity number with a possible birth date
    and the right check character."""
    if not re.fullmatch(r"\d{17}[0-9Xx]", number):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], _ID_WEIGHTS))
    if _ID_CHECK_CHARACTERS[total % 11] != number[17].upper():
        return False
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return datetime.date(1890, 1, 1) <= birth <= datetime.date.today()


class PersonalInformation(Rule):
    """报告中公开了公民身份号码或申请人的手机号码。

    ## 检查什么
    - 18 位公民身份号码（按 GB 11643 校验位和出生日期核验，随机的长数字不会报告）：错误；
    - 与"申请人""举报人""当事人""先生/女士"等同句出现的手机号码：警告。

    机关的咨询电话、热线（如 12345）、固定电话（0xxx-xxxxxxx）不会报告；"申请人可拨打咨询电话1xxxxxxxxxx"
    这样说明机关联系方式的句子也不算。

    ## 为什么重要
    身份证号码、个人手机号码属于个人信息，《政府信息公开条例》规定涉及个人隐私的信息不得公开；
    年度报告误登这些信息会造成泄露，且一经发布难以收回。

    ## 反例
    ```
    申请人张某（身份证号码11010519491231002X，联系电话13912345678）申请公开……
    ```

    ## 正例
    ```
    申请人张某申请公开……
    ```
    """

    code = "SR007"
    name = "personal-information"
    summary = "公开了身份证号码或个人手机号码"
    severity = Severity.ERROR
    tags = ("source-integrity", "privacy")

    def check(self, document):
        text = document.text
        for match in _RESIDENT_ID.finditer(text):
            number = match.group("number")
            if not resident_id_is_valid(number):
                continue
            yield Finding(
                Span(match.start("number"), match.end("number")),
                f"疑似公开了公民身份号码“{_masked(number, 6, 4)}”（校验位和出生日期有效）：属于个人信息，应删除或隐去",
                place="personal-information:resident-id",
            )
        lexicon = document.lexicon("personal_information")
        for match in _MOBILE.finditer(text):
            person = _person_word_before(text, match.start(), lexicon)
            if person is None:
                continue
            number = re.sub(r"[- ]", "", match.group("number"))
            yield Finding(
                Span(match.start("number"), match.end("number")),
                f"疑似公开了个人手机号码“{_masked(number, 3, 4)}”（同句提到“{person}”）：属于个人信息，应删除或隐去",
                severity=Severity.WARNING,
                place="personal-information:mobile",
            )


def _person_word_before(text: str, start: int, lexicon: Lexicon) -> str | None:
    """The person word qualifying a number at ``start``: same sentence, not followed by a word
    that turns the number into the body's own contact."""
    window_start = max(0, start - _CONTEXT_WINDOW)
    breaks = list(_SENTENCE_BREAK.finditer(text, window_start, start))
    if breaks:
        window_start = breaks[-1].end()
    found = list(lexicon.finditer("person_words", text, window_start, start))
    if not found:
        return None
    last_person_end = found[-1][1]
    if any(True for _ in lexicon.finditer("body_contact_words", text, last_person_end, start)):
        return None
    return found[0][2].text  # the first is the most telling: 申请人 before 身份证, 女士


def _masked(number: str, head: int, tail: int) -> str:
    """The number with its middle hidden, so that the diagnostic does not spread it further."""
    return number[:head] + "*" * (len(number) - head - tail) + number[-tail:]
