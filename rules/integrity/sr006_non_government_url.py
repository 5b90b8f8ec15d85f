from __future__ import annotations

import re
from dataclasses import dataclass

from nianbao.api import Finding, LazyPattern, Lexicon, Option, Rule, Severity, Span

_URL = re.compile(
    r"(?<![A-Za-z0-9@._-])"
    r"(?:(?P<scheme>(?:https?:)?//)|(?=www\.))?"
    r"(?P<host>(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+(?P<tld>[A-Za-z]{2,}))"
    r"(?::\d+)?(?:/[A-Za-z0-9\-._~/?#@!$&*+=%:]*)?",
)
_EMAIL_DOMAIN = re.compile(r"[A-Za-z0-9._%+-]+@(?P<domain>(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})")
# Between a site word and its address: brackets, quotes, colons, (的)网址/地址, 为/是, spaces.
_SITE_TO_ADDRESS = LazyPattern(r"\s*(?:[(\[【:“\"「<《]|（)?\s*(?:的?(?:网址|地址|域名))?\s*(?:为|是)?\s*[:：]?\s*[“\"「<《]?")
# Between two site words of one name (本局网站网址, 政府信息公开专栏网页).
_SITE_TO_SITE = re.compile(r"的?")
# How far back the owner of a site may be named, within one clause.
_CLAUSE_BREAK = LazyPattern(r"[。；;！!？?\n，,、]")
_OWNER_WINDOW = 40


@dataclass(frozen=True)
class _Claim:
    site_word: str
    owner: str


class NonGovernmentUrl(Rule):
    """机关自己的网站给出了非政府域名的网址。

    ## 检查什么
    报告称为本机关门户网站、政府网站、官网、政府信息公开网站或专栏（或"某某局网站""本局网站网址"）的网址，
    其域名不是 gov.cn 或其下级域名，例如"某市政府门户网站(http://www.qwe8zx.com)"。网址可以带 http://、
    https://，也可以只写"//域名/"或"www.域名"；"政府信息公开专栏网址""本局网站的网址为"这样连写的名称
    按其中最明确的一个判断。

    第三方平台（微信公众号、人民网等）的网址不检查；可用选项 `extra_domains`（字符串列表）
    补充本地认可的域名（如事业单位的 org.cn 域名）。

    ## 为什么重要
    政府网站应使用以 .gov.cn 结尾的域名（《政府网站发展指引》）。机关网站的网址变成了其他域名，
    往往是文本被篡改（指向博彩、色情网站）或抄错了网址，公众会被引到不可信的网站。

    ## 反例
    ```
    本报告可在某市人民政府门户网站(http://www.qwe8zx.com)查阅。
    ```

    ## 正例
    ```
    本报告可在某市人民政府门户网站(http://www.xx.gov.cn)查阅。
    ```
    """

    code = "SR006"
    name = "non-government-url"
    summary = "机关网站网址不是政府域名"
    severity = Severity.WARNING
    options = (Option("extra_domains", list, [], "另外认可的域名（字符串列表，含其下级域名），如 \"example.org.cn\""),)
    tags = ("source-integrity",)

    @classmethod
    def resolve_options(cls, given):
        resolved = super().resolve_options(given)
        domains = resolved["extra_domains"]
        domain_shape = re.compile(r"\.?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*")
        if not all(isinstance(item, str) and domain_shape.fullmatch(item) for item in domains):
            raise ValueError(f"规则 {cls.code}：选项 extra_domains 应为域名字符串的列表，如 [\"example.org.cn\"]")
        resolved["extra_domains"] = [item.lower().lstrip(".") for item in domains]
        return resolved

    def check(self, document):
        text = document.text
        lexicon = document.lexicon("websites")
        allowed = (*lexicon.terms("government_domains"), *self.config["extra_domains"])
        tlds = {tld.lower() for tld in lexicon.terms("tlds")}
        owners = _owner_words(document, lexicon)
        official_mail = _government_mail_domain(text, allowed)
        for match in _URL.finditer(text):
            host = match.group("host").lower()
            if not (match.group("scheme") or host.startswith("www.") or match.group("tld").lower() in tlds):
                continue
            if _is_allowed(host, allowed):
                continue
            claim = _claimed_own_site(text, match.start(), lexicon, owners)
            if claim is None:
                continue
            evidence = f"；报告中的电子邮箱却使用政府域名 {official_mail}" if official_mail else ""
            yield Finding(
                Span(match.start(), match.end()),
                f"{claim.owner}{claim.site_word}的网址“{match.group()}”不是政府域名（{host}）{evidence}："
                "机关网站应使用 gov.cn 域名，网址可能被篡改或写错，请核对",
                place=f"url:{host}",
            )


def _is_allowed(host: str, allowed) -> bool:
    return any(host == domain or host.endswith("." + domain) for domain in allowed)


def _owner_words(document, lexicon: Lexicon) -> tuple[str, ...]:
    """Words that, just before a site word, make the site the body's own."""
    words = list(lexicon.terms("owner_words"))
    body = document.facts.body
    if body:
        words.append(body)
    kind = document.facts.body_kind
    if kind is not None:
        words.extend(kind.self_references)
    return tuple(sorted(set(words), key=len, reverse=True))


def _claimed_own_site(text: str, url_start: int, lexicon: Lexicon, owners: tuple[str, ...]) -> _Claim | None:
    """The site word and owner when the address right after them is given as the body's own site."""
    clause_start = url_start
    window_start = max(0, url_start - _OWNER_WINDOW)
    while clause_start > window_start and not _CLAUSE_BREAK.match(text, clause_start - 1):
        clause_start -= 1
    words = list(lexicon.finditer("site_words", text, clause_start, url_start))
    # The site words right before the address, back to the first of them: a plainer word after a
    # stronger one (政府信息公开专栏网址, 本局网站网址) names the same site.
    chain = [word for word in words if _SITE_TO_ADDRESS.fullmatch(text, word[1], url_start)][-1:]
    for word in reversed(words):
        if chain and word[1] <= chain[0][0] and _SITE_TO_SITE.fullmatch(text, word[1], chain[0][0]):
            chain.insert(0, word)
    if not chain:
        return None
    start, _, term = chain[0]
    own = any(word[2].get("own") for word in chain)
    owner_stretch = text[clause_start:start]
    if any(word in owner_stretch for word in lexicon.terms("third_party")):
        return None
    owner_stretch = owner_stretch.rstrip(" 的")
    owner = next((word for word in owners if owner_stretch.endswith(word)), None)
    if owner is None and not own:
        return None
    name = _owner_name(owner_stretch) if owner else ""
    return _Claim(term.text, name)


def _owner_name(stretch: str) -> str:
    """The body's name as written before the site word ("新余市商务局"), for the message."""
    match = re.search(r"[\u4e00-\u9fff]{1,24}$", stretch)
    name = match.group() if match else ""
    # Keep what follows the clause's last verb or conjunction ("本报告可在|某市政府").
    return re.sub(r"^.*(?:在|登录|登陆|通过|经由|访问|进入|查阅|详见|及|和|与|或)", "", name)


def _government_mail_domain(text: str, allowed) -> str | None:
    for match in _EMAIL_DOMAIN.finditer(text):
        domain = match.group("domain").lower()
        if _is_allowed(domain, allowed):
            return domain
    return None
