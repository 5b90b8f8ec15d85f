"""The project's shape: import names, layering, packaging and one rule per file."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from nianbao.rule import Rule

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
FOLDER_PACKAGES = {"core": "nianbao", "grammars": "nianbao.grammars", "rules": "nianbao.rules"}


def python_files(*folders: str) -> list[Path]:
    found = []
    for folder in folders:
        found.extend(
            path for path in (ROOT / folder).rglob("*.py") if "build" not in path.parts and ".venv" not in path.parts
        )
    return sorted(found)


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_folders_are_never_imported_by_their_folder_names():
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in python_files("core", "grammars", "rules", "plugins", "tests", "scripts")
        for name in imported_modules(path)
        if name.split(".")[0] in {"core", "rules", "grammars", "plugins"}
    ]
    assert offenders == []


def test_core_never_imports_rules_or_plugins():
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in python_files("core")
        for name in imported_modules(path)
        if name == "nianbao.rules" or name.startswith("nianbao.rules.") or name.startswith("nianbao_")
    ]
    assert offenders == []


def test_rules_share_logic_through_core_not_through_each_other():
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in python_files("rules")
        for name in imported_modules(path)
        if name.startswith("nianbao.rules.")
    ]
    assert offenders == []


def test_core_names_builtin_rule_packages_only_as_data():
    """Built-in plugins are registered by module name, not imported by core."""
    from nianbao.plugins import BUILTIN_PLUGINS

    assert ("nianbao.rules", "nianbao.rules") in BUILTIN_PLUGINS


def declared_packages() -> set[str]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = pyproject["tool"]["setuptools"]
    assert setuptools["package-dir"] == {package: folder for folder, package in FOLDER_PACKAGES.items()}
    return set(setuptools["packages"])


def packages_on_disk() -> set[str]:
    found = set()
    for folder, package in FOLDER_PACKAGES.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(ROOT / folder)
            found.add(".".join([package, *relative.parts]))
    return found


def test_packaging_list_matches_the_tree():
    assert declared_packages() == packages_on_disk()


def test_package_data_is_declared_for_every_data_file():
    from fnmatch import fnmatch

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_data = pyproject["tool"]["setuptools"]["package-data"]
    grammar_files = list((ROOT / "grammars").glob("*.lark"))
    assert grammar_files and package_data["nianbao.grammars"] == ["*.lark"]
    data_root = ROOT / "core" / "data"
    undeclared = [
        str(path.relative_to(data_root))
        for path in data_root.rglob("*")
        if path.is_file()
        and path.suffix not in (".py", ".pyc")
        and not any(fnmatch(path.relative_to(data_root).as_posix(), glob) for glob in package_data["nianbao.data"])
    ]
    assert undeclared == []


def rule_modules() -> list[Path]:
    return [
        path
        for folder in ("rules", "core/builtin")
        for path in sorted((ROOT / folder).glob("*.py"))
        if not path.name.startswith("_")
    ]


@pytest.mark.parametrize("path", rule_modules(), ids=lambda path: path.name)
def test_one_rule_per_file_with_metadata_and_doc(path: Path):
    import importlib

    package = "nianbao.rules" if path.parent.name == "rules" else "nianbao.builtin"
    module = importlib.import_module(f"{package}.{path.stem}")
    rules = [
        value
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, Rule) and value.__module__ == module.__name__
    ]
    assert len(rules) == 1, f"{path.name} defines {len(rules)} rules"
    rule = rules[0]
    assert path.stem.startswith(rule.code.lower()), "file name starts with the rule code"
    assert path.stem == f"{rule.code.lower()}_{rule.name.replace('-', '_')}"
    doc = rule.doc()
    for heading in ("## 检查什么", "## 为什么重要", "## 反例", "## 正例"):
        assert heading in doc, f"{rule.code} doc lacks {heading}"
