"""Editors manage API tokens and each site's API access in the Wagtail admin."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from cms.api import tokens
from cms.api.models import ApiSettings, ApiToken


@pytest.fixture
def admin_client(db):
    user = get_user_model().objects.create_superuser("editor", "editor@example.cn", "pw-1234567")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def read_articles(raw_token):
    return Client().post(
        "/graphql/",
        data=json.dumps({"query": "{ articles { totalCount } }"}),
        content_type="application/json",
        HTTP_HOST="localhost",
        HTTP_AUTHORIZATION=f"Bearer {raw_token}",
    )


def test_token_created_in_the_admin_is_shown_once_and_stored_hashed(admin_client, site):
    response = admin_client.post(
        reverse("api_tokens:add"),
        {"name": "托育合作方", "sites": [site.pk], "rate_limit": 120, "expires_at": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    raw = re.search(r"<code data-api-token>(cms_[A-Za-z0-9_-]+)</code>", page).group(1)
    assert "no-store" in response["Cache-Control"]

    token = ApiToken.objects.get(name="托育合作方")
    assert token.key_hash == tokens.digest(raw) and raw not in token.key_hash
    assert list(token.sites.all()) == [site]
    assert token.rate_limit == 120
    assert read_articles(raw).status_code == 200

    # Never shown again: neither the list nor the edit form has the key.
    for url in (reverse("api_tokens:index"), reverse("api_tokens:edit", args=[token.pk])):
        shown = admin_client.get(url)
        assert shown.status_code == 200
        assert raw not in shown.content.decode()
        assert token.prefix in shown.content.decode()


def test_revoking_in_the_admin_refuses_the_token_at_once(admin_client, site, make_token):
    token, raw = make_token(site)
    assert read_articles(raw).status_code == 200
    response = admin_client.post(
        reverse("api_tokens:edit", args=[token.pk]),
        {"name": token.name, "sites": [site.pk], "rate_limit": 600, "revoked": "on"},
    )
    assert response.status_code == 302
    assert read_articles(raw).status_code == 401


def test_site_api_settings_refuse_a_malformed_origin(admin_client, site):
    url = reverse("wagtailsettings:edit", args=["api", "apisettings", site.pk])
    response = admin_client.post(
        url, {"require_token": "on", "cors_origins": "https://www.example.cn\njavascript:alert(1)"}
    )
    assert response.status_code == 200
    assert "javascript:alert(1)" in response.content.decode()
    # The settings view creates the row when first opened; nothing of the bad form is kept.
    assert not ApiSettings.objects.filter(site=site, require_token=True).exists()
    assert not ApiSettings.objects.exclude(cors_origins="").exists()

    response = admin_client.post(
        url, {"require_token": "on", "cors_origins": "HTTPS://WWW.Example.cn/\n\n"}
    )
    assert response.status_code == 302
    saved = ApiSettings.objects.get(site=site)
    assert saved.require_token and saved.origins == ["https://www.example.cn"]
