"""Media in one S3-compatible bucket, shared by two app servers with separate local disks.

moto's standalone S3 server (a process on loopback, spoken to over HTTP by boto3 as any
bucket is), two gunicorn servers on one PostgreSQL and one Redis, each with a MEDIA_ROOT of
its own that must stay empty.
"""

import io
import time
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import requests
from botocore.auth import S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from PIL import Image

from tests.support.app_server import manage
from tests.support.fault_env import fault_database  # noqa: F401 (fixture)
from tests.support.scale_env import (
    ACCESS_KEY,
    REGION,
    SECRET_KEY,
    S3Server,
    SiteServer,
    app_env,
    csrf,
    local_files,
)

pytestmark = pytest.mark.slow

SIGNED_SECONDS = 120
PDF = b"%PDF-1.4\n% private childcare price list\n%%EOF\n"
SETUP = """
from django.core.files.base import ContentFile
from django.contrib.auth import get_user_model
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page, Site
from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from home.factories import HomePageFactory
home = HomePageFactory(parent=Page.get_first_root_node(), slug="childcare")
Site.objects.filter(is_default_site=True).update(root_page=home, hostname="localhost")
index = ArticleIndexPageFactory(parent=home)
article = ArticlePageFactory(parent=index, title="封面文章", cover_image=None)
get_user_model().objects.create_superuser("admin", "a@example.com", "pw-Scale-1")
private = Collection.get_first_root_node().add_child(name="内部资料")
restriction = CollectionViewRestriction.objects.create(
    collection=private, restriction_type=CollectionViewRestriction.PASSWORD, password="secret"
)
document = get_document_model().objects.create(
    title="价目表", collection=private, file=ContentFile({pdf!r}, name="price-list.pdf")
)
print(article.pk, document.pk, restriction.pk)
"""
SET_COVER = """
from articles.models import ArticlePage
from wagtail.images import get_image_model
article = ArticlePage.objects.get(pk={article})
article.cover_image = get_image_model().objects.get(title="园所外景")
article.save_revision().publish()
print(article.cover_image_id)
"""
COVER = """{{ article(id: {article}) {{ cover {{
  rendition(filter: "fill-320x180") {{ url width height }} srcset(widths: [320, 640]) }} }} }}"""


def _png(width=800, height=600) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def topology(fault_database, tmp_path_factory):  # noqa: F811
    var = tmp_path_factory.mktemp("storage")
    s3 = S3Server(var / "s3.log")
    env = app_env(fault_database, var, CMS_MEDIA_SIGNED_URL_SECONDS=str(SIGNED_SECONDS), **s3.env())
    ids = manage(env, "shell", "-c", SETUP.format(pdf=PDF)).split()
    article, document, restriction = (int(value) for value in ids[-3:])
    servers = [SiteServer(env, var, name) for name in ("one", "two")]
    try:
        for server in servers:
            server.start()
        yield {
            "s3": s3,
            "env": env,
            "servers": servers,
            "article": article,
            "document": document,
            "restriction": restriction,
        }
    finally:
        for server in servers:
            server.stop()
        s3.stop()


def _media_path(url: str) -> str:
    path = urlsplit(url).path
    assert path.startswith("/media/"), url
    return path


def test_an_image_uploaded_through_one_server_is_served_with_renditions_through_the_other(
    topology,
):
    one, two = topology["servers"]
    s3 = topology["s3"]
    admin = one.login("admin", "pw-Scale-1")
    form = one.get(admin, "/admin/images/add/")
    upload = one.post(
        admin,
        "/admin/images/add/",
        data={"title": "园所外景", "collection": "1", "csrfmiddlewaretoken": csrf(form)},
        files={"file": ("garden.png", _png(), "image/png")},
    )
    assert upload.status_code == 302, upload.text[:500]
    manage(topology["env"], "shell", "-c", SET_COVER.format(article=topology["article"]))

    cover = two.graphql(COVER.format(article=topology["article"]))["article"]["cover"]
    rendition = cover["rendition"]
    assert (rendition["width"], rendition["height"]) == (320, 180)
    for server in (two, one):
        response = server.get(server.session(), _media_path(rendition["url"]))
        assert response.status_code == 200, response.text[:200]
        assert response.headers["Content-Type"] == "image/webp"
        assert Image.open(io.BytesIO(response.content)).size == (320, 180)
        assert response.headers["Cache-Control"].startswith("public")
    for entry in cover["srcset"].split(", "):
        url, width = entry.split(" ")
        response = one.get(one.session(), _media_path(url))
        assert response.status_code == 200
        assert Image.open(io.BytesIO(response.content)).size[0] == int(width.rstrip("w"))

    # Made once, by the server asked first: the other finds the same files.
    again = one.graphql(COVER.format(article=topology["article"]))["article"]["cover"]
    assert again == cover
    keys = s3.object_keys()
    assert sum(key.startswith("original_images/garden") for key in keys) == 1
    assert sum(key.startswith("images/garden") for key in keys) == 3  # 320x180, 320w, 640w
    assert local_files(one.media_root) == [] and local_files(two.media_root) == []
    # The bucket itself answers no one without a signature, public image or not.
    original = next(key for key in keys if key.startswith("original_images/"))
    assert requests.get(f"{s3.endpoint}/{s3.bucket}/{original}", timeout=10).status_code == 403


def _signature(url: str, expires: int) -> str:
    """The SigV4 query signature of ``url``'s object, date and region for ``expires``."""
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    extra = [
        f"{key}={quote(value, safe='')}"
        for key, value in query.items()
        if not key.startswith("X-Amz-")
    ]
    request = AWSRequest(
        method="GET", url=f"{parts.scheme}://{parts.netloc}{parts.path}?{'&'.join(extra)}"
    )
    signer = S3SigV4QueryAuth(Credentials(ACCESS_KEY, SECRET_KEY), "s3", REGION, expires=expires)
    # Signed at the URL's own time: botocore's add_auth signs at the current second, which a
    # slow run has left by the time it checks.
    request.context["timestamp"] = query["X-Amz-Date"]
    signer._modify_request_before_signing(request)
    return signer.signature(
        signer.string_to_sign(request, signer.canonical_request(request)), request
    )


def test_a_private_document_is_refused_anonymously_and_served_signed_after_the_check(topology):
    one, two = topology["servers"]
    s3 = topology["s3"]
    document, restriction = topology["document"], topology["restriction"]
    key = next(key for key in s3.object_keys() if key.startswith("documents/price-list"))

    anonymous = two.session()
    refused = two.get(anonymous, f"/media/{key}")
    assert refused.status_code == 404
    assert PDF not in refused.content and "Location" not in refused.headers
    wagtail_view = two.get(anonymous, f"/documents/{document}/price-list.pdf")
    # Wagtail's own view answers with the collection's password form.
    assert wagtail_view.status_code == 200
    assert f"authenticate_with_password/{restriction}/" in wagtail_view.text
    assert PDF not in wagtail_view.content
    # Straight at the bucket, without a signature: refused too.
    assert requests.get(f"{s3.endpoint}/{s3.bucket}/{key}", timeout=10).status_code == 403

    # The collection's password, entered through one server; the other honours the session.
    reader = one.session()
    form = one.get(reader, f"/documents/authenticate_with_password/{restriction}/?return_url=/")
    passed = one.post(
        reader,
        f"/documents/authenticate_with_password/{restriction}/",
        data={"password": "secret", "return_url": "/", "csrfmiddlewaretoken": csrf(form)},
    )
    assert passed.status_code == 302
    to_media = two.get(reader, f"/documents/{document}/price-list.pdf")
    assert to_media.status_code == 302
    assert to_media.headers["Location"] == f"/media/{key}"
    signed = two.get(reader, f"/media/{key}")
    assert signed.status_code == 302
    assert signed.headers["Cache-Control"] == "private, no-store"
    url = signed.headers["Location"]
    assert url.startswith(f"{s3.endpoint}/{s3.bucket}/{key}?")
    fetched = requests.get(url, timeout=10)
    assert fetched.status_code == 200
    assert fetched.content == PDF
    assert fetched.headers["Content-Disposition"].startswith("attachment")

    # It expires: SIGNED_SECONDS from its signing time, and that limit is signed.
    query = {key_: values[0] for key_, values in parse_qs(urlsplit(url).query).items()}
    assert int(query["X-Amz-Expires"]) == SIGNED_SECONDS
    signed_at = time.mktime(time.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ")) - time.timezone
    assert abs(signed_at - time.time()) < 60
    # moto does not enforce the expiry (S3, OSS, COS and MinIO do): the test checks that the
    # limit is inside what the bucket's key signed, so no client can lengthen it.
    assert _signature(url, SIGNED_SECONDS) == query["X-Amz-Signature"]
    assert _signature(url, SIGNED_SECONDS + 3600) != query["X-Amz-Signature"]
