"""Benchmark: how fast the whole pipeline lints reports.

Measures, on the example reports in docs/examples/ and on a generated corpus:
- whole-process latency of `nianbao check FILE` (fresh interpreter, as pre-commit runs it), and where
  its CPU goes: interpreter, imports, loading the rules, the first and a second report,
- in-process throughput (reports/second) and per-report latency of read → parse → rules, and where a
  warm report's CPU goes: reading, building the document, each rule family,
- peak memory (resident set size) of the in-process run,
- documents: time to read a DOCX, HTML page, PDF (per page) and scanned PDF (OCR, per page) beside
  the budgets (DOCX and HTML: 50 ms per report beyond the text pipeline; PDF: 150 ms per page),
- batch: `nianbao check --jobs 2 DIR` on N generated reports (reports/second, wall and CPU time,
  peak resident memory of the largest process at N and at 10 N), and again with the cache warm,
- scaling: one report's narrative repeated 10× and 100×, and one 800 KB paragraph,
- corpus: XR004 (copied text) over generated records of N/10 and N reports (N ≥ 10,000, each size
  in a fresh process): CPU time and peak resident memory, beside the target of linear growth.

Every figure is printed beside its target; processes run with byte code (no PYTHONDONTWRITEBYTECODE).

Usage: python3 scripts/benchmark.py [--corpus N] [--repeat R] [--batch N] [--records N]
       [--documents-only | --batch-only | --corpus-only]
Nothing here asserts a budget; it prints numbers to compare across changes.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "docs" / "examples").glob("*.txt"))
DOCUMENTS = ROOT / "tests" / "data" / "documents"


def generated_corpus(count: int, directory: Path) -> list[Path]:
    """Variants of the examples: numbers changed, paragraphs repeated, to vary size and content."""
    rng = random.Random(20260101)
    paths = []
    sources = [path.read_text(encoding="utf-8") for path in EXAMPLES]
    for index in range(count):
        text = sources[index % len(sources)]
        lines = text.split("\n")
        for _ in range(rng.randint(0, 5)):
            position = rng.randrange(len(lines))
            if lines[position].strip().isdigit():
                lines[position] = str(rng.randint(0, 500))
        if rng.random() < 0.3:
            paragraph = max(lines, key=len)
            lines.insert(rng.randrange(len(lines)), paragraph)
        path = directory / f"report_{index:04d}.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        paths.append(path)
    return paths


def process_latency(path: Path, repeat: int) -> list[float]:
    environment = _environment()
    timings = []
    for _ in range(repeat + 1):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "nianbao", "check", "--isolated", "-q", "--no-cache", str(path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=environment,
            check=False,
        )
        timings.append(time.perf_counter() - start)
    return timings[1:]  # the first run writes the byte code


def in_process(paths: list[Path]) -> list[float]:
    from nianbao.config.files import ConfigResolver
    from nianbao.engine.linter import Linter
    from nianbao.plugins.manager import load_plugins

    linter = Linter(load_plugins(), ConfigResolver(isolated=True))
    timings = []
    for path in paths:
        start = time.perf_counter()
        linter.lint_path(str(path))
        timings.append(time.perf_counter() - start)
    return timings


STARTUP_STAGES = """
import sys, time
marks = [("interpreter", time.process_time())]
import nianbao.cli
marks.append(("import nianbao.cli", time.process_time()))
from nianbao.config.files import ConfigResolver
from nianbao.engine.linter import Linter
from nianbao.plugins.manager import load_plugins
plugins = load_plugins()
marks.append(("load plugins (import every rule)", time.process_time()))
linter = Linter(plugins, ConfigResolver(isolated=True))
marks.append(("linter (templates)", time.process_time()))
linter.lint_path(sys.argv[1])
marks.append(("first report (patterns compiled, data read)", time.process_time()))
linter.lint_path(sys.argv[1])
marks.append(("the same report again", time.process_time()))
previous = 0.0
for name, value in marks:
    print(f"{name}\t{(value - previous) * 1000:.0f}")
    previous = value
"""


def startup_stages(path: Path) -> None:
    """Where a one-report run's CPU goes, stage by stage, in a fresh interpreter with byte code."""
    print("  where it goes (CPU ms, one fresh process):")
    done = subprocess.run([sys.executable, "-c", STARTUP_STAGES, str(path)], capture_output=True, text=True, env=_environment(), check=False)
    for line in done.stdout.splitlines():
        name, value = line.split("\t")
        print(f"    {name:<46} {value:>6}")


def stage_costs(paths: list[Path]) -> None:
    """Where a warm report's CPU goes: reading, building the document, each rule family."""
    from collections import Counter

    from nianbao.config.files import ConfigResolver
    from nianbao.engine.linter import Linter
    from nianbao.plugins.manager import load_plugins
    from nianbao.plugins.rule import CorpusRule
    from nianbao.read.formats import read_document

    linter = Linter(load_plugins(), ConfigResolver(isolated=True))
    linter.lint_path(str(paths[0]))  # warm: patterns compiled, data read
    costs: Counter[str] = Counter()
    for path in paths:
        start = time.process_time()
        source = read_document(str(path))
        costs["read and decode"] += time.process_time() - start
        start = time.process_time()
        document = linter.parse(source)
        costs["document (normalise, parse, tables, facts)"] += time.process_time() - start
        for info in linter.plugins.rules:
            if issubclass(info.rule, CorpusRule):
                continue
            start = time.process_time()
            list(info.rule().check(document))
            costs[f"rules {info.rule.code[:2]}"] += time.process_time() - start
    total = sum(costs.values())
    print(f"  where a warm report's CPU goes ({total / len(paths) * 1000:.1f} ms per report; target ≈ 6.5 ms):")
    for name, value in costs.most_common():
        print(f"    {name:<46} {value / len(paths) * 1000:6.1f} ms  {value / total:4.0%}")


def document_samples(directory: Path) -> list[tuple[str, Path]]:
    """(label, path) of the documents to time: the committed PDFs, and the 2021 template
    written as DOCX and as a portal page by the test-document generators."""
    samples = [(path.name, path) for path in sorted(DOCUMENTS.glob("*.pdf"))]
    sys.path.insert(0, str(ROOT))
    template = (ROOT / "docs" / "examples" / "2021-template.md").read_text(encoding="utf-8")
    from tests.documents.make_docx import write_docx
    from tests.documents.make_html import render, report_model

    samples.append(("2021-template.docx", write_docx(template, directory / "2021-template.docx")))
    page = render(report_model(ROOT / "docs" / "examples" / "2021-template.md"), encoding="gbk")
    samples.append(("2021-template.html (GB2312)", page.write(directory / "2021-template.html")))
    return samples


def documents(repeat: int) -> None:
    """Reading time of each document (reader only) and its whole lint, against the text pipeline."""
    from nianbao.read.formats import read_document
    from nianbao.read.source import ReadError

    text_only = statistics.median(in_process([ROOT / "docs" / "examples" / "2021-template.md"] * repeat))
    print(f"documents (budgets: DOCX/HTML ≤ 50 ms per report beyond the text pipeline, PDF ≤ 150 ms per page;"
          f" text pipeline of the 2021 template: {text_only * 1000:.1f} ms):")
    with tempfile.TemporaryDirectory() as directory:
        for label, path in document_samples(Path(directory)):
            reads = []
            try:
                for _ in range(repeat):
                    start = time.perf_counter()
                    source = read_document(path)
                    reads.append(time.perf_counter() - start)
            except ReadError as error:
                print(f"  {label:<32} refused ({error.reason}) after {(time.perf_counter() - start) * 1000:.1f} ms")
                continue
            pages = source.facts.pages if source.format == "pdf" else 0
            lint = statistics.median(in_process([path] * repeat))
            read = statistics.median(reads)
            kind = "OCR" if source.facts.ocr_pages else source.format.upper()
            per_page = f"   {read / pages * 1000:7.1f} ms/page ({pages} pages)" if pages else ""
            print(f"  {label:<32} {kind:<5} read {read * 1000:7.1f} ms   lint {lint * 1000:7.1f} ms{per_page}")


def _environment() -> dict[str, str]:
    # Installed packages run from byte-compiled files; measure that, not a recompile per run.
    return {key: value for key, value in os.environ.items() if key not in ("PYTHONDONTWRITEBYTECODE", "NIANBAO_NO_CACHE")}


def run_children(argv: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system, all descendants) and the peak resident memory
    (MiB) of the largest descendant process, for one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_environment(), check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024


def batch(count: int) -> None:
    print(f"batch, `nianbao check --jobs 2 DIR` (targets: ≥ 300 reports/s wall; peak RSS ≤ 150 MiB at {count} and {count * 10}):")
    command = [sys.executable, "-m", "nianbao", "check", "--isolated", "-q", "--no-progress", "--jobs", "2"]
    for size in (count, count * 10):
        with tempfile.TemporaryDirectory() as directory:
            generated_corpus(size, Path(directory))
            cache = Path(directory) / "cache"
            # The per-file rules keep nothing per report; the cross-report rules keep each report's
            # record (a few cells and its sentence fingerprints) until every file is done.
            for label, selection, name in (("per-file rules", ["--ignore", "XR"], "per-file"), ("all rules, XR included", [], "all")):
                wall, cpu, peak = run_children([*command, *selection, "--cache-dir", str(cache / name), directory])
                print(f"  {size:>6} reports, {label:<22}: {size / wall:4.0f} reports/s wall ({wall:6.1f} s, CPU {cpu:6.1f} s,"
                      f" {cpu / size * 1000:5.1f} ms CPU per report); peak RSS {peak:5.0f} MiB")
            if size == count:
                wall, cpu, _ = run_children([*command, "--cache-dir", str(cache / "all"), directory])
                print(f"  {size:>6} reports, cache warm, all rules: {size / wall:4.0f} reports/s wall ({wall:5.1f} s, CPU {cpu:5.1f} s)")


def scaling() -> None:
    print("scaling (targets: 100× text ≤ 11 × the cost of 10×; one 800 KB paragraph ≤ 5 s):")
    from nianbao.testing import lint_text

    text = EXAMPLES[1].read_text(encoding="utf-8")
    lint_text(text, path="warm.txt")  # loads rules, templates and lexicons once, outside the figures
    paragraph = max((line for line in text.split("\n") if "|" not in line), key=len)
    costs = {}
    for factor in (1, 10, 100):
        grown = text.replace(paragraph, "\n".join([paragraph] * factor), 1)
        start = time.process_time()
        lint_text(grown, path="scaled.txt")
        costs[factor] = time.process_time() - start
        print(f"  narrative ×{factor:<3} {len(grown) / 1024:8.0f} KiB  CPU {costs[factor]:7.2f} s")
    print(f"  100× / 10× = {costs[100] / costs[10]:.1f} (target ≤ 11)")
    dense = "本年度共受理政府信息公开申请25件，其中予以公开12件，部分公开3件，不予公开2件，占8%。"
    for label, sentence in (("prose from the report", paragraph), ("every sentence a statistic", dense)):
        long_paragraph = sentence * (800 * 1024 // len(sentence.encode("utf-8")))
        start = time.process_time()
        lint_text(text.replace(paragraph, long_paragraph, 1), path="paragraph.txt")
        print(f"  one {len(long_paragraph.encode('utf-8')) / 1024:.0f} KB paragraph, {label}: CPU {time.process_time() - start:.2f} s (target ≤ 5 s)")


def generated_records(count: int, seed: int = 20260101) -> list:
    """``count`` report records of two years per body, made in process (linting 10,000 files would
    measure the linter, not the comparison): 60 passages each, a tenth of the passages written by
    every body, a fifth of the bodies copying their previous year and one in twenty copying another
    body's report, the rest their own sentences."""
    from array import array

    from nianbao.api import ReportIdentity
    from nianbao.document.record import Passages, ReportRecord

    rng = random.Random(seed)
    shared = [rng.getrandbits(63) for _ in range(6)]
    records: list = []
    for number in range(count):
        body, year = number // 2, 2020 + number % 2
        own = [rng.getrandbits(63) for _ in range(54)]
        if year == 2021 and rng.random() < 0.2:
            own = [value if rng.random() < 0.8 else rng.getrandbits(63) for value in _own_passages(records[-1])]
        elif number > 10 and rng.random() < 0.05:
            own = _own_passages(records[rng.randrange(number - 10, number)])
        hashes = array("q", [*shared, *own])
        spans = array("l")
        for index in range(len(hashes)):
            spans.extend((rng.randint(12, 80), index + 2, 1, index + 2, 40, 0))
        identity = ReportIdentity(f"第{body}局", "某市", "city", "bureau", "department", year, f"某市第{body}局")
        records.append(ReportRecord(f"r{number}.txt", identity, "2021", None, None, None, "", (), Passages(hashes, spans)))
    return records


def _own_passages(record) -> list[int]:
    return list(record.passages.hashes[6:])


def corpus_child(count: int) -> None:
    """One size of the corpus section, in this process: prints CPU seconds, peak and baseline MiB."""
    from nianbao.corpus.corpus import Corpus
    from nianbao.rules.crossreport.similarity import load_minhash
    from nianbao.rules.crossreport.xr004_duplicated_content import DuplicatedContent

    load_minhash()  # numpy and scipy's own memory is not the comparison's
    records = generated_records(count)
    corpus = Corpus([record for record in records if record.year == 2021], [record for record in records if record.year == 2020])
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.process_time()
    findings = list(DuplicatedContent().check_corpus(corpus))
    cpu = time.process_time() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(cpu, peak, baseline, len(findings))


def corpus_section(count: int) -> None:
    print(f"corpus, XR004 over generated records (target: linear, {count} records ≤ 10.5 × the cost of {count // 10}):")
    costs = {}
    for size in (count // 10, count):
        result = subprocess.run([sys.executable, __file__, "--corpus-child", str(size)], capture_output=True, text=True, env=_environment(), check=False)
        if result.returncode != 0:
            print(f"  {size:>7} records: failed: {result.stderr.strip().splitlines()[-1:]}")
            return
        cpu, peak, baseline, findings = result.stdout.split()
        costs[size] = float(cpu)
        print(f"  {size:>7} records: CPU {float(cpu):6.2f} s ({float(cpu) / size * 1000:5.2f} ms per record), "
              f"peak RSS {float(peak):5.0f} MiB ({float(peak) - float(baseline):5.0f} MiB beyond the records), {findings} findings")
    print(f"  {count} / {count // 10} = {costs[count] / costs[count // 10]:.1f} (target ≤ 10.5)")


def describe(label: str, timings: list[float]) -> None:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(
        f"{label:<34} n={len(timings):<5} median {statistics.median(timings) * 1000:7.1f} ms"
        f"   p95 {p95 * 1000:7.1f} ms   max {max(timings) * 1000:7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=int, default=500, help="generated reports (default 500)")
    parser.add_argument("--repeat", type=int, default=10, help="process runs per example (default 10)")
    parser.add_argument("--batch", type=int, default=1000, help="reports in the batch run (default 1000; also run at 10×)")
    parser.add_argument("--documents-only", action="store_true", help="only time the document readers")
    parser.add_argument("--batch-only", action="store_true", help="only the batch and scaling figures")
    parser.add_argument("--records", type=int, default=10000, help="records in the corpus section (default 10000; also run at a tenth)")
    parser.add_argument("--corpus-only", action="store_true", help="only the corpus (XR004) figures")
    parser.add_argument("--corpus-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.corpus_child:
        corpus_child(args.corpus_child)
        return
    if args.corpus_only:
        corpus_section(args.records)
        return
    if args.documents_only:
        documents(3)
        return
    if args.batch_only:
        batch(args.batch)
        scaling()
        return

    print("whole process, `nianbao check FILE` (target: ≤ 0.15 s CPU per report, aim 0.10 s):")
    for path in EXAMPLES:
        describe(f"  {path.name}", process_latency(path, args.repeat))
        _, cpu, _ = run_children([sys.executable, "-m", "nianbao", "check", "--isolated", "-q", "--no-cache", str(path)])
        print(f"  {'':<34} CPU {cpu * 1000:7.1f} ms")
    startup_stages(EXAMPLES[1])

    print("in process (read → normalise → parse → tables → rules):")
    describe("  examples (warm)", in_process(EXAMPLES * 5))
    with tempfile.TemporaryDirectory() as directory:
        corpus = generated_corpus(args.corpus, Path(directory))
        start = time.perf_counter()
        timings = in_process(corpus)
        elapsed = time.perf_counter() - start
    describe("  generated corpus", timings)
    print(f"  throughput: {len(timings) / elapsed:.0f} reports/second")
    stage_costs(EXAMPLES * 4)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak resident memory: {peak:.0f} MiB")
    documents(3)
    batch(args.batch)
    scaling()
    corpus_section(args.records)


if __name__ == "__main__":
    main()
