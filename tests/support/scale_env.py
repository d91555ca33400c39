"""Real parts for the beyond-one-machine tests: an S3-compatible server (moto's standalone
server, a separate process on loopback), gunicorn app servers, nginx, and HTTP sessions.

The app servers run settings.production on one PostgreSQL database (``fault_database``)
and one Redis, each with a MEDIA_ROOT of its own, so nothing can pass through a local disk.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import boto3
import requests
from botocore.config import Config

from tests.support.app_server import BASE_DIR, REDIS_URL, AppServer, start, stop, wait_for
from tests.support.fakes import free_port
from tests.support.fault_env import base_env

ACCESS_KEY = "AKIAEXAMPLESCALETEST"
SECRET_KEY = "scale-test-secret-key-of-the-bucket"
REGION = "cn-north-1"


class S3Server:
    """moto's S3 server on a free loopback port, with one private bucket."""

    def __init__(self, log: Path):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.bucket = f"cms-media-{uuid.uuid4().hex[:8]}"
        self.process = start(
            [
                str(BASE_DIR / ".venv" / "bin" / "moto_server"),
                "-H",
                "127.0.0.1",
                "-p",
                str(self.port),
            ],
            {"PATH": "/usr/bin:/bin"},
            log,
        )
        wait_for(self._answers, 30, step=0.2, what="moto's S3 server")
        self.client().create_bucket(
            Bucket=self.bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
        )

    def _answers(self) -> bool:
        try:
            return requests.get(self.endpoint, timeout=1).status_code < 500
        except requests.RequestException:
            return False

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            config=Config(s3={"addressing_style": "path"}),
        )

    def object_keys(self) -> list[str]:
        found = self.client().list_objects_v2(Bucket=self.bucket).get("Contents", [])
        return [item["Key"] for item in found]

    def env(self) -> dict[str, str]:
        return {
            "CMS_MEDIA_STORAGE": "s3",
            "S3_BUCKET": self.bucket,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_REGION": REGION,
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "S3_ADDRESSING_STYLE": "path",
        }

    def stop(self):
        stop(self.process)


def app_env(database_url: str, var: Path, **extra: str) -> dict[str, str]:
    return base_env(
        database_url,
        VAR_DIR=str(var),
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=f"test-scale-{uuid.uuid4().hex}",
        LOG_LEVEL="WARNING",
        **extra,
    )


class SiteServer(AppServer):
    """One gunicorn (gunicorn.conf.py) with its own MEDIA_ROOT and log, started by
    ``start()``, with the requests of a browser of the site."""

    def __init__(self, env: dict, var: Path, name: str, workers: int = 1):
        self.media_root = var / f"media-{name}"
        self.media_root.mkdir(exist_ok=True)
        super().__init__(
            {**env, "MEDIA_ROOT": str(self.media_root)},
            workers=workers,
            log=var / f"{name}.log",
            autostart=False,
        )

    def session(self) -> requests.Session:
        return Browser()

    def get(self, session, path, **kwargs):
        return session.request("GET", self.base + path, **kwargs)

    def post(self, session, path, **kwargs):
        return session.request("POST", self.base + path, **kwargs)

    def login(self, username: str, password: str) -> requests.Session:
        session = self.session()
        form = self.get(session, "/admin/login/")
        response = self.post(
            session,
            "/admin/login/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": csrf(form)},
        )
        assert response.status_code == 302, response.text[:300]
        return session

    def graphql(self, query: str, session=None) -> dict:
        response = (session or self.session()).get(
            self.base + "/graphql/", params={"query": query}, timeout=30
        )
        assert response.status_code == 200, response.text[:300]
        body = response.json()
        assert "errors" not in body, body
        return body["data"]


class Browser(requests.Session):
    """A client of the site "localhost" over plain HTTP: it keeps every cookie, the Secure
    ones of settings.production included (requests would keep those for https only), and
    sends them to whichever app server it asks, as a browser behind one proxy would."""

    def __init__(self):
        super().__init__()
        self.headers["Host"] = "localhost"
        self.jar: dict[str, str] = {}

    def request(self, method, url, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 30)
        headers = dict(kwargs.pop("headers", None) or {})
        if self.jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        response = super().request(method, url, headers=headers, **kwargs)
        for value in response.raw.headers.getlist("Set-Cookie"):
            name, _, rest = value.partition("=")
            self.jar[name] = rest.split(";", 1)[0]
        self.cookies.clear()
        return response


def csrf(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


def local_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]
