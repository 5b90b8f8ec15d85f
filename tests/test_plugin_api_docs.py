"""docs/plugin-api.md documents every name nianbao.api exports, names only what it exports, and the
plugin pages link to headings that exist."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import nianbao.api

ROOT = Path(__file__).resolve().parent.parent


def test_every_text_facility_of_the_api_is_documented_in_the_text_tools_section():
    source = (ROOT / "core" / "api.py").read_text("utf-8")
    group = source.split("    # text facilities\n", 1)[1].split("\n    #", 1)[0]
    names = re.findall(r'"(\w+)"', group)
    assert names and set(names) <= set(nianbao.api.__all__)
    doc = (ROOT / "docs" / "plugin-api.md").read_text("utf-8")
    section = doc.split("## 可以复用的文本工具\n", 1)[1].split("\n## ", 1)[0]
    undocumented = [name for name in names if not re.search(f"`{name}[`(]", section)]
    assert undocumented == []


def test_every_name_of_the_api_is_documented():
    doc = (ROOT / "docs" / "plugin-api.md").read_text("utf-8")
    undocumented = [name for name in nianbao.api.__all__ if not re.search(rf"`{name}\b", doc)]
    assert undocumented == []


def test_the_plugin_pages_import_only_names_the_api_exports():
    """Every ``from nianbao.api import …`` in the plugin author's pages names exported names."""
    missing = []
    for page in ("plugin-api.md", "writing-plugins.md", "hooks.md"):
        text = (ROOT / "docs" / page).read_text("utf-8")
        for names in re.findall(r"from nianbao\.api import ([\w, ]+)", text):
            missing += [f"{page}: {name}" for name in re.findall(r"\w+", names) if name not in nianbao.api.__all__]
        # Names the prose says are importable from nianbao.api, e.g. `nianbao.api.Diagnostic`.
        missing += [f"{page}: {name}" for name in re.findall(r"`nianbao\.api\.(\w+)`", text) if name not in nianbao.api.__all__]
    assert missing == []


def github_anchor(heading: str) -> str:
    """The fragment GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    kept = (char for char in heading.strip().lower() if char in " -_" or unicodedata.category(char)[0] in "LN")
    return "".join(kept).replace(" ", "-")


def test_links_between_the_docs_reach_a_heading():
    def prose(path: Path) -> str:
        return re.sub(r"^```.*?^```", "", path.read_text("utf-8"), flags=re.MULTILINE | re.DOTALL)

    pages = sorted((ROOT / "docs").rglob("*.md"))
    anchors = {page: {github_anchor(title) for title in re.findall(r"^#+\s+(.*)$", prose(page), re.MULTILINE)} for page in pages}
    broken = []
    for page in pages:
        for target, fragment in re.findall(r"\]\(([^)#\s]*)#([^)\s]+)\)", prose(page)):
            linked = (page.parent / target).resolve() if target else page
            if linked.suffix == ".md" and fragment not in anchors.get(linked, set()):
                broken.append(f"{page.relative_to(ROOT)}: {target}#{fragment}")
    assert broken == []


# Written in backticks on the page but not names of the API: Python's own, Severity's members and
# a rule code given as an example.
NOT_API_NAMES = {"Decimal", "False", "None", "ValueError", "ERROR", "WARNING", "INFO", "SRX001"}


def test_every_class_and_constant_the_page_names_can_be_imported():
    import nianbao.testing

    doc = (ROOT / "docs" / "plugin-api.md").read_text("utf-8")
    named = set(re.findall(r"`([A-Z][A-Za-z0-9_]+)`", doc)) - NOT_API_NAMES
    exported = set(nianbao.api.__all__) | set(nianbao.testing.__all__)
    assert sorted(named - exported) == []
