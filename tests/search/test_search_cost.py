"""What a search costs does not grow with its matches (benchmarks/search_bench.py measures
the time): the site search loads only the pages it returns, and the admin's search runs as
many queries for many matches as for few."""

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page

pytestmark = pytest.mark.slow


@pytest.fixture
def many(article_factory):
    """30 articles holding 托育, one of them in its title."""
    article_factory(title="托育标题")
    return [article_factory(title=f"资讯{n}", summary="托育服务") for n in range(29)]


def pages_loaded(run) -> int:
    loaded = []

    def count(sender, instance, **kwargs):
        if isinstance(instance, Page):
            loaded.append(instance.pk)

    post_init.connect(count)
    try:
        run()
    finally:
        post_init.disconnect(count)
    return len(loaded)


def test_site_search_loads_only_the_pages_it_returns(gql, many):
    query = '{ search(query: "托育", perPage: 3) { totalCount items { page { id } } } }'

    def run():
        data = gql(query)["search"]
        assert data["totalCount"] == 30 and len(data["items"]) == 3

    # The three hits (and the site's root page); the 27 others stay rows of the database.
    assert pages_loaded(run) <= 4


def admin_search_queries(admin_client, url_name, *args):
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(reverse(url_name, args=args), {"q": "托育"})
    assert response.status_code == 200
    assert "托育标题" in response.content.decode()
    return [query["sql"] for query in queries]


def test_admin_search_query_count_does_not_grow_with_the_matches(admin_client, many):
    admin_search_queries(admin_client, "wagtailadmin_pages:search")  # one-off lookups
    with_30 = len(admin_search_queries(admin_client, "wagtailadmin_pages:search"))
    for article in many[:10]:
        article.summary = "足球"
        article.save_revision().publish()
    assert with_30 == len(admin_search_queries(admin_client, "wagtailadmin_pages:search"))
