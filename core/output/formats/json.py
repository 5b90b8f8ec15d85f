"""``--format json``: a JSON array of diagnostics; ``--format jsonl``: one JSON object per line
(both documented in docs/usage.md)."""

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
        payload = [_record(item) for item in diagnostics]
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


class JsonLinesFormatter:
    """The objects of ``json``, one per line, written as each file is done: for long runs read by
    another program while they go on."""

    name = "jsonl"
    description = "JSON Lines：每行一个 JSON 对象，字段同 json 格式；边检查边输出"
    streams = True

    def format(self, diagnostics: Sequence[Diagnostic], context: RunContext) -> str:
        return "".join(json.dumps(_record(item), ensure_ascii=False) + "\n" for item in diagnostics)


def _record(item: Diagnostic) -> dict:
    # The fingerprint is the key baselines match findings by (rule, place, text; no line numbers).
    return {**item.to_dict(), "fingerprint": finding_key(item)}
