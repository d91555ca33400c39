"""Admin login lockout after repeated failures, counted in the real Redis."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

PASSWORD = "correct-horse-托育"


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "editor@example.cn", PASSWORD)


def login(password, username="editor", ip="192.0.2.10"):
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR=ip)
    response = client.post(
        reverse("wagtailadmin_login"), {"username": username, "password": password}
    )
    return response.status_code == 302 and "_auth_user_id" in client.session


def test_account_is_locked_after_repeated_failures(editor, redis_cache, settings):
    settings.CMS_LOGIN_MAX_FAILURES = 3
    assert [login("wrong", ip=f"192.0.2.{n}") for n in range(3)] == [False] * 3
    # Locked: the right password from a fresh address is refused too.
    assert login(PASSWORD, ip="192.0.2.99") is False
    assert any(redis_cache._cache.get_client().scan_iter(match="*login-failures:user:*"))


def test_address_is_locked_after_failures_across_accounts(editor, redis_cache, settings):
    settings.CMS_LOGIN_MAX_FAILURES = 3
    for name in ("a", "b", "c"):
        assert login("wrong", username=name, ip="192.0.2.50") is False
    assert login(PASSWORD, ip="192.0.2.50") is False
    assert login(PASSWORD, ip="192.0.2.51") is True


def test_fewer_failures_than_the_limit_do_not_lock_and_success_resets(
    editor, redis_cache, settings
):
    settings.CMS_LOGIN_MAX_FAILURES = 3
    assert [login("wrong", ip=f"192.0.2.{n}") for n in range(2)] == [False, False]
    assert login(PASSWORD, ip="192.0.2.20") is True
    assert [login("wrong", ip=f"192.0.2.{n}") for n in range(2)] == [False, False]
    assert login(PASSWORD, ip="192.0.2.21") is True


def test_lock_ends_after_the_lockout_time(editor, redis_cache, settings):
    settings.CMS_LOGIN_MAX_FAILURES = 1
    settings.CMS_LOGIN_LOCKOUT_SECONDS = 1
    assert login("wrong") is False
    assert login(PASSWORD, ip="192.0.2.30") is False
    client = redis_cache._cache.get_client()
    keys = list(client.scan_iter(match="*login-failures:*"))
    assert keys and all(0 < client.pttl(key) <= 1000 for key in keys)  # the lockout time
    # Let the counters expire the way Redis does it, a little early.
    for key in keys:
        client.pexpire(key, 1)
    deadline = time.monotonic() + 5
    while any(client.scan_iter(match="*login-failures:*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert login(PASSWORD, ip="192.0.2.31") is True
