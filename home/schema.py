"""``siteChrome``: everything around the pages of one site, in one query."""

import graphene
from django.db.models import Prefetch
from wagtail.models import Page

from cms.api.model_fields import list_of, registered_type
from cms.api.site_argument import resolve_site, site_argument
from cms.core import visibility
from home.models import (
    CallToAction,
    ContactCard,
    HomePage,
    OrganisationProfile,
    PhoneLine,
    ServiceArea,
    SiteLayout,
)
from home.types import MenuItem, MenuLink, SiteInfo


def _link(value, request, rule) -> dict | None:
    """A menu link with its page resolved; None for a page a client may not see."""
    page = value.get("page")
    if page is not None:
        if not rule.allows(page):
            return None
        url = page.get_url(request) or ""
        return {
            "label": value["label"] or page.title,
            "url": url,
            "is_external": False,
            "page": page,
        }
    if value.get("url"):
        return {"label": value["label"], "url": value["url"], "is_external": True, "page": None}
    return None


def _menu(stream, request, rule) -> list[MenuItem]:
    items = []
    for child in stream:
        link = _link(child.value, request, rule)
        if link is None:
            continue
        sub_links = (_link(value, request, rule) for value in child.value["children"])
        items.append(MenuItem(children=[MenuLink(**sub) for sub in sub_links if sub], **link))
    return items


class SiteChrome(graphene.ObjectType):
    site = graphene.NonNull(SiteInfo)
    profile = graphene.Field(registered_type("home.OrganisationProfile"))
    home = graphene.Field(registered_type("home.HomePage"))
    main_menu = graphene.List(graphene.NonNull(MenuItem), required=True)
    footer_menu = graphene.List(graphene.NonNull(MenuItem), required=True)
    contacts = graphene.List(graphene.NonNull(registered_type("home.ContactCard")), required=True)
    call_to_action = graphene.Field(registered_type("home.CallToAction"))
    service_areas = list_of("home.ServiceArea")


def _contacts(layout) -> list[ContactCard]:
    ids = [child.value.pk for child in layout.contacts if child.value is not None]
    cards = (
        ContactCard.objects.filter(pk__in=ids)
        .select_related("wechat_qr_code")
        .prefetch_related(
            "wechat_qr_code__renditions",
            Prefetch("phone_lines", queryset=PhoneLine.objects.order_by("sort_order")),
        )
        .in_bulk()
    )
    return [cards[pk] for pk in ids if pk in cards]


def build_chrome(info, site) -> SiteChrome:
    request = info.context
    rule = visibility.for_request(request)
    profile = OrganisationProfile.for_site(site)
    layout = SiteLayout.for_site(site)
    home = Page.objects.filter(pk=site.root_page_id).specific().first()
    call_to_action = (
        CallToAction.objects.select_related("target_page")
        .filter(pk=layout.call_to_action_id)
        .first()
        if layout.call_to_action_id
        else None
    )
    root_url = site.root_url
    return SiteChrome(
        site=SiteInfo(
            hostname=site.hostname, port=site.port, name=site.site_name or "", root_url=root_url
        ),
        profile=profile,
        home=home if rule.allows(home) and isinstance(home, HomePage) else None,
        main_menu=_menu(layout.main_menu, request, rule),
        footer_menu=_menu(layout.footer_menu, request, rule),
        contacts=_contacts(layout),
        call_to_action=call_to_action,
        service_areas=list(ServiceArea.objects.for_clients()),
    )


class SiteChromeQuery:
    site_chrome = graphene.Field(
        graphene.NonNull(SiteChrome),
        site=site_argument(),
        description="Everything around a site's pages: profile, menus, contacts, CTA, footer.",
    )
    service_areas = list_of(
        "home.ServiceArea",
        site=site_argument(),
        description="智慧托育, 托育装备, 托育人才 ... in editor order.",
    )

    def resolve_site_chrome(self, info, site=None):
        return build_chrome(info, resolve_site(info, site))

    def resolve_service_areas(self, info, site=None):
        # Shared by all sites, but read under the site's rules (tokens, origins) all the same.
        resolve_site(info, site)
        return list(ServiceArea.objects.for_clients())
