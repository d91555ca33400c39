"""The typed client example, generated from schema.graphql, compiled under ``tsc --strict``
and run against the live server: its operations are valid and read what its types say.

(`make clients` in CI generates and type-checks the same example without a server.)
"""

import json
import shutil
import subprocess

import pytest

from tests.support.node_clients import CLIENTS_DIR, node_command

pytestmark = pytest.mark.slow

RUN = """
const { firstPage } = await import(process.argv[1]);
process.stdout.write(JSON.stringify(await firstPage(process.argv[2])));
"""


def _npx(*args: str, cwd=CLIENTS_DIR) -> None:
    npm = shutil.which("npm")
    assert npm is not None, "npm is not installed"
    done = subprocess.run(
        [npm, "exec", "--offline", "--", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]


def test_typed_example_reads_the_list_and_the_newest_article_body(app_server):
    node, compiled = node_command("typed-client/dist/articles.js")
    _npx("graphql-codegen", "--config", "codegen.ts", "--silent", cwd=CLIENTS_DIR / "typed-client")
    _npx("tsc", "--project", "typed-client/tsconfig.json", "--noEmit", "false")

    done = subprocess.run(
        [node, "--input-type=module", "-e", RUN, compiled, app_server.url],
        cwd=CLIENTS_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    page = json.loads(done.stdout)
    assert len(page["titles"]) == 5, page["titles"]
    # The newest demo article: key figures, a quote with its speaker, headings, paragraphs.
    for made_by in ("<dl><dt>", "<blockquote>", "<cite>杜希学</cite>", "<h2>", "<p>"):
        assert made_by in page["html"], (made_by, page["html"][:2000])
