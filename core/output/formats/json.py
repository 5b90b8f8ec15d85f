"""``--format json``: a JSON array of diagnostics (documented in docs/usage.md)."""

from __future__ import annotations

import json
from typing import Sequence

from nianbao.engine.diagnostic import Diagnostic
from nianbao.engine.fingerprint import finding_key
from nianbao.output.formats import RunContext


class JsonFormatter:
    name = "json"
    description = "JSON 数组：path、line、column、end_line、end_column、code、name、severity、message、related、fingerprint"

    def format(self, diagnostics: Sequence[Diagnostic], context: RunContext) -> str:
        # The fingerprint is the key baselines match findings by (rule, place, text; no line numbers).
        payload = [{**item.to_dict(), "fingerprint": finding_key(item)} for item in diagnostics]
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
