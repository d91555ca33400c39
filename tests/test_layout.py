"""The HTTP door (cms/door) stands apart: content apps and the GraphQL helpers they use
never import it, and no module of it shares its name with another module of the project."""

import ast
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
NOT_THE_DOOR = [
    "home",
    "articles",
    "cms/api",
    "cms/leads",
    "cms/publishing",
    "cms/search",
    "cms/embed",
]


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("package", NOT_THE_DOOR)
def test_content_apps_do_not_import_the_door(package):
    offenders = [
        str(path.relative_to(BASE_DIR))
        for path in (BASE_DIR / package).rglob("*.py")
        if any(name == "cms.door" or name.startswith("cms.door.") for name in imports_of(path))
    ]
    assert offenders == []


def test_the_doors_modules_have_names_of_their_own():
    others = {
        path.name
        for path in BASE_DIR.rglob("*.py")
        if ".venv" not in path.parts
        and "node_modules" not in path.parts
        and path.parent.name != "door"
        and path.name != "__init__.py"
    }
    door = {path.name for path in (BASE_DIR / "cms" / "door").glob("*.py")} - {"__init__.py"}
    assert door and door & others == set()
