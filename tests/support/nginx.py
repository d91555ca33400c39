"""Debian's nginx run from the shipped deploy/nginx.conf, its ${...} values filled in."""

import re
import shutil

from tests.support.fault_env import BASE_DIR

NGINX = shutil.which("nginx", path="/usr/sbin:/usr/bin")
CONFIG = BASE_DIR / "deploy" / "nginx.conf"


def render(values: dict[str, str]) -> str:
    return re.sub(r"\$\{([A-Z_]+)\}", lambda m: values[m.group(1)], CONFIG.read_text())
