"""gunicorn's settings for `make serve`, from the environment (settings/env.py)."""

from settings.env import env, env_int

bind = f"{env('HOST', '127.0.0.1')}:{env_int('PORT', 8000)}"
# Synchronous workers: one request each. About 2 per core; each keeps its own database
# connection (DB_CONN_MAX_AGE) and shares the cache through Redis.
workers = env_int("WEB_WORKERS", 2)
timeout = env_int("WEB_TIMEOUT", 30)
# Load the app before forking: faster start, and the workers share its memory pages.
preload_app = True
# Recycle workers now and then, so slow leaks cannot grow without bound.
max_requests = env_int("WEB_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10
accesslog = env("WEB_ACCESS_LOG")  # "-" for stdout; unset: no access log


def pre_fork(server, worker):
    """Before each worker is forked from the loaded app: import the URLconf (and with it
    the GraphQL schema) once, here, rather than on each worker's first request; then
    freeze what is loaded out of the garbage collector's reach. Without the freeze, each
    full collection walks the few hundred thousand objects of Django, Wagtail and the
    schema (tens of milliseconds, the cached answers' p99) and touches their pages, which
    the workers then stop sharing with each other."""
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imports the URLconf)
    gc.freeze()
