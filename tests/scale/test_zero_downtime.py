"""A zero-downtime update rehearsal: two gunicorn servers behind the shipped nginx
(deploy/nginx.conf), each restarted in turn (SIGTERM, then started again, as
`systemctl restart cms-web@PORT` does) while a bounded load of reads runs: no request fails.
"""

import threading
import time

import pytest
import requests

from tests.support.app_server import manage
from tests.support.fault_env import fault_database  # noqa: F401 (fixture)
from tests.support.nginx import NGINX, Nginx
from tests.support.scale_env import SiteServer, app_env
from tests.support.site_scripts import ONE_ARTICLE

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not NGINX, reason="nginx (Debian's package) is not installed"),
]

CLIENTS = 4


@pytest.fixture(scope="module")
def topology(fault_database, tmp_path_factory):  # noqa: F811
    var = tmp_path_factory.mktemp("rolling")
    env = app_env(fault_database, var, CMS_API_CACHE_TIMEOUT="0")
    manage(env, "shell", "-c", ONE_ARTICLE)
    servers = [SiteServer(env, var, name, workers=2) for name in ("a", "b")]
    upstreams = " ".join(f"server 127.0.0.1:{s.port} max_fails=1 fail_timeout=2s;" for s in servers)
    nginx = Nginx(var, upstreams, env, var / "nginx.log")
    try:
        for server in servers:
            server.start()
        yield servers, f"http://127.0.0.1:{nginx.port}"
    finally:
        nginx.stop()
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
            server.stop()
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
