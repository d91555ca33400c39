"""What the per-address counters count by (cms.api.ratelimit.client_key)."""

import pytest
from django.test import RequestFactory

from cms.api.ratelimit import client_key


@pytest.mark.parametrize(
    ("remote", "key"),
    [
        ("192.0.2.10", "192.0.2.10"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2::1", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.10", "192.0.2.10"),
        ("", ""),
    ],
)
def test_client_key(remote, key):
    assert client_key(RequestFactory().get("/", REMOTE_ADDR=remote)) == key


def test_a_forwarded_ipv6_address_is_grouped_too(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="2001:db8:7:8::5"
    )
    assert client_key(request, trusted_proxies=1) == "2001:db8:7:8::/64"
