"""Shared fixtures: a site with a home page and an article index, a GraphQL client, and a
member of the sales team signed in.

GraphQL tests post JSON to /graphql/ through Django's test client, as a front end would.
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import Page, Site

from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from home.factories import HomePageFactory
from tests.support.graphql_client import GraphQLClient


@pytest.fixture
def home(db):
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, slug="childcare")
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.hostname = "localhost"
    site.save()
    return home


@pytest.fixture
def site(home):
    return Site.objects.get(root_page=home)


@pytest.fixture
def index(home):
    return ArticleIndexPageFactory(parent=home)


@pytest.fixture
def article_factory(index):
    def make(**kwargs):
        kwargs.setdefault("parent", index)
        return ArticlePageFactory(**kwargs)

    return make


@pytest.fixture
def gql(db):
    return GraphQLClient(Client(HTTP_HOST="localhost"))


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Each test starts with an empty in-process cache (rate-limit counters, site roots).

    Tests that need Redis switch CACHES to it with a key prefix of their own; nothing here
    flushes a Redis database other processes may share.
    """
    from django.core.cache import caches

    for alias in settings.CACHES:
        if "locmem" in settings.CACHES[alias]["BACKEND"].lower():
            caches[alias].clear()
    yield


@pytest.fixture
def other_site(home):
    """A second site on its own tree, so queries must name their site."""
    root = Page.get_first_root_node()
    other_home = HomePageFactory(parent=root, slug="other", title="另一站点")
    return Site.objects.create(hostname="other.example.com", port=80, root_page=other_home)


@pytest.fixture
def make_token(db):
    """An API token for the given sites; returns (token, the raw key sent by clients)."""
    from cms.api import tokens
    from cms.api.models import ApiToken

    def make(*sites, **fields):
        raw = tokens.generate()
        token = ApiToken(name=fields.pop("name", "合作伙伴"), **fields)
        token.set_key(raw)
        token.save()
        token.sites.set(sites)
        return token, raw

    return make


@pytest.fixture
def redis_cache(settings):
    """Django's cache on the real Redis at TEST_REDIS_URL, keys under a fresh prefix."""
    import uuid

    import redis
    from django.core.cache import cache

    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "cms.core.cache.RedisCache",
            "LOCATION": settings.TEST_REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    cache.set("ping", "pong")  # Fails the test here when Redis is not running.
    client = redis.Redis.from_url(settings.TEST_REDIS_URL)
    assert client.get(f"{prefix}:1:ping") is not None
    yield cache
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


def pytest_collection_modifyitems(items):
    """Every transactional test restores the migrated data (root page, locale, groups).

    A transactional test empties the database when it ends. Restoring the data serialized
    after migration before each one, for all of them alike, keeps them independent of
    the order they run in; mixing restoring and non-restoring ones is what breaks.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        transactional = (marker is not None and marker.kwargs.get("transaction")) or (
            "live_server" in fixtures or "transactional_db" in fixtures
        )
        if transactional and not (marker is not None and marker.kwargs.get("serialized_rollback")):
            kwargs = dict(marker.kwargs) if marker is not None else {}
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture
def seller(client, django_user_model):
    """A member of the sales team (who reads the leads), signed in on ``client``."""
    user = django_user_model.objects.create_user("seller", "s@example.cn", "pw-Secret-1")
    user.groups.add(Group.objects.get(name="sales"))
    client.force_login(user)
    return user
