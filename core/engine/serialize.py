"""A file's lean result as JSON-shaped data and back, exactly: what the result cache stores.

JSON rather than pickle, because a cache directory someone else can write must not be able to run
code. Reading checks every type, so a damaged or forged entry is a ValueError (a cache
miss), never a wrong value that fails later in an output format.
"""

from __future__ import annotations

import datetime
from typing import Any

from nianbao.document.identity import ReportIdentity
from nianbao.document.record import CellRecord, Passages, ReportRecord
from nianbao.engine.diagnostic import Diagnostic, RelatedLocation
from nianbao.engine.linter import FileResult, LeanProfileChoice
from nianbao.plugins.rule import Severity
from nianbao.text.location import Location, Place

__all__ = ["result_from_json", "result_to_json"]

_PLACE_NUMBERS = ("page", "page_line", "paragraph", "table", "row", "column")


def result_to_json(result: FileResult) -> dict[str, Any]:
    """``result`` without its document (a full profile choice keeps only its name and reason)."""
    profile = result.profile
    return {
        "path": result.path,
        "diagnostics": [_diagnostic_to_json(item) for item in result.diagnostics],
        "crashed_rules": list(result.crashed_rules),
        "profile": None if profile is None else {"name": profile.name, "reason": profile.reason},
        "suppressed": [_diagnostic_to_json(item) for item in result.suppressed],
        "located_text": result.located_text,
        "record": None if result.record is None else _record_to_json(result.record),
    }


def result_from_json(data: Any) -> FileResult:
    """The result :func:`result_to_json` gave ``data`` for; raises ValueError for anything else."""
    try:
        return _result_from_json(data)
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"not a stored result: {error!r}") from None


def _result_from_json(data: Any) -> FileResult:
    data = _object(data)
    profile = data["profile"]
    if profile is not None:
        profile = _object(profile)
        profile = LeanProfileChoice(_str(profile["name"]), _str(profile["reason"]))
    text = data["located_text"]
    record = data["record"]
    return FileResult(
        path=_str(data["path"]),
        diagnostics=[_diagnostic_from_json(item) for item in _list(data["diagnostics"])],
        crashed_rules=[_str(item) for item in _list(data["crashed_rules"])],
        profile=profile,
        suppressed=[_diagnostic_from_json(item) for item in _list(data["suppressed"])],
        located_text=None if text is None else _str(text),
        record=None if record is None else _record_from_json(record),
    )


def _diagnostic_to_json(diagnostic: Diagnostic) -> dict[str, Any]:
    return {
        "path": diagnostic.path,
        "location": _location_to_json(diagnostic.location),
        "code": diagnostic.code,
        "name": diagnostic.name,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
        "related": [[_location_to_json(item.location), item.message] for item in diagnostic.related],
        "place": diagnostic.place,
        "snippet": diagnostic.snippet,
        "plugin": diagnostic.plugin,
        "suppressed_by_config": diagnostic.suppressed_by_config,
    }


def _diagnostic_from_json(data: Any) -> Diagnostic:
    data = _object(data)
    related = []
    for item in _list(data["related"]):
        location, message = _list(item, length=2)
        related.append(RelatedLocation(_location_from_json(location), _str(message)))
    reason = data["suppressed_by_config"]
    return Diagnostic(
        path=_str(data["path"]),
        location=_location_from_json(data["location"]),
        code=_str(data["code"]),
        name=_str(data["name"]),
        severity=Severity(_str(data["severity"])),
        message=_str(data["message"]),
        related=tuple(related),
        place=_str(data["place"]),
        snippet=_str(data["snippet"]),
        plugin=_str(data["plugin"]),
        suppressed_by_config=None if reason is None else _str(reason),
    )


def _record_to_json(record: ReportRecord) -> dict[str, Any]:
    identity = record.identity
    return {
        "path": record.path,
        "identity": [identity.body, identity.region, identity.level, identity.kind, identity.category, identity.year, identity.name, [list(item) for item in identity.sources]],
        "era": record.era,
        "publication": None if record.publication_date is None else record.publication_date.isoformat(),
        "publication_location": None if record.publication_location is None else _location_to_json(record.publication_location),
        "deadline": None if record.deadline is None else record.deadline.isoformat(),
        "deadline_reason": record.deadline_reason,
        "cells": [
            [cell.table, cell.row, cell.column, cell.label, cell.text, cell.kind, cell.value, cell.unit, _location_to_json(cell.location)]
            for cell in record.cells
        ],
        "passages": record.passages.to_json(),
    }


def _record_from_json(data: Any) -> ReportRecord:
    data = _object(data)
    body, region, level, kind, category, year, name, sources = _list(data["identity"], length=8)
    identity = ReportIdentity(
        body=_optional(body, _str),
        region=_str(region),
        level=_optional(level, _str),
        kind=_optional(kind, _str),
        category=_optional(category, _str),
        year=_optional(year, _int),
        name=_optional(name, _str),
        sources=tuple((_str(key), _str(value)) for key, value in (_list(item, length=2) for item in _list(sources))),
    )
    cells = []
    for item in _list(data["cells"]):
        table, row, column, label, text, kind, value, unit, location = _list(item, length=9)
        cells.append(
            CellRecord(
                _str(table), _optional(row, _str), _optional(column, _str), _str(label), _str(text), _str(kind),
                _optional(value, _str), _optional(unit, _str), _location_from_json(location),
            )
        )
    publication = data["publication_location"]
    return ReportRecord(
        path=_str(data["path"]),
        identity=identity,
        era=_optional(data["era"], _str),
        publication_date=_optional(data["publication"], _date),
        publication_location=None if publication is None else _location_from_json(publication),
        deadline=_optional(data["deadline"], _date),
        deadline_reason=_str(data["deadline_reason"]),
        cells=tuple(cells),
        passages=Passages.from_json(_object(data["passages"])),
    )


def _date(value: Any) -> datetime.date:
    return datetime.date.fromisoformat(_str(value))


def _optional(value: Any, read):
    return None if value is None else read(value)


def _location_to_json(location: Location) -> list[Any]:
    place = None if location.place is None else location.place.to_dict()  # the fields that apply
    if place is not None and "box" in place:
        place["box"] = list(place["box"])
    return [location.line, location.column, location.end_line, location.end_column, place]


def _location_from_json(data: Any) -> Location:
    line, column, end_line, end_column, place = _list(data, length=5)
    return Location(_int(line), _int(column), _int(end_line), _int(end_column), _place_from_json(place))


def _place_from_json(data: Any) -> Place | None:
    if data is None:
        return None
    data = _object(data)
    unknown = set(data) - {*_PLACE_NUMBERS, "box", "confidence"}
    if unknown:
        raise ValueError(f"unknown place fields {sorted(unknown)}")
    numbers = {name: _int(data[name]) for name in _PLACE_NUMBERS if name in data}
    box = tuple(_number(value) for value in _list(data["box"], length=4)) if "box" in data else None
    confidence = _number(data["confidence"]) if "confidence" in data else None
    return Place(**numbers, box=box, confidence=confidence)


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError("expected an object")
    return value


def _list(value: Any, length: int | None = None) -> list[Any]:
    if not isinstance(value, list) or (length is not None and len(value) != length):
        raise ValueError("expected a list" + ("" if length is None else f" of {length}"))
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("expected an integer")
    return value


def _number(value: Any) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise TypeError("expected a number")
    return value
