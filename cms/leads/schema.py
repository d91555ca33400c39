import graphene
from grapple.helpers import register_graphql_schema
from grapple.registry import registry

from cms import visibility
from cms.api.sites import resolve_site
from cms.leads.models import BookingFormPage


@register_graphql_schema
class BookingFormQuery:
    booking_form = graphene.Field(
        lambda: registry.pages[BookingFormPage],
        site=graphene.String(description="The site's hostname; needed when there are several."),
        description="The site's demo-booking form (欢迎预约演示): its texts and fields.",
    )

    def resolve_booking_form(self, info, site=None):
        site_obj = resolve_site(info, site)
        pages = BookingFormPage.objects.descendant_of(site_obj.root_page)
        return visibility.for_request(info.context).filter(pages).order_by("path").first()
