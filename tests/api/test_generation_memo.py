"""The sites and view restrictions every API request reads alike are read once per content
generation (cms.core.generation_memo), and a change a client could see is applied at once:
each test fails when the saving, or the invalidation, is undone."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction, Site

from cms.api import cache_invalidation
from cms.api.models import ApiSettings
from cms.core import generation_memo
from cms.core.factories import ImageFactory

LIST = "{ articles { items { title url cover { title } } } }"
# What a request of an unchanged generation no longer reads.
SHARED_READS = (
    'FROM "wagtailcore_site"',
    'FROM "wagtailcore_pageviewrestriction"',
    '"wagtailcore_collectionviewrestriction"',
)


@pytest.fixture(autouse=True)
def memo(db):
    generation_memo.forget()
    cache_invalidation.generation()  # made by the first GET or change; these tests POST
    with override_settings(CMS_GENERATION_MEMO=True):
        yield
    generation_memo.forget()


def sql_of(gql, query):
    with CaptureQueriesContext(connection) as queries:
        data = gql(query)
    return data, [q["sql"] for q in queries]


def shared_reads(sql):
    return [s for s in sql if any(read in s for read in SHARED_READS)]


def titles(data):
    return [item["title"] for item in data["articles"]["items"]]


@pytest.fixture
def pictured(article_factory):
    album = Collection.get_first_root_node().add_child(name="相册")
    return article_factory(title="公开", cover_image=ImageFactory(title="照片", collection=album))


def test_sites_and_restrictions_are_read_once_per_generation(gql, pictured):
    _, first = sql_of(gql, LIST)
    assert len(shared_reads(first)) >= 3, first
    Site.clear_site_root_paths_cache()  # Wagtail's own copy (a round trip to Redis)
    _, second = sql_of(gql, LIST)
    assert shared_reads(second) == []
    assert len(second) <= len(first) - 3

    cache_invalidation._bump()  # any change a client could see
    _, after_change = sql_of(gql, LIST)
    assert len(shared_reads(after_change)) >= 3


def test_without_a_generation_each_request_reads_its_own(gql, pictured):
    with override_settings(CMS_GENERATION_MEMO=False):
        for _ in range(2):
            _, sql = sql_of(gql, LIST)
            assert len(shared_reads(sql)) >= 3


def test_a_view_restriction_hides_the_page_at_once(
    gql, pictured, django_capture_on_commit_callbacks
):
    for _ in range(3):
        assert titles(gql(LIST)) == ["公开"]
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=pictured, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    assert titles(gql(LIST)) == []


def test_a_collection_restriction_hides_the_image_at_once(
    gql, pictured, django_capture_on_commit_callbacks
):
    for _ in range(3):
        assert gql(LIST)["articles"]["items"][0]["cover"] == {"title": "照片"}
    with django_capture_on_commit_callbacks(execute=True):
        CollectionViewRestriction.objects.create(
            collection=pictured.cover_image.collection,
            restriction_type=CollectionViewRestriction.LOGIN,
        )
    assert gql(LIST)["articles"]["items"][0]["cover"] is None


def test_api_settings_made_with_a_token_required_apply_at_once(
    gql, site, pictured, django_capture_on_commit_callbacks
):
    for _ in range(3):
        assert titles(gql(LIST)) == ["公开"]
    with django_capture_on_commit_callbacks(execute=True):
        ApiSettings.objects.create(site=site, require_token=True)
    assert gql.post(LIST).json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_an_emptied_cache_starts_a_generation_no_process_has_seen(db):
    before = cache_invalidation.generation()
    cache.clear()
    assert cache_invalidation.generation() != before


def test_a_draft_reordered_before_a_restricted_page_leaves_it_hidden(
    gql, article_factory, django_capture_on_commit_callbacks
):
    """Treebeard renumbers the siblings' paths on a reorder; the restricted paths a process
    kept must be read again although no page a client sees moved."""
    article_factory(title="公开")
    restricted = article_factory(title="受限")
    draft = article_factory(title="草稿", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    for _ in range(2):
        assert titles(gql(LIST)) == ["公开"]
    with django_capture_on_commit_callbacks(execute=True):
        draft.move(restricted, pos="left")
    assert titles(gql(LIST)) == ["公开"]


def test_nothing_is_kept_past_its_age_limit(gql, pictured, settings):
    """A dropped increase (Redis blipped) must not hide a change for longer than the answer
    cache would: past CMS_GENERATION_MEMO_SECONDS the shared values are read again."""
    sql_of(gql, LIST)
    settings.CMS_GENERATION_MEMO_SECONDS = 0
    _, sql = sql_of(gql, LIST)
    assert len(shared_reads(sql)) >= 3
