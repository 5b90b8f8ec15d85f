"""Running the rules on a file: read, parse, check, and locate every finding in the original."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path

from nianbao.config.files import Config, ConfigError, ConfigResolver, is_pyproject
from nianbao.config.options import qualified
from nianbao.config.paths import path_matches, relative_parts
from nianbao.config.profiles import apply_profile, profiles_for
from nianbao.config.selection import RuleRef, Selection
from nianbao.document.build import BuildInputs, build_document
from nianbao.document.document import Document
from nianbao.document.identity import IdentityError, IdentitySettings
from nianbao.document.profile_choice import ProfileChoice, UnknownProfileError
from nianbao.document.record import RecordRequest, ReportRecord, record_of
from nianbao.engine.diagnostic import Diagnostic, RelatedLocation
from nianbao.engine.fingerprint import finding_key
from nianbao.plugins.manager import PluginSet
from nianbao.plugins.rule import CorpusRule, Finding, Rule, RuleInfo, Severity
from nianbao.read.formats import decode_document, read_document
from nianbao.read.source import ReadError, SourceText
from nianbao.tables.templates import TemplateSet, load_templates
from nianbao.text.location import Location, Span
from nianbao.variants.profile import Profile

START_OF_FILE = Location(1, 1, 1, 1)

OCR_CONFIDENT = 0.9
"""Below this OCR confidence the text a finding rests on may be misread: the finding is at most a
warning and says so, so a misread digit does not become a confident arithmetic error."""


@dataclass
class FileResult:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    document: Document | None = None
    crashed_rules: list[str] = field(default_factory=list)
    profile: ProfileChoice | LeanProfileChoice | None = None
    """The profile that applied to the report, and why."""
    suppressed: list[Diagnostic] = field(default_factory=list)
    """Diagnostics silenced by suppression comments in the report (kept for SARIF)."""
    located_text: str | None = None
    """The text lines and columns refer to (for ``--show-source``), kept only when asked for."""
    record: ReportRecord | None = None
    """What cross-report rules and exports need of the report, when the run asked for it."""

    def lean(self, keep_source: bool = False) -> FileResult:
        """This result without the document and profile objects: what a batch keeps per file, sends
        between processes and caches, so memory does not grow with the number of reports."""
        text = self.located_text
        if keep_source and text is None and self.document is not None:
            text = self.document.source.located_text
        profile = None
        if self.profile is not None:
            profile = LeanProfileChoice(self.profile.name, self.profile.reason)
        return replace(self, document=None, profile=profile, located_text=text if keep_source else None)


@dataclass(frozen=True)
class LeanProfileChoice:
    """The name of the profile that applied and why (what ``check -v`` says), without the profile."""

    name: str
    reason: str


class Linter:
    """Checks files with the rules the plugins provide, as the configuration selects them."""

    def __init__(self, plugins: PluginSet, resolver: ConfigResolver, debug: bool = False) -> None:
        self.plugins = plugins
        self.resolver = resolver
        self.debug = debug
        self.templates: TemplateSet = load_templates(plugins.templates)
        self._inputs: dict[int, BuildInputs] = {}
        self._refs = [RuleRef(info.rule.code, info.rule.name) for info in plugins.rules]
        self._selections: dict[tuple[int, str | None], Selection] = {}
        self._by_code = {info.rule.code: info for info in plugins.rules}
        self._identities: dict[int, IdentitySettings] = {}

    def selection(self, config: Config, profile: Profile | None = None) -> Selection:
        """Configuration (with ``profile``'s rule settings laid under it) checked against the
        known rules (raises ConfigError), cached per configuration and profile."""
        key = (id(config), profile.name if profile is not None else None)
        if key not in self._selections:
            effective = apply_profile(config, profile, self._refs) if profile is not None else config
            selection = Selection(effective, self._refs)
            # Check every rule's options now, so a bad value is a configuration error, not a crash.
            for info in self.plugins.rules:
                try:
                    info.rule.resolve_options(selection.options(info.rule.code))
                except ValueError as error:
                    raise self._option_error(config, profile, info.rule, error) from None
            self._selections[key] = selection
        return self._selections[key]

    def _option_error(
        self, config: Config, profile: Profile | None, rule: type[Rule], error: ValueError
    ) -> ConfigError:
        """The configuration error for a rule's bad settings. When the user's own settings pass and
        the fault is in one of the configuration's ``profile-files``, it names that file."""
        from_file = profile is not None and config.profiles.get(profile.name) is profile
        if from_file and (rule.code in profile.rules or rule.name in profile.rules):
            try:
                rule.resolve_options(Selection(config, self._refs).options(rule.code))
            except ValueError as own:
                error = own  # the user's own settings are wrong already: that is the message
            else:
                key = qualified("profile-files", is_pyproject(config.path))
                message = (
                    f"'{key}' 中的配置档 {profile.name}（{profile.origin}）对规则 {rule.code} 的设置无效："
                    f"{_rule_message(rule, error)}"
                )
                return ConfigError(message, path=config.path, key=key)
        return ConfigError(_rule_message(rule, error), path=config.path, key=f"rules.{rule.code}")

    def config_for(self, path: str) -> Config:
        return self.resolver.for_path(Path(path))

    def lint_path(self, path: str, record: RecordRequest | None = None) -> FileResult:
        config = self.config_for(path)
        try:
            source = read_document(path)
        except ReadError as error:
            return self.unreadable(path, error)
        return self.lint_source(source, config, record)

    def lint_bytes(self, data: bytes, display_path: str, record: RecordRequest | None = None) -> FileResult:
        config = self.config_for(display_path)
        try:
            source = decode_document(data, display_path)
        except ReadError as error:
            return self.unreadable(display_path, error)
        return self.lint_source(source, config, record)

    def identity_settings(self, config: Config) -> IdentitySettings:
        """The ``[identity]`` settings of ``config``, checked once (raises ConfigError)."""
        key = id(config)
        if key not in self._identities:
            mapping = config.identity_mapping
            try:
                self._identities[key] = IdentitySettings.create(config.identity_pattern, mapping, config.root)
            except IdentityError as error:
                where = "identity.mapping" if mapping is not None and "路径模式" not in str(error) else "identity.path-pattern"
                key = qualified(where, is_pyproject(config.path))
                raise ConfigError(f"'{key}'：{error}", path=config.path, key=key) from None
        return self._identities[key]

    def record(self, document: Document, request: RecordRequest) -> ReportRecord:
        """The record of ``document`` (raises ConfigError for a bad ``[identity]`` setting)."""
        return record_of(document, self.identity_settings(self.config_for(document.path)), request)

    def inputs(self, config: Config) -> BuildInputs:
        """What building a document under ``config`` takes besides the file, kept per configuration
        (raises ConfigError for a bad ``profile-files`` entry)."""
        key = id(config)
        if key not in self._inputs:
            profiles = profiles_for(config, self.plugins.profiles)
            self._inputs[key] = BuildInputs(self.templates, self.plugins.lexicons, profiles, config.profile, config.path)
        return self._inputs[key]

    def parse(self, source: SourceText, config: Config | None = None) -> Document:
        """The complete document of ``source`` (raises ConfigError for an unknown profile name)."""
        config = config if config is not None else self.config_for(source.path)
        try:
            return build_document(source, self.inputs(config))
        except UnknownProfileError as error:
            raise ConfigError(str(error), path=config.path, key="profile") from None

    def lint_source(self, source: SourceText, config: Config, record: RecordRequest | None = None) -> FileResult:
        result = FileResult(source.path)
        path = Path(source.path)
        try:
            document = self.parse(source, config)
        except ConfigError:
            raise
        except Exception as error:  # a bug of ours must not take the run down: report it, exit 2
            result.crashed_rules.append("parser")
            result.diagnostics.append(self._internal(source.path, error))
            return result
        result.document = document
        result.profile = document.profile_choice
        selection = self.selection(config, document.profile)
        ran: list[str] = []
        for info in self.plugins.rules:
            rule_class = info.rule
            if not selection.enabled(rule_class.code, path) or not rule_class.applies_to(document.era):
                continue
            if issubclass(rule_class, CorpusRule):
                continue  # runs once over the whole corpus, after every file (nianbao.corpus)
            try:
                rule = rule_class(selection.options(rule_class.code))
                findings = list(rule.check(document))
            except Exception as error:
                result.crashed_rules.append(rule_class.code)
                if selection.enabled("PS900", path):
                    result.diagnostics.append(self.crash(source.path, info, error))
                continue
            ran.append(rule_class.code)
            override = selection.severity_override(rule_class.code)
            for finding in findings:
                diagnostic = self._diagnostic(document, info, finding, override)
                if diagnostic is not None:
                    result.diagnostics.append(diagnostic)
        self._apply_suppressions(document, result, selection, ran)
        apply_configured_suppressions(config, path, result)
        result.diagnostics.sort(key=Diagnostic.sort_key)
        if record is not None:
            settings = self.identity_settings(config)
            try:
                result.record = record_of(document, settings, record)
            except Exception as error:  # the report's findings stand; only its comparison is lost
                result.crashed_rules.append("record")
                result.diagnostics.append(self._internal(source.path, error))
        return result

    def _apply_suppressions(self, document: Document, result: FileResult, selection: Selection, ran: list[str]) -> None:
        """Honour the report's suppression comments; malformed or unused ones are reported as PS004."""
        if "<!--" not in document.source.text:
            return  # no comment, so no suppression: nothing to apply or report
        from nianbao.engine.suppressions import SUPPRESSION_CODE, apply_suppressions

        outcome = apply_suppressions(document, result.diagnostics, self._refs, ran)
        result.diagnostics = outcome.kept
        result.suppressed = outcome.suppressed
        info = self._by_code.get(SUPPRESSION_CODE)
        if info is None or not selection.enabled(SUPPRESSION_CODE, Path(document.path)):
            return
        override = selection.severity_override(SUPPRESSION_CODE)
        for finding in outcome.findings:
            diagnostic = self._diagnostic(document, info, finding, override)
            if diagnostic is None:
                continue
            (result.suppressed if outcome.suppresses(diagnostic) else result.diagnostics).append(diagnostic)

    # --- building diagnostics --------------------------------------------------------

    def _diagnostic(self, document: Document, info: RuleInfo, finding: Finding, override: str | None):
        if override == "off":
            return None
        rule: type[Rule] = info.rule
        severity = Severity(override) if override else (finding.severity or rule.severity)
        span = _clamp(finding.span, len(document.text))
        location = document.locate(span)
        related = tuple(
            RelatedLocation(document.locate(_clamp(item.span, len(document.text))), item.message)
            for item in finding.related
        )
        message = finding.message
        confidence = _lowest_confidence([location, *(item.location for item in related)])
        if confidence is not None and confidence < OCR_CONFIDENT:
            if severity.rank > Severity.WARNING.rank:
                severity = Severity.WARNING
            message += f"（所依据的文字由扫描件识别，置信度 {confidence:.0%}，请对照原件核实）"
        return Diagnostic(
            path=document.path,
            location=location,
            code=rule.code,
            name=rule.name,
            severity=severity,
            message=message,
            related=related,
            place=finding.place,
            snippet=document.text_at(span),
            plugin=info.plugin,
        )

    def unreadable(self, path: str, error: ReadError) -> FileResult:
        """The result for a file that could not be read: PS001 (when enabled) at its start."""
        return self._file_finding(path, "PS001", "unreadable-file", str(error), f"file:{error.reason}")

    def out_of_time(self, path: str, seconds: float) -> FileResult:
        """The result for a file whose check ran past the per-file time limit: PS006."""
        message = (
            f"检查此文件用时超过 {seconds:g} 秒，已停止（其余文件照常检查）：文件可能过大或是页数很多的扫描件；"
            "可用 --time-limit 提高上限"
        )
        return self._file_finding(path, "PS006", "check-time-limit", message, "file:time-limit")

    def worker_lost(self, path: str, detail: str) -> FileResult:
        """The result for a file whose worker process died (killed, out of memory, a crash in a
        library): PS900, and the run exits 2, since the file was not checked."""
        message = f"检查此文件的工作进程意外退出（{detail}），此文件未被检查；其余文件照常检查"
        result = FileResult(path, crashed_rules=["worker"])
        result.diagnostics.append(Diagnostic(path, START_OF_FILE, "PS900", "rule-crashed", Severity.ERROR, message, place="crash:worker"))
        return result

    def _file_finding(self, path: str, code: str, name: str, message: str, place: str) -> FileResult:
        result = FileResult(path)
        selection = self.selection(self.config_for(path))
        if selection.enabled(code, Path(path)):
            info = self._by_code.get(code)
            result.diagnostics.append(
                Diagnostic(
                    path=path,
                    location=START_OF_FILE,
                    code=code,
                    name=info.rule.name if info else name,
                    severity=_severity(selection, code, Severity.ERROR),
                    message=message,
                    place=place,
                )
            )
        return result

    def crash(self, path: str, info: RuleInfo, error: Exception) -> Diagnostic:
        rule = info.rule
        where = "" if info.plugin in ("nianbao.rules", "nianbao.builtin") else f"（插件 {info.plugin}）"
        message = f"规则 {rule.code}（{rule.name}）{where}出错：{type(error).__name__}: {error}"
        if self.debug:
            message += "\n" + "".join(traceback.format_exception(error))
        return Diagnostic(
            path=path,
            location=START_OF_FILE,
            code="PS900",
            name="rule-crashed",
            severity=Severity.ERROR,
            message=message,
            place=f"crash:{rule.code}",
            plugin=info.plugin,
        )

    def _internal(self, path: str, error: Exception) -> Diagnostic:
        message = f"nianbao 解析报告时出错（内部错误，请报告此问题）：{type(error).__name__}: {error}"
        if self.debug:
            message += "\n" + "".join(traceback.format_exception(error))
        return Diagnostic(path, START_OF_FILE, "PS900", "rule-crashed", Severity.ERROR, message, place="crash:parser")


def apply_configured_suppressions(config: Config, path: Path, result: FileResult) -> None:
    """Silence the findings that a ``[[suppress]]`` entry for this file names by fingerprint."""
    if not config.suppressions:
        return
    parts, absolute = relative_parts(config, path)
    reasons = {
        fingerprint: reason for pattern, fingerprint, reason in config.suppressions if path_matches(pattern, parts, absolute)
    }
    if not reasons:
        return
    kept = []
    for diagnostic in result.diagnostics:
        key = finding_key(diagnostic)
        if key in reasons:
            result.suppressed.append(replace(diagnostic, suppressed_by_config=reasons[key]))
        else:
            kept.append(diagnostic)
    result.diagnostics = kept


def _severity(selection: Selection, code: str, default: Severity) -> Severity:
    override = selection.severity_override(code)
    return Severity(override) if override and override != "off" else default


def _lowest_confidence(locations: list[Location]) -> float | None:
    found = [item.place.confidence for item in locations if item.place is not None and item.place.confidence is not None]
    return min(found) if found else None


def _clamp(span: Span, length: int) -> Span:
    start = min(max(span.start, 0), length)
    return Span(start, min(max(span.end, start), length))


def _rule_message(rule: type[Rule], error: ValueError) -> str:
    """``error``'s message, starting with the rule's code (a rule's own check may not say which rule)."""
    message = str(error)
    return message if message.startswith(f"规则 {rule.code}") else f"规则 {rule.code}：{message}"
