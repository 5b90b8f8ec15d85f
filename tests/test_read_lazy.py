"""A text-only run imports no document reader: their libraries are heavy and optional."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "2021-template.md"
READER_LIBRARIES = ("docx", "lxml", "pdfplumber", "pdfminer", "pypdfium2", "rapidocr_onnxruntime", "onnxruntime")


def test_checking_a_text_report_loads_no_reader_library():
    probe = (
        "import sys\n"
        "from nianbao.cli import main\n"
        f"status = main(['check', '--isolated', '-q', {str(EXAMPLE)!r}])\n"
        f"loaded = sorted(name for name in {READER_LIBRARIES!r} if name in sys.modules)\n"
        "print(repr(loaded))\n"
    )
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert completed.stderr == ""
    assert completed.stdout.strip().splitlines()[-1] == "[]"
