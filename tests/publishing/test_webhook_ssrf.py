"""Webhooks cannot reach inside our own network (SSRF), follow redirects, or show staff
more than a short, escaped excerpt of what an endpoint answers.

These tests run with CMS_WEBHOOK_ALLOWED_NETWORKS as production has it: empty. The
receivers really listen on loopback, so a request that got through would be counted.
"""

import json
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cms.publishing import webhooks
from cms.publishing.models import WebhookDelivery, WebhookEndpoint
from tests.support.receiver import Receiver

SECRET = "s3cret"

# Targets refused whatever port they name; {port} is a live receiver's where there is one.
INTERNAL_URLS = [
    "http://127.0.0.1:{port}/hook",
    "http://127.1.2.3:{port}/hook",
    "http://localhost:{port}/hook",  # a name that resolves to 127.0.0.1 (/etc/hosts)
    "http://0.0.0.0:{port}/hook",
    "http://[::ffff:127.0.0.1]:{port}/hook",
    "http://[::ffff:7f00:1]:{port}/hook",
    "http://2130706433:{port}/hook",  # 127.0.0.1 written as one number
    "http://10.0.0.8:{port}/hook",
    "http://172.16.5.4:{port}/hook",
    "http://192.168.1.10:{port}/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/hook",  # carrier-grade NAT
    "http://224.0.0.1/hook",  # multicast
    "http://[::1]:{port}/hook",
    "http://[fe80::1]/hook",
    "http://[fc00::1]/hook",
    "http://[64:ff9b::7f00:1]/hook",  # NAT64 of 127.0.0.1
    "http://[2002:7f00:1::]/hook",  # 6to4 of 127.0.0.1
]


@pytest.fixture(autouse=True)
def production_rule(settings):
    assert settings.CMS_WEBHOOK_ALLOWED_NETWORKS == []  # the test settings keep it empty


def add_endpoint(admin_client, url):
    return admin_client.post(
        reverse("publishing_webhook_endpoints:add"),
        {"name": "内网", "url": url, "secret": SECRET, "events": ["page.published"]},
    )


@pytest.mark.parametrize("url", INTERNAL_URLS)
def test_internal_targets_are_refused_at_save(admin_client, url):
    response = add_endpoint(admin_client, url.format(port=8000))
    assert response.status_code == 200
    assert "url" in response.context["form"].errors, response.context["form"].errors
    assert not WebhookEndpoint.objects.exists()


def test_the_refusal_is_explained_in_chinese(admin_client):
    response = add_endpoint(admin_client, "http://169.254.169.254/latest/meta-data/")
    assert response.context["form"].errors["url"] == [
        "Webhook 只能发送到公网地址,不能发送到内部网络。"
    ]


def test_model_validation_refuses_them_too(db):
    endpoint = WebhookEndpoint(name="x", url="http://169.254.169.254/", events=[])
    with pytest.raises(ValidationError) as refusal:
        endpoint.full_clean()
    assert "url" in refusal.value.message_dict


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.cn/hook",
        "http://user:pw@example.cn/hook",
        "http://no-such-host.invalid/hook",
    ],
)
def test_other_unusable_urls_are_refused_at_save(admin_client, url):
    response = add_endpoint(admin_client, url)
    assert response.status_code == 200
    assert "url" in response.context["form"].errors
    assert not WebhookEndpoint.objects.exists()


def test_a_public_address_is_accepted(admin_client):
    # An IP literal: nothing is looked up, no network is touched (nothing is sent on save).
    response = add_endpoint(admin_client, "https://93.184.215.14/hooks/cms")
    assert response.status_code == 302, response.context["form"].errors
    assert WebhookEndpoint.objects.get().url == "https://93.184.215.14/hooks/cms"


def deliver_once(url):
    """One delivery to ``url`` as the worker makes it; the row is saved as an old,
    unchecked endpoint would have been (or a name whose address changed since)."""
    endpoint = WebhookEndpoint.objects.create(
        name="旧端点", url=url, secret=SECRET, events=["page.published"]
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id="7d1c1f7e-4f4f-4a59-9f30-9d6c4c7e5a10",
        event_type="page.published",
        body=json.dumps({"type": "page.published"}),
    )
    webhooks.attempt_delivery(delivery.pk)
    delivery.refresh_from_db()
    return delivery


@pytest.mark.django_db
@pytest.mark.parametrize("url", INTERNAL_URLS)
def test_internal_targets_are_refused_at_delivery(url):
    host = "::1" if "[::1]" in url else "127.0.0.1"
    with Receiver(SECRET, host=host) as receiver:
        delivery = deliver_once(url.format(port=receiver.port))
    assert receiver.requests == []
    assert delivery.status == "failed"  # not retried: the URL has to change first
    assert delivery.error.startswith(webhooks.REFUSED_PREFIX)
    assert delivery.response_status is None and delivery.response_body == ""
    assert str(receiver.port) not in delivery.error


@pytest.mark.django_db
def test_redirects_are_not_followed(settings):
    settings.CMS_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]  # both receivers are local
    with Receiver(SECRET) as elsewhere, Receiver(SECRET, redirect_to=elsewhere.url) as receiver:
        delivery = deliver_once(receiver.url)
    assert len(receiver.requests) == 1
    assert elsewhere.requests == []
    assert delivery.response_status == 302
    assert delivery.status == "retrying"


@pytest.mark.django_db
def test_the_name_is_sent_as_host_while_the_checked_address_is_connected(settings):
    settings.CMS_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    with Receiver(SECRET) as receiver:
        delivery = deliver_once(f"http://localhost:{receiver.port}/hooks/cms?x=1")
    assert delivery.status == "succeeded"
    (request,) = receiver.requests
    assert request["headers"]["Host"] == f"localhost:{receiver.port}"
    assert request["valid"]


def test_allowed_networks_open_only_what_they_name(settings):
    from cms.publishing.safe_http import is_allowed_address

    settings.CMS_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    assert is_allowed_address("127.0.0.1")
    assert not is_allowed_address("::1")
    assert not is_allowed_address("10.0.0.1")
    assert is_allowed_address("8.8.8.8")


@pytest.mark.django_db
def test_staff_see_only_a_short_escaped_excerpt_of_the_answer(admin_client, settings):
    settings.CMS_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    answer = b"<script>alert('x')</script>\x1b[31m" + "秘".encode() * 5000
    with Receiver(SECRET, answer=answer) as receiver:
        delivery = deliver_once(receiver.url)
    assert delivery.status == "succeeded"
    assert len(delivery.response_body) <= webhooks.EXCERPT_CHARS
    assert delivery.response_body.startswith("<script>alert('x')</script>")
    assert "\x1b" not in delivery.response_body
    assert all(len(entry["response"]) <= webhooks.EXCERPT_CHARS for entry in delivery.log)
    html = admin_client.get(
        reverse("publishing_webhook_deliveries:inspect", args=[delivery.pk])
    ).content.decode()
    assert "&lt;script&gt;alert(" in html
    assert "<script>alert(" not in html
    assert "秘" * 300 not in html


def self_signed(directory, name):
    """A certificate for ``name`` made by the openssl command (no network)."""
    cert, key = directory / f"{name}.crt", directory / f"{name}.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            f"/CN={name}",
            "-addext",
            f"subjectAltName=DNS:{name}",
        ],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)


@pytest.mark.django_db
def test_https_uses_the_name_for_sni_and_the_certificate_check(settings, tmp_path, monkeypatch):
    settings.CMS_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    good = self_signed(tmp_path, "localhost")
    monkeypatch.setenv("SSL_CERT_FILE", good[0])  # the receiver's certificate is trusted
    with Receiver(SECRET, tls=good) as receiver:
        delivery = deliver_once(f"https://localhost:{receiver.port}/hooks/cms")
    assert delivery.status == "succeeded", delivery.error
    assert receiver.server_names == ["localhost"]
    assert receiver.requests[0]["headers"]["Host"] == f"localhost:{receiver.port}"


@pytest.mark.django_db
def test_https_refuses_a_certificate_for_another_name(settings, tmp_path, monkeypatch):
    settings.CMS_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    other = self_signed(tmp_path, "other.example")
    monkeypatch.setenv("SSL_CERT_FILE", other[0])
    with Receiver(SECRET, tls=other) as receiver:
        delivery = deliver_once(f"https://localhost:{receiver.port}/hooks/cms")
    assert receiver.requests == []
    assert delivery.status == "retrying"
    assert "certificate" in delivery.error.lower()
