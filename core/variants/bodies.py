"""Kinds of issuing body (发布机关): what a body's name says about it, from ``nianbao/data/bodies.toml``.

A kind (``township``, ``bureau`` …) is recognised by the end of the body's name and belongs to a
category that decides the publication deadline (formats.md §1): ``department`` (县级以上人民政府部门),
``government`` (县级以上地方人民政府, its own report) or ``grassroots`` (乡镇、街道).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from nianbao.data.toml import read_toml

__all__ = ["BODY_CATEGORIES", "CATEGORY_LABELS", "BodyKind", "body_kinds", "kind_of_body"]

BODY_CATEGORIES = ("department", "government", "grassroots")
CATEGORY_LABELS = {"department": "县级以上人民政府部门", "government": "县级以上地方人民政府", "grassroots": "乡镇、街道"}


@dataclass(frozen=True)
class BodyKind:
    key: str
    label: str
    category: str
    self_references: tuple[str, ...]
    """How a report of this kind of body may refer to it (我局, 我办 …)."""


@lru_cache(maxsize=1)
def body_kinds() -> tuple[tuple[str, BodyKind], ...]:
    """(suffix, kind) pairs, longest suffix first, from ``nianbao/data/bodies.toml``."""
    data = read_toml(resources.files("nianbao.data").joinpath("bodies.toml"))
    pairs = []
    for entry in data["kind"]:
        kind = BodyKind(entry["key"], entry["label"], entry["category"], tuple(entry["self_references"]))
        pairs.extend((suffix, kind) for suffix in entry["suffixes"])
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def kind_of_body(name: str) -> BodyKind | None:
    """The kind of the body called ``name``, by the longest suffix that ends it."""
    for suffix, kind in body_kinds():
        if name.endswith(suffix):
            return kind
    return None
