from settings.base import *  # noqa: F403
from settings.base import ALLOWED_HOSTS, VAR_DIR
from settings.env import env, env_int

# Fast hashing: tests create many users; security of these hashes is irrelevant.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver", "other.example.com"]
# GraphQL answers are not kept (query counts, read-change-read); the response cache's own
# tests turn it on.
CMS_API_CACHE_TIMEOUT = 0
# No commit ever increases the content generation in a test's transaction: what requests
# share per generation (cms/core/generation_memo.py) would outlive the change. Its own tests
# turn it on.
CMS_GENERATION_MEMO = False
# One process: memory, emptied before each test (tests/conftest.py), not base's shared files.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = VAR_DIR / "test-media"
# Renditions and uploads stay in memory: real images, no files left behind.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://localhost"
# Tests of rate limits and lockouts run against this real Redis (keys under a per-test prefix).
TEST_REDIS_URL = env("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# Examples per GraphQL root field and generation mode in the schemathesis run
# (tests/api/test_fuzz.py).
FUZZ_MAX_EXAMPLES = env_int("FUZZ_MAX_EXAMPLES", 25)
# Search terms saved by one test must not linger into the next.
CMS_SEARCH_TERMS_RECHECK_SECONDS = 0
