"""Client messages go through gettext (English msgids, zh-hans catalogues) and come out in
Chinese for every client, whatever Accept-Language says; the admin too, unless an editor
chose another language in Wagtail's account settings."""

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _english_left_active():
    # A thread keeps the language of the last request it served: start from English.
    translation.activate("en")
    yield
    translation.activate("zh-hans")


def test_graphql_refusal_is_chinese_for_an_english_browser(client):
    response = client.put("/graphql/", **ENGLISH)
    assert response.status_code == 405
    assert response.json()["errors"][0]["message"] == "不支持 PUT 请求:请使用 GET 或 POST。"


def test_graphql_error_is_chinese_for_an_english_browser(client):
    response = client.get("/graphql/", {"query": '{ page(id: "x") { id } }'}, **ENGLISH)
    messages = [error["message"] for error in response.json()["errors"]]
    assert messages == ["id 必须是数字。"], messages


def test_oembed_refusal_is_chinese_for_an_english_browser(client):
    response = client.get("/oembed", {"format": "xml"}, **ENGLISH)
    assert response.status_code == 501
    assert response.json() == {"error": "只支持 format=json。"}
    assert "Accept-Language" not in response.get("Vary", "")


def test_page_pointer_is_chinese_for_an_english_browser(client):
    response = client.get("/some/page/", **ENGLISH)
    assert response.status_code == 404
    assert response.json()["detail"] == "本站内容由前端渲染,请通过 /graphql/ 读取。"


def test_the_admin_is_chinese_too_for_a_browser_asking_for_english(client):
    # Editors are Chinese-speaking, often on browsers set to English; an editor may still
    # choose another language in Wagtail's account settings (tests/admin/test_translations.py).
    response = client.get("/admin/login/", **ENGLISH)
    assert response.status_code == 200
    assert "Accept-Language" not in response.get("Vary", "")
    assert "登录" in response.content.decode()
