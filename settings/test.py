from settings.base import *  # noqa: F403
from settings.base import ALLOWED_HOSTS, VAR_DIR

# Fast hashing: tests create many users; security of these hashes is irrelevant.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver", "other.example.com"]
# GraphQL answers are not kept (query counts, read-change-read); the response cache's own
# tests turn it on.
CMS_API_CACHE_TIMEOUT = 0
MEDIA_ROOT = VAR_DIR / "test-media"
# Renditions and uploads stay in memory: real images, no files left behind.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://localhost"
