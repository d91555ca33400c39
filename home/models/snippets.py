"""Reusable site-wide content, edited once and shown wherever editors choose."""

import datetime

import graphene
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from grapple.models import GraphQLField, GraphQLInt, GraphQLString
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.snippets.models import register_snippet

from cms.api.images import Image
from cms.api.model_fields import GraphQLList, registered_type
from cms.api.terms import OrderedTerm
from cms.core.editor_fields import NamedSnippet
from cms.core.foreign_keys import optional_foreign_key
from cms.core.phone import tel_uri, validate_phone_number
from home.types import CallToActionTarget, ServiceHours, TargetKind


class ServiceAreaQuerySet(models.QuerySet):
    def for_clients(self):
        """With icons and their renditions, so a list costs a fixed number of queries."""
        return self.select_related("icon").prefetch_related("icon__renditions")


@register_snippet
class ServiceArea(OrderedTerm):
    """One line of business (智慧托育, 托育装备, 托育人才); also the booking form's interests."""

    icon = optional_foreign_key("cms.CustomImage", _("icon"))
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    objects = ServiceAreaQuerySet.as_manager()

    graphql_fields = [
        *OrderedTerm.graphql_fields,
        GraphQLField("icon", Image),
        GraphQLInt("sort_order", required=True),
    ]

    class Meta(OrderedTerm.Meta):
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")


@register_snippet
class CallToAction(NamedSnippet):
    """让我们开始吧 / 全景智慧托育… / 预约体验: a heading, a line and a button."""

    heading = models.CharField(_("heading"), max_length=100)
    text = models.CharField(_("text"), max_length=255, blank=True)
    button_label = models.CharField(_("button label"), max_length=30)
    target_kind = models.CharField(
        _("button opens"),
        max_length=20,
        choices=TargetKind.choices,
        default=TargetKind.BOOKING_FORM,
    )
    target_page = optional_foreign_key("wagtailcore.Page", _("page"))
    target_url = models.URLField(_("URL"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("heading"),
        FieldPanel("text"),
        FieldPanel("button_label"),
        MultiFieldPanel(
            [FieldPanel("target_kind"), FieldPanel("target_page"), FieldPanel("target_url")],
            heading=_("Button target"),
        ),
    ]

    graphql_fields = [
        GraphQLString("heading", required=True),
        GraphQLString("text", required=True),
        GraphQLString("button_label", required=True),
        GraphQLField("target", graphene.NonNull(CallToActionTarget), source="graphql_target"),
    ]

    class Meta:
        verbose_name = _("call to action")
        verbose_name_plural = _("calls to action")

    def clean(self):
        super().clean()
        if self.target_kind == TargetKind.PAGE and not self.target_page_id:
            raise ValidationError({"target_page": _("Choose the page the button opens.")})
        if self.target_kind == TargetKind.URL and not self.target_url:
            raise ValidationError({"target_url": _("Enter the URL the button opens.")})

    def graphql_target(self, info, **kwargs):
        return CallToActionTarget.for_call_to_action(self, info.context)


@register_snippet
class ContactCard(NamedSnippet, ClusterableModel):
    """联系我们: phone lines with service hours, a WeChat QR code, optional e-mail and address."""

    heading = models.CharField(_("heading"), max_length=100, default="联系我们")
    intro = models.CharField(_("introduction"), max_length=255, blank=True)
    wechat_label = models.CharField(_("WeChat label"), max_length=50, blank=True)
    wechat_qr_code = optional_foreign_key("cms.CustomImage", _("WeChat QR code"))
    wechat_caption = models.CharField(_("QR code caption"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("heading"),
        FieldPanel("intro"),
        InlinePanel("phone_lines", label=_("Phone line"), heading=_("Phone lines")),
        MultiFieldPanel(
            [
                FieldPanel("wechat_label"),
                FieldPanel("wechat_qr_code"),
                FieldPanel("wechat_caption"),
            ],
            heading=_("WeChat"),
        ),
        FieldPanel("email"),
        FieldPanel("address"),
    ]

    graphql_fields = [
        GraphQLString("heading", required=True),
        GraphQLString("intro", required=True),
        GraphQLList(
            "phone_lines",
            registered_type("home.PhoneLine"),
            source="graphql_phone_lines",
        ),
        GraphQLString("wechat_label", required=True),
        GraphQLField("wechat_qr_code", Image),
        GraphQLString("wechat_caption", required=True),
        GraphQLString("email", source="graphql_email"),
        GraphQLString("address", source="graphql_address"),
    ]

    class Meta:
        verbose_name = _("contact card")
        verbose_name_plural = _("contact cards")

    def graphql_phone_lines(self, info, **kwargs):
        return list(self.phone_lines.all())

    def graphql_email(self, info, **kwargs):
        return self.email or None

    def graphql_address(self, info, **kwargs):
        return self.address or None


class ServiceDays(models.TextChoices):
    WEEKDAYS = "weekdays", _("Weekdays (Mon-Fri)")
    MON_SAT = "mon_sat", _("Monday to Saturday")
    DAILY = "daily", _("Every day")


# ISO weekday numbers (Monday = 1) for each choice.
SERVICE_DAY_NUMBERS = {
    ServiceDays.WEEKDAYS: [1, 2, 3, 4, 5],
    ServiceDays.MON_SAT: [1, 2, 3, 4, 5, 6],
    ServiceDays.DAILY: [1, 2, 3, 4, 5, 6, 7],
}
# How the seed writes them; readers in China expect these words.
SERVICE_DAY_LABELS = {
    ServiceDays.WEEKDAYS: "工作日",
    ServiceDays.MON_SAT: "周一至周六",
    ServiceDays.DAILY: "每天",
}


class PhoneLine(Orderable):
    contact = ParentalKey(ContactCard, on_delete=models.CASCADE, related_name="phone_lines")
    # Wagtail's form builder has a "label" of its own (a form field's, 标签).
    label = models.CharField(pgettext_lazy("phone line", "label"), max_length=50, blank=True)
    number = models.CharField(_("number"), max_length=30, validators=[validate_phone_number])
    service_days = models.CharField(
        _("service days"), max_length=10, choices=ServiceDays.choices, default=ServiceDays.WEEKDAYS
    )
    opens_at = models.TimeField(_("opens at"), default=datetime.time(9, 0))
    closes_at = models.TimeField(_("closes at"), default=datetime.time(18, 0))
    note = models.CharField(
        _("note"), max_length=100, blank=True, help_text=_("e.g. closed on public holidays")
    )

    panels = [
        FieldPanel("label"),
        FieldPanel("number"),
        FieldPanel("service_days"),
        FieldPanel("opens_at"),
        FieldPanel("closes_at"),
        FieldPanel("note"),
    ]

    graphql_fields = [
        GraphQLString("label", required=True),
        GraphQLString("number", required=True),
        GraphQLString("tel_uri", required=True, source="graphql_tel_uri"),
        GraphQLField(
            "service_hours", graphene.NonNull(ServiceHours), source="graphql_service_hours"
        ),
        GraphQLField(
            "is_open_now",
            graphene.Boolean,
            required=True,
            source="graphql_is_open_now",
            description="Whether the line is staffed now, in Beijing time.",
        ),
        GraphQLString("note", required=True),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("phone line")
        verbose_name_plural = _("phone lines")

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.opens_at >= self.closes_at:
            raise ValidationError(
                {"closes_at": _("The closing time must be after the opening time.")}
            )

    @property
    def hours_label(self) -> str:
        def clock(value: datetime.time) -> str:
            return f"{value.hour}:{value.minute:02d}"

        days = SERVICE_DAY_LABELS[ServiceDays(self.service_days)]
        return f"{days} {clock(self.opens_at)}-{clock(self.closes_at)}"

    def is_open_at(self, moment: datetime.datetime) -> bool:
        local = timezone.localtime(moment)
        days = SERVICE_DAY_NUMBERS[ServiceDays(self.service_days)]
        return local.isoweekday() in days and self.opens_at <= local.time() < self.closes_at

    def graphql_tel_uri(self, info, **kwargs):
        return tel_uri(self.number)

    def graphql_service_hours(self, info, **kwargs):
        return ServiceHours(
            days=SERVICE_DAY_NUMBERS[ServiceDays(self.service_days)],
            opens_at=self.opens_at.strftime("%H:%M"),
            closes_at=self.closes_at.strftime("%H:%M"),
            time_zone="Asia/Shanghai",
            label=self.hours_label,
        )

    def graphql_is_open_now(self, info, **kwargs):
        return self.is_open_at(timezone.now())
