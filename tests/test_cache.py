"""The result cache: exact round trips, keys that change with every input of a file's findings,
entries that stay valid when runs share the directory, and trouble that only turns it off."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from dataclasses import astuple, fields, replace
from pathlib import Path
from types import SimpleNamespace

import nianbao.engine.cache as cache_module
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nianbao.config.files import Config, ConfigResolver, load_config
from nianbao.engine.cache import CACHEDIR_TAG, ResultCache
from nianbao.engine.diagnostic import Diagnostic, RelatedLocation
from nianbao.engine.linter import FileResult, LeanProfileChoice, Linter
from nianbao.engine.serialize import result_from_json, result_to_json
from nianbao.plugins.manager import PluginSet, load_plugins, new_manager
from nianbao.plugins.rule import Severity
from nianbao.read.formats import ReadLimits, read_file_bytes
from nianbao.text.location import Location, Place

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "docs" / "examples").iterdir())
LINTER = Linter(load_plugins(entry_points=False), ConfigResolver(isolated=True))
REPORT = ROOT / "docs" / "examples" / "001_9e37d6351cd66a1a.txt"


def same(first: FileResult, second: FileResult) -> bool:
    """Equal in every field, including places (which Location's equality leaves out) and the
    types of values (an int box coordinate is not a float one, a list is not a tuple)."""
    return first == second and repr(astuple(first)) == repr(astuple(second))


def stored_copy(cache: ResultCache, result: FileResult, key: str = "ab" * 32) -> FileResult | None:
    assert cache.put(key, result)
    return cache.get(key)


@pytest.fixture
def cache(tmp_path) -> ResultCache:
    made = ResultCache(tmp_path / ".nianbao_cache", LINTER)
    assert made.enabled, made.warning
    return made


# --- round trips ------------------------------------------------------------------------------

# Any text, including lone surrogates (a file name decoded with surrogateescape has them).
texts = st.text(max_size=8) | st.lists(st.sampled_from(["\ud800", "\udcff", "\x00", "〔", "表"]), max_size=6).map("".join)
names = st.sampled_from(["", "AR001", "rule-crashed", "nianbao.rules", "table:2021.active/row:3"])
numbers = st.none() | st.integers(1, 10_000)
coordinates = st.floats(allow_nan=False) | st.integers(-1000, 1000)
# Page, line on the page, paragraph, table, row and column, then the box and the OCR confidence.
places = st.builds(
    Place, *[numbers] * 6, box=st.none() | st.tuples(*[coordinates] * 4), confidence=st.none() | st.floats(0, 1)
)
positions = st.integers(1, 100_000)
locations = st.builds(Location, positions, positions, positions, positions, place=st.none() | places)
diagnostics = st.builds(
    Diagnostic,
    path=texts,
    location=locations,
    code=names,
    name=names,
    severity=st.sampled_from(Severity),
    message=texts,
    related=st.lists(st.builds(RelatedLocation, locations, texts), max_size=2).map(tuple),
    place=names,
    snippet=texts,
    plugin=names,
    suppressed_by_config=st.none() | texts,
)
results = st.builds(
    FileResult,
    path=texts,
    diagnostics=st.lists(diagnostics, max_size=3),
    crashed_rules=st.just([]),
    profile=st.none() | st.builds(LeanProfileChoice, texts, texts),
    suppressed=st.lists(diagnostics, max_size=2),
    located_text=st.none() | texts,
)


@given(results)
def test_any_result_survives_json_exactly(result):
    # Not escaped to ASCII, as the cache writes it: JSON reads an escaped high and low surrogate
    # as one character, so lone surrogates next to each other would not come back as they were.
    assert same(result_from_json(json.loads(json.dumps(result_to_json(result), ensure_ascii=False))), result)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(results)
def test_any_result_survives_the_cache_exactly(cache, result):
    assert same(stored_copy(cache, result), result)


def test_the_json_form_names_every_field_so_a_new_one_cannot_be_lost():
    place = Place(*range(1, 7), box=(1.0, 2.0, 3.0, 4.0), confidence=0.5)
    diagnostic = Diagnostic("a.txt", Location(1, 2, 3, 4, place), "AR001", "x", Severity.ERROR, "m")
    encoded = result_to_json(FileResult("a.txt", [diagnostic]))
    assert set(encoded) == {item.name for item in fields(FileResult)} - {"document"}
    assert set(encoded["diagnostics"][0]) == {item.name for item in fields(Diagnostic)}
    assert set(encoded["diagnostics"][0]["location"][4]) == {item.name for item in fields(Place)}


def test_the_results_of_every_example_report_survive_the_cache(cache):
    findings = 0
    for path in EXAMPLES:
        for keep_source in (False, True):
            result = LINTER.lint_path(str(path)).lean(keep_source)
            findings += len(result.diagnostics)
            assert same(stored_copy(cache, result), result), path
    assert findings > 50


def test_the_results_of_a_word_document_keep_their_places(cache, tmp_path):
    from tests.documents.make_docx import change_number, write_docx

    document = write_docx((ROOT / "docs" / "examples" / "2021-template.md").read_text(encoding="utf-8"), tmp_path / "年报.docx")
    change_number(document, "（一）予以公开", 1)
    result = LINTER.lint_path(str(document)).lean(keep_source=True)
    cells = [item.location.place for item in result.diagnostics if item.location.place is not None]
    assert any(place.table is not None and place.row is not None for place in cells)
    copy = stored_copy(cache, result)
    assert same(copy, result)
    assert [item.location.place for item in copy.diagnostics] == [item.location.place for item in result.diagnostics]


def test_findings_silenced_by_configuration_keep_their_reason(cache, tmp_path):
    from nianbao.engine.fingerprint import finding_key

    report = tmp_path / "report.txt"
    report.write_bytes(REPORT.read_bytes())
    first = LINTER.lint_path(str(report)).diagnostics[0]
    (tmp_path / "nianbao.toml").write_text(
        f'[[suppress]]\npath = "report.txt"\nfingerprint = "{finding_key(first)}"\nreason = "已核实：原件如此"\n', encoding="utf-8"
    )
    linter = Linter(load_plugins(entry_points=False), ConfigResolver(cwd=tmp_path))
    result = linter.lint_path(str(report)).lean()
    assert [item.suppressed_by_config for item in result.suppressed] == ["已核实：原件如此"]
    assert same(stored_copy(cache, result), result)


def test_a_full_result_is_stored_lean(cache):
    result = LINTER.lint_path(str(REPORT))
    assert result.document is not None
    assert same(stored_copy(cache, result), result.lean())


# --- what a key covers --------------------------------------------------------------------------


def write_config(directory: Path, text: str, profile: str | None = None) -> Config:
    directory.mkdir(parents=True, exist_ok=True)
    if profile is not None:
        (directory / "local.toml").write_text(profile, encoding="utf-8")
    (directory / "nianbao.toml").write_text(text, encoding="utf-8")
    return load_config(directory / "nianbao.toml")


LOCAL_PROFILE = 'name = "huaian"\nplaces = ["淮安"]\n[deadlines]\ndepartment = "01-20"\n'
CONFIG = 'profile-files = ["local.toml"]\n[rules.TB005]\nmax_differences = 3\n'


def test_a_key_changes_with_each_input_of_the_findings(tmp_path):
    data = REPORT.read_bytes()
    cache = ResultCache(tmp_path / "cache", LINTER)
    config = write_config(tmp_path / "a", CONFIG, LOCAL_PROFILE)
    base = cache.key("report.txt", data, config)
    assert base is not None and len(base) == 64
    changed_byte = data[:-1] + bytes([data[-1] ^ 1])
    keys = {
        "base": base,
        "byte": cache.key("report.txt", changed_byte, config),
        "path": cache.key("other.txt", data, config),
        "option": cache.key("report.txt", data, write_config(tmp_path / "b", CONFIG.replace("= 3", "= 4"), LOCAL_PROFILE)),
        "profile": cache.key("report.txt", data, write_config(tmp_path / "c", 'profile = "auto"\n' + CONFIG, LOCAL_PROFILE)),
        "profile file": cache.key("report.txt", data, write_config(tmp_path / "d", CONFIG, LOCAL_PROFILE.replace("01-20", "01-21"))),
        "suppress": cache.key(
            "report.txt",
            data,
            write_config(tmp_path / "e", CONFIG + '[[suppress]]\npath = "*"\nfingerprint = "' + "0" * 32 + '"\n', LOCAL_PROFILE),
        ),
        "version": ResultCache(tmp_path / "cache", LINTER, version="0.1.1").key("report.txt", data, config),
        "limits": ResultCache(tmp_path / "cache", LINTER, limits=ReadLimits(max_pages=10)).key("report.txt", data, config),
        "source kept": ResultCache(tmp_path / "cache", LINTER, keep_source=True).key("report.txt", data, config),
    }
    assert len(set(keys.values())) == len(keys), keys


def test_the_same_configuration_read_twice_gives_the_same_key_and_fail_on_does_not_count(tmp_path):
    data = REPORT.read_bytes()
    cache = ResultCache(tmp_path / "cache", LINTER)
    config = write_config(tmp_path / "a", CONFIG, LOCAL_PROFILE)
    again = load_config(tmp_path / "a" / "nianbao.toml")
    assert again is not config
    assert cache.key("report.txt", data, config) == cache.key("report.txt", data, again)
    # fail-on decides the exit status, not a finding: the results stay usable.
    stricter = write_config(tmp_path / "b", 'fail-on = "info"\n' + CONFIG, LOCAL_PROFILE)
    relocated = write_config(tmp_path / "b", CONFIG, LOCAL_PROFILE)
    assert cache.key("report.txt", data, stricter) == cache.key("report.txt", data, relocated)
    # Nor do the run settings: how many processes, the time limit, where the cache is.
    run_settings = 'jobs = 1\ntime-limit = 30\ncache-dir = "elsewhere"\nexecutor = "dask"\n'
    differently_run = write_config(tmp_path / "c", run_settings + CONFIG, LOCAL_PROFILE)
    plainly_run = write_config(tmp_path / "c", CONFIG, LOCAL_PROFILE)
    assert cache.key("report.txt", data, differently_run) == cache.key("report.txt", data, plainly_run)


def fake_linter(versions: dict[str, str]) -> SimpleNamespace:
    """A linter whose plugins are two distributions without code: only their versions tell them apart."""
    plugins = PluginSet(new_manager(), names=list(versions), distributions={name: f"{name}-dist" for name in versions})
    return SimpleNamespace(plugins=plugins)


def test_a_plugins_version_changes_the_key(tmp_path, monkeypatch):
    installed = {"jilin-dist": "1.0", "fujian-dist": "2.0"}
    monkeypatch.setattr(cache_module, "_distribution_version", lambda name: installed.get(name))
    linter = fake_linter({"jilin": "", "fujian": ""})
    config = write_config(tmp_path, CONFIG, LOCAL_PROFILE)
    before = ResultCache(tmp_path / "cache", linter).key("report.txt", b"x", config)
    installed["fujian-dist"] = "2.1"
    after = ResultCache(tmp_path / "cache", linter).key("report.txt", b"x", config)
    assert None not in (before, after)
    assert before != after


def test_editing_a_plugins_source_without_a_new_version_changes_the_key(tmp_path, monkeypatch):
    import importlib

    module_file = tmp_path / "local_rules.py"
    module_file.write_text(
        "from nianbao.plugins.hookspecs import hookimpl\n\n@hookimpl\ndef nianbao_rules():\n    return []\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    linter = Linter(load_plugins(entry_points=False, extra=[("local", importlib.import_module("local_rules"))]), ConfigResolver())
    config = linter.config_for("report.txt")
    before = ResultCache(tmp_path / "cache", linter).key("report.txt", b"x", config)
    with module_file.open("a", encoding="utf-8") as file:
        file.write("# edited\n")
    after = ResultCache(tmp_path / "cache", linter).key("report.txt", b"x", config)
    assert None not in (before, after)
    assert before != after


def test_a_plugin_with_neither_version_nor_source_turns_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "_distribution_version", lambda name: None)
    cache = ResultCache(tmp_path / "cache", fake_linter({"mystery": ""}))
    assert not cache.enabled
    assert "mystery" in cache.warning
    assert cache.key("report.txt", b"x", LINTER.config_for("report.txt")) is None


def test_a_configuration_that_cannot_be_fingerprinted_is_not_cached(cache):
    config = replace(LINTER.config_for("report.txt"), rules={"TB005": {"max_differences": object()}})
    assert cache.key("report.txt", b"x", config) is None
    assert cache.get(None) is None
    assert not cache.put(None, FileResult("report.txt"))


KEY_IN_ANOTHER_PROCESS = """
import sys
from pathlib import Path
from nianbao.config.files import ConfigResolver, load_config
from nianbao.engine.cache import ResultCache
from nianbao.engine.linter import Linter
from nianbao.plugins.manager import load_plugins
directory, config, report = sys.argv[1:]
linter = Linter(load_plugins(entry_points=False), ConfigResolver(isolated=True))
print(ResultCache(Path(directory), linter).key("report.txt", Path(report).read_bytes(), load_config(Path(config))))
"""


def test_identical_inputs_give_the_identical_key_in_another_process(tmp_path):
    config = write_config(tmp_path / "project", CONFIG, LOCAL_PROFILE)
    here = ResultCache(tmp_path / "cache", LINTER).key("report.txt", REPORT.read_bytes(), config)
    there = subprocess.run(
        [sys.executable, "-c", KEY_IN_ANOTHER_PROCESS, str(tmp_path / "cache"), str(config.path), str(REPORT)],
        capture_output=True,
        text=True,
        check=True,
        cwd=os.getcwd(),
    ).stdout.strip()
    assert there == here


def test_a_second_run_over_unchanged_reports_lints_nothing_and_reports_the_same(tmp_path, monkeypatch):
    """The runner's use: key, get, and on a miss lint and put."""
    linted = []
    original = Linter.lint_bytes
    monkeypatch.setattr(Linter, "lint_bytes", lambda self, data, path: linted.append(path) or original(self, data, path))

    def run() -> list[FileResult]:
        cache = ResultCache(tmp_path / "cache", LINTER)
        results = []
        for path in map(str, EXAMPLES):
            data = read_file_bytes(path)
            key = cache.key(path, data, LINTER.config_for(path))
            hit = cache.get(key)
            if hit is None:
                hit = LINTER.lint_bytes(data, path).lean()
                cache.put(key, hit)
            results.append(hit)
        return results

    first = run()
    assert len(linted) == len(EXAMPLES)
    second = run()
    assert len(linted) == len(EXAMPLES)
    assert all(same(before, after) for before, after in zip(first, second))


# --- the directory ------------------------------------------------------------------------------


def test_the_directory_is_laid_out_like_ruffs(cache, tmp_path):
    key = cache.key("report.txt", b"x", LINTER.config_for("report.txt"))
    assert cache.put(key, FileResult("report.txt"))
    directory = tmp_path / ".nianbao_cache"
    assert (directory / "CACHEDIR.TAG").read_text(encoding="utf-8") == CACHEDIR_TAG
    assert CACHEDIR_TAG.startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (directory / ".gitignore").read_text(encoding="utf-8") == "*\n"
    assert (directory / "0.1.0" / key[:2] / f"{key}.json").is_file()


def test_only_keys_this_cache_makes_name_entries(cache, tmp_path):
    assert not cache.put("../../escaped", FileResult("report.txt"))
    assert cache.get("../../escaped") is None
    assert not list(tmp_path.rglob("escaped*"))


def test_a_result_with_a_crash_is_not_stored(cache):
    crashed = FileResult("report.txt", crashed_rules=["AR001"])
    assert not cache.put("cd" * 32, crashed)
    assert cache.get("cd" * 32) is None


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b'{"format": 1, "key": "',  # cut off while being written by a tool that does not rename
        b"\xff\xfe not json",
        b"[1, 2]",
        b'{"format": 999, "key": "KEY", "result": {}}',  # another layout
        b'{"format": 1, "key": "' + b"0" * 64 + b'", "result": RESULT}',  # another key's entry
        b'{"format": 1, "key": "KEY", "result": {"path": 3}}',
        b'{"format": 1, "key": "KEY", "result": WRONG_LINE}',
        b"[" * 100_000,
    ],
)
def test_a_damaged_entry_is_a_miss_and_is_replaced(cache, damage):
    result = LINTER.lint_path(str(REPORT)).lean()
    key = "ef" * 32
    good = json.dumps(result_to_json(result))
    wrong_line = result_to_json(result)
    wrong_line["diagnostics"][0]["location"][0] = "1"
    wrong_line = json.dumps(wrong_line)
    damage = damage.replace(b"KEY", key.encode()).replace(b"RESULT", good.encode()).replace(b"WRONG_LINE", wrong_line.encode())
    entry = cache._entry(key)
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_bytes(damage)
    assert cache.get(key) is None
    assert same(stored_copy(cache, result, key), result)


def test_an_unusable_directory_only_turns_the_cache_off_with_one_message(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("", encoding="utf-8")
    cache = ResultCache(blocker / "cache", LINTER)
    assert not cache.enabled
    assert cache.warning.startswith(f"缓存目录 {blocker / 'cache'} 无法使用")
    assert cache.key("report.txt", b"x", LINTER.config_for("report.txt")) is None
    assert not cache.put("ab" * 32, FileResult("report.txt"))
    assert cache.prune() == 0


def test_a_directory_of_something_else_is_left_untouched(tmp_path):
    reports = tmp_path / "reports"
    (reports / "2021").mkdir(parents=True)
    (reports / "2021" / "年报.txt").write_text("报告", encoding="utf-8")
    cache = ResultCache(reports, LINTER)
    assert not cache.enabled
    assert "CACHEDIR.TAG" in cache.warning
    assert sorted(path.name for path in reports.iterdir()) == ["2021"]


def test_an_empty_directory_becomes_the_cache(tmp_path):
    (tmp_path / "cache").mkdir()
    assert ResultCache(tmp_path / "cache", LINTER).enabled
    assert (tmp_path / "cache" / "CACHEDIR.TAG").is_file()


def test_pruning_removes_other_versions_only(tmp_path):
    directory = tmp_path / "cache"
    old = ResultCache(directory, LINTER, version="0.0.9")
    assert old.put("ab" * 32, FileResult("report.txt"))
    current = ResultCache(directory, LINTER)
    assert current.put("ab" * 32, FileResult("report.txt"))
    (directory / "2021").mkdir()  # not a version folder this cache made
    assert current.prune() == 1
    assert sorted(path.name for path in directory.iterdir()) == [".gitignore", "0.1.0", "2021", "CACHEDIR.TAG"]
    assert current.get("ab" * 32) == FileResult("report.txt")


def write_entries_repeatedly(directory: str, rounds: int) -> list[str]:
    """Store the results of every example report ``rounds`` times, reading each back after every
    write; what went wrong, as messages (none expected)."""
    linter = Linter(load_plugins(entry_points=False), ConfigResolver(isolated=True))
    cache = ResultCache(Path(directory), linter)
    work = []
    for path in EXAMPLES:
        data = read_file_bytes(str(path))
        work.append((cache.key(str(path), data, linter.config_for(str(path))), linter.lint_bytes(data, str(path)).lean()))
    problems = []
    for _ in range(rounds):
        for key, result in work:
            if not cache.put(key, result):
                problems.append(f"not stored: {cache.warning}")
            # Once an entry exists, a rename only ever replaces it by a whole one: never a miss.
            if not same(cache.get(key), result):
                problems.append(f"{result.path}: read back wrong while another process writes")
    return problems


def test_processes_writing_the_same_entries_at_once_leave_only_whole_ones(tmp_path):
    directory = tmp_path / "shared"
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        outcomes = pool.starmap(write_entries_repeatedly, [(str(directory), 30)] * 4)
    assert outcomes == [[]] * 4
    entries = list(directory.rglob("*.json"))
    assert len(entries) == len(EXAMPLES)
    for entry in entries:
        assert json.loads(entry.read_text(encoding="utf-8"))["key"] == entry.stem
    assert not [path for path in directory.rglob("*") if path.name.endswith(".tmp")]
