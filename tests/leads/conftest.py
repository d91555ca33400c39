"""Every test here runs against the booking form of tests/support/lead_forms.py."""

from tests.support.lead_forms import form, instant_forms  # noqa: F401  (fixtures)
