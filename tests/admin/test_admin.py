"""Editors create and edit articles through the Wagtail admin's own forms."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import (
    inline_formset,
    rich_text,
    streamfield,
)
from wagtail.users.models import UserProfile

from articles.factories import ArticleCategoryFactory, ArticleIndexPageFactory, ArticlePageFactory
from articles.models import ArticlePage
from cms.core.factories import ImageFactory
from home.factories import HomePageFactory
from tests.support.admin_forms import form_data
from tests.support.graphql_client import GraphQLClient


class ArticleAdminTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        home = HomePageFactory(parent=Page.get_first_root_node(), slug="childcare")
        Site.objects.filter(is_default_site=True).update(root_page=home, hostname="localhost")
        cls.index = ArticleIndexPageFactory(parent=home)
        cls.category = ArticleCategoryFactory(name="政策解读", slug="政策解读")
        cls.image = ImageFactory(title="封面")
        cls.other = ArticlePageFactory(parent=cls.index, title="往期文章", slug="older")

    def setUp(self):
        self.user = self.login()
        self.gql = GraphQLClient(Client(HTTP_HOST="localhost"))

    def article_form(self, **overrides):
        article = {
            "title": "托育服务新政策",
            "slug": "托育服务新政策",
            "subtitle": "副标题",
            "summary": "摘要内容",
            "cover_image": self.image.pk,
            "published_at": "2025-09-22 15:10:55",
            "body": streamfield(
                [
                    ("heading", {"text": "小标题", "level": "h2"}),
                    ("paragraph", {"text": rich_text("<p>正文<b>段落</b></p>")}),
                    (
                        "quote",
                        {
                            "text": rich_text("<p>讲话内容</p>"),
                            "speaker_name": "杜希学",
                            "speaker_role": "监察专员",
                        },
                    ),
                ]
            ),
            "sources": inline_formset(
                [
                    {"name": "新华网", "url": "http://www.news.cn/"},
                    {"name": "商务部官网", "url": ""},
                ]
            ),
            "recommended_reading": inline_formset(
                [
                    {"article": self.other.pk, "external_url": "", "title": ""},
                    {"article": "", "external_url": "https://example.org/x", "title": "外部推荐"},
                ]
            ),
            "tags": "托育, 普惠托育",
        }
        form = form_data(article, **overrides)
        form["categories"] = [self.category.pk]  # a multi-value field, not a nested one
        return form

    def test_editor_creates_and_publishes_an_article(self):
        self.assertCanCreate(self.index, ArticlePage, self.article_form())
        article = ArticlePage.objects.get(slug="托育服务新政策")
        self.assertTrue(article.live)
        self.assertEqual(
            timezone.localtime(article.published_at).replace(tzinfo=None),
            datetime.datetime(2025, 9, 22, 15, 10, 55),
        )
        self.assertEqual([b.block_type for b in article.body], ["heading", "paragraph", "quote"])
        self.assertEqual([s.name for s in article.sources.all()], ["新华网", "商务部官网"])
        self.assertEqual(list(article.categories.all()), [self.category])
        self.assertCountEqual([t.name for t in article.tags.all()], ["普惠托育", "托育"])

        data = self.gql(
            '{ article(slug: "托育服务新政策") { title publishedAt '
            "recommendedReading { title isExternal } body { blockType } } }"
        )
        self.assertEqual(data["article"]["publishedAt"], "2025-09-22T15:10:55+08:00")
        self.assertEqual(
            data["article"]["recommendedReading"],
            [
                {"title": "往期文章", "isExternal": False},
                {"title": "外部推荐", "isExternal": True},
            ],
        )

    def test_editor_edits_an_article_and_graphql_follows(self):
        self.assertCanCreate(self.index, ArticlePage, self.article_form())
        article = ArticlePage.objects.get(slug="托育服务新政策")
        edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
        form = self.article_form(title="修改后的标题", **{"action-publish": "action-publish"})
        response = self.client.post(edit_url, form)
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        data = self.gql('{ article(slug: "托育服务新政策") { title } }')
        self.assertEqual(data["article"]["title"], "修改后的标题")

    def test_saving_a_draft_does_not_change_what_clients_see(self):
        self.assertCanCreate(self.index, ArticlePage, self.article_form())
        article = ArticlePage.objects.get(slug="托育服务新政策")
        edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
        response = self.client.post(edit_url, self.article_form(title="草稿标题"))
        self.assertEqual(response.status_code, 302)
        data = self.gql('{ article(slug: "托育服务新政策") { title } }')
        self.assertEqual(data["article"]["title"], "托育服务新政策")

    def test_publishing_without_a_summary_is_refused_in_chinese(self):
        add_url = reverse("wagtailadmin_pages:add", args=["articles", "articlepage", self.index.pk])
        form = self.article_form(summary="", **{"action-publish": "action-publish"})
        response = self.client.post(add_url, form)
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        self.assertIn("summary", form.errors)
        self.assertIn("必需字段", form.errors["summary"][0])
        self.assertFalse(ArticlePage.objects.filter(slug="托育服务新政策").exists())

    def test_recommended_item_without_target_is_refused(self):
        add_url = reverse("wagtailadmin_pages:add", args=["articles", "articlepage", self.index.pk])
        form = self.article_form(
            recommended_reading=inline_formset([{"article": "", "external_url": "", "title": ""}])
        )
        response = self.client.post(add_url, form)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(ArticlePage.objects.filter(slug="托育服务新政策").exists())

    @pytest.mark.slow
    def test_article_cannot_be_added_outside_the_index(self):
        self.assertCanNotCreateAt(Page, ArticlePage)
        home = self.index.get_parent().specific
        add_url = reverse("wagtailadmin_pages:add", args=["articles", "articlepage", home.pk])
        response = self.client.get(add_url)
        self.assertNotEqual(response.status_code, 200)


class AdminLanguageTests(WagtailPageTestCase):
    def test_admin_is_in_simplified_chinese_by_default(self):
        get_user_model().objects.create_superuser("editor", "e@example.com", "pw-123456!")
        self.client.login(username="editor", password="pw-123456!")
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'lang="zh-hans"')
        self.assertContains(response, "控制面板")

    def test_english_can_be_chosen_per_user(self):
        user = get_user_model().objects.create_superuser("en-editor", "x@example.com", "pw-123456!")
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "en"
        profile.save()
        self.client.login(username="en-editor", password="pw-123456!")
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(response, "Dashboard")

    def test_time_zone_is_beijing(self):
        from django.conf import settings

        self.assertEqual(settings.TIME_ZONE, "Asia/Shanghai")
