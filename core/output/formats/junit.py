"""``--format junit``: JUnit XML, for CI systems that show test reports.

One ``testsuite`` per checked file and a ``testcase`` per diagnostic, or one passing testcase for a
file without any, so every file shows up in the report. A diagnostic fails its testcase only at or
above ``fail-on`` (what fails the run); one below it passes, its line kept in ``system-out``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from typing import Sequence

from nianbao.engine.diagnostic import Diagnostic
from nianbao.output.formats import RunContext
from nianbao.output.formats.text import format_line
from nianbao.plugins.rule import Severity

# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CLEAN_CASE_NAME = "nianbao"


class JunitFormatter:
    name = "junit"
    description = "JUnit XML：每个文件一个 testsuite，每条问题一个 testcase（达到 fail-on 级别的为失败）"

    def format(self, diagnostics: Sequence[Diagnostic], context: RunContext) -> str:
        by_path: dict[str, list[Diagnostic]] = defaultdict(list)
        for item in diagnostics:
            by_path[item.path].append(item)
        paths = list(dict.fromkeys([*context.files, *by_path]))
        threshold = Severity(context.fail_on).rank

        def fails(item: Diagnostic) -> bool:
            return item.severity.rank >= threshold

        suites = ElementTree.Element(
            "testsuites",
            name="nianbao",
            tests=str(sum(max(len(by_path[path]), 1) for path in paths)),
            failures=str(sum(map(fails, diagnostics))),
            errors="0",
        )
        for path in paths:
            found = by_path[path]
            suite = ElementTree.SubElement(
                suites,
                "testsuite",
                name=_xml_text(path),
                tests=str(max(len(found), 1)),
                failures=str(sum(map(fails, found))),
                errors="0",
                skipped="0",
            )
            if not found:
                ElementTree.SubElement(suite, "testcase", name=CLEAN_CASE_NAME, classname=_xml_text(path))
            for item in found:
                case = ElementTree.SubElement(
                    suite,
                    "testcase",
                    name=_xml_text(f"{item.code} {item.name} {item.line}:{item.column}"),
                    classname=_xml_text(path),
                    file=_xml_text(path),
                    line=str(item.line),
                )
                if not fails(item):
                    ElementTree.SubElement(case, "system-out").text = _xml_text(format_line(item))
                    continue
                failure = ElementTree.SubElement(
                    case, "failure", message=_xml_text(item.message_with_place), type=f"{item.code} ({item.severity.value})"
                )
                failure.text = _xml_text(format_line(item))
        ElementTree.indent(suites)
        body = ElementTree.tostring(suites, encoding="unicode")
        return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
