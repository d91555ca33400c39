"""GraphQL: the booking form's definition (a query) and its submission (a mutation).

No query returns a submission: leads are personal data, read only by staff in the admin.
"""

import graphene
from django.utils.translation import gettext
from graphene.types.generic import GenericScalar
from graphql import GraphQLError

from cms.api.model_fields import registered_type
from cms.api.site_argument import resolve_site, site_argument
from cms.core import visibility
from cms.core.request_state import state_of
from cms.leads.models import BookingFormPage
from cms.leads.submission import Submission, submit
from cms.leads.submission_limits import RateLimited


def _live_form(info, site):
    pages = BookingFormPage.objects.descendant_of(site.root_page)
    return visibility.for_request(info.context).filter(pages).order_by("path").first()


class BookingFormQuery:
    booking_form = graphene.Field(
        registered_type("leads.BookingFormPage"),
        site=site_argument(),
        description="The site's demo-booking form (欢迎预约演示): its texts and fields.",
    )

    def resolve_booking_form(self, info, site=None):
        return _live_form(info, resolve_site(info, site))


class FieldError(graphene.ObjectType):
    field = graphene.String(required=True, description="The input field, or a form field's name.")
    message = graphene.String(required=True, description="In Chinese, for the visitor.")


class SubmitBookingFormInput(graphene.InputObjectType):
    site = site_argument()
    values = GenericScalar(
        required=True,
        description='Field name → value, e.g. {"name": "张三", "interests": ["training"]}.',
    )
    consent = graphene.Boolean(
        required=True, description="The visitor agreed to the privacy notice."
    )
    form_token = graphene.String(required=True, description="bookingForm.formToken, as received.")
    idempotency_key = graphene.String(
        description="Any unique string per submission (≤ 64); a retry with it stores nothing new."
    )
    website = graphene.String(description="Leave empty. A hidden field: only bots fill it in.")
    source_path = graphene.String(description="The path of the page the form was on.")
    partner = graphene.String(description="The partner site the form was embedded on, if any.")


class SubmitBookingFormPayload(graphene.ObjectType):
    ok = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    message = graphene.String(description="The thank-you text, when ok.")


class SubmitBookingForm(graphene.Mutation):
    """Book a demo. Field errors come back in ``errors``; nothing is stored unless ``ok``."""

    class Arguments:
        input = SubmitBookingFormInput(required=True)

    Output = SubmitBookingFormPayload

    @staticmethod
    def mutate(root, info, input):
        site = resolve_site(info, input.get("site"))
        page = _live_form(info, site)
        if page is None:
            return SubmitBookingFormPayload(
                ok=False,
                errors=[
                    FieldError(
                        field="site", message=gettext("This site does not take bookings yet.")
                    )
                ],
            )
        submission = Submission(
            page=page,
            site=site,
            values=input.get("values"),
            consent=bool(input.get("consent")),
            form_token=input.get("form_token"),
            idempotency_key=input.get("idempotency_key"),
            honeypot=input.get("website"),
            source_path=(input.get("source_path") or "")[:255],
            partner=(input.get("partner") or "")[:100],
        )
        try:
            outcome = submit(submission, info.context)
        except RateLimited as limited:
            # The view turns this into HTTP 429 with Retry-After.
            state_of(info.context).retry_after = limited.retry_after
            raise GraphQLError(
                gettext("Too many submissions: try again in {seconds} seconds.").format(
                    seconds=limited.retry_after
                ),
                extensions={"code": "RATE_LIMITED", "retryAfter": limited.retry_after},
            ) from None
        return SubmitBookingFormPayload(
            ok=outcome.ok,
            errors=[FieldError(field=name, message=message) for name, message in outcome.errors],
            message=page.thank_you_text if outcome.ok else None,
        )


class LeadMutations(graphene.ObjectType):
    submit_booking_form = SubmitBookingForm.Field()
