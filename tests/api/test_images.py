"""Images: allowlisted renditions, WebP by default, width-based srcset, real Pillow files."""

import io

import pytest
from django.test import override_settings
from PIL import Image as PILImage

from cms.core.factories import ImageFactory


@pytest.fixture
def covered(article_factory):
    image = ImageFactory(file__width=1600, file__height=900, alt_text="封面")
    article_factory(slug="covered", cover_image=image)
    return image


def cover(gql, selection, variables=None):
    return gql(
        f'query($f: String!) {{ article(slug: "covered") {{ cover {{ {selection} }} }} }}',
        variables or {"f": "fill-640x360"},
    )


def test_rendition_is_webp_by_default_and_has_the_asked_size(gql, covered):
    data = cover(gql, "rendition(filter: $f) { url width height }")
    rendition = data["article"]["cover"]["rendition"]
    assert (rendition["width"], rendition["height"]) == (640, 360)
    assert rendition["url"].startswith("http://localhost/media/images/")
    assert rendition["url"].endswith(".webp")
    stored = covered.renditions.get(filter_spec="fill-640x360|format-webp")
    with stored.file.open() as handle:
        assert PILImage.open(io.BytesIO(handle.read())).format == "WEBP"


def test_rendition_in_jpeg_when_asked(gql, covered):
    data = cover(gql, "rendition(filter: $f, format: JPEG) { url }")
    assert data["article"]["cover"]["rendition"]["url"].endswith(".jpg")


def test_filter_outside_the_allowlist_is_refused(gql, covered):
    errors = gql.errors(
        'query($f: String!) { article(slug: "covered") { cover { rendition(filter: $f) { url } } } }',
        {"f": "fill-4000x4000"},
    )
    assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "filter"}
    assert "fill-4000x4000" in errors[0]["message"]
    assert not covered.renditions.filter(filter_spec__startswith="fill-4000").exists()


@override_settings(CMS_IMAGE_RENDITION_FILTERS=["fill-100x100", "scale-bad"])
def test_malformed_spec_in_the_allowlist_is_a_clear_error(gql, covered):
    errors = gql.errors(
        'query($f: String!) { article(slug: "covered") { cover { rendition(filter: $f) { url } } } }',
        {"f": "scale-bad"},
    )
    assert errors[0]["extensions"]["field"] == "filter"


def test_srcset_lists_allowed_widths_up_to_the_original(gql, covered):
    data = gql('{ article(slug: "covered") { cover { srcset } } }')
    entries = [entry.split(" ") for entry in data["article"]["cover"]["srcset"].split(", ")]
    assert [width for _, width in entries] == ["320w", "640w", "960w", "1280w"]
    assert all(url.endswith(".webp") for url, _ in entries)


def test_srcset_refuses_widths_outside_the_allowlist(gql, covered):
    errors = gql.errors('{ article(slug: "covered") { cover { srcset(widths: [321]) } } }')
    assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "widths"}


def test_srcset_of_a_small_image_never_upscales(gql, article_factory):
    article_factory(slug="small", cover_image=ImageFactory(file__width=200, file__height=100))
    data = gql('{ article(slug: "small") { cover { srcset(widths: [320, 640]) } } }')
    assert data["article"]["cover"]["srcset"].endswith(" 200w")


@override_settings(CMS_MEDIA_BASE_URL="https://cdn.example.com")
def test_media_base_url_prefixes_rendition_urls(gql, covered):
    data = cover(gql, "rendition(filter: $f) { url }")
    assert data["article"]["cover"]["rendition"]["url"].startswith("https://cdn.example.com/media/")
