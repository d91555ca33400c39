"""A zero-downtime update rehearsal: two gunicorn servers behind the shipped nginx
(deploy/nginx.conf), each restarted in turn (SIGTERM, then started again, as
`systemctl restart cms-web@PORT` does) while a bounded load of reads runs: no request fails.
"""

import threading
import time

import pytest
import requests

from tests.support.fault_env import fault_database, free_port, manage, start, stop, wait_for  # noqa: F401
from tests.support.nginx import NGINX, render
from tests.support.scale_env import AppServer, app_env

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not NGINX, reason="nginx (Debian's package) is not installed"),
]

SETUP = """
from wagtail.models import Page, Site
from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from home.factories import HomePageFactory
home = HomePageFactory(parent=Page.get_first_root_node(), slug="childcare")
Site.objects.filter(is_default_site=True).update(root_page=home, hostname="127.0.0.1", port=80)
index = ArticleIndexPageFactory(parent=home)
ArticlePageFactory(parent=index, title="文章", slug="article")
"""
CLIENTS = 4


@pytest.fixture(scope="module")
def topology(fault_database, tmp_path_factory):  # noqa: F811
    var = tmp_path_factory.mktemp("rolling")
    env = app_env(fault_database, var, CMS_API_CACHE_TIMEOUT="0")
    manage(env, "shell", "-c", SETUP)
    servers = [AppServer(env, var, name, workers=2) for name in ("a", "b")]
    prefix = var / "nginx"
    prefix.mkdir()
    prefix.chmod(0o777)  # nginx's workers run as nobody
    proxy_port = free_port()
    config = prefix / "nginx.conf"
    config.write_text(
        render(
            {
                "NGINX_PREFIX": str(prefix),
                "APP_SERVERS": " ".join(
                    f"server 127.0.0.1:{s.port} max_fails=1 fail_timeout=2s;" for s in servers
                ),
                "LISTEN_ADDRESS": f"127.0.0.1:{proxy_port}",
                "MEDIA_ACCEL_PREFIX": "/_protected_media/",
                "MEDIA_ROOT": str(var / "media"),
            }
        )
    )
    nginx = start([NGINX, "-p", str(prefix), "-c", str(config)], env, var / "nginx.log")
    try:
        for server in servers:
            server.start()
        yield servers, f"http://127.0.0.1:{proxy_port}"
    finally:
        stop(nginx)
        for server in servers:
            server.stop()


@pytest.mark.slow
def test_restarting_each_server_in_turn_under_load_fails_no_request(topology):
    servers, proxy = topology
    stopped = threading.Event()
    outcomes: list[int | str] = []

    def load():
        session = requests.Session()
        while not stopped.is_set():
            try:
                response = session.get(
                    proxy + "/graphql/",
                    params={"query": "{ articles { items { title } } }"},
                    timeout=15,
                )
                ok = response.status_code == 200 and "文章" in response.text
                outcomes.append(200 if ok else response.status_code)
            except requests.RequestException as error:
                outcomes.append(type(error).__name__)
            time.sleep(0.02)  # bounded: about CLIENTS * 40 requests a second at most

    clients = [threading.Thread(target=load, daemon=True) for _ in range(CLIENTS)]
    for client in clients:
        client.start()
    try:
        time.sleep(1)
        for server in servers:  # the update: one server at a time
            stop(server.process)
            time.sleep(1)  # the other server alone carries the load meanwhile
            server.start()  # returns once it answers /healthz
            # nginx tries a server it saw fail again after fail_timeout (2 s): only then is
            # the other one stopped, as the runbook says.
            time.sleep(3)
    finally:
        stopped.set()
        for client in clients:
            client.join(20)
    failed = [outcome for outcome in outcomes if outcome != 200]
    assert len(outcomes) > 100, len(outcomes)
    assert failed == [], f"{len(failed)} of {len(outcomes)} failed: {failed[:10]}"
