"""GraphiQL loads nothing from a CDN: every file comes from /static/, and each is the exact
file graphene-django's integrity hash names (run `make graphiql` first)."""

import base64
import hashlib
import re

from django.contrib.staticfiles import finders
from django.test import RequestFactory

from cms.door.endpoint import CmsGraphQLView


def test_graphiql_page_loads_only_local_files_with_matching_hashes(db, settings):
    settings.GRAPPLE = {**settings.GRAPPLE, "EXPOSE_GRAPHIQL": True}
    request = RequestFactory().get("/graphql/", HTTP_ACCEPT="text/html")
    html = CmsGraphQLView.as_view(graphiql=True)(request).content.decode()
    assert '<div id="editor">' in html
    assets = re.findall(r'(?:src|href)="([^"]+)"\s+integrity="([^"]+)"', html)
    assert len(assets) == 8, assets
    for url, integrity in assets:
        assert url.startswith("/static/graphiql/"), url
        path = finders.find(url.removeprefix("/static/"))
        assert path, f"{url} is missing: run `make graphiql`"
        with open(path, "rb") as file:
            digest = base64.b64encode(hashlib.sha256(file.read()).digest()).decode()
        assert integrity == f"sha256-{digest}", url
    assert not re.search(r"https?://", html.split("-->", 1)[1])  # nothing off-site
