"""Media and documents in an S3-compatible bucket (Aliyun OSS, Tencent COS, MinIO, AWS S3).

The bucket is private as a whole: no object is written publicly readable, so a file of a
private collection cannot be fetched by anyone who learns its key. ``url()`` therefore
names the app's own door, ``MEDIA_URL`` + key (``cms.door.pointers.media``), which applies
the media rule and only then hands out the bytes (public files) or a short-lived signed URL
(``signed_url``, private files after the visibility check). Those stable door URLs are what
GraphQL answers carry and keep: an answer kept for a day never holds an expired signature.

Every app server reads and writes the same bucket, so an upload or a rendition made through
one is found by all the others (Wagtail finds renditions by their database row).
"""

from __future__ import annotations

from botocore.config import Config
from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class MediaStorage(S3Storage):
    # What ``cms.door.media_serving`` asks, without importing this module (boto3 weighs
    # some 30 MB in each worker of an installation that keeps its media on disk).
    in_bucket = True
    default_acl = "private"
    querystring_auth = True
    # Two uploads named alike must not overwrite each other (Wagtail picks the name).
    file_overwrite = False

    def __init__(self, **settings_):
        super().__init__(**settings_)
        # boto3 >= 1.36 adds CRC checksums to every upload by default, which OSS and COS
        # (and older MinIO) refuse; ask for them only where S3 requires them.
        self.client_config = self.client_config.merge(
            Config(
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
                connect_timeout=5,
                read_timeout=30,
                retries={"max_attempts": 3, "mode": "standard"},
            )
        )

    def url(self, name, parameters=None, expire=None, http_method=None):
        """The app's door for the file: the media rule runs before any byte is sent."""
        return settings.MEDIA_URL + filepath_to_uri(name)

    def signed_url(self, name: str, expire: int | None = None, attachment: str | None = None):
        """A URL of the bucket that fetches ``name`` for ``expire`` seconds, then never
        again. Call only after the media rule allowed the file to this request."""
        parameters = {}
        if attachment is not None:
            parameters["ResponseContentDisposition"] = attachment
        return super().url(
            name,
            parameters=parameters,
            expire=expire if expire is not None else settings.CMS_MEDIA_SIGNED_URL_SECONDS,
        )
