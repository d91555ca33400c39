import datetime
import json

import factory
import wagtail_factories
from django.utils import timezone

from articles.models import (
    ArticleCategory,
    ArticleIndexPage,
    ArticlePage,
    ArticleSource,
    RecommendedReading,
)
from cms.core.factories import OrderedTermFactory


class ArticleIndexPageFactory(wagtail_factories.PageFactory):
    title = "新闻资讯"
    slug = "articles"

    class Meta:
        model = ArticleIndexPage


class ArticleCategoryFactory(OrderedTermFactory):
    class Meta:
        model = ArticleCategory


def paragraph(html: str) -> dict:
    return {"type": "paragraph", "value": {"text": html}}


def story(*blocks: dict) -> str:
    """A StreamField value in Wagtail's stored JSON form."""
    return json.dumps(list(blocks), ensure_ascii=False)


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"托育政策解读第{n}篇")
    slug = factory.Sequence(lambda n: f"article-{n}")
    summary = factory.LazyAttribute(lambda article: f"{article.title}的摘要。")
    published_at = factory.Sequence(
        lambda n: (
            timezone.make_aware(datetime.datetime(2025, 1, 1, 9, 0)) + datetime.timedelta(hours=n)
        )
    )
    body = factory.LazyFunction(lambda: story(paragraph("<p>托育服务事关千家万户。</p>")))

    class Meta:
        model = ArticlePage


class ArticleSourceFactory(factory.django.DjangoModelFactory):
    name = "新华网"
    url = "http://www.news.cn/"

    class Meta:
        model = ArticleSource


class RecommendedReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecommendedReading
