"""Record what nianbao reports on every report the project ships, to prove a refactoring changed nothing.

    python3 scripts/snapshot_outputs.py before.json           # record
    python3 scripts/snapshot_outputs.py after.json --compare before.json

Every report file in tests/, docs/examples/ and plugins/*/tests/ is checked through the CLI
(`nianbao check --format json --select ALL`, with and without `--isolated`), and every case text of
every case file is linted with all rules selected under its case's profile and options. The JSON
holds each run's diagnostics exactly as the JSON format writes them; `--compare` lists every report
whose diagnostics differ, and the reports that are new or gone. It needs the plugin distributions installed (see the README).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
REPORT_SUFFIXES = {".txt", ".md"}


def report_files() -> list[Path]:
    places = [ROOT / "tests", ROOT / "docs" / "examples", *sorted((ROOT / "plugins").glob("*/tests"))]
    files = [path for place in places for path in sorted(place.rglob("*")) if path.suffix in REPORT_SUFFIXES]
    return [path for path in files if path.is_file()]


def case_files() -> list[Path]:
    return sorted([*(ROOT / "tests" / "cases").rglob("*.toml"), *(ROOT / "plugins").glob("*/tests/*.cases.toml")])


def check_files(files: list[Path], isolated: bool) -> dict[str, list]:
    command = [sys.executable, "-m", "nianbao", "check", "--format", "json", "--select", "ALL"]
    if isolated:
        command.append("--isolated")
    outcome = subprocess.run(
        [*command, *(str(path.relative_to(ROOT)) for path in files)], cwd=ROOT, capture_output=True, text=True
    )
    by_file: dict[str, list] = {str(path.relative_to(ROOT)): [] for path in files}
    for item in json.loads(outcome.stdout or "[]"):
        by_file.setdefault(item["path"], []).append(item)
    return by_file


def check_cases() -> dict[str, list]:
    from nianbao.testing import CaseError, lint_text, load_cases, plugin_set

    results: dict[str, list] = {}
    for case_file in case_files():
        try:
            cases = [
                (case.name, case.text, case.profile, case.rules, plugin_set(case.plugins, case.plugin_modules, case.profile_packages), case.path, case.earlier)
                for case in load_cases(case_file)
            ]
        except CaseError:  # the date rules' own case format: one report per file, linted as it stands
            text = tomllib.loads(case_file.read_text(encoding="utf-8"))["text"]
            cases = [("", text, "national", {}, None, "report.txt", ())]
        for name, text, profile, rules, plugins, path, earlier in cases:
            result = lint_text(text, profile=profile, select=["ALL"], rules=rules, plugins=plugins, path=path, earlier=earlier)
            key = f"{case_file.relative_to(ROOT)}::{name}"
            results[key] = [
                {
                    "code": item.code,
                    "severity": item.severity.value,
                    "message": item.message,
                    "location": [item.location.line, item.location.column, item.location.end_line, item.location.end_column],
                    "related": [[r.location.line, r.location.column, r.message, *([r.path] if r.path else [])] for r in item.related],
                    "place": item.place,
                    "plugin": item.plugin,
                }
                for item in result.diagnostics
            ]
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--compare", type=Path, help="an earlier snapshot to compare with")
    args = parser.parse_args()
    files = report_files()
    snapshot = {
        "configured": check_files(files, isolated=False),
        "isolated": check_files(files, isolated=True),
        "cases": check_cases(),
    }
    args.output.write_text(json.dumps(snapshot, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    counts = {name: (len(runs), sum(len(items) for items in runs.values())) for name, runs in snapshot.items()}
    print(", ".join(f"{name}: {reports} reports, {found} diagnostics" for name, (reports, found) in counts.items()))
    if args.compare is None:
        return 0
    earlier = json.loads(args.compare.read_text(encoding="utf-8"))
    differing, added, removed = [], [], []
    for name in sorted(set(earlier) | set(snapshot)):
        before, after = earlier.get(name, {}), snapshot.get(name, {})
        differing += [f"{name}: {key}" for key in sorted(set(before) & set(after)) if before[key] != after[key]]
        added += [f"{name}: {key}" for key in sorted(set(after) - set(before))]
        removed += [f"{name}: {key}" for key in sorted(set(before) - set(after))]
    for label, keys in (("changed", differing), ("no longer shipped", removed), ("new", added)):
        for key in keys:
            print(f"{label}: {key}")
    print("identical" if not differing and not removed else "different", f"({len(added)} new)" if added else "")
    return 1 if differing or removed else 0


if __name__ == "__main__":
    sys.exit(main())
