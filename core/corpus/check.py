"""Running the cross-report rules (XR) once over a corpus, with each finding's file's settings:
per-file ignores, severity overrides and ``[[suppress]]`` entries apply as to any other rule."""

from __future__ import annotations

from pathlib import Path

from nianbao.config.files import Config
from nianbao.corpus.corpus import Corpus
from nianbao.document.record import RecordRequest
from nianbao.engine.diagnostic import Diagnostic, RelatedLocation
from nianbao.engine.linter import FileResult, Linter, apply_configured_suppressions
from nianbao.plugins.rule import CorpusFinding, CorpusRule, RuleInfo, Severity

__all__ = ["corpus_rules", "record_request", "run_corpus_rules"]


def corpus_rules(linter: Linter, paths: list[str]) -> list[RuleInfo]:
    """The cross-report rules enabled for at least one of ``paths`` under their configurations."""
    found = []
    for info in linter.plugins.rules:
        if not issubclass(info.rule, CorpusRule):
            continue
        if any(linter.selection(linter.config_for(path)).enabled(info.rule.code, Path(path)) for path in paths):
            found.append(info)
    return found


def record_request(rules: list[RuleInfo], cells: bool = False) -> RecordRequest | None:
    """What the records must hold for ``rules`` (every cell when ``cells``); None: no record needed."""
    if not rules and not cells:
        return None
    wanted = None if cells else frozenset().union(*(info.rule.cells for info in rules))
    return RecordRequest(cells=wanted, passages=any(info.rule.passages for info in rules))


def run_corpus_rules(linter: Linter, corpus: Corpus, rules: list[RuleInfo], config: Config) -> list[FileResult]:
    """The diagnostics of ``rules`` over ``corpus``, as one result per checked file that has any
    (options come from ``config``, the run's configuration; a crashing rule is PS900)."""
    results: dict[str, FileResult] = {}
    first = corpus.checked[0].path if corpus.checked else "."
    options = linter.selection(config)
    for info in rules:
        try:
            rule = info.rule(options.options(info.rule.code))
            findings = list(rule.check_corpus(corpus))
        except Exception as error:  # one rule's bug costs its findings, not the run's
            result = results.setdefault(first, FileResult(first))
            result.crashed_rules.append(info.rule.code)
            result.diagnostics.append(linter.crash(first, info, error))
            continue
        for finding in findings:
            diagnostic = _diagnostic(linter, info, finding)
            if diagnostic is not None:
                results.setdefault(finding.path, FileResult(finding.path)).diagnostics.append(diagnostic)
    for path, result in results.items():
        apply_configured_suppressions(linter.config_for(path), Path(path), result)
        result.diagnostics.sort(key=Diagnostic.sort_key)
    return [results[path] for path in sorted(results)]


def _diagnostic(linter: Linter, info: RuleInfo, finding: CorpusFinding) -> Diagnostic | None:
    selection = linter.selection(linter.config_for(finding.path))
    code = info.rule.code
    if not selection.enabled(code, Path(finding.path)):
        return None
    override = selection.severity_override(code)
    severity = Severity(override) if override else (finding.severity or info.rule.severity)
    return Diagnostic(
        path=finding.path,
        location=finding.location,
        code=code,
        name=info.rule.name,
        severity=severity,
        message=finding.message,
        related=tuple(RelatedLocation(item.location, item.message, item.path) for item in finding.related),
        place=finding.place,
        snippet=finding.snippet,
        plugin=info.plugin,
    )
