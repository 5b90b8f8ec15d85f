"""``--format json``: a JSON array of diagnostics (documented in docs/usage.md)."""

from __future__ import annotations

import json
from typing import Sequence

from nianbao.diagnostic import Diagnostic
from nianbao.formats import RunContext


class JsonFormatter:
    name = "json"
    description = "JSON 数组：path、line、column、end_line、end_column、code、name、severity、message、related"

    def format(self, diagnostics: Sequence[Diagnostic], context: RunContext) -> str:
        return json.dumps([item.to_dict() for item in diagnostics], ensure_ascii=False, indent=2) + "\n"
