"""Article models: page-type rules, validation, defaults."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from articles.factories import ArticleCategoryFactory
from articles.models import ArticleIndexPage, ArticlePage, RecommendedReading
from home.models import HomePage


class PageTypeRulesTests(WagtailPageTestCase):
    def test_home_page_lives_under_the_tree_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_articles_only_under_the_article_index(self):
        self.assertAllowedParentPageTypes(ArticlePage, {ArticleIndexPage})
        self.assertAllowedSubpageTypes(ArticlePage, set())

    def test_article_index_only_under_a_home_page(self):
        self.assertAllowedParentPageTypes(ArticleIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ArticleIndexPage, {ArticlePage})


def test_one_article_index_per_site(index, home):
    assert not ArticleIndexPage.can_create_at(home)


def test_a_second_site_can_have_its_own_index(index, db):
    from home.factories import HomePageFactory

    other_home = HomePageFactory(parent=Page.get_first_root_node(), slug="other")
    assert ArticleIndexPage.can_create_at(other_home)


def test_chinese_slug_is_kept(article_factory):
    article = article_factory(title="托育新政", slug="托育新政")
    article.full_clean()
    assert ArticlePage.objects.get(pk=article.pk).slug == "托育新政"


def test_summary_is_required(article_factory):
    article = article_factory()
    article.summary = ""
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "summary" in error.value.message_dict


def test_recommended_reading_needs_exactly_one_target(article_factory):
    article, other = article_factory(), article_factory()
    with pytest.raises(ValidationError):
        RecommendedReading(page=article).clean()
    with pytest.raises(ValidationError):
        RecommendedReading(page=article, article=other, external_url="https://example.com/").clean()
    with pytest.raises(ValidationError) as error:
        RecommendedReading(page=article, external_url="https://example.com/").clean()
    assert "title" in error.value.message_dict
    RecommendedReading(page=article, article=other).clean()
    RecommendedReading(page=article, external_url="https://example.com/", title="外部").clean()


def test_category_ordering_and_name(db):
    second = ArticleCategoryFactory(name="行业动态", sort_order=2)
    first = ArticleCategoryFactory(name="政策解读", sort_order=1)
    from articles.models import ArticleCategory

    assert list(ArticleCategory.objects.all()) == [first, second]
    assert str(first) == "政策解读"


def test_editors_see_chinese_labels_and_messages(article_factory):
    from django.utils import translation

    article, other = article_factory(), article_factory()
    with translation.override("zh-hans"):
        assert str(ArticlePage._meta.verbose_name) == "文章"
        assert str(ArticlePage._meta.get_field("published_at").verbose_name) == "发布时间"
        with pytest.raises(ValidationError) as error:
            RecommendedReading(page=article, article=other, external_url="https://e.com/").clean()
        assert error.value.messages == ["请选择站内文章或填写外部链接,二者只能选其一。"]
