"""The shipped nginx config (deploy/nginx.conf) keeps slow clients off gunicorn's workers.

gunicorn with its two synchronous workers (gunicorn.conf.py) behind Debian's nginx started
from the repository's file. Slow clients send GraphQL bodies a byte at a time; a third
client's reads are timed against a baseline taken in the same test, through the same
proxy. The control: the same slow clients straight at gunicorn hold both workers, and the
third client's read waits (the failure nginx is there to prevent).
"""

import json
import socket
import statistics
import threading
import time
import urllib.parse
import urllib.request

import pytest

from tests.support.app_server import AppServer, manage, wait_for
from tests.support.fault_env import (
    base_env,
    fault_database,  # noqa: F401 (fixture)
)
from tests.support.nginx import NGINX, Nginx
from tests.support.site_scripts import ONE_ARTICLE

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not NGINX,
        reason="nginx (Debian's package) is not installed: apt-get install nginx-light",
    ),
]

SLOW_CLIENTS = 3
READS = 15
QUERY = urllib.parse.quote("{ articles { items { title } } }")


class SlowClient(threading.Thread):
    """POSTs a GraphQL body of 200 bytes, one byte every half second."""

    def __init__(self, port: int):
        super().__init__(daemon=True)
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.stopped = threading.Event()

    def run(self):
        body = json.dumps({"query": "{ articles { items { title } } }" + " " * 200})[:200]
        head = (
            "POST /graphql/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        try:
            self.sock.sendall(head.encode())
            for char in body:
                if self.stopped.wait(0.5):
                    return
                self.sock.sendall(char.encode())
        except OSError:
            return

    def close(self):
        self.stopped.set()
        self.sock.close()


def read_once(port: int, timeout: float) -> float:
    started = time.monotonic()
    url = f"http://127.0.0.1:{port}/graphql/?query={QUERY}"
    with urllib.request.urlopen(url, timeout=timeout) as response:
        assert response.status == 200
        response.read()
    return time.monotonic() - started


def reads(port: int) -> float:
    return statistics.median(read_once(port, 10) for _ in range(READS))


@pytest.fixture(scope="module")
def topology(fault_database, tmp_path_factory):  # noqa: F811
    var = tmp_path_factory.mktemp("proxy")
    env = base_env(fault_database, VAR_DIR=str(var), CMS_API_CACHE_TIMEOUT="0")
    manage(env, "shell", "-c", ONE_ARTICLE)
    gunicorn = AppServer(env, workers=2, log=var / "gunicorn.log")
    nginx = Nginx(var, f"server 127.0.0.1:{gunicorn.port};", env, var / "nginx.log")
    try:
        wait_for(lambda: _answers(nginx.port), 60, step=0.3, what="gunicorn behind nginx")
        yield gunicorn.port, nginx.port
    finally:
        nginx.stop()
        gunicorn.stop()


def _answers(port: int) -> bool:
    try:
        read_once(port, 2)
        return True
    except (OSError, AssertionError):
        return False


@pytest.mark.slow
def test_slow_bodies_through_nginx_leave_reads_at_normal_latency(topology):
    _, proxy_port = topology
    read_once(proxy_port, 10)  # warm: both paths loaded in the workers
    baseline = reads(proxy_port)

    slow = [SlowClient(proxy_port) for _ in range(SLOW_CLIENTS)]
    for client in slow:
        client.start()
    try:
        time.sleep(1.5)  # each slow client is well inside its body
        loaded = reads(proxy_port)
    finally:
        for client in slow:
            client.close()
    assert loaded <= 3 * baseline + 0.05, (
        f"median read {loaded * 1000:.0f} ms with slow clients, {baseline * 1000:.0f} ms without"
    )


@pytest.mark.slow
def test_control_the_same_slow_bodies_straight_at_gunicorn_hold_its_workers(topology):
    app_port, _ = topology
    slow = [SlowClient(app_port) for _ in range(SLOW_CLIENTS)]
    for client in slow:
        client.start()
    try:
        time.sleep(1.5)
        with pytest.raises(OSError):  # timed out: no worker is free
            read_once(app_port, 3)
    finally:
        for client in slow:
            client.close()
    wait_for(lambda: _answers(app_port), 40, step=0.5, what="gunicorn's workers to be free")
