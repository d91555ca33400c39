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
