"""Admin login lockout per account and address, counted in the real Redis: failures from
one address cannot lock the real user out everywhere, and an unreadable count refuses."""

import hashlib
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.test import Client
from django.urls import reverse

from cms.door.login_lockout import DEVICE_COOKIE
from tests.support.fakes import free_port

PASSWORD = "correct-horse-托育"


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "editor@example.cn", PASSWORD)


@pytest.fixture
def limits(settings, redis_cache):
    settings.CMS_LOGIN_MAX_FAILURES = 3
    settings.CMS_LOGIN_MAX_FAILURES_PER_ADDRESS = 5
    settings.CMS_LOGIN_MAX_FAILURES_PER_ACCOUNT = 8
    return settings


def attempt(password, username="editor", ip="192.0.2.10", **headers):
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR=ip, **headers)
    response = client.post(
        reverse("wagtailadmin_login"), {"username": username, "password": password}
    )
    return response, response.status_code == 302 and "_auth_user_id" in client.session


def login(password, username="editor", ip="192.0.2.10", **headers):
    return attempt(password, username, ip, **headers)[1]


def test_failures_lock_that_account_from_that_address_only(editor, limits):
    assert [login("wrong", ip="192.0.2.1") for _ in range(3)] == [False] * 3
    refused, signed_in = attempt(PASSWORD, ip="192.0.2.1")
    assert not signed_in
    assert refused.status_code == 429
    assert "登录失败次数过多" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    # The real user, from their own address, with the right password.
    assert login(PASSWORD, ip="192.0.2.2") is True


def test_the_real_user_gets_in_while_an_attacker_hammers_from_elsewhere(editor, limits):
    # Far beyond the per-account limit (8): refused attempts check nothing and count nothing.
    outcomes = [attempt("wrong", ip="198.51.100.7")[0].status_code for _ in range(20)]
    assert outcomes.count(429) == 17
    assert login(PASSWORD, ip="192.0.2.2") is True


def test_one_address_spraying_accounts_is_refused_for_every_account(editor, limits):
    for name in ("a", "b", "c", "d", "e"):
        assert login("wrong", username=name, ip="198.51.100.9") is False
    assert attempt(PASSWORD, ip="198.51.100.9")[0].status_code == 429
    assert login(PASSWORD, ip="192.0.2.2") is True


def test_a_guess_spread_over_many_addresses_locks_the_account(editor, limits):
    for n in range(8):  # per-account limit 8, each address below its own limits
        assert login("wrong", ip=f"203.0.113.{n}") is False
    assert attempt(PASSWORD, ip="192.0.2.2")[0].status_code == 429


def sign_in(client, password, username="editor"):
    response = client.post(
        reverse("wagtailadmin_login"), {"username": username, "password": password}
    )
    return response, response.status_code == 302 and "_auth_user_id" in client.session


def lock_the_account_everywhere():
    for n in range(8):  # per-account limit 8, each address below its own limits
        assert login("wrong", ip=f"203.0.113.{n}") is False
    assert attempt(PASSWORD, ip="198.51.100.50")[0].status_code == 429  # a stranger


def test_the_owners_known_browser_gets_in_while_the_account_is_locked_everywhere(editor, limits):
    owner = Client(HTTP_HOST="localhost", REMOTE_ADDR="192.0.2.2")
    response, signed_in = sign_in(owner, PASSWORD)
    assert signed_in
    cookie = response.cookies[DEVICE_COOKIE]
    assert cookie["httponly"] and int(cookie["max-age"]) == 90 * 24 * 3600
    owner.logout()  # (the test client drops every cookie on logout; a browser keeps this one)
    owner.cookies[DEVICE_COOKIE] = cookie.value
    lock_the_account_everywhere()
    # From the same address without the cookie: locked like anyone.
    assert attempt(PASSWORD, ip="192.0.2.2")[0].status_code == 429
    assert sign_in(owner, PASSWORD)[1] is True


def test_a_known_browser_is_still_limited_by_its_own_address_counters(editor, limits):
    owner = Client(HTTP_HOST="localhost", REMOTE_ADDR="192.0.2.2")
    response, signed_in = sign_in(owner, PASSWORD)
    assert signed_in
    owner.logout()
    owner.cookies[DEVICE_COOKIE] = response.cookies[DEVICE_COOKIE].value
    assert [sign_in(owner, "wrong")[1] for _ in range(3)] == [False] * 3
    assert sign_in(owner, PASSWORD)[0].status_code == 429


@pytest.mark.parametrize("forgery", ["garbage", "another-key", "another-account"])
def test_a_forged_or_foreign_device_cookie_does_not_pass_the_lock(editor, limits, forgery):
    account = hashlib.sha256(b"editor").hexdigest()[:32]
    value = {
        "garbage": f"{account}:forged:signature",
        "another-key": signing.dumps(account, key="not-the-secret-key-" * 3, salt="x"),
        "another-account": signing.dumps(
            hashlib.sha256(b"intern").hexdigest()[:32], salt="cms.door.login_lockout.known-device"
        ),
    }[forgery]
    lock_the_account_everywhere()
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR="192.0.2.2")
    client.cookies[DEVICE_COOKIE] = value
    assert sign_in(client, PASSWORD)[0].status_code == 429


def test_an_ipv6_client_rotating_through_its_64_is_one_address(editor, limits):
    for n in range(1, 4):  # the (account, address) limit is 3
        assert login("wrong", ip=f"2001:db8:9:9::{n}") is False
    assert attempt(PASSWORD, ip="2001:db8:9:9::abcd")[0].status_code == 429
    assert login(PASSWORD, ip="2001:db8:9:a::1") is True


def test_behind_a_trusted_proxy_the_forwarded_address_counts(editor, limits):
    limits.CMS_API_TRUSTED_PROXIES = 1
    proxy = {"ip": "10.0.0.1"}
    for _ in range(3):
        assert login("wrong", HTTP_X_FORWARDED_FOR="198.51.100.20", **proxy) is False
    assert attempt(PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.20", **proxy)[0].status_code == 429
    # Another client behind the same proxy is someone else.
    assert login(PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.2", **proxy) is True


def test_an_untrusted_forwarded_for_is_ignored(editor, limits):
    limits.CMS_API_TRUSTED_PROXIES = 0
    for n in range(3):  # the attacker varies the header; the address is still theirs
        assert login("wrong", ip="198.51.100.30", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}") is False
    response, _ = attempt(PASSWORD, ip="198.51.100.30", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429


def test_fewer_failures_than_the_limit_do_not_lock_and_success_resets(editor, limits):
    assert [login("wrong") for _ in range(2)] == [False, False]
    assert login(PASSWORD) is True
    assert [login("wrong") for _ in range(2)] == [False, False]
    assert login(PASSWORD) is True


def test_lock_ends_after_the_lockout_time(editor, limits):
    limits.CMS_LOGIN_MAX_FAILURES = 1
    # Long enough that a slow machine cannot see the lock end between two logins; the
    # counters are then expired by hand, the way Redis would at that time.
    limits.CMS_LOGIN_LOCKOUT_SECONDS = 60
    assert login("wrong") is False
    assert login(PASSWORD) is False
    client = limits_client(limits)
    keys = list(client.scan_iter(match="*login-failures:*"))
    assert keys and all(0 < client.pttl(key) <= 60_000 for key in keys)  # the lockout time
    # Let the counters expire the way Redis does it, a little early.
    for key in keys:
        client.pexpire(key, 1)
    deadline = time.monotonic() + 5
    while any(client.scan_iter(match="*login-failures:*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert login(PASSWORD) is True


def limits_client(settings):
    from django.core.cache import cache

    return cache._cache.get_client()


@pytest.mark.parametrize("broken", ["closed", "breaker-open"])
def test_with_redis_unreachable_logins_are_refused_with_a_clear_answer(editor, settings, broken):
    settings.CACHES = {
        "default": {
            "BACKEND": "cms.core.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.05, "socket_timeout": 0.05},
        }
    }
    if broken == "breaker-open":
        from django.core.cache import cache

        for _ in range(5):
            cache.get("anything")
        assert cache.breaker.is_open
    response, signed_in = attempt(PASSWORD)
    assert not signed_in
    assert response.status_code == 503
    assert "登录服务暂时不可用" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
