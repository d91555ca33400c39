"""What an API worker does not load: a library only some installations need is imported
where it is used, so every worker does not carry it (``make bench`` reports the memory per
worker). The test fails when the import moves back to the top of its module."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

# A worker as gunicorn's master prepares it (gunicorn.conf.py: the URLconf, and with it the
# schema, imported before the fork).
LOADED = """
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
%s
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in %r)))
"""


def loaded(roots, then="", **env):
    # This machine's own choices (a bucket, another search engine) are not the test's.
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("CMS_MEDIA_", "S3_", "SEARCH_"))
    }
    out = subprocess.run(
        [sys.executable, "-c", LOADED % (then, tuple(roots))],
        cwd=BASE_DIR,
        env={
            **inherited,
            "DJANGO_SETTINGS_MODULE": "settings.production",
            "SECRET_KEY": "footprint-test",
            **env,
        },
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


@pytest.mark.slow
def test_media_on_disk_load_no_boto():
    assert loaded(["boto3", "botocore", "storages"]) == set()


@pytest.mark.slow
def test_media_in_a_bucket_are_served_from_it():
    names = loaded(
        ["boto3"],
        then="from cms.door.media_serving import remote\nassert remote()",
        CMS_MEDIA_STORAGE="s3",
        S3_BUCKET="footprint",
        S3_ENDPOINT_URL="http://127.0.0.1:9",
    )
    assert "boto3" in names
