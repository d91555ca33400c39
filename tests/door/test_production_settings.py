"""Production settings: secure cookies, HSTS, no introspection or error text for anonymous
clients. Read in a fresh interpreter, as the server would load them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a fresh interpreter loading Django per test

BASE_DIR = Path(__file__).resolve().parents[2]

NAMES = [
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_SSL_REDIRECT",
    "CMS_API_MASK_ERRORS",
    "CMS_API_INTROSPECTION",
    "CMS_API_SUGGESTIONS",
    "AUTHENTICATION_BACKENDS",
]


def production_settings() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CMS_", "SECURE_"))}
    env.update(
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="cms.example.com",
        DJANGO_SETTINGS_MODULE="settings.production",
        PYTHONPATH=str(BASE_DIR),
    )
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {NAMES!r}}}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=BASE_DIR, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_production_settings_are_hardened():
    values = production_settings()
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and values["SECURE_SSL_REDIRECT"]
    assert values["CMS_API_MASK_ERRORS"] is True
    assert values["CMS_API_INTROSPECTION"] == "token"
    assert values["CMS_API_SUGGESTIONS"] is False
    assert values["AUTHENTICATION_BACKENDS"] == ["cms.door.login_lockout.LockoutModelBackend"]
