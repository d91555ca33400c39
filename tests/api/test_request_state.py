"""Per-request state lives in one typed object, ``request.cms`` (cms.core.request_state).

The scan below fails when code in cms/, home/ or articles/ hangs an attribute of its own on a
request (``request.x = ...`` or ``setattr(request, ...)``): such state belongs in a field of
``RequestState``, where every piece of it is listed and typed.
"""

import ast
from pathlib import Path

from django.test import RequestFactory

from cms.core.request_state import RequestState, state_of

BASE_DIR = Path(__file__).resolve().parents[2]
ACCESSOR = BASE_DIR / "cms" / "core" / "request_state.py"
# Names a request goes by in our code, and the objects holding one (info.context, self.request).
REQUEST_NAMES = {"request", "req", "http_request", "context"}
# Wagtail's own cache of Site.find_for_request, filled from the sites we load (cms.api.sites),
# and Django's own language of the request (LocaleMiddleware's, set by cms.door.middleware).
WAGTAILS_OWN = {"_wagtail_site", "_wagtail_cached_site_root_paths", "LANGUAGE_CODE"}


def _is_request(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in REQUEST_NAMES
    if isinstance(node, ast.Attribute):
        return node.attr in {"context", "request"}
    return False


def attributes_hung_on_requests(source: str) -> list[tuple[int, str]]:
    """(line, attribute) of every attribute set on a request in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for part in ast.walk(target):
                if (
                    isinstance(part, ast.Attribute)
                    and isinstance(part.ctx, ast.Store)
                    and _is_request(part.value)
                    and part.attr not in WAGTAILS_OWN
                ):
                    found.append((node.lineno, part.attr))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"setattr", "delattr"}
            and node.args
            and _is_request(node.args[0])
        ):
            name = node.args[1] if len(node.args) > 1 else None
            label = name.value if isinstance(name, ast.Constant) else ast.unparse(name or node)
            found.append((node.lineno, str(label)))
    return sorted(found)


def _project_sources():
    for folder in ("cms", "home", "articles"):
        for path in sorted((BASE_DIR / folder).rglob("*.py")):
            if path != ACCESSOR and "migrations" not in path.parts:
                yield path


def test_no_module_hangs_its_own_attributes_on_the_request():
    sources = list(_project_sources())
    assert len(sources) > 50  # the scan reads the project, not an empty folder
    hung = [
        f"{path.relative_to(BASE_DIR)}:{line}: request.{name}"
        for path in sources
        for line, name in attributes_hung_on_requests(path.read_text())
    ]
    assert hung == [], "keep per-request state in a field of cms.core.request_state.RequestState"


def test_the_scan_finds_each_way_of_hanging_state():
    source = (
        "def view(request, info):\n"
        "    request.api_token = None\n"
        "    info.context.cms_retry_after = 3\n"
        "    setattr(request, '_cms_key', 1)\n"
        "    setattr(info.context, NAME, 1)\n"
        "    self.request.seen += 1\n"
        "    request._wagtail_site = None\n"  # Wagtail's own: allowed
        "    state_of(request).retry_after = 3\n"  # the typed state: allowed
    )
    assert attributes_hung_on_requests(source) == [
        (2, "api_token"),
        (3, "cms_retry_after"),
        (4, "_cms_key"),
        (5, "NAME"),
        (6, "seen"),
    ]


def test_the_state_is_made_once_per_request_and_is_one_attribute():
    factory = RequestFactory()
    request, other = factory.get("/graphql/"), factory.get("/graphql/")
    before = set(vars(request))
    state = state_of(request)
    assert isinstance(state, RequestState)
    assert state_of(request) is state
    assert state_of(other) is not state
    assert set(vars(request)) - before == {"cms"}
    # Typed fields only: a typo is an error, not a new attribute read back as None elsewhere.
    try:
        state.retry_afterr = 3
    except AttributeError:
        pass
    else:
        raise AssertionError("RequestState accepts attributes it does not declare")
