"""The environment is read in one place (settings/env.py): a number an operator sets is read
under its setting's own name, and a value that is not one stops the start with the
variable's name, not an int() traceback."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from settings.env import env_ints

BASE_DIR = Path(__file__).resolve().parents[1]


def test_each_number_is_read_under_its_own_name(monkeypatch):
    monkeypatch.setenv("CMS_FEED_SIZE", "7")
    monkeypatch.delenv("CMS_OEMBED_CACHE_AGE", raising=False)
    assert env_ints(CMS_FEED_SIZE=20, CMS_OEMBED_CACHE_AGE=3600) == {
        "CMS_FEED_SIZE": 7,
        "CMS_OEMBED_CACHE_AGE": 3600,
    }


def test_a_number_that_is_not_one_names_its_variable(monkeypatch):
    monkeypatch.setenv("CMS_FEED_SIZE", "twenty")
    with pytest.raises(ImproperlyConfigured, match="CMS_FEED_SIZE must be a whole number"):
        env_ints(CMS_FEED_SIZE=20)


@pytest.mark.slow
def test_the_settings_take_the_number_from_the_environment():
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.CMS_API_MAX_COST)",
        ],
        cwd=BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "settings.dev", "CMS_API_MAX_COST": "7", "PATH": "/usr/bin"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert out.strip() == "7"
