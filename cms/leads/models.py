"""The demo-booking form (欢迎预约演示), built on Wagtail's form builder.

Editors define its fields in the admin; front ends read the definition over GraphQL
and render it without hard-coding. Submissions land where Wagtail users look for them.
"""

import graphene
from django.db import models
from django.utils.translation import gettext_lazy as _
from grapple.models import GraphQLField, GraphQLString
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField

from cms.leads.types import FormFieldDefinition


class BookingFormField(AbstractFormField):
    page = ParentalKey("BookingFormPage", on_delete=models.CASCADE, related_name="form_fields")


class BookingFormPage(AbstractForm):
    heading = models.CharField(_("heading"), max_length=100, default="欢迎预约演示")
    intro = models.CharField(_("introduction"), max_length=255, blank=True)
    submit_label = models.CharField(_("submit button label"), max_length=30, default="提交预约")
    thank_you_text = models.TextField(_("thank-you text"), blank=True)

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    content_panels = [
        *AbstractForm.content_panels,
        MultiFieldPanel(
            [FieldPanel("heading"), FieldPanel("intro"), FieldPanel("submit_label")],
            heading=_("Form header"),
        ),
        InlinePanel("form_fields", label=_("Form field"), heading=_("Form fields")),
        FieldPanel("thank_you_text"),
    ]

    graphql_fields = [
        GraphQLString("heading", required=True),
        GraphQLString("intro", required=True),
        GraphQLString("submit_label", required=True),
        GraphQLString("thank_you_text", required=True),
        GraphQLField(
            "fields",
            graphene.List(graphene.NonNull(FormFieldDefinition)),
            required=True,
            source="graphql_fields_definition",
        ),
        GraphQLField(
            "interests",
            graphene.List(graphene.NonNull(lambda: _service_area_type())),
            required=True,
            source="graphql_interests",
            description="The service areas a visitor may pick (智慧托育, 托育装备, 托育人才).",
        ),
    ]

    class Meta:
        verbose_name = _("demo-booking form")
        verbose_name_plural = _("demo-booking forms")

    def graphql_fields_definition(self, info, **kwargs):
        return [FormFieldDefinition.from_field(field) for field in self.form_fields.all()]

    def graphql_interests(self, info, **kwargs):
        from home.models import ServiceArea

        return list(ServiceArea.objects.select_related("icon"))


def _service_area_type():
    from grapple.registry import registry

    from home.models import ServiceArea

    return registry.snippets[ServiceArea]
