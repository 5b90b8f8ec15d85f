"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run. Built-in rules are described under ``tool.driver``, rules from plugins under
``tool.extensions`` (one component per plugin). Paths are relative to the repository root
(``%SRCROOT%``); columns count Unicode code points, as nianbao's do. Each result carries a
fingerprint made of the rule, the structural place and the normalised text at fault (see
:mod:`nianbao.engine.fingerprint`), never the line number.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Sequence

from nianbao.engine.diagnostic import Diagnostic
from nianbao.engine.fingerprint import FINGERPRINT_NAME, occurrence_keys
from nianbao.output.formats import RunContext
from nianbao.output.formats.paths import (
    absolute_uri,
    relative_to_root,
    repository_root,
    uri_reference,
)
from nianbao.plugins.rule import RuleInfo, Severity
from nianbao.text.location import Location

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SOURCE_ROOT = "%SRCROOT%"
BUILTIN_PLUGINS = frozenset({"nianbao.rules", "nianbao.builtin"})
DEFAULT_HOMEPAGE = "https://github.com/nianbao/nianbao"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
CHECKS_HEADING = "## 检查什么"


class SarifFormatter:
    name = "sarif"
    description = "SARIF 2.1.0（GitHub 代码扫描等）"

    def format(self, diagnostics: Sequence[Diagnostic], context: RunContext) -> str:
        return json.dumps(build_sarif(diagnostics, context), ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class _RuleSlot:
    """Where a rule is described: the component (None = driver) and its index there."""

    component: int | None
    index: int


def build_sarif(diagnostics: Sequence[Diagnostic], context: RunContext) -> dict:
    """The SARIF log as a JSON-ready dict."""
    homepage = project_homepage()
    driver = {
        "name": "nianbao",
        "fullName": "nianbao 政府信息公开工作年度报告检查工具",
        "version": context.tool_version,
        "semanticVersion": context.tool_version,
        "informationUri": homepage,
        "rules": [],
    }
    extensions: list[dict] = []
    slots: dict[str, _RuleSlot] = {}
    for info in context.rules:
        if info.plugin in BUILTIN_PLUGINS:
            slots[info.rule.code] = _RuleSlot(None, len(driver["rules"]))
            driver["rules"].append(rule_descriptor(info, homepage))
            continue
        component = next((index for index, item in enumerate(extensions) if item["name"] == info.plugin), None)
        if component is None:
            component = len(extensions)
            extensions.append({"name": info.plugin, "rules": []})
        slots[info.rule.code] = _RuleSlot(component, len(extensions[component]["rules"]))
        extensions[component]["rules"].append(rule_descriptor(info, None))
    if not driver["version"]:
        del driver["version"], driver["semanticVersion"]

    root = repository_root(context.root)
    artifacts = _Artifacts(root, context.root)
    for path in context.files:
        artifacts.index(path)

    states = {}
    if context.baseline_used:
        states.update({id(item): "new" for item in diagnostics})
        states.update({id(item): "unchanged" for item in context.unchanged})
    suppressed = {id(item) for item in context.suppressed}
    everything = sorted(
        [*diagnostics, *context.unchanged, *context.suppressed], key=lambda item: item.sort_key()
    )
    fingerprints = occurrence_keys(everything)
    results = []
    for item, fingerprint in zip(everything, fingerprints):
        result = _result(item, slots.get(item.code), artifacts)
        result["partialFingerprints"] = {FINGERPRINT_NAME: fingerprint}
        if context.baseline_used:
            result["baselineState"] = states.get(id(item), "new")
        if item.suppressed_by_config is not None:
            result["suppressions"] = [{"kind": "external", "justification": item.suppressed_by_config or "配置文件中的 [[suppress]]"}]
        elif id(item) in suppressed:
            result["suppressions"] = [{"kind": "inSource"}]
        results.append(result)

    tool: dict = {"driver": driver}
    if extensions:
        tool["extensions"] = extensions
    invocation: dict = {"executionSuccessful": context.execution_successful}
    if context.notifications:
        invocation["toolExecutionNotifications"] = [
            {"level": "warning", "message": {"text": text}} for text in context.notifications
        ]
    run = {
        "tool": tool,
        "invocations": [invocation],
        "originalUriBaseIds": {SOURCE_ROOT: {"uri": root.as_uri().rstrip("/") + "/"}},
        "artifacts": artifacts.entries,
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def rule_descriptor(info: RuleInfo, homepage: str | None) -> dict:
    """A ``reportingDescriptor``: metadata and help straight from the rule class."""
    rule = info.rule
    doc = rule.doc()
    descriptor = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": full_description(doc, rule.summary)},
        "help": {"text": markdown_to_text(doc), "markdown": doc},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": sorted(set(rule.tags))},
    }
    if homepage is not None:
        descriptor["helpUri"] = f"{homepage}/blob/main/docs/rules/{rule.code}.md"
    return descriptor


def full_description(doc: str, summary: str) -> str:
    """The doc's first line and its "检查什么" section as plain text."""
    first_line = doc.strip().splitlines()[0].strip() if doc.strip() else summary
    checks = doc_section(doc, CHECKS_HEADING)
    return f"{first_line}\n{markdown_to_text(checks)}".strip() if checks else first_line


def doc_section(doc: str, heading: str) -> str:
    """The text under ``heading`` up to the next heading of the same level."""
    lines = doc.splitlines()
    try:
        start = next(index for index, line in enumerate(lines) if line.strip() == heading)
    except StopIteration:
        return ""
    section = []
    for line in lines[start + 1 :]:
        if line.startswith("## "):
            break
        section.append(line)
    return "\n".join(section).strip()


_FENCE = re.compile(r"^\s*```")
_HEADING = re.compile(r"^#{1,6}\s+")


def markdown_to_text(markdown: str) -> str:
    """Markdown without its markup signs, for viewers that show plain text."""
    lines = []
    for line in markdown.splitlines():
        if _FENCE.match(line):
            continue
        line = _HEADING.sub("", line)
        lines.append(line.replace("`", ""))
    return "\n".join(lines).strip()


def project_homepage() -> str:
    """The project's home page from the installed distribution's metadata."""
    from importlib import metadata

    try:
        urls = metadata.metadata("nianbao").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return DEFAULT_HOMEPAGE
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "homepage" and url.strip():
            return url.strip().rstrip("/")
    return DEFAULT_HOMEPAGE


class _Artifacts:
    """The run's ``artifacts`` array and each file's ``artifactLocation``."""

    def __init__(self, root, cwd: str) -> None:
        self.root = root
        self.cwd = cwd
        self.entries: list[dict] = []
        self._by_path: dict[str, int] = {}

    def index(self, path: str) -> int:
        if path not in self._by_path:
            self._by_path[path] = len(self.entries)
            self.entries.append(
                {"location": self._uri(path), "roles": ["analysisTarget"], "mimeType": _mime_type(path)}
            )
        return self._by_path[path]

    def location(self, path: str) -> dict:
        return {**self._uri(path), "index": self.index(path)}

    def _uri(self, path: str) -> dict:
        relative = relative_to_root(path, self.root, self.cwd)
        if relative is None:
            return {"uri": absolute_uri(path, self.cwd)}
        return {"uri": uri_reference(relative), "uriBaseId": SOURCE_ROOT}


_MIME_TYPES = {
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".shtml": "text/html",
    ".xhtml": "application/xhtml+xml",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".ofd": "application/ofd",
}


def _mime_type(path: str) -> str:
    return _MIME_TYPES.get(PurePath(path).suffix.lower(), "text/plain")


def _location(item_path: str, location: Location, artifacts: _Artifacts) -> dict:
    """A SARIF location. In a DOCX or PDF the region's lines count in the extracted text (as
    ``nianbao extract`` shows it) and the place in the original (page, paragraph, table cell, box)
    is given as a logical location and in the location's properties."""
    result: dict = {
        "physicalLocation": {"artifactLocation": artifacts.location(item_path), "region": _region(location)}
    }
    place = location.place
    if place is not None:
        description = place.describe()
        if description:
            result["logicalLocations"] = [{"name": description, "kind": "element"}]
        result["properties"] = {"nianbao/original": place.to_dict()}
    return result


def _region(location: Location) -> dict:
    return {
        "startLine": location.line,
        "startColumn": location.column,
        "endLine": location.end_line,
        "endColumn": location.end_column,
    }


def _result(item: Diagnostic, slot: _RuleSlot | None, artifacts: _Artifacts) -> dict:
    result: dict = {"ruleId": item.code}
    if slot is not None:
        result["ruleIndex"] = slot.index
        if slot.component is not None:
            result["rule"] = {"id": item.code, "index": slot.index, "toolComponent": {"index": slot.component}}
    result["level"] = LEVELS[item.severity]
    # Viewers of a DOCX or PDF alert cannot show the file: the message says where to look.
    result["message"] = {"text": item.message_with_place}
    result["locations"] = [_location(item.path, item.location, artifacts)]
    if item.related:
        result["relatedLocations"] = [
            {"id": number, **_location(related.path or item.path, related.location, artifacts), "message": {"text": related.message}}
            for number, related in enumerate(item.related, 1)
        ]
    return result
