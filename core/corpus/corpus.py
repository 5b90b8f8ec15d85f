"""The reports a run compares: every checked report's record, and the records of earlier reports
(``--history``) that are compared with but never reported on."""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Iterator

from nianbao.document.record import ReportRecord

__all__ = ["Corpus"]


class Corpus:
    """Records grouped by body (``ReportIdentity.body_key``) and year.

    A report whose name gives no region ("市商务局") is taken for the body of the one region that has a
    body of that name in the corpus; with several such regions it stays apart, since it cannot be
    told which it is.
    """

    def __init__(self, checked: Iterable[ReportRecord], history: Iterable[ReportRecord] = ()) -> None:
        self.checked: list[ReportRecord] = list(checked)
        self.history: list[ReportRecord] = list(history)
        self._checked_paths = {record.path for record in self.checked}
        self._by_body = self._group([*self.checked, *(record for record in self.history if record.path not in self._checked_paths)])

    @property
    def records(self) -> list[ReportRecord]:
        """Every record: the checked reports first, then the earlier ones."""
        return [*self.checked, *(record for record in self.history if record.path not in self._checked_paths)]

    def is_checked(self, record: ReportRecord) -> bool:
        return record.path in self._checked_paths

    def body_key(self, record: ReportRecord) -> str | None:
        return self._keys.get(id(record), record.identity.body_key)

    def bodies(self) -> dict[str, list[ReportRecord]]:
        """Each body's records, by year (records of an unknown year are left out)."""
        return self._by_body

    def consecutive_years(self) -> Iterator[tuple[ReportRecord, ReportRecord]]:
        """(previous year's record, checked record) for every checked report whose body has a report
        of the year before; of several reports of one year, the first given is taken."""
        for records in self._by_body.values():
            by_year: dict[int, ReportRecord] = {}
            for record in records:
                by_year.setdefault(record.year, record)
            for record in records:
                previous = by_year.get(record.year - 1)
                if previous is not None and self.is_checked(record) and by_year[record.year] is record:
                    yield previous, record

    def _group(self, records: list[ReportRecord]) -> dict[str, list[ReportRecord]]:
        known = [record for record in records if record.identity.body_key is not None and record.year is not None]
        regions_of: dict[str, set[str]] = defaultdict(set)
        for record in known:
            if record.identity.region:
                regions_of[record.identity.body].add(record.identity.region)
        self._keys: dict[int, str] = {}
        grouped: dict[str, list[ReportRecord]] = defaultdict(list)
        for record in known:
            identity = record.identity
            key = identity.body_key
            if not identity.region and len(regions_of.get(identity.body, ())) == 1:
                key = f"{next(iter(regions_of[identity.body]))}/{identity.body}"
                self._keys[id(record)] = key
            grouped[key].append(record)
        return {key: sorted(group, key=lambda record: record.year) for key, group in grouped.items()}
