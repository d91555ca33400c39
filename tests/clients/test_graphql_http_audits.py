"""The GraphQL-over-HTTP specification, as graphql-http's ``serverAudits`` checks it, against
a live production server: every MUST and every SHOULD passes.

The audits probe with introspection (``__type``), which production allows only to token
holders (CMS_API_INTROSPECTION=token). So they run twice: with an API token, and anonymously
against a server that answers introspection to anyone, so the anonymous path (the answer
cache before the view) is audited too.
"""

import json
import subprocess

import pytest

from tests.support.node_clients import node_command

pytestmark = pytest.mark.slow


# Every MUST and SHOULD audit of graphql-http 1.x, by id (test_every_required_audit_is_listed
# tells when an update of the package adds one).
REQUIRED = [
    "22EB",
    "4655",
    "47DE",
    "80D8",
    "82A3",
    "BF61",
    "78D5",
    "2C94",
    "9ABE",
    "03D4",
    "34A2",
    "13EE",
    "8161",
    "B8B3",
    "94B0",
    "0220",
    "94B1",
    "0221",
    "94B2",
    "0222",
    "2EA1",
    "28B9",
    "428F",
    "1B7A",
    "BCF8",
    "B7N8",
    "572B",
    "FDE2",
    "7B9B",
    "865D",
    "556A",
    "D586",
    "51FE",
    "74FF",
    "5E5B",
    "86EE",
]


def _ids(params) -> set[str]:
    return {param if isinstance(param, str) else param.values[0] for param in params}


@pytest.fixture(scope="module", params=["token", "anonymous"])
def audits(request, app_server) -> dict[str, dict]:
    if request.param == "token":
        url, env = app_server.url, {"API_TOKEN": app_server.token}
    else:
        url, env = request.getfixturevalue("open_introspection_url"), {}
    done = subprocess.run(
        node_command("audit.mjs", url),
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return {result["id"]: result for result in json.loads(done.stdout)}


def test_every_required_audit_is_listed(audits):
    required = {
        id for id, result in audits.items() if result["name"].startswith(("MUST", "SHOULD"))
    }
    assert required == _ids(REQUIRED)


@pytest.mark.parametrize("audit_id", REQUIRED)
def test_required_audit_passes(audits, audit_id):
    result = audits[audit_id]
    assert result["status"] == "ok", f"{audit_id} {result['name']}: {result['reason']}"
