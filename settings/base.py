"""Settings shared by every environment. Values that differ per machine come from env.py."""

from pathlib import Path

import dj_database_url

from settings.env import env, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env("SECRET_KEY", "insecure-development-key-change-me")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cms",
    "cms.search",
    "home",
    "articles",
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
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
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
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))

# Redis when REDIS_URL is set (production, several app servers); else per-process memory.
REDIS_URL = env("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

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
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILIMAGES_IMAGE_MODEL = "cms.CustomImage"
WAGTAIL_ALLOW_UNICODE_SLUGS = True
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"avif": "webp", "heic": "webp"}

# GraphQL
GRAPHENE = {"SCHEMA": "grapple.schema.schema"}
GRAPPLE = {
    "APPS": ["home", "articles"],
    "AUTO_CAMELCASE": True,
    "EXPOSE_GRAPHIQL": False,
    "PAGE_SIZE": 10,
    "MAX_PAGE_SIZE": 100,
    "PAGE_INTERFACE": "cms.api.pages.PageInterface",
}

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

# Search. The default is Wagtail's database search (SQLite FTS5 or PostgreSQL) with
# Chinese word segmentation (cms/search/backends.py). A site that outgrows the database
# sets SEARCH_BACKEND=opensearch|elasticsearch and SEARCH_URL (see README: "Search").
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
# How often a process re-reads the editors' search terms (seconds).
CMS_SEARCH_TERMS_RECHECK_SECONDS = env_int("CMS_SEARCH_TERMS_RECHECK_SECONDS", 30)
