"""The demo-booking form (欢迎预约演示) and the leads it brings, on Wagtail's form builder.

Editors define the form in the admin; front ends read its definition over GraphQL and
submit it through a mutation. Each submission is a ``Lead``: Wagtail's form submission
(so it shows in Wagtail's own submissions listing and CSV export) plus the columns
staff follow up on (status, assignee, notes) and the proof of consent PIPL expects.
"""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from grapple.models import GraphQLString
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField, AbstractFormSubmission
from wagtail.contrib.forms.utils import get_field_clean_name

from cms.api.cache_invalidation import never_cache
from cms.api.model_fields import GraphQLList, registered_type
from cms.core.foreign_keys import optional_foreign_key
from cms.leads.fields import BOOKING_FIELD_CHOICES, LEAD_FIELD_TYPES, BookingFormBuilder
from cms.leads.form_tokens import issue_form_token
from cms.leads.types import FormFieldDefinition


class BookingFormField(AbstractFormField):
    page = ParentalKey("BookingFormPage", on_delete=models.CASCADE, related_name="form_fields")
    field_type = models.CharField(
        verbose_name=_("field type"), max_length=16, choices=BOOKING_FIELD_CHOICES
    )
    field_type.required_on_save = True

    def get_field_clean_name(self):
        if self.field_type in LEAD_FIELD_TYPES:
            return self.field_type
        return get_field_clean_name(self.label)

    def save(self, *args, **kwargs):
        # A lead field is always submitted under its type's name, even after a label edit.
        if self.field_type in LEAD_FIELD_TYPES:
            self.clean_name = self.field_type
        super().save(*args, **kwargs)


class BookingFormPage(AbstractForm):
    heading = models.CharField(_("heading"), max_length=100, default="欢迎预约演示")
    intro = models.CharField(_("introduction"), max_length=255, blank=True)
    submit_label = models.CharField(_("submit button label"), max_length=30, default="提交预约")
    thank_you_text = models.TextField(_("thank-you text"), blank=True)
    privacy_notice = models.TextField(
        _("privacy notice"),
        blank=True,
        help_text=_("What visitors agree to when they submit (个人信息保护声明)."),
    )
    privacy_notice_version = models.CharField(
        _("privacy notice version"),
        max_length=20,
        default="1",
        help_text=_(
            "Change it whenever the notice changes: each lead records the version agreed to."
        ),
    )
    notify_emails = models.TextField(
        _("notify by e-mail"),
        blank=True,
        help_text=_("Staff addresses told of each new lead, one per line."),
    )

    form_builder = BookingFormBuilder
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
        MultiFieldPanel(
            [FieldPanel("privacy_notice"), FieldPanel("privacy_notice_version")],
            # Wagtail's own "Privacy" is a page's view restriction, another word in Chinese.
            heading=pgettext_lazy("booking form", "Privacy"),
        ),
        FieldPanel("notify_emails"),
    ]

    graphql_fields = [
        GraphQLString("heading", required=True),
        GraphQLString("intro", required=True),
        GraphQLString("submit_label", required=True),
        GraphQLString("thank_you_text", required=True),
        GraphQLString("privacy_notice", required=True),
        GraphQLString("privacy_notice_version", required=True),
        GraphQLList(
            "fields",
            FormFieldDefinition,
            source="graphql_fields_definition",
        ),
        GraphQLList(
            "interests",
            registered_type("home.ServiceArea"),
            source="graphql_interests",
            description="The service areas a visitor may pick (智慧托育, 托育装备, 托育人才).",
        ),
        GraphQLString(
            "form_token",
            required=True,
            source="graphql_form_token",
            description="Send it back with the submission: it proves when the form was shown.",
        ),
    ]

    class Meta:
        verbose_name = _("demo-booking form")
        verbose_name_plural = _("demo-booking forms")

    def get_submission_class(self):
        return Lead

    def notify_addresses(self) -> list[str]:
        return [line.strip() for line in self.notify_emails.splitlines() if line.strip()]

    def graphql_fields_definition(self, info, **kwargs):
        return [FormFieldDefinition.from_field(field) for field in self.form_fields.all()]

    def graphql_interests(self, info, **kwargs):
        return list(apps.get_model("home.ServiceArea").objects.for_clients())

    def graphql_form_token(self, info, **kwargs):
        never_cache(info.context)  # each answer carries a fresh, timed token
        return issue_form_token(self.pk)


class LeadStatus(models.TextChoices):
    # In context: Wagtail's "New" (as in "New: Article") must keep its own translation.
    NEW = "new", pgettext_lazy("lead status", "New")
    CONTACTED = "contacted", pgettext_lazy("lead status", "Contacted")
    QUALIFIED = "qualified", pgettext_lazy("lead status", "Qualified")
    CLOSED = "closed", pgettext_lazy("lead status", "Closed")


class Lead(AbstractFormSubmission):
    """One demo booking. Personal data: only the sales group and superusers see it."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("site"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=50, blank=True)
    mobile = models.CharField(_("mobile phone"), max_length=20, blank=True, db_index=True)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    interests = models.JSONField(_("interests"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    consent_version = models.CharField(_("privacy notice version agreed to"), max_length=20)
    consented_at = models.DateTimeField(_("consented at"))
    source_path = models.CharField(_("submitted from page"), max_length=255, blank=True)
    partner = models.CharField(_("partner"), max_length=100, blank=True)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    # The hash of the page and the cleaned values. Held by the latest lead of that content
    # only (older ones give it up: NULL), so a unique constraint stops racing duplicates.
    fingerprint = models.CharField(max_length=64, null=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=LeadStatus.choices,
        default=LeadStatus.NEW,
        db_index=True,
    )
    assignee = optional_foreign_key(settings.AUTH_USER_MODEL, _("assignee"))
    notes = models.TextField(_("notes"), blank=True)
    notified_at = models.DateTimeField(
        _("staff notified at"), null=True, blank=True, editable=False
    )
    notify_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    # Set (and committed) before each send, cleared when its outcome is known: still set
    # when a send starts means the last one was cut off (its worker died) and may have
    # reached staff, so this one says it may be a repeat.
    notify_sending_since = models.DateTimeField(null=True, editable=False)

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-submit_time"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="lead_unique_idempotency_key",
            ),
            models.UniqueConstraint(
                fields=["page", "fingerprint"],
                condition=models.Q(fingerprint__isnull=False),
                name="lead_unique_fingerprint",
            ),
        ]
        permissions = [("export_lead", "Can export leads")]

    def __str__(self):
        return f"{self.name or '—'} {self.mobile}"
