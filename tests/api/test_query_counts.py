"""No N+1: a list costs the same number of SQL queries for 10 items as for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.factories import (
    ArticleCategoryFactory,
    ArticleSourceFactory,
    RecommendedReadingFactory,
)
from cms.core.factories import ImageFactory
from tests.support.queries import data_queries

LIST_QUERY = """query($n: Int) { articles(perPage: $n) { totalCount items {
  title url publishedAt summary
  cover { alt rendition(filter: "fill-640x360") { url width height } srcset(widths: [320, 640]) }
  categories { name slug } tags { name slug } sources { name url }
  recommendedReading { title url article { title } } } } }"""


def count_queries(gql, n):
    with CaptureQueriesContext(connection) as queries:
        data = gql(LIST_QUERY, {"n": n})
    assert len(data["articles"]["items"]) == n
    return len(data_queries(queries))


@pytest.fixture
def many_articles(article_factory):
    categories = [ArticleCategoryFactory() for _ in range(3)]
    image = ImageFactory()
    target = article_factory(title="被推荐")
    for n in range(60):
        article = article_factory(cover_image=image if n % 2 else ImageFactory(file__width=800))
        article.categories.add(categories[n % 3])
        article.tags.add(f"标签{n % 4}", "托育")
        article.save()
        ArticleSourceFactory(page=article)
        RecommendedReadingFactory(page=article, article=target)
    return categories


@pytest.mark.slow
def test_list_query_count_does_not_grow_with_page_size(gql, many_articles):
    count_queries(gql, 50)  # first run renders and stores the renditions
    count_queries(gql, 10)
    assert count_queries(gql, 10) == count_queries(gql, 50)


@pytest.mark.slow
def test_list_query_count_is_small(gql, many_articles):
    count_queries(gql, 50)
    # site, the sites' API access settings, visibility, private collections, count, items,
    # renditions, categories, sources, tags, recommended, plus Wagtail's site-root lookup.
    assert count_queries(gql, 50) <= 12


def test_categories_query_count_is_constant(gql, db):
    for _ in range(30):
        ArticleCategoryFactory()
    with CaptureQueriesContext(connection) as queries:
        assert len(gql("{ articleCategories { name slug } }")["articleCategories"]) == 30
    assert len(data_queries(queries)) == 2  # the sites (with their API settings), categories
