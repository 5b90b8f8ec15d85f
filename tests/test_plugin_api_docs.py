"""docs/plugin-api.md documents every text facility nianbao.api exports."""

from __future__ import annotations

import re
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
