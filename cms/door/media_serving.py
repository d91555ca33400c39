"""Media files only after the media rule, whatever sends the bytes.

Every request for a file under MEDIA_URL asks ``media`` (cms.door.pointers) first: the file must
belong to an image, a rendition of one, a document or an avatar, and an image or a
document in a view-restricted collection (or below one) goes only to an editor who may
use it, or to a visitor who passed the collection's restriction (its password form).
Only then are the bytes sent, by the mode ``CMS_MEDIA_ACCEL`` names:

- ``none``: this process streams the file (FileResponse);
- ``nginx``: an ``X-Accel-Redirect`` to the internal location CMS_MEDIA_ACCEL_PREFIX;
- ``apache``: an ``X-Sendfile`` with the file's path (mod_xsendfile).

With the files in a bucket (CMS_MEDIA_STORAGE=s3, cms.core.storage), ``from_bucket`` answers
instead: a public file's bytes streamed from the bucket (a CDN keeps them), a private one as a
redirect to a signed URL of the bucket that expires after CMS_MEDIA_SIGNED_URL_SECONDS. The
bucket itself is private: the check here is the only way to a file.

``sendfile`` is also Wagtail's SENDFILE_BACKEND, so documents served by Wagtail's own
view (with Wagtail's privacy check) use the same mode.
"""

from __future__ import annotations

import mimetypes
import os
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.utils.http import content_disposition_header
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from cms.core import visibility

ACCEL_MODES = ("none", "nginx", "apache")


def accel_mode() -> str:
    mode = settings.CMS_MEDIA_ACCEL
    if mode not in ACCEL_MODES:
        raise ImproperlyConfigured(f"CMS_MEDIA_ACCEL must be one of {ACCEL_MODES}, not {mode!r}")
    return mode


def remote() -> bool:
    """Whether the files live in a bucket (no local path) rather than below MEDIA_ROOT
    (``cms.core.storage.MediaStorage``)."""
    return getattr(default_storage, "in_bucket", False)


def serving_enabled() -> bool:
    """Whether /media/ answers at all (this process, or a web server it hands off to)."""
    return settings.CMS_SERVE_MEDIA or accel_mode() != "none" or remote()


def sendfile(request, filename, mimetype=None, **kwargs) -> HttpResponse:
    """The bytes of ``filename`` (a path below MEDIA_ROOT) by the configured mode.

    Call only after the check: in the accelerated modes the header is the permission.
    """
    mimetype = mimetype or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    mode = accel_mode()
    if mode == "none":
        return FileResponse(open(filename, "rb"), content_type=mimetype)
    response = HttpResponse(content_type=mimetype)
    if mode == "nginx":
        relative = os.path.relpath(filename, settings.MEDIA_ROOT)
        prefix = settings.CMS_MEDIA_ACCEL_PREFIX.rstrip("/")
        response["X-Accel-Redirect"] = f"{prefix}/{quote(relative)}"
    else:
        response["X-Sendfile"] = filename
    return response


# Shown inline: a browser renders these as pictures, never as a document that runs script.
INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/webp", "image/gif", "image/avif"})


def attachment(filename: str, item) -> str | None:
    """The Content-Disposition of a file that must be downloaded, not shown; None when it
    may be shown inline (a raster image of an image or avatar)."""
    is_document = isinstance(item, get_document_model())
    if not is_document and mimetypes.guess_type(filename)[0] in INLINE_TYPES:
        return None
    return content_disposition_header(as_attachment=True, filename=os.path.basename(filename))


def protect(response: HttpResponse, filename: str, item) -> HttpResponse:
    """Headers that keep an uploaded file from running on the CMS origin (stored XSS
    against editors): only raster images of an image or avatar are shown inline; any
    document and any other type (HTML, SVG...) is a download, sandboxed should a browser
    render it anyway. Set on the response in every mode (nginx and Apache pass them on)."""
    response["X-Content-Type-Options"] = "nosniff"
    disposition = attachment(filename, item)
    if disposition is None:
        return response
    response["Content-Disposition"] = disposition
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _image(path: str):
    # With the dimensions: Django reads them whenever the file field is loaded.
    fields = ("id", "collection_id", "file", "width", "height")
    return get_image_model().objects.filter(file=path).only(*fields).first()


def _rendition_image(path: str):
    rendition = (
        get_image_model()
        .get_rendition_model()
        .objects.filter(file=path)
        .select_related("image")
        .only(*(f"image__{name}" for name in ("id", "collection_id", "file", "width", "height")))
        .first()
    )
    return rendition.image if rendition is not None else None


def _document(path: str):
    return get_document_model().objects.filter(file=path).first()


def _avatar(path: str):
    from wagtail.users.models import UserProfile

    return True if UserProfile.objects.filter(avatar=path).exists() else None


# Wagtail's upload folders: a file's folder says which one table may own it, so a request
# (a miss included) costs one lookup, not one per table.
_OWNERS = {
    "original_images": _image,
    "images": _rendition_image,
    "documents": _document,
    "avatar_images": _avatar,
}


def owner_of(path: str):
    """The image or document a stored file belongs to; True for an avatar; None if unknown."""
    folder, _, rest = path.partition("/")
    find = _OWNERS.get(folder)
    return find(path) if find is not None and rest else None


def _editor_may_use(user, item) -> bool:
    if not user.is_authenticated:
        return False
    if isinstance(item, get_image_model()):
        from wagtail.images.permissions import permission_policy
    else:
        from wagtail.documents.permissions import permission_policy
    return permission_policy.user_has_any_permission_for_instance(user, ["change", "choose"], item)


def is_public(request, item) -> bool:
    return item is True or visibility.for_request(request).allows_media(item)


def may_fetch(request, item) -> bool:
    """Whether this request may have the file: public, an editor's, or restriction passed."""
    if is_public(request, item):
        return True
    if _editor_may_use(request.user, item):
        return True
    restrictions = item.collection.get_view_restrictions()
    return all(restriction.accept_request(request) for restriction in restrictions)


class BucketUnavailable(Exception):
    """The bucket did not answer (or answered an error other than a missing file)."""


def from_bucket(request, path: str, item) -> HttpResponse | None:
    """The answer for ``path`` in the bucket, after ``may_fetch``; None when no such file.

    Public: the bytes, streamed (one GET; a CDN in front keeps them). Anything else: a
    redirect to a signed URL, never kept by a shared cache, downloaded as ``protect`` says.
    """
    if not is_public(request, item):
        url = default_storage.signed_url(path, attachment=attachment(path, item))
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "private, no-store"
        return response
    # Only where media live in a bucket: boto3 is not loaded otherwise.
    from botocore.exceptions import BotoCoreError, ClientError

    key = default_storage._normalize_name(path)
    try:
        found = default_storage.bucket.Object(key).get()
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
            return None
        raise BucketUnavailable(str(error)) from error
    except BotoCoreError as error:
        raise BucketUnavailable(str(error)) from error
    body = found["Body"]
    mimetype = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = StreamingHttpResponse(body.iter_chunks(64 * 1024), content_type=mimetype)
    response["Content-Length"] = str(found["ContentLength"])
    response["Cache-Control"] = f"public, max-age={settings.CMS_MEDIA_MAX_AGE}"
    return response
