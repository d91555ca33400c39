"""Per-site settings: who publishes (the organisation profile) and what frames every page."""

import graphene
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from grapple.models import GraphQLField, GraphQLString
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.snippets.blocks import SnippetChooserBlock

from cms.api.images import Image
from cms.core.foreign_keys import optional_foreign_key
from home.blocks import MenuBlock

ICP_REGISTER_URL = "https://beian.miit.gov.cn/"


def _list_of_strings():
    return graphene.List(graphene.NonNull(graphene.String))


def _texts(stream) -> list[str]:
    return [child.value for child in stream]


@register_setting(icon="group")
class OrganisationProfile(BaseSiteSetting):
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    description = models.TextField(_("description"), blank=True)
    core_functions = StreamField(
        [("function", blocks.TextBlock(label=_("Core function")))],
        verbose_name=_("core functions"),
        blank=True,
    )
    slogan = models.CharField(_("slogan"), max_length=100, blank=True)
    values_heading = models.CharField(_("values heading"), max_length=50, blank=True)
    values = StreamField(
        # One of the organisation's core values (价值观), not a number: a context of its own.
        [("value", blocks.CharBlock(label=pgettext_lazy("core value", "Value"), max_length=20))],
        verbose_name=_("values"),
        blank=True,
    )
    logo = optional_foreign_key("cms.CustomImage", _("logo"))
    copyright_holder = models.CharField(_("copyright holder"), max_length=100, blank=True)
    copyright_notice = models.CharField(_("copyright notice"), max_length=255, blank=True)
    icp_number = models.CharField(
        _("ICP licence number"),
        max_length=50,
        blank=True,
        help_text=_("e.g. 京ICP备2022030170号-2"),
    )
    icp_url = models.URLField(_("ICP register link"), blank=True, default=ICP_REGISTER_URL)
    business_licence_label = models.CharField(
        _("business licence link label"), max_length=50, blank=True
    )
    business_licence_url = models.URLField(_("business licence link"), blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("short_name"), FieldPanel("logo")],
            heading=_("Organisation"),
        ),
        FieldPanel("description"),
        FieldPanel("core_functions"),
        FieldPanel("slogan"),
        FieldPanel("values_heading"),
        FieldPanel("values"),
        MultiFieldPanel(
            [
                FieldPanel("copyright_holder"),
                FieldPanel("copyright_notice"),
                FieldPanel("icp_number"),
                FieldPanel("icp_url"),
                FieldPanel("business_licence_label"),
                FieldPanel("business_licence_url"),
            ],
            heading=_("Footer"),
        ),
    ]

    graphql_fields = [
        GraphQLString("name", required=True),
        GraphQLString("short_name", required=True),
        GraphQLString("description", required=True),
        GraphQLField(
            "core_functions",
            _list_of_strings(),
            required=True,
            source="graphql_core_functions",
        ),
        GraphQLString("slogan", required=True),
        GraphQLString("values_heading", required=True),
        GraphQLField("values", _list_of_strings(), required=True, source="graphql_values"),
        GraphQLField("logo", Image),
        GraphQLString("copyright_holder", required=True),
        GraphQLString("copyright_notice", required=True),
        GraphQLString(
            "copyright_line",
            required=True,
            source="graphql_copyright_line",
            description="The whole footer line: ©Copyright holder notice.",
        ),
        GraphQLString("icp_number", required=True),
        GraphQLString("icp_url", required=True),
        GraphQLString("business_licence_label", required=True),
        GraphQLString("business_licence_url", required=True),
    ]

    class Meta:
        verbose_name = _("organisation profile")

    def graphql_core_functions(self, info, **kwargs):
        return _texts(self.core_functions)

    def graphql_values(self, info, **kwargs):
        return _texts(self.values)

    def graphql_copyright_line(self, info, **kwargs):
        parts = [f"©Copyright {self.copyright_holder}".strip(), self.copyright_notice]
        return " ".join(part for part in parts if part)


@register_setting(icon="list-ul")
class SiteLayout(BaseSiteSetting):
    """What frames every page of a site: menus, contact cards and the call to action."""

    main_menu = StreamField(MenuBlock(), verbose_name=_("main menu"), blank=True)
    footer_menu = StreamField(MenuBlock(), verbose_name=_("footer menu"), blank=True)
    contacts = StreamField(
        [("contact", SnippetChooserBlock("home.ContactCard", label=_("Contact card")))],
        verbose_name=_("contact cards"),
        blank=True,
    )
    call_to_action = optional_foreign_key("home.CallToAction", _("call to action"))

    panels = [
        FieldPanel("main_menu"),
        FieldPanel("footer_menu"),
        FieldPanel("contacts"),
        FieldPanel("call_to_action"),
    ]

    class Meta:
        verbose_name = _("site layout")
