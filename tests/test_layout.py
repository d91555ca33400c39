"""The layout keeps its promises beside the import contracts of `make lint`.

import-linter (pyproject.toml, [tool.importlinter]) checks the imports between the layers it
names; these tests make sure nothing escapes being named: every module directly under
``cms/`` is one of the project's entry points and every package under it is a layer, so
a module added later falls under a contract. The door's modules keep names of their own.
"""

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
# Django's and Wagtail's conventional module names, which every app may have.
LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")
CONVENTIONAL = {"__init__.py", "apps.py", "models.py", "views.py", "wagtail_hooks.py", "admin.py"}
# Modules each app may have for its own part of one concern: its root queries, factories,
# StreamField blocks, GraphQL types, signal receivers and background tasks (a models/
# package's modules are its models.py in parts).
PER_APP = {"schema.py", "factories.py", "blocks.py", "types.py", "signals.py", "tasks.py"}


def _layers() -> list[str]:
    config = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    return [
        name.strip() for layer in contract["layers"] for name in layer.replace(":", "|").split("|")
    ]


def test_every_module_of_the_project_package_is_in_a_layer():
    layers = set(_layers())
    under_cms = {
        f"cms.{path.stem}"
        for path in (BASE_DIR / "cms").iterdir()
        if (path.suffix == ".py" and path.name != "__init__.py")
        or (path.is_dir() and (path / "__init__.py").exists())
    }
    assert under_cms and under_cms - layers == set()


def test_the_doors_modules_have_names_of_their_own():
    others = {
        path.name
        for path in BASE_DIR.rglob("*.py")
        if ".venv" not in path.parts
        and "node_modules" not in path.parts
        and path.parent.name != "door"
    }
    door = {path.name for path in (BASE_DIR / "cms" / "door").glob("*.py")} - CONVENTIONAL
    assert door and door & others == set()


def test_no_two_modules_of_the_platform_or_content_share_a_name():
    seen: dict[str, list[str]] = {}
    for package in ("cms", "home", "articles"):
        for path in (BASE_DIR / package).rglob("*.py"):
            if "migrations" in path.parts or "management" in path.parts:
                continue
            if path.name in CONVENTIONAL or path.name in PER_APP or path.parent.name == "models":
                continue
            seen.setdefault(path.name, []).append(str(path.relative_to(BASE_DIR)))
    assert {name: paths for name, paths in seen.items() if len(paths) > 1} == {}


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def _shares_through_a_test_module(name: str) -> bool:
    """Code a test shares lives in tests/support: a test module or a conftest (pytest's
    plugin, whose fixtures arrive by name) is no place to import from."""
    last = name.split(".")[-1]
    return last.startswith("test_") or last == "conftest"


def test_tests_import_no_other_test_module():
    offenders = [
        str(path.relative_to(BASE_DIR))
        for path in (BASE_DIR / "tests").rglob("*.py")
        if path.name.startswith("test_") or path.name == "conftest.py"
        if any(_shares_through_a_test_module(name) for name in imports_of(path))
    ]
    assert offenders == []


@pytest.mark.slow
def test_the_contracts_catch_a_forbidden_import(tmp_path):
    """A content app importing the door breaks a contract (the linter really runs)."""
    offender = BASE_DIR / "articles" / "_contract_probe.py"
    offender.write_text("from cms.door import answers  # noqa: F401\n")
    try:
        broken = subprocess.run(
            [LINT_IMPORTS, "--no-cache"],
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
        )
    finally:
        offender.unlink()
    kept = subprocess.run(
        [LINT_IMPORTS, "--no-cache"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert broken.returncode != 0, broken.stdout
    assert "articles._contract_probe -> cms.door.answers" in broken.stdout
    assert kept.returncode == 0, kept.stdout


def test_every_project_path_the_readme_names_exists():
    """The README is the map of the layout: a path it names that moved misleads a reader."""
    readme = (BASE_DIR / "README.md").read_text()
    named = set(
        re.findall(
            r"(?<![\w/])((?:cms|home|articles|settings|tests|benchmarks|deploy|frontend)"
            r"/[\w/.-]*\.(?:py|js|conf|html|service))\b",
            readme,
        )
    )
    assert named and sorted(path for path in named if not (BASE_DIR / path).exists()) == []
