"""The project's shape: import names, layering, packaging and one rule per file."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

from nianbao.api import Rule
from nianbao.rules import FAMILIES

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


# Which stages of the pipeline a core package may import at run time (imports under
# ``if TYPE_CHECKING:`` are only for annotations): data flows one way, no stage reaches back up.
# The front doors (cli, api, testing, __main__) may import anything.
STAGES = {
    "data": set(),
    "read": {"data", "text"},
    "text": {"data"},
    "variants": {"data", "text"},
    "parse": {"data", "text"},
    "tables": {"data", "text", "parse", "variants"},
    "document": {"data", "read", "text", "parse", "tables", "variants"},
    "config": {"data", "text", "variants"},
    "plugins": {"data", "text", "parse", "tables", "variants", "document"},
    "builtin": {"plugins", "text"},
    "engine": {"data", "read", "text", "parse", "tables", "variants", "document", "config", "plugins"},
    "corpus": {"data", "text", "variants", "document", "config", "plugins", "engine"},
    "output": {"data", "read", "text", "parse", "document", "plugins", "engine", "config", "corpus"},
}
FRONT_DOORS = {"cli", "api", "testing", "__main__", "__init__"}


def runtime_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    annotation_only = {
        id(child)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        for child in ast.walk(node)
    }
    names = []
    for node in ast.walk(tree):
        if id(node) in annotation_only:
            continue
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def stage_of(path: Path) -> str:
    relative = path.relative_to(ROOT / "core")
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def test_every_core_module_belongs_to_a_stage():
    unplaced = [
        str(path.relative_to(ROOT))
        for path in python_files("core")
        if stage_of(path) not in STAGES | dict.fromkeys(FRONT_DOORS)
    ]
    assert unplaced == []


def test_core_stages_import_only_the_stages_before_them():
    offenders = []
    for path in python_files("core"):
        stage = stage_of(path)
        if stage in FRONT_DOORS:
            continue
        for name in runtime_imports(path):
            parts = name.split(".")
            if parts[0] != "nianbao" or len(parts) < 2 or parts[1] in ("grammars", "__version__"):
                continue
            target = parts[1] if parts[1] in STAGES else None
            if target != stage and target not in STAGES[stage]:
                offenders.append(f"{path.relative_to(ROOT)} ({stage}): {name}")
    assert offenders == []


MAX_CORE_MODULE_LINES = 600


def test_no_core_module_is_longer_than_a_reader_can_hold():
    long = [
        f"{path.relative_to(ROOT)}: {len(path.read_text(encoding='utf-8').splitlines())} lines"
        for path in python_files("core")
        if len(path.read_text(encoding="utf-8").splitlines()) > MAX_CORE_MODULE_LINES
    ]
    assert long == []


def rule_family(path: Path) -> str | None:
    relative = path.relative_to(ROOT / "rules")
    return relative.parts[0] if len(relative.parts) > 1 else None


def test_rules_use_the_public_api_and_their_own_family_only():
    """A rule may import nianbao.api and its own family's helpers: what a built-in rule can do, a
    plugin can do, and families share nothing behind the API's back."""
    offenders = []
    for path in python_files("rules"):
        family = rule_family(path)
        for name in imported_modules(path):
            if not name.startswith("nianbao"):
                continue
            if name == "nianbao.api" or (family and name.startswith(f"nianbao.rules.{family}.")):
                continue
            if family is None and name.startswith("nianbao.plugins."):  # the package that registers the families
                continue
            offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []


def test_core_names_builtin_rule_packages_only_as_data():
    """Built-in plugins are registered by module name, not imported by core."""
    from nianbao.plugins.manager import BUILTIN_PLUGINS

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


RULE_FILE = re.compile(r"^[a-z]{2,5}\d{3}_\w+\.py$")


def rule_modules() -> list[Path]:
    return [
        path
        for folder in ("rules", "core/builtin")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if RULE_FILE.match(path.name)
    ]


def test_every_module_of_a_rule_family_is_a_rule_or_a_named_helper():
    """Rule files carry the code in their name; anything else in a family is its shared analysis."""
    for path in python_files("rules"):
        assert rule_family(path) in (None, *FAMILIES), path
    assert {path.parent.name for path in rule_modules() if path.parent.name != "builtin"} == set(FAMILIES)


@pytest.mark.parametrize("path", rule_modules(), ids=lambda path: path.name)
def test_one_rule_per_file_with_metadata_and_doc(path: Path):
    import importlib

    package = "nianbao.builtin" if path.parent.name == "builtin" else f"nianbao.rules.{path.parent.name}"
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
