"""GraphQL types of site-wide content that are not models of their own."""

import graphene
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.api.pages import PageInterface
from cms.core import visibility
from cms.core.request_state import state_of


class TargetKind(models.TextChoices):
    """Where a call to action's button leads: the editor's choice, and what clients read."""

    PAGE = "page", _("A page of this site")
    URL = "url", _("A URL")
    BOOKING_FORM = "booking_form", _("The demo-booking form")


class CallToActionTargetKind(graphene.Enum):
    class Meta:
        enum = TargetKind


class CallToActionTarget(graphene.ObjectType):
    """Where the button leads. ``url`` is null when the chosen page is not live and public."""

    kind = graphene.NonNull(CallToActionTargetKind)
    url = graphene.String()
    page = graphene.Field(PageInterface)

    @classmethod
    def for_call_to_action(cls, call_to_action, request):
        kind = call_to_action.target_kind
        if kind == TargetKind.URL:
            return cls(kind=kind, url=call_to_action.target_url, page=None)
        if kind == TargetKind.PAGE:
            page = call_to_action.target_page
            if visibility.for_request(request).allows(page):
                return cls(kind=kind, url=page.get_url(request), page=page.specific)
            return cls(kind=kind, url=None, page=None)
        return cls(kind=kind, url=booking_form_url(request), page=None)


def booking_form_url(request):
    """The URL of the booking form page of the site the request is about, if it is live.

    Looked up once per site and request, however many calls to action point at it.
    """
    from cms.api.site_argument import current_site
    from cms.leads.models import BookingFormPage

    site = current_site(request)
    known = state_of(request).booking_form_urls if request is not None else {}
    site_id = site.pk if site is not None else None
    if site_id not in known:
        pages = BookingFormPage.objects.all()
        if site is not None:
            pages = pages.descendant_of(site.root_page)
        page = visibility.for_request(request).filter(pages).order_by("path").first()
        known[site_id] = page.get_url(request) if page else None
    return known[site_id]


class ServiceHours(graphene.ObjectType):
    days = graphene.List(
        graphene.NonNull(graphene.Int), required=True, description="ISO weekdays, Monday = 1."
    )
    opens_at = graphene.String(required=True, description="HH:MM, Beijing time.")
    closes_at = graphene.String(required=True, description="HH:MM, Beijing time.")
    time_zone = graphene.String(required=True)
    label = graphene.String(required=True, description="As readers see it: 工作日 9:00-18:00.")


class MenuLink(graphene.ObjectType):
    label = graphene.String(required=True)
    url = graphene.String(required=True)
    is_external = graphene.Boolean(required=True)
    page = graphene.Field(PageInterface, description="Set for links to pages of this CMS.")


class MenuItem(MenuLink):
    children = graphene.List(graphene.NonNull(MenuLink), required=True)


class SiteInfo(graphene.ObjectType):
    hostname = graphene.String(required=True)
    port = graphene.Int(required=True)
    name = graphene.String(required=True)
    root_url = graphene.String(required=True)
