"""What an API worker does not load: libraries only some installations or some requests
need are imported where they are used, so every worker does not carry them (``make bench``
reports the resident memory per worker). Each test fails when the import moves back to
the top of its module."""

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
    out = subprocess.run(
        [sys.executable, "-c", LOADED % (then, tuple(roots))],
        cwd=BASE_DIR,
        env={
            **os.environ,
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
def test_media_on_disk_load_no_boto_and_search_loads_jieba_on_first_use():
    assert loaded(["boto3", "botocore", "storages", "jieba", "pkg_resources"]) == set()


@pytest.mark.slow
def test_media_in_a_bucket_are_found_there_and_load_boto_then():
    names = loaded(
        ["boto3"],
        then="from cms.door.media_serving import remote\nassert remote()",
        CMS_MEDIA_STORAGE="s3",
        S3_BUCKET="footprint",
        S3_ENDPOINT_URL="http://127.0.0.1:9",
    )
    assert "boto3" in names
