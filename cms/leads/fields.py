"""Field types of the booking form.

Besides Wagtail's generic types, the form builder offers the fields a lead is made of
(name, mobile, organisation, city, interests, message). Editors choose their labels,
help texts and whether they are required; the CMS knows what each holds, so it can
validate a mobile number, offer the service areas as interests, and file the lead.
Each such field is submitted under its type's name (``mobile``), not a name derived
from a Chinese label.
"""

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import FormBuilder
from wagtail.contrib.forms.models import FORM_FIELD_CHOICES

from cms.core.phone import validate_mobile_number
from cms.leads.cleaning import mobile_number, multi_line, single_line

# Longest accepted value per lead field, in characters.
LEAD_FIELD_MAX_LENGTHS = {
    "name": 50,
    "mobile": 20,
    "organisation": 100,
    "city": 50,
    "message": 2000,
}
LEAD_FIELD_CHOICES = (
    ("name", _("Lead: name")),
    ("mobile", _("Lead: mobile phone")),
    ("organisation", _("Lead: organisation")),
    ("city", _("Lead: city")),
    ("interests", _("Lead: interests (service areas)")),
    ("message", _("Lead: message")),
)
LEAD_FIELD_TYPES = {value for value, _label in LEAD_FIELD_CHOICES}
BOOKING_FIELD_CHOICES = LEAD_FIELD_CHOICES + tuple(FORM_FIELD_CHOICES)
GENERIC_MAX_LENGTH = 500


class SingleLineField(forms.CharField):
    """Visible text on one line (limits and "required" apply to what is left)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = single_line(value)
        return super().to_python(value)


class MultiLineField(forms.CharField):
    widget = forms.Textarea

    def to_python(self, value):
        if isinstance(value, str):
            value = multi_line(value)
        return super().to_python(value)


class MobileField(forms.CharField):
    """A mainland mobile number, cleaned to its 11 ASCII digits."""

    default_validators = [validate_mobile_number]

    def to_python(self, value):
        if isinstance(value, str):
            value = mobile_number(value)
        return super().to_python(value)


class BookingFormBuilder(FormBuilder):
    def _text(self, field, options, name):
        return SingleLineField(max_length=LEAD_FIELD_MAX_LENGTHS[name], **options)

    def create_name_field(self, field, options):
        return self._text(field, options, "name")

    def create_mobile_field(self, field, options):
        return MobileField(max_length=LEAD_FIELD_MAX_LENGTHS["mobile"], **options)

    def create_organisation_field(self, field, options):
        return self._text(field, options, "organisation")

    def create_city_field(self, field, options):
        return self._text(field, options, "city")

    def create_message_field(self, field, options):
        return MultiLineField(max_length=LEAD_FIELD_MAX_LENGTHS["message"], **options)

    def create_interests_field(self, field, options):
        # Interests are the service areas editors keep in the home app.
        service_areas = apps.get_model("home.ServiceArea")
        choices = list(service_areas.objects.values_list("slug", "name"))
        options.pop("initial", None)
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **options
        )

    def create_singleline_field(self, field, options):
        return SingleLineField(max_length=GENERIC_MAX_LENGTH, **options)

    def create_hidden_field(self, field, options):
        return SingleLineField(max_length=GENERIC_MAX_LENGTH, widget=forms.HiddenInput, **options)

    def create_multiline_field(self, field, options):
        return MultiLineField(max_length=LEAD_FIELD_MAX_LENGTHS["message"], **options)
