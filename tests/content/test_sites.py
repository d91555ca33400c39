"""The site Wagtail would find for a request, picked from the sites a request has already
loaded (cms.api.sites), must be the one Wagtail's own query picks, in every arrangement."""

import pytest
from django.test import RequestFactory
from wagtail.models import Page, Site

from cms.api.sites import _wagtail_site, all_sites
from home.factories import HomePageFactory

HOSTS = [
    ("localhost", "80"),
    ("localhost:8000", "8000"),
    ("other.example.com", "80"),
    ("other.example.com:8080", "8080"),
    ("OTHER.example.com", "80"),
    ("unknown.example", "80"),
    ("unknown.example:8080", "8080"),
]


def arrange(name: str) -> None:
    root = Page.get_first_root_node()
    default = Site.objects.get(is_default_site=True)
    default.hostname, default.port = "localhost", 80
    default.save()
    if name == "one default":
        return
    other = HomePageFactory(parent=root, slug="other")
    Site.objects.create(hostname="other.example.com", port=80, root_page=other)
    if name == "two hosts":
        return
    Site.objects.create(hostname="other.example.com", port=8080, root_page=other)
    if name == "two ports":
        return
    if name == "no default":
        default.is_default_site = False
        default.save()
        return
    if name == "default is the other host":
        default.is_default_site = False
        default.save()
        Site.objects.filter(hostname="other.example.com", port=80).update(is_default_site=True)


@pytest.mark.parametrize(
    "arrangement",
    ["one default", "two hosts", "two ports", "no default", "default is the other host"],
)
def test_the_site_picked_from_loaded_sites_is_wagtails(db, arrangement):
    arrange(arrangement)
    for host, port in HOSTS:
        request = RequestFactory().get("/graphql/", HTTP_HOST=host, SERVER_PORT=port)
        ours = _wagtail_site(request, all_sites(None))
        wagtails = Site._find_for_request(request)
        assert (ours and ours.pk) == (wagtails and wagtails.pk), (arrangement, host, port)


def test_loading_the_sites_spares_wagtail_its_own_query(db, django_assert_num_queries):
    request = RequestFactory().get("/graphql/", HTTP_HOST="localhost")
    default = Site.objects.get(is_default_site=True)
    with django_assert_num_queries(1):
        all_sites(request)
        assert Site.find_for_request(request) == default
