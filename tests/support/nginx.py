"""Debian's nginx run from the shipped deploy/nginx.conf, its ${...} values filled in."""

import re
import shutil
from pathlib import Path

from tests.support.app_server import BASE_DIR, start, stop
from tests.support.fakes import free_port

NGINX = shutil.which("nginx", path="/usr/sbin:/usr/bin")
CONFIG = BASE_DIR / "deploy" / "nginx.conf"


def render(values: dict[str, str]) -> str:
    return re.sub(r"\$\{([A-Z_]+)\}", lambda m: values[m.group(1)], CONFIG.read_text())


class Nginx:
    """nginx on a free port in front of ``upstreams`` (``server ...;`` lines), until
    ``stop()``; ``port`` is where it listens."""

    def __init__(self, var: Path, upstreams: str, env: dict, log: Path):
        self.port = free_port()
        prefix = var / "nginx"
        prefix.mkdir()
        prefix.chmod(0o777)  # nginx's workers run as nobody
        config = prefix / "nginx.conf"
        config.write_text(
            render(
                {
                    "NGINX_PREFIX": str(prefix),
                    "APP_SERVERS": upstreams,
                    "LISTEN_ADDRESS": f"127.0.0.1:{self.port}",
                    "MEDIA_ACCEL_PREFIX": "/_protected_media/",
                    "MEDIA_ROOT": str(var / "media"),
                }
            )
        )
        self.process = start([NGINX, "-p", str(prefix), "-c", str(config)], env, log)

    def stop(self):
        stop(self.process)
