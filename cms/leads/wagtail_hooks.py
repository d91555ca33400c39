"""The lead inbox for staff, the mutation's registration, and who may see submissions."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic.models import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from cms.leads.lead_panel import EMPTY, LeadDetailsPanel, interests_text, lead_details
from cms.leads.models import BookingFormPage, Lead, LeadStatus

SALES_GROUP = "sales"


def can_see_leads(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm("leads.view_lead"))


class LeadPermissionPolicy(ModelPermissionPolicy):
    """Leads come from visitors only: nobody adds or copies one in the admin."""

    def user_has_permission(self, user, action):
        if action in ("add", "copy"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class LeadForm(WagtailAdminModelForm):
    """Staff change only the follow-up: status, assignee (a sales person) and notes."""

    class Meta:
        model = Lead
        fields = ["status", "assignee", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (
            get_user_model()
            .objects.filter(Q(is_superuser=True) | Q(groups__name=SALES_GROUP), is_active=True)
            .distinct()
        )


class LeadInspectView(InspectView):
    """For staff who may read leads but not follow them up: the same facts as the lead page."""

    def get_fields_context(self):
        lead = self.object
        rows = [
            *lead_details(lead),
            (Lead._meta.get_field("status").verbose_name, lead.get_status_display()),
            (Lead._meta.get_field("assignee").verbose_name, str(lead.assignee or EMPTY)),
            (Lead._meta.get_field("notes").verbose_name, lead.notes or EMPTY),
        ]
        return [{"label": label, "value": value, "component": None} for label, value in rows]


def status_label(value) -> str:
    return str(LeadStatus(value).label) if value in LeadStatus.values else value


class LeadIndexView(IndexView):
    # Exported as staff read them on screen, not as stored codes or Python lists.
    custom_field_preprocess = {
        "status": {"csv": status_label, "xlsx": status_label},
        "interests": {"csv": interests_text, "xlsx": interests_text},
    }


class LeadViewSet(ModelViewSet):
    model = Lead
    # One page per lead: what the visitor sent, then the follow-up staff edit.
    edit_handler = ObjectList(
        [LeadDetailsPanel(), FieldPanel("status"), FieldPanel("assignee"), FieldPanel("notes")],
        base_form_class=LeadForm,
    )
    icon = "mail"
    menu_label = _("Leads")
    menu_order = 250
    add_to_admin_menu = True
    url_prefix = "leads"
    name = "leads_lead"
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = ["name", "mobile", "organisation", "city", "status", "assignee", "submit_time"]
    list_filter = ["status", "assignee", "site", "submit_time"]
    search_fields = ["name", "mobile", "organisation", "city", "message", "notes"]
    list_export = [
        "submit_time",
        "name",
        "mobile",
        "organisation",
        "city",
        "interests",
        "message",
        "status",
        "assignee",
        "partner",
        "source_path",
        "consent_version",
        "consented_at",
    ]
    export_filename = "leads"
    index_view_class = LeadIndexView
    inspect_view_class = LeadInspectView


register_permission_policy(Lead, LeadPermissionPolicy(Lead))


@hooks.register("register_admin_viewset")
def register_lead_inbox():
    return LeadViewSet()


@hooks.register("filter_form_submissions_for_user")
def only_sales_see_submissions(user, form_pages):
    """Wagtail's own submissions listing shows leads too: to the same people only.

    Wagtail shows submissions to whoever may edit the form page; here it is the sales
    role that counts, whether or not the person edits pages.
    """
    if not can_see_leads(user):
        return form_pages.none()
    return form_pages.model.objects.type(BookingFormPage)
