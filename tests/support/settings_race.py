"""Settings of the app server in tests/leads/test_lead_race.py: the test settings, with the
booking form's limits lifted so that every one of the racing submissions reaches the
database (the limits have tests of their own)."""

from settings.test import *  # noqa: F403

LEADS_MIN_FILL_SECONDS = 0
LEADS_RATE_LIMITS = {"ip": (10_000, 600), "mobile": (10_000, 3600)}
CMS_API_RATE_LIMIT_PER_IP = 10_000
