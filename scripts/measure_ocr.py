"""Measure OCR engines on the scanned test pages against the original PDF's text layer.

The scanned PDFs in tests/data/documents/ are image-only renderings of pages of
huaian-2024.pdf (scripts/make_scanned_pdf.py), so the original's text layer is the truth for
each page. For every engine configuration this prints, per page:

- seconds of recognition (the page image rendered beforehand; model loading reported apart),
- peak resident memory of the process doing the recognition (a fresh process per
  configuration, read with wait4, so one engine's memory does not hide in another's),
- character accuracy: 1 - edit distance / length of the truth, both texts NFKC-normalised
  with all white space removed (full-width and half-width punctuation count as equal, as
  nianbao's text stage makes them),
- the same accuracy on the digits alone, and the share of the page's numbers (runs of
  digits, decimals kept, item labels such as "1." left out) found in the recognised text,
  regardless of order,
- for ``module`` (nianbao.read.ocr.recognize_page), how far each recognised character's box
  lies from the original character's box (centre distance in points, median and 95th
  percentile), over the characters the alignment pairs.

Usage: python3 scripts/measure_ocr.py [--dpi 200] [--only rapidocr tesseract-psm6 module ...]
Nothing here asserts a figure; machine load changes the seconds.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ROOT / "tests" / "data" / "documents"
ORIGINAL = DOCUMENTS / "huaian-2024.pdf"
# (scanned file, its 0-based page, the original's 1-based page)
PAGES = [
    ("scanned-huaian-2024-p1.pdf", 0, 1),
    ("scanned-huaian-2024-p4-5.pdf", 0, 4),
    ("scanned-huaian-2024-p4-5.pdf", 1, 5),
]
CONFIGURATIONS = {
    "rapidocr-default": {"engine": "rapidocr", "options": {}},
    # No downscaling before detection (the default shrinks an A4 page at 200 dpi to 2000 px
    # and loses small table digits); no per-line angle classifier (it turned a justified
    # prose line of page 1 upside down).
    "rapidocr-full-size": {"engine": "rapidocr", "options": {"max_side_len": 4000, "use_cls": False}},
    # As nianbao.read.ocr runs it: lower detection thresholds besides, or lone "1"s in table
    # cells are missed.
    "rapidocr": {"engine": "rapidocr", "options": {"max_side_len": 4000, "use_cls": False, "det_thresh": 0.2},
                 "call": {"box_thresh": 0.3}},
    "tesseract-psm3": {"engine": "tesseract", "psm": 3},
    "tesseract-psm4": {"engine": "tesseract", "psm": 4},
    "tesseract-psm6": {"engine": "tesseract", "psm": 6},
    "module": {"engine": "module"},
}
# A number: digits with an optional decimal part, not part of a longer run of digits and dots
# (so "1." of the item label "1.属于国家秘密" is not the table's value 1).
NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")


def normalised(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def edit_distance(truth: str, found: str) -> int:
    """Edits along difflib's alignment: an upper bound of the Levenshtein distance, exact
    for the short, mostly aligned texts compared here."""
    matcher = difflib.SequenceMatcher(None, truth, found, autojunk=False)
    return sum(
        max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )


def accuracy(truth: str, found: str) -> float:
    return 1 - edit_distance(truth, found) / len(truth) if truth else float(not found)


def number_recall(truth: str, found: str) -> float:
    expected = Counter(NUMBER.findall(unicodedata.normalize("NFKC", truth)))
    seen = Counter(NUMBER.findall(unicodedata.normalize("NFKC", found)))
    return sum((expected & seen).values()) / max(1, sum(expected.values()))


def truth_pages() -> dict[int, dict]:
    import pdfplumber

    found = {}
    with pdfplumber.open(ORIGINAL) as pdf:
        for _, _, number in PAGES:
            page = pdf.pages[number - 1]
            chars = [
                (unicodedata.normalize("NFKC", char["text"]), (char["x0"], char["top"], char["x1"], char["bottom"]))
                for word in page.extract_words(return_chars=True)
                for char in word["chars"]
                if char["text"].strip()
            ]
            found[number] = {"text": page.extract_text(), "chars": chars}
    return found


def render(scanned: str, index: int, dpi: int):
    import pypdfium2

    document = pypdfium2.PdfDocument(str(DOCUMENTS / scanned))
    try:
        return document[index].render(scale=dpi / 72, grayscale=True, may_draw_forms=False).to_pil().convert("L")
    finally:
        document.close()


# --- workers: each configuration runs in its own process -------------------------------------


def rapidocr_worker(options: dict, call: dict, dpi: int) -> list[dict]:
    import numpy

    started = time.perf_counter()
    from rapidocr_onnxruntime import RapidOCR

    engine = RapidOCR(**options)
    load = time.perf_counter() - started
    results = []
    for scanned, index, number in PAGES:
        image = numpy.asarray(render(scanned, index, dpi).convert("RGB"))
        started = time.perf_counter()
        found, _ = engine(image, **call)
        seconds = time.perf_counter() - started
        text = "\n".join(line[1] for line in found or [])
        results.append({"page": number, "seconds": seconds, "load": load, "text": text})
        load = 0.0
    return results


def module_worker(dpi: int) -> list[dict]:
    import pdfplumber

    from nianbao.read.formats import ReadLimits
    from nianbao.read.ocr import recognize_page

    results = []
    load = 0.0
    for scanned, index, number in PAGES:
        with pdfplumber.open(DOCUMENTS / scanned) as pdf:
            started = time.perf_counter()
            lines = recognize_page(pdf.pages[index], ReadLimits())
            seconds = time.perf_counter() - started
        chars = [
            (char, box)
            for line in lines
            for char, box in zip(line.text, line.boxes)
            if not char.isspace()
        ]
        text = "\n".join(line.text for line in lines)
        results.append({"page": number, "seconds": seconds, "load": load, "text": text, "chars": chars})
    return results


def run_worker(name: str, dpi: int) -> tuple[list[dict], float]:
    """The worker's results and its peak resident memory in MiB."""
    command = [sys.executable, __file__, "--dpi", str(dpi), "--worker", name]
    with tempfile.TemporaryFile("w+") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            raise SystemExit(f"{name}: worker failed with status {process.returncode}")
        output.seek(0)
        return json.loads(output.read()), usage.ru_maxrss / 1024


def run_tesseract(psm: int, dpi: int) -> tuple[list[dict], float]:
    results, peak = [], 0.0
    with tempfile.TemporaryDirectory() as directory:
        for scanned, index, number in PAGES:
            image = Path(directory) / f"page-{number}.png"
            render(scanned, index, dpi).save(image)
            command = ["tesseract", str(image), "-", "-l", "chi_sim", "--psm", str(psm), "--dpi", str(dpi), "tsv"]
            with tempfile.TemporaryFile("w+") as output:
                started = time.perf_counter()
                process = subprocess.Popen(command, stdout=output, stderr=subprocess.DEVNULL)
                _, _, usage = os.wait4(process.pid, 0)
                seconds = time.perf_counter() - started
                output.seek(0)
                rows = [row.split("\t") for row in output.read().splitlines()[1:]]
            lines: dict[tuple, list[str]] = {}
            for row in rows:
                if len(row) == 12 and row[0] == "5" and row[11].strip():
                    lines.setdefault(tuple(row[1:5]), []).append(row[11])
            text = "\n".join(" ".join(words) for words in lines.values())
            results.append({"page": number, "seconds": seconds, "load": 0.0, "text": text})
            peak = max(peak, usage.ru_maxrss / 1024)
    return results, peak


# --- figures -----------------------------------------------------------------------------------


def box_errors(truth_chars: list, found_chars: list) -> list[float]:
    truth = "".join(char for char, _ in truth_chars)
    found = "".join(unicodedata.normalize("NFKC", char)[:1] for char, _ in found_chars)
    matcher = difflib.SequenceMatcher(None, truth, found, autojunk=False)
    errors = []
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            (_, expected), (_, box) = truth_chars[block.a + offset], found_chars[block.b + offset]
            dx = (expected[0] + expected[2] - box[0] - box[2]) / 2
            dy = (expected[1] + expected[3] - box[1] - box[3]) / 2
            errors.append((dx * dx + dy * dy) ** 0.5)
    return errors


def report(name: str, results: list[dict], peak: float, truths: dict[int, dict]) -> None:
    for result in results:
        truth = truths[result["page"]]
        expected, found = normalised(truth["text"]), normalised(result["text"])
        digits = "".join(char for char in expected if char.isdigit())
        found_digits = "".join(char for char in found if char.isdigit())
        line = (
            f"{name:17} page {result['page']}  {result['seconds']:6.1f} s"
            f"  (load {result['load']:.1f} s)  peak {peak:5.0f} MiB"
            f"  chars {accuracy(expected, found):6.1%}  digits {accuracy(digits, found_digits):6.1%}"
            f"  numbers {number_recall(truth['text'], result['text']):6.1%}"
        )
        if "chars" in result:
            errors = sorted(box_errors(truth["chars"], result["chars"]))
            if errors:
                p95 = errors[min(len(errors) - 1, int(0.95 * len(errors)))]
                line += f"  box centre error median {statistics.median(errors):.1f} pt, p95 {p95:.1f} pt ({len(errors)} chars)"
        print(line, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--only", nargs="+", choices=sorted(CONFIGURATIONS), default=list(CONFIGURATIONS))
    parser.add_argument("--worker", choices=sorted(CONFIGURATIONS), help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.worker:
        configuration = CONFIGURATIONS[arguments.worker]
        if configuration["engine"] == "module":
            results = module_worker(arguments.dpi)
        else:
            results = rapidocr_worker(configuration["options"], configuration.get("call", {}), arguments.dpi)
        json.dump(results, sys.stdout, ensure_ascii=False)
        return 0
    truths = truth_pages()
    for name in arguments.only:
        configuration = CONFIGURATIONS[name]
        if configuration["engine"] == "tesseract":
            results, peak = run_tesseract(configuration["psm"], arguments.dpi)
        else:
            results, peak = run_worker(name, arguments.dpi)
        report(name, results, peak, truths)
    return 0


if __name__ == "__main__":
    sys.exit(main())
