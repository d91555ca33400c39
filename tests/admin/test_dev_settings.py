"""What `make run` configures from its variables, and what the admin never loads."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def setting(name, **env):
    code = (
        f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    )
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "settings.dev", **env}
    environ.pop("WAGTAILADMIN_BASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_staff_mail_links_follow_the_port():
    assert setting("WAGTAILADMIN_BASE_URL", PORT="8080") == "http://127.0.0.1:8080"
    assert setting("WAGTAILADMIN_BASE_URL", PORT="") == "http://127.0.0.1:8000"


def test_no_gravatar_in_the_admin(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "gravatar" not in html.lower()
