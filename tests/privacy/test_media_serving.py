"""Files of private collections are never served without the check, in every mode.

Real files: images drawn by Pillow and documents, written to a temporary MEDIA_ROOT on
the file system (the tests' in-memory storage has no files to serve).
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from cms.core.factories import ImageFactory

PDF = b"%PDF-1.4 internal minutes"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return tmp_path


@pytest.fixture(params=["django", "nginx", "apache"])
def mode(request, settings):
    settings.CMS_SERVE_MEDIA = request.param == "django"
    settings.CMS_MEDIA_ACCEL = "none" if request.param == "django" else request.param
    return request.param


@pytest.fixture
def files(db, media_root):
    root = Collection.get_first_root_node()
    restricted = root.add_child(name="内部资料")
    restriction = CollectionViewRestriction.objects.create(
        collection=restricted, restriction_type=CollectionViewRestriction.PASSWORD, password="x"
    )
    private = restricted.add_child(name="内部资料/2025")
    public = root.add_child(name="公开图片")
    documents = get_document_model().objects
    made = {"restriction": restriction}
    for name, collection in (("private", private), ("public", public)):
        image = ImageFactory(collection=collection, file__filename=f"{name}.jpg")
        made[name] = {
            "original": image.file.name,
            "rendition": image.get_rendition("fill-160x160").file.name,
            "document": documents.create(
                title=f"{name} 文件",
                file=ContentFile(PDF, name=f"{name}.pdf"),
                collection=collection,
            ),
        }
    return made


def _paths(files, which):
    item = files[which]
    return [item["original"], item["rendition"], item["document"].file.name]


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _assert_served(response, path, mode, media_root):
    assert response.status_code == 200, response
    if mode == "django":
        assert _body(response) == (media_root / path).read_bytes()
    elif mode == "nginx":
        assert response["X-Accel-Redirect"] == f"/_protected_media/{path}"
        assert _body(response) == b""
    else:
        assert response["X-Sendfile"] == str(media_root / path)


def _assert_refused(response, files):
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到该文件。"}
    assert "X-Accel-Redirect" not in response and "X-Sendfile" not in response
    assert PDF not in _body(response)


def test_private_originals_renditions_and_documents_are_refused_anonymously(client, files, mode):
    for path in _paths(files, "private"):
        _assert_refused(client.get(f"/media/{path}"), files)


def test_public_files_are_served_and_cacheable(client, files, mode, media_root):
    for path in _paths(files, "public"):
        response = client.get(f"/media/{path}")
        _assert_served(response, path, mode, media_root)
        assert response["Cache-Control"] == "public, max-age=3600"


def test_an_editor_gets_private_files_uncached(files, mode, media_root):
    editor = get_user_model().objects.create_superuser("editor", "e@example.cn", "pw")
    client = Client()
    client.force_login(editor)
    for path in _paths(files, "private"):
        response = client.get(f"/media/{path}")
        _assert_served(response, path, mode, media_root)
        assert response["Cache-Control"] == "private, no-store"


def test_the_collection_password_form_opens_private_files(files, mode, media_root):
    client = Client()
    path = files["private"]["original"]
    _assert_refused(client.get(f"/media/{path}"), files)
    restriction = files["restriction"]
    response = client.post(
        f"/documents/authenticate_with_password/{restriction.pk}/",
        {"password": "x", "return_url": "/"},
    )
    assert response.status_code == 302
    _assert_served(client.get(f"/media/{path}"), path, mode, media_root)


def test_wagtail_document_view_checks_the_collection_above(client, files, mode, media_root):
    private = files["private"]["document"]
    response = client.get(f"/documents/{private.pk}/{private.filename}")
    assert PDF not in _body(response)
    assert "X-Accel-Redirect" not in response and "X-Sendfile" not in response
    public = files["public"]["document"]
    response = client.get(f"/documents/{public.pk}/{public.filename}")
    _assert_served(response, public.file.name, mode, media_root)


def test_no_media_is_served_when_no_mode_is_on(client, files, settings):
    settings.CMS_SERVE_MEDIA = False
    settings.CMS_MEDIA_ACCEL = "none"
    for path in _paths(files, "public"):
        _assert_refused(client.get(f"/media/{path}"), files)


@pytest.mark.parametrize(
    "path",
    [
        "../settings/base.py",
        "original_images/../../x",
        "unknown.jpg",
        # PostgreSQL refuses NUL in text: a lookup would end in a 500, not a 404.
        "original_images/a%00b.jpg",
    ],
)
def test_paths_outside_media_or_of_no_file_are_refused(client, files, settings, path):
    settings.CMS_SERVE_MEDIA = True
    _assert_refused(client.get(f"/media/{path}"), files)


SCRIPTED = {
    "html": b"<html><script>window.__pwned=1</script></html>",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=1"></svg>',
}


@pytest.mark.parametrize("extension", SCRIPTED)
def test_documents_that_could_run_script_are_sandboxed_downloads(
    client, files, mode, media_root, extension
):
    document = get_document_model().objects.create(
        title="上传的网页",
        file=ContentFile(SCRIPTED[extension], name=f"notice.{extension}"),
        collection=files["public"]["document"].collection,
    )
    path = document.file.name
    response = client.get(f"/media/{path}")
    _assert_served(response, path, mode, media_root)
    assert response["Content-Disposition"].startswith("attachment;")
    assert f".{extension}" in response["Content-Disposition"]
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_raster_images_are_shown_inline_and_not_sniffed(client, files, mode):
    for path in _paths(files, "public")[:2]:
        response = client.get(f"/media/{path}")
        assert not response.get("Content-Disposition", "inline").startswith("attachment")
        assert "Content-Security-Policy" not in response
        assert response["X-Content-Type-Options"] == "nosniff"
    document = client.get(f"/media/{files['public']['document'].file.name}")
    assert document["Content-Disposition"].startswith("attachment;")


def test_each_media_request_costs_at_most_one_lookup(files, django_assert_num_queries):
    from cms.door.media_serving import owner_of

    found = _paths(files, "public")
    misses = ["original_images/none.jpg", "images/none.jpg", "documents/none.pdf"]
    for path in [*found, *misses, "avatar_images/avatar_none.png"]:
        with django_assert_num_queries(1):
            owner = owner_of(path)
        assert (owner is not None) == (path in found), path
    for path in ["unknown.jpg", "elsewhere/x.jpg", "documents/"]:
        with django_assert_num_queries(0):
            assert owner_of(path) is None
