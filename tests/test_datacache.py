"""Derived data kept between runs: reused while nothing changed, rebuilt otherwise, never in the way."""

from __future__ import annotations

import pytest

from nianbao.data import cache as datacache


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("NIANBAO_NO_CACHE", raising=False)
    return tmp_path / "nianbao"


def counting_build(calls: list, value):
    def build():
        calls.append(1)
        return value

    return build


def test_a_result_is_built_once_and_then_reused(cache_home):
    calls: list = []
    assert datacache.cached("probe", counting_build(calls, {"a": 1})) == {"a": 1}
    assert datacache.cached("probe", counting_build(calls, {"a": 2})) == {"a": 1}
    assert len(calls) == 1
    assert (cache_home / "probe.pickle").is_file()


def test_a_different_dependency_rebuilds(cache_home):
    calls: list = []
    datacache.cached("probe", counting_build(calls, 1), depends_on=("v1",))
    assert datacache.cached("probe", counting_build(calls, 2), depends_on=("v2",)) == 2
    assert len(calls) == 2


def test_a_changed_package_file_rebuilds(cache_home, monkeypatch):
    calls: list = []
    datacache.cached("probe", counting_build(calls, 1))
    monkeypatch.setattr(datacache, "_key", lambda: ("another", "signature"))
    assert datacache.cached("probe", counting_build(calls, 2)) == 2
    assert len(calls) == 2


def test_a_changed_deriving_module_rebuilds(cache_home, tmp_path, monkeypatch):
    """The module that derives a value is part of its key (rules' builders live outside the package)."""
    import importlib

    module_file = tmp_path / "deriving_probe.py"
    module_file.write_text("def build():\n    return 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("deriving_probe")
    assert datacache.cached("probe", module.build) == 1
    module_file.write_text("def build():\n    return 22\n", encoding="utf-8")  # another size: a new stamp
    datacache._module_stamp.cache_clear()  # a new run reads the stamps afresh
    module = importlib.reload(module)
    assert datacache.cached("probe", module.build) == 22


def test_a_damaged_cache_file_is_rebuilt(cache_home):
    cache_home.mkdir(parents=True)
    (cache_home / "probe.pickle").write_bytes(b"not a pickle")
    assert datacache.cached("probe", lambda: "fresh") == "fresh"
    assert datacache.cached("probe", lambda: "other") == "fresh"


def test_an_unusable_cache_place_only_means_building_again(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    calls: list = []
    assert datacache.cached("probe", counting_build(calls, 1)) == 1
    assert datacache.cached("probe", counting_build(calls, 1)) == 1
    assert len(calls) == 2


def test_no_cache_switch(cache_home, monkeypatch):
    monkeypatch.setenv("NIANBAO_NO_CACHE", "1")
    calls: list = []
    datacache.cached("probe", counting_build(calls, 1))
    datacache.cached("probe", counting_build(calls, 1))
    assert len(calls) == 2
    assert not cache_home.exists()
