"""Settings shared by every environment. Values that differ per machine come from env.py."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from settings.env import env, env_bool, env_int, env_ints, env_list, env_required

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env("SECRET_KEY", "insecure-development-key-change-me")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cms.core",
    "cms.door",
    "cms.demo",
    "cms.api",
    "cms.search",
    "home",
    "articles",
    "cms.leads",
    "cms.publishing",
    "cms.review",
    "cms.cdn",
    "wagtail_headless_preview",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks_db",
    "graphene_django",
    "grapple",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Every public path the API's door does not count: one counter per client address.
    "cms.door.throttle.ThrottleMiddleware",
    # Before sessions and auth: the API door answers on its own (CORS, tokens, limits, 503).
    "cms.door.middleware.ApiMiddleware",
    # Every other path: a statement timeout, and 503 + Retry-After when a dependency fails.
    "cms.door.failures.DependencyFailureMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, except on /graphql/: its answers do not vary by Accept-Language.
    "cms.door.middleware.SiteLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Wrong passwords on view-restriction forms counted; the login lockout's answers.
    "cms.door.guesses.GuessLimitMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite under var/ unless DATABASE_URL names another database (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A database host that does not answer fails a request in seconds, not minutes (503).
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DB_CONNECT_TIMEOUT", 3
    )
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite's default (deferred) transactions fail at once with "database is locked" when
    # two requests write at the same moment; taking the write lock at BEGIN waits instead.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Admin logins: the model backend, refusing after repeated failures (cms/door/login_lockout.py):
# an account from one address, one address across accounts (spraying), one account across
# addresses (a distributed guess), each within CMS_LOGIN_LOCKOUT_SECONDS of its first failure.
AUTHENTICATION_BACKENDS = ["cms.door.login_lockout.LockoutModelBackend"]
# Wagtail's login form with its password field labelled in the admin's language (defined in
# the lockout backend's module: keep the two paths together if it moves).
WAGTAILADMIN_USER_LOGIN_FORM = "cms.door.login_lockout.LoginForm"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Editors are Chinese-speaking: the admin defaults to Simplified Chinese, English is
# selectable per user in the account settings.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Before every app's catalogue, first listed wins: the project's own strings (written by
# `make messages`), then the strings Wagtail's zh_Hans catalogue lacks (locale/wagtail/,
# kept by hand: makemessages never writes there).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "wagtail"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
# Whether the app itself serves MEDIA_ROOT (dev and small installs; else a web server/CDN).
CMS_SERVE_MEDIA = env_bool("CMS_SERVE_MEDIA", False)
# Who sends the bytes of /media/ after the app's check (cms.door.media_serving): "none" (the app
# streams them when CMS_SERVE_MEDIA), "nginx" (X-Accel-Redirect to the internal location
# CMS_MEDIA_ACCEL_PREFIX) or "apache" (X-Sendfile). A web server never serves MEDIA_ROOT itself.
CMS_MEDIA_ACCEL = env("CMS_MEDIA_ACCEL", "none")
CMS_MEDIA_ACCEL_PREFIX = env("CMS_MEDIA_ACCEL_PREFIX", "/_protected_media/")
# Where uploads live: "local" (MEDIA_ROOT, the default: one machine, `make run`) or "s3"
# (one S3-compatible bucket shared by every app server: Aliyun OSS, Tencent COS, MinIO, AWS
# S3; README "Media in object storage"). The bucket stays private (cms/core/storage.py): public
# files are sent by the app after the media rule, private ones through a signed URL that
# expires after CMS_MEDIA_SIGNED_URL_SECONDS.
CMS_MEDIA_STORAGE = env("CMS_MEDIA_STORAGE", "local")
CMS_MEDIA_SIGNED_URL_SECONDS = env_int("CMS_MEDIA_SIGNED_URL_SECONDS", 300)
if CMS_MEDIA_STORAGE == "s3":
    STORAGES = {
        "default": {
            "BACKEND": "cms.core.storage.MediaStorage",
            "OPTIONS": {
                "bucket_name": env_required("S3_BUCKET"),
                # Empty: AWS S3 itself (from the region).
                "endpoint_url": env("S3_ENDPOINT_URL"),
                "region_name": env("S3_REGION"),
                "access_key": env("S3_ACCESS_KEY_ID"),
                "secret_key": env("S3_SECRET_ACCESS_KEY"),
                # OSS and COS accept only "virtual" (bucket.endpoint); MinIO wants "path".
                "addressing_style": env("S3_ADDRESSING_STYLE", "virtual"),
                "signature_version": env("S3_SIGNATURE_VERSION", "s3v4"),
                # A key prefix, so one bucket can hold several installations.
                "location": env("S3_PREFIX", ""),
                "querystring_expire": CMS_MEDIA_SIGNED_URL_SECONDS,
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
elif CMS_MEDIA_STORAGE != "local":
    raise ImproperlyConfigured(f'CMS_MEDIA_STORAGE is "local" or "s3", not {CMS_MEDIA_STORAGE!r}')
# Documents through Wagtail's view (its privacy check), bytes sent as /media/ sends them; in a
# bucket, Wagtail's view sends the reader on to /media/, which checks again and signs.
WAGTAILDOCS_SERVE_METHOD = "redirect" if CMS_MEDIA_STORAGE == "s3" else "serve_view"
SENDFILE_BACKEND = "cms.door.media_serving"

# Redis when REDIS_URL is set (production, several app servers); else files under VAR_DIR,
# shared by the processes of one machine: the scheduler runs in the task worker, and its
# content generation must reach the web process (`make run`) to drop the answers it keeps.
REDIS_URL = env("REDIS_URL")
CACHES = {
    "default": (
        {
            "BACKEND": "cms.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # Deployments sharing one Redis database keep apart by prefix.
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", ""),
            # A hung Redis must cost milliseconds, not requests (cms/core/cache.py): each call is
            # bounded by these timeouts, and after BREAKER_FAILURES failed calls in a row
            # Redis is not asked for BREAKER_SECONDS (per process).
            "OPTIONS": {
                "socket_connect_timeout": env_int("REDIS_CONNECT_TIMEOUT_MS", 50) / 1000,
                "socket_timeout": env_int("REDIS_TIMEOUT_MS", 50) / 1000,
                "BREAKER_FAILURES": env_int("REDIS_BREAKER_FAILURES", 3),
                "BREAKER_SECONDS": env_int("REDIS_BREAKER_SECONDS", 10),
            },
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            # Culling drops random entries, the content generation among them: keep room.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    )
}

# What every API request reads alike (sites, view restrictions) is read once per content
# generation, not per request (cms/core/generation_memo.py), and for at most
# CMS_GENERATION_MEMO_SECONDS: a generation increase dropped while Redis blipped hides a
# change no longer than that.
CMS_GENERATION_MEMO = env_bool("CMS_GENERATION_MEMO", True)

# A CDN told what to drop (cms.cdn): "" (none: answers keep CMS_API_HTTP_MAX_AGE everywhere),
# "http" (a POST of {"tags": [...]} to CMS_CDN_PURGE_URL, with CMS_CDN_PURGE_TOKEN as a bearer
# token) or "cloudflare" (its purge-by-tag API for zone CMS_CDN_ZONE). With a purger, public
# answers carry Cache-Tag and Surrogate-Key headers and s-maxage=CMS_CDN_MAX_AGE: the CDN keeps
# them a day, and each change purges exactly the answers that showed it (a durable task,
# retried with CMS_CDN_RETRY_BASE * 2^n seconds between CMS_CDN_MAX_ATTEMPTS attempts).
CMS_CDN_PURGER = env("CMS_CDN_PURGER", "")
CMS_CDN_PURGE_URL = env("CMS_CDN_PURGE_URL", "")
CMS_CDN_PURGE_TOKEN = env("CMS_CDN_PURGE_TOKEN", "")
CMS_CDN_ZONE = env("CMS_CDN_ZONE", "")
CMS_CDN_API_URL = env("CMS_CDN_API_URL", "https://api.cloudflare.com/client/v4")

# Background work. Wagtail's own tasks (reference index, search index) keep running
# inline on "default"; this project's tasks (mail, webhooks) go to "durable", stored in
# the database and run by `manage.py db_worker --backend durable` (started by `make run`),
# so a failing mail server or endpoint never loses work or blocks a request.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "durable": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}

# Wagtail
WAGTAIL_SITE_NAME = env("WAGTAIL_SITE_NAME", "中国托育服务")
# The admin's address in staff mails: `make run PORT=8080` sets it; else the port in PORT.
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", f"http://127.0.0.1:{env('PORT', '8000')}")
# Gravatar is unreachable from mainland China: a broken image per user. Initials instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILIMAGES_IMAGE_MODEL = "cms.CustomImage"
WAGTAIL_ALLOW_UNICODE_SLUGS = True
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"avif": "webp", "heic": "webp"}
# Hosts whose players an embed may frame (https only; cms/core/sanitize.py). Any other iframe,
# in embed HTML or rich text, is dropped before it reaches a client.
CMS_EMBED_IFRAME_HOSTS = env_list(
    "CMS_EMBED_IFRAME_HOSTS",
    "player.bilibili.com,v.qq.com,player.youku.com,www.youtube-nocookie.com,www.youtube.com,"
    "player.vimeo.com",
)

# GraphQL
GRAPHENE = {
    "SCHEMA": "cms.schema.schema",
    # Every field's arguments checked before its resolver runs: BAD_USER_INPUT naming the one
    # a client got wrong, never a server error (cms/api/arguments.py).
    # What each answer shows, recorded as it resolves: its CDN cache tags (cms/api/cache_tags.py).
    "MIDDLEWARE": [
        "cms.api.arguments.ArgumentsMiddleware",
        "cms.api.cache_tags.CacheTagMiddleware",
    ],
}
GRAPPLE = {
    "APPS": ["home", "articles", "leads"],
    "AUTO_CAMELCASE": True,
    "EXPOSE_GRAPHIQL": False,
    "PAGE_SIZE": 10,
    "MAX_PAGE_SIZE": 100,
    "PAGE_INTERFACE": "cms.api.pages.PageInterface",
}

# The GraphQL endpoint's limits (their numbers: the table at the end). Each over-limit query
# is refused before it runs: a request error, HTTP 400 for application/graphql-response+json,
# 200 for application/json clients.
CMS_API_PATH = "/graphql/"
# "always", "token" (only for requests with a valid API token) or "never".
CMS_API_INTROSPECTION = env("CMS_API_INTROSPECTION", "token")
# graphql-core's "Did you mean ...?" hints describe the schema to whoever probes it.
CMS_API_SUGGESTIONS = env_bool("CMS_API_SUGGESTIONS", False)
# Production answers carry no exception text, path or host; the request id leads to the log.
CMS_API_MASK_ERRORS = env_bool("CMS_API_MASK_ERRORS", True)
# Rate limits' windows in seconds: anonymous API clients per IP address (tokens have their own
# limit), CMS_API_RATE_LIMIT_PER_IP requests in each.
CMS_API_RATE_LIMIT_WINDOW = 60
# Every other public path (sitemap, feed, oEmbed, embed script, media, documents, OPTIONS,
# the admin's login): CMS_PUBLIC_RATE_LIMIT_PER_IP requests per window and client IP, one
# counter (cms/door/throttle.py).
CMS_PUBLIC_RATE_LIMIT_WINDOW = 60

# Image renditions a client may ask for. Anything else is refused, so a client cannot make
# the server render (and store) arbitrary sizes. Width-based srcset widths are listed apart.
CMS_IMAGE_RENDITION_FILTERS = [
    "fill-160x160",
    "fill-320x180",
    "fill-640x360",
    "fill-960x540",
    "fill-1280x720",
    "max-800x800",
    "original",
]
CMS_IMAGE_SRCSET_WIDTHS = [320, 640, 960, 1280, 1920]
CMS_IMAGE_FORMATS = ["webp", "jpeg", "png"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Password of the 'admin' account that `make run` creates; generated when unset.
ADMIN_PASSWORD = env("ADMIN_PASSWORD")
LOGGING["loggers"]["django_tasks"] = {"level": "WARNING"}

# Where clients fetch media from (a CDN, say). Empty: absolute URLs on the request's host.
CMS_MEDIA_BASE_URL = env("CMS_MEDIA_BASE_URL", "")

# Demo-booking leads (cms.leads)
LEADS_NOTIFY_EMAILS = env_list("LEADS_NOTIFY_EMAILS")  # used when a form names none
LEADS_NOTIFY_RETRY_DELAYS = [60, 300, 1800, 7200]  # seconds before each retry of a failed mail
LEADS_FORM_TOKEN_MAX_AGE = 24 * 3600
LEADS_DUPLICATE_WINDOW = 600  # the same content again within 10 minutes is one lead
# (events, seconds): submissions per client IP, and per mobile number.
LEADS_RATE_LIMITS = {"ip": (10, 600), "mobile": (3, 3600)}
# GraphQL requests are small; a larger body is refused with 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "noreply@localhost")

# Publishing (cms.publishing): preview, scheduling, webhooks, SEO, sitemap, feed.
# Each site's front-end address and preview address are site settings in the admin
# (Settings → Front end); these are the fallbacks and the limits.
# The front end of a site that names none (`make run` starts the reference front end in
# frontend/ and sets it). Empty: the site's own address, where the CMS renders no page.
CMS_FRONTEND_URL = env("CMS_FRONTEND_URL", "")
WAGTAIL_HEADLESS_PREVIEW = {
    # Used when a site has no preview URL of its own.
    "CLIENT_URLS": {"default": env("CMS_PREVIEW_URL", "{SITE_ROOT_URL}/preview")},
    "ENFORCE_TRAILING_SLASH": False,
}
# Networks webhooks may reach although they are not public (CIDR list, comma-separated).
# Empty in production: loopback, private, link-local ... targets are refused (SSRF).
CMS_WEBHOOK_ALLOWED_NETWORKS = env_list("CMS_WEBHOOK_ALLOWED_NETWORKS")
# The Open Graph image size (server-chosen, not a client's).
CMS_OG_IMAGE_FILTER = "fill-1200x630|format-jpeg"

# Search. The default is Wagtail's database search (SQLite FTS5 or PostgreSQL) with
# Chinese word segmentation (cms/search/backends/). A site that outgrows the database
# sets SEARCH_BACKEND=opensearch|elasticsearch and SEARCH_URL (see README: "Search").
# How the page tree's ``searchQuery`` argument ranks pages (the ``search`` query's ranking).
CMS_PAGE_RANKER = "cms.search.query.ranked_page_ids"
SEARCH_BACKEND = env("SEARCH_BACKEND", "database")
if SEARCH_BACKEND == "database":
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "cms.search.backends"}}
else:
    from cms.search.external import external_backend_settings

    WAGTAILSEARCH_BACKENDS = {
        "default": external_backend_settings(
            SEARCH_BACKEND,
            urls=env_list("SEARCH_URL", "http://127.0.0.1:9200"),
            index=env("SEARCH_INDEX", "cms"),
            analyzer=env("SEARCH_ANALYZER", "ik"),
        )
    }
# Extra jieba dictionary files (one term a line: word [frequency] [tag]), beside
# cms/search/dictionary.txt and the search terms editors keep in the admin.
CMS_SEARCH_DICTIONARY_FILES = env_list("CMS_SEARCH_DICTIONARY_FILES")

# The numbers an operator may set from the environment, each under its setting's own name
# (but CMS_MEDIA_SIGNED_URL_SECONDS, read above where STORAGES uses it).
globals().update(
    env_ints(
        # Admin logins (cms/door/login_lockout.py, above). A browser that signed in to an
        # account is not refused by that account's cross-address lock for
        # CMS_LOGIN_KNOWN_DEVICE_DAYS (a signed cookie).
        CMS_LOGIN_MAX_FAILURES=5,
        CMS_LOGIN_MAX_FAILURES_PER_ADDRESS=20,
        CMS_LOGIN_MAX_FAILURES_PER_ACCOUNT=100,
        CMS_LOGIN_LOCKOUT_SECONDS=900,
        CMS_LOGIN_KNOWN_DEVICE_DAYS=90,
        # Wagtail's view-restriction password forms (private collections' documents, pages):
        # wrong guesses per restriction and client address, and per restriction from any
        # address (a client rotating addresses) (cms/door/guesses.py).
        CMS_PASSWORD_FORM_MAX_FAILURES=5,
        CMS_PASSWORD_FORM_MAX_FAILURES_PER_RESTRICTION=50,
        CMS_PASSWORD_FORM_LOCKOUT_SECONDS=900,
        # Seconds browsers and CDNs may keep a public media file.
        CMS_MEDIA_MAX_AGE=3600,
        # GraphQL answers kept in CACHES (cms.door.response_cache): seconds an answer is kept
        # (any content change drops all of them at once), seconds the generation memo may be
        # old (above), seconds browsers and CDNs may reuse a GET answer, seconds a persisted
        # query (Apollo APQ) is remembered after its last registration.
        CMS_API_CACHE_TIMEOUT=300,
        CMS_GENERATION_MEMO_SECONDS=300,
        CMS_API_HTTP_MAX_AGE=30,
        CMS_PERSISTED_QUERY_TIMEOUT=7 * 24 * 3600,
        # After each change clients can see, a durable task makes again the
        # CMS_API_WARM_QUERIES anonymous answers served most from the cache (cms.door.warming),
        # for at most CMS_API_WARM_SECONDS, so readers rarely meet a cold cache after a
        # publish. 0: none.
        CMS_API_WARM_QUERIES=20,
        CMS_API_WARM_SECONDS=20,
        # CDN purge (cms.cdn, above).
        CMS_CDN_MAX_AGE=24 * 3600,
        CMS_CDN_TIMEOUT=10,
        CMS_CDN_MAX_ATTEMPTS=8,
        CMS_CDN_RETRY_BASE=30,
        # The GraphQL endpoint's limits (above). Introspection queries nest types in ofType:
        # they have a depth limit of their own.
        CMS_API_MAX_DEPTH=10,
        CMS_API_MAX_INTROSPECTION_DEPTH=15,
        CMS_API_MAX_ALIASES=15,
        CMS_API_MAX_TOKENS=2000,
        # A document's size in bytes, checked before it is parsed (a comment is one token of
        # any size); also the most a persisted query may hold.
        CMS_API_MAX_QUERY_BYTES=32 * 1024,
        # The per-worker cache of checked documents holds at most this many bytes of text.
        CMS_API_DOCUMENT_CACHE_BYTES=4 * 1024 * 1024,
        # How deep variables and extensions may nest (JSON objects and lists).
        CMS_API_MAX_VARIABLES_DEPTH=32,
        # Cost: one per field, multiplied by the requested list size (perPage, limit) above
        # it; a list field that takes no size argument (body blocks, tags ...) counts as
        # CMS_API_DEFAULT_LIST_SIZE.
        CMS_API_MAX_COST=11000,
        CMS_API_DEFAULT_LIST_SIZE=10,
        # Requests per window: anonymous API clients per IP address (tokens have their own
        # limit), and every other public path per IP address.
        CMS_API_RATE_LIMIT_PER_IP=300,
        CMS_PUBLIC_RATE_LIMIT_PER_IP=600,
        # How many reverse proxies in front of the app append to X-Forwarded-For (0: use
        # REMOTE_ADDR).
        CMS_API_TRUSTED_PROXIES=0,
        # PostgreSQL cancels any single statement that runs longer (milliseconds): an API
        # request's, any other client request's (sitemap, feed, oEmbed, documents, media),
        # and the admin's, longer (editors' saves and publishes).
        CMS_API_STATEMENT_TIMEOUT_MS=5000,
        CMS_STATEMENT_TIMEOUT_MS=5000,
        CMS_ADMIN_STATEMENT_TIMEOUT_MS=30000,
        # Seconds a client should wait when the database is unreachable (HTTP 503).
        CMS_API_RETRY_AFTER=30,
        # No rendition larger than this many pixels is made, whatever the filter (memory per
        # render).
        CMS_IMAGE_MAX_OUTPUT_PIXELS=10_000_000,
        # Leads: a form filled faster than this many seconds is a bot's; leads are erased
        # after LEADS_RETENTION_DAYS.
        LEADS_MIN_FILL_SECONDS=3,
        LEADS_RETENTION_DAYS=730,
        EMAIL_PORT=25,
        EMAIL_TIMEOUT=10,
        # Seconds a preview token stays valid (the library's own rows are kept about a day).
        CMS_PREVIEW_TOKEN_MAX_AGE=3600,
        # Seconds between two runs of Wagtail's publish_scheduled by the durable worker.
        CMS_SCHEDULER_INTERVAL=60,
        # Task workers renew a lease every CMS_WORKER_HEARTBEAT_SECONDS; a task whose
        # worker's lease is older than CMS_WORKER_LEASE_SECONDS (kill -9, a lost machine) is
        # run again by another worker, at most CMS_TASK_MAX_CLAIMS times in all, then marked
        # failed (cms.publishing.recovery).
        CMS_WORKER_HEARTBEAT_SECONDS=5,
        CMS_WORKER_LEASE_SECONDS=30,
        CMS_TASK_MAX_CLAIMS=3,
        # Webhook delivery: per-request timeout, attempts in all, first retry delay (then
        # doubled).
        CMS_WEBHOOK_TIMEOUT=10,
        CMS_WEBHOOK_MAX_ATTEMPTS=8,
        CMS_WEBHOOK_RETRY_BASE=30,
        # Articles in each site's feed.
        CMS_FEED_SIZE=20,
        # Partner embeds (cms.embed): how long a partner may keep an oEmbed answer, seconds.
        CMS_OEMBED_CACHE_AGE=3600,
        # How often a process re-reads the editors' search terms (seconds).
        CMS_SEARCH_TERMS_RECHECK_SECONDS=30,
    )
)
