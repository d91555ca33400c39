"""The GraphQL answer cache as door tests use it: real Redis under a fresh key prefix (the
``cached`` fixture in tests/door/conftest.py), and the requests those tests send."""

import hashlib
import json
import uuid
from contextlib import contextmanager

import redis
from django.conf import settings as django_settings
from django.test import Client

REDIS_URL = (
    getattr(django_settings, "TEST_REDIS_URL", None)
    or django_settings.REDIS_URL
    or "redis://127.0.0.1:6379/0"
)
LIST = "{ articles { items { title } } }"


@contextmanager
def answer_cache(settings):
    """The response cache on, in real Redis under a fresh prefix; yields a test client."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "cms.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    settings.CMS_API_CACHE_TIMEOUT = 300
    client = redis.Redis.from_url(REDIS_URL)
    try:
        yield Client(HTTP_HOST="localhost")
    finally:
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)


def post(client, query, variables=None, extensions=None, **headers):
    body = {"query": query, "variables": variables or {}}
    if extensions is not None:
        body["extensions"] = extensions
    return client.post(
        "/graphql/", data=json.dumps(body), content_type="application/json", **headers
    )


def get(client, query=None, extensions=None, **headers):
    params = {}
    if query is not None:
        params["query"] = query
    if extensions is not None:
        params["extensions"] = json.dumps(extensions)
    return client.get("/graphql/", params, **headers)


def apq(query):
    return {
        "persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(query.encode()).hexdigest()}
    }


def titles(response):
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["data"]["articles"]["items"]]
