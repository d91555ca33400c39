"""Management commands used by `make run`: demo content and the admin account."""

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings
from wagtail.models import Page

from articles.models import ArticlePage, RecommendedReading
from cms.demo.articles import SEED_RECOMMENDED, SEED_TITLE

README_QUERY = """{
  article(slug: "持续优化便民生活圈") {
    title publishedAt
    body { blockType }
    sources { name url }
    recommendedReading { title url }
  }
}"""


def run_readme_query():
    response = Client(HTTP_HOST="localhost").post(
        "/graphql/", data=json.dumps({"query": README_QUERY}), content_type="application/json"
    )
    assert response.status_code == 200
    return response.json()["data"]["article"]


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_content_serves_the_seed_article_as_the_readme_says():
    call_command("load_demo_content", stdout=StringIO())
    article = run_readme_query()
    assert article["title"] == SEED_TITLE
    assert article["publishedAt"] == "2025-09-22T15:10:55+08:00"
    assert [b["blockType"] for b in article["body"]] == [
        "FigureBlock",
        "ParagraphBlock",
        "ParagraphBlock",
        "ParagraphBlock",
        "KeyFiguresBlock",
        "ParagraphBlock",
        "ParagraphBlock",
        "HeadingBlock",
        "FigureBlock",
        "QuoteBlock",
    ]
    assert [s["name"] for s in article["sources"]] == ["新华网", "商务部官网"]
    assert [r["title"] for r in article["recommendedReading"]] == [
        title for title, _, _ in SEED_RECOMMENDED
    ]


@pytest.mark.django_db
def test_demo_content_is_idempotent():
    call_command("load_demo_content", stdout=StringIO())
    counts = (Page.objects.count(), RecommendedReading.objects.count())
    call_command("load_demo_content", stdout=StringIO())
    assert (Page.objects.count(), RecommendedReading.objects.count()) == counts
    assert ArticlePage.objects.count() == 5
    # Wagtail's placeholder welcome page is replaced, not left beside the home page.
    assert not Page.objects.filter(slug="home", depth=2).exists()


@pytest.mark.django_db
def test_demo_pictures_are_real_images():
    from PIL import Image as PILImage

    call_command("load_demo_content", stdout=StringIO())
    cover = ArticlePage.objects.get(slug="持续优化便民生活圈").cover_image
    with cover.file.open() as handle:
        picture = PILImage.open(handle)
        assert picture.size == (1200, 675)


@pytest.mark.django_db
@override_settings(ADMIN_PASSWORD="from-the-env-123")
def test_ensure_admin_uses_admin_password_once():
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password("from-the-env-123")
    assert "from-the-env-123" not in out.getvalue()
    call_command("ensure_admin", stdout=out)
    assert get_user_model().objects.filter(username="admin").count() == 1


@pytest.mark.django_db
@override_settings(ADMIN_PASSWORD=None)
def test_ensure_admin_generates_and_prints_a_password():
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    password = out.getvalue().split("password: ")[1].split()[0]
    assert get_user_model().objects.get(username="admin").check_password(password)
    again = StringIO()
    call_command("ensure_admin", stdout=again)
    assert password not in again.getvalue()


def test_landing_and_page_urls_point_to_the_api(client, db):
    assert client.get("/", HTTP_HOST="localhost").json() == {
        "admin": "/admin/",
        "graphql": "/graphql/",
    }
    response = client.get("/articles/anything/", HTTP_HOST="localhost")
    assert response.status_code == 404
    assert response.json()["path"] == "/articles/anything/"


def test_graphiql_is_not_served_outside_development(client, db):
    response = client.get("/graphql/", HTTP_HOST="localhost", HTTP_ACCEPT="text/html")
    assert b"graphiql" not in response.content.lower()
