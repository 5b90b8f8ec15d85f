"""The report grammar (``nianbao.grammars/report.lark``) compiled, with the line lexer as its post-lexer."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from lark import Lark
from nianbao.parse.lexer import LineLexer

__all__ = ["grammar_parser", "ignored_line"]


@lru_cache(maxsize=1)
def grammar_parser() -> Lark:
    """The compiled LALR parser; Lark caches the tables on disk, so a run does not rebuild them."""
    grammar = resources.files("nianbao.grammars").joinpath("report.lark").read_text(encoding="utf-8")
    return Lark(
        grammar,
        parser="lalr",
        lexer="basic",
        postlex=LineLexer(),
        propagate_positions=True,
        maybe_placeholders=False,
        cache=True,
    )


@lru_cache(maxsize=1)
def ignored_line() -> re.Pattern[str]:
    """The grammar's COMMENT and PAGE_FOOTER patterns, for whole lines: lines that belong to no block."""
    parser = grammar_parser()
    patterns = [parser.get_terminal(name).pattern.to_regexp() for name in ("COMMENT", "PAGE_FOOTER")]
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))
