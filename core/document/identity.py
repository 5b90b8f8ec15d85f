"""Whose report it is and for which year: the identity that links a body's reports across years and
sets bodies of a region side by side.

From the issuing body's name (title or sign-off) come the region and the level ("淮安市淮安区商务局" →
淮安市淮安区, 县级, 商务局); a configured path pattern (``reports/{region}/{body}/{year}.docx``) and a
mapping file override what the text says, since a repository's layout is what its owner controls.
Names are normalised so that "××市商务局" one year and "市商务局" the next are one body.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

from nianbao.data.toml import TomlError, read_toml
from nianbao.text.normalize import normalize
from nianbao.variants.bodies import kind_of_body

__all__ = [
    "LEVEL_LABELS",
    "BodyMapping",
    "IdentityError",
    "IdentitySettings",
    "ReportIdentity",
    "identify",
    "split_region",
]


@dataclass(frozen=True)
class ReportIdentity:
    body: str | None
    """The body's name without its region ("商务局"), or the whole name when no region is written."""
    region: str
    """The administrative units the name starts with ("淮安市淮安区"); empty when none is written."""
    level: str | None
    """``province``, ``city``, ``county`` or ``township`` (None: not known)."""
    kind: str | None
    """The kind of body (``bureau``, ``government`` …, ``nianbao/data/bodies.toml``)."""
    category: str | None
    """``department``, ``government`` or ``grassroots``: what decides the deadline."""
    year: int | None
    name: str | None = None
    """The name as the report writes it."""
    sources: tuple[tuple[str, str], ...] = ()
    """Where each field came from (``title``, ``path``, ``mapping``), for ``nianbao parse``."""

    @property
    def body_key(self) -> str | None:
        """What identifies the body across years: region and body, e.g. ``淮安市/商务局``."""
        return None if self.body is None else f"{self.region}/{self.body}"

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level or "", "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "body": self.body,
            "region": self.region,
            "level": self.level,
            "kind": self.kind,
            "category": self.category,
            "year": self.year,
            "name": self.name,
            "body_key": self.body_key,
        }


LEVEL_LABELS = {"province": "省级", "city": "市级", "county": "县级", "township": "乡级"}


class IdentityError(ValueError):
    """A path pattern or mapping file that cannot be used; the message is Chinese."""


@dataclass(frozen=True)
class BodyMapping:
    """One entry of a mapping file: which reports it applies to and what they are."""

    names: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    values: tuple[tuple[str, Any], ...] = ()

    def applies(self, name: str | None, path: str) -> bool:
        if name is not None and _plain(name) in self.names:
            return True
        return any(fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(path, f"*/{pattern}") for pattern in self.paths)


@dataclass(frozen=True)
class IdentitySettings:
    """The ``[identity]`` table of the configuration: a path pattern and mapping file entries."""

    path_pattern: str | None = None
    mappings: tuple[BodyMapping, ...] = ()
    root: str = "."
    """What paths are relative to when the pattern is matched (the configuration's directory)."""
    _regex: re.Pattern | None = field(default=None, compare=False, repr=False)

    @classmethod
    def create(cls, path_pattern: str | None, mapping_file: Path | None, root: Path) -> IdentitySettings:
        """Settings from the configuration's values (raises IdentityError for a bad pattern or file)."""
        regex = _pattern_regex(path_pattern) if path_pattern else None
        mappings = read_mapping_file(mapping_file) if mapping_file is not None else ()
        return cls(path_pattern, mappings, str(root), regex)

    def from_path(self, path: str) -> dict[str, str]:
        if self._regex is None:
            return {}
        relative = _relative(path, self.root)
        match = self._regex.search(relative)
        return {} if match is None else {key: value for key, value in match.groupdict().items() if value}


def identify(name: str | None, year: int | None, path: str, settings: IdentitySettings | None = None) -> ReportIdentity:
    """The identity of the report at ``path`` whose body is called ``name`` and whose year is ``year``
    (both as the report's facts give them)."""
    settings = settings or IdentitySettings()
    sources: dict[str, str] = {}
    fields: dict[str, Any] = {"year": year, "body": None, "region": "", "level": None}
    if year is not None:
        sources["year"] = "report"
    if name:
        region, body, level = split_region(name)
        fields.update(body=body, region=region, level=level)
        sources.update(body="report", region="report")
    found = settings.from_path(path)
    if "year" in found and found["year"].isdigit():
        fields["year"], sources["year"] = int(found["year"]), "path"
    for key in ("region", "body", "level"):
        if key in found:
            fields[key], sources[key] = normalize(found[key]).text.strip(), "path"
    for mapping in settings.mappings:
        if mapping.applies(name, _relative(path, settings.root)):
            for key, value in mapping.values:
                fields[key], sources[key] = value, "mapping"
    body = fields["body"]
    kind = kind_of_body(body) if body else None
    return ReportIdentity(
        body=body,
        region=fields["region"],
        level=fields["level"],
        kind=kind.key if kind else None,
        category=kind.category if kind else None,
        year=fields["year"],
        name=name,
        sources=tuple(sorted(sources.items())),
    )


def split_region(name: str) -> tuple[str, str, str | None]:
    """(region, body, level) of a body's name: "淮安市淮安区商务局" → ("淮安市淮安区", "商务局", "county");
    "××市商务局" and "市商务局" → ("", "商务局", "city")."""
    data = _regions()
    plain = _plain(name)
    for word in data.leading_words:
        if plain.startswith(word) and len(plain) > len(word):
            plain = plain[len(word) :]
            break
    region, level, position = "", None, 0
    while True:
        found = _unit_at(plain, position, data)
        if found is None:
            break
        end, unit_level = found
        rest = plain[end:]
        if unit_level == "township" and rest and not rest.startswith(data.township_bodies):
            break  # "住房和城乡建设局" is no township: a 乡/镇 is followed by its own government
        region += plain[position:end]
        level = "province" if plain[position:end] in data.provincial_cities else unit_level
        position = end
    body = plain[position:]
    if body.startswith("委") and region:
        body = region[-1] + body  # "淮安市委宣传部": the party committee of 淮安市 is 市委
    if not region and body[:1] in data.bare_levels and len(body) > 2:
        # "市商务局" (a placeholder removed, or a template's own wording): a level, no place
        level, body = data.bare_levels[body[0]], body[1:]
    return region, body or region, level


@dataclass(frozen=True)
class _Regions:
    placeholders: tuple[str, ...]
    leading_words: tuple[str, ...]
    provincial_cities: frozenset[str]
    units: tuple[tuple[re.Pattern, str], ...]
    """(pattern of one kind of unit, its level)."""
    bare_levels: dict[str, str]
    township_bodies: tuple[str, ...] = ("人民政府", "政府", "党委", "办事处", "街道办", "社区")


@lru_cache(maxsize=1)
def _regions() -> _Regions:
    data = read_toml(resources.files("nianbao.data").joinpath("regions.toml"))
    units, bare = [], {}
    name = f"[^\\W\\da-zA-Z_{re.escape(data['not_in_place_names'])}]"
    for unit in data["unit"]:
        suffixes = "|".join(re.escape(suffix) for suffix in sorted(unit["suffixes"], key=len, reverse=True))
        # A unit's name is Chinese characters only and short: a long run is a body's name, not a place.
        units.append((re.compile(f"{name}{{{unit['min_name']},8}}?(?:{suffixes})"), unit["level"]))
        for suffix in unit["suffixes"]:
            if len(suffix) == 1:
                bare.setdefault(suffix, unit["level"])
    return _Regions(
        placeholders=tuple(sorted(data["placeholders"], key=len, reverse=True)),
        leading_words=tuple(data["leading_words"]),
        provincial_cities=frozenset(data["provincial_cities"]),
        units=tuple(units),
        bare_levels=bare,
    )


def _unit_at(text: str, position: int, data: _Regions) -> tuple[int, str] | None:
    """(end, level) of the administrative unit that ends first among those starting at ``position``."""
    best: tuple[int, str] | None = None
    for pattern, level in data.units:
        found = pattern.match(text, position)
        if found is not None and (best is None or found.end() < best[0]):
            best = (found.end(), level)
    return best


def _plain(name: str) -> str:
    """The name without spaces, punctuation around it and placeholders for a place."""
    text = re.sub(r"\s+", "", normalize(name).text)
    for placeholder in _regions().placeholders:
        text = text.replace(placeholder, "")
    return text.strip("：:，,。（）()")


def _pattern_regex(pattern: str) -> re.Pattern:
    """``reports/{region}/{body}/{year}.*`` as a regex matching the end of a path."""
    parts = re.split(r"(\{[a-z]+\}|\*\*|\*)", pattern.replace("\\", "/"))
    regex = []
    for part in parts:
        if part in ("**",):
            regex.append(".*")
        elif part == "*":
            regex.append("[^/]*")
        elif part.startswith("{") and part.endswith("}"):
            key = part[1:-1]
            if key not in ("region", "body", "year", "level"):
                raise IdentityError(f"路径模式 {pattern!r} 中的 {part} 无法识别：可用 {{region}}、{{body}}、{{year}}、{{level}}")
            if f"(?P<{key}>" in "".join(regex):
                raise IdentityError(f"路径模式 {pattern!r} 中 {part} 出现了两次")
            regex.append(f"(?P<{key}>\\d{{4}})" if key == "year" else f"(?P<{key}>[^/]+?)")
        else:
            regex.append(re.escape(part))
    return re.compile("(?:^|/)" + "".join(regex) + "$")


def _relative(path: str, root: str) -> str:
    posix = PurePosixPath(Path(path).as_posix())
    try:
        return str(posix.relative_to(PurePosixPath(Path(root).resolve().as_posix())))
    except ValueError:
        return str(posix)


_MAPPING_KEYS = {"body": str, "region": str, "level": str, "year": int}


def read_mapping_file(path: Path) -> tuple[BodyMapping, ...]:
    """The ``[[report]]`` entries of a mapping file (raises IdentityError naming the file)."""
    try:
        data = read_toml(path, "对照文件")
    except TomlError as error:
        raise IdentityError(f"{path.name}：{error.problem}") from None
    entries = data.get("report", [])
    if not isinstance(entries, list):
        raise IdentityError(f"对照文件 {path.name} 的 report 应为表数组（[[report]]）")
    mappings = []
    for number, entry in enumerate(entries, 1):
        where = f"对照文件 {path.name} 第 {number} 个 [[report]]"
        if not isinstance(entry, dict):
            raise IdentityError(f"{where} 应为表")
        names = entry.get("names", [])
        paths = entry.get("paths", [])
        if not all(isinstance(item, str) for item in [*names, *paths]) or not (names or paths):
            raise IdentityError(f"{where} 应以字符串数组 names 或 paths 说明适用于哪些报告")
        values = []
        for key, value in entry.items():
            if key in ("names", "paths"):
                continue
            if key not in _MAPPING_KEYS:
                raise IdentityError(f"{where} 的 {key} 无法识别：可用 names、paths、body、region、level、year")
            if not isinstance(value, _MAPPING_KEYS[key]) or isinstance(value, bool):
                raise IdentityError(f"{where} 的 {key} 类型不对")
            if key == "level" and value not in LEVEL_LABELS:
                raise IdentityError(f"{where} 的 level 应为 {'、'.join(LEVEL_LABELS)} 之一")
            values.append((key, value))
        mappings.append(BodyMapping(tuple(_plain(name) for name in names), tuple(paths), tuple(values)))
    return tuple(mappings)
