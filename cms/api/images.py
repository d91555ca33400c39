"""Images for clients: renditions from an allowlist only, width-based srcset, WebP by default.

A client never names an arbitrary filter spec, so it cannot make the server render
and store sizes nobody chose. No rendition is made above CMS_IMAGE_MAX_OUTPUT_PIXELS
(a scale-1500 on a large upload would need gigabytes): the output size is computed
from the filter before any pixel is decoded. Lists prefetch ``renditions`` so a page of covers
costs one query, not one per image.
"""

import graphene
from django.conf import settings
from django.utils.translation import gettext
from wagtail.images.exceptions import InvalidFilterSpecError

from cms.api.errors import bad_input
from cms.core.models import filter_of


class ImageFormat(graphene.Enum):
    WEBP = "webp"
    JPEG = "jpeg"
    PNG = "png"
    ORIGINAL = "original"


class ImageRendition(graphene.ObjectType):
    url = graphene.String(required=True)
    width = graphene.Int(required=True)
    height = graphene.Int(required=True)


def _absolute(url: str, request) -> str:
    base = settings.CMS_MEDIA_BASE_URL
    if url.startswith(("http://", "https://")):
        return url
    if base:
        return base.rstrip("/") + url
    return request.build_absolute_uri(url) if request is not None else url


def _with_format(spec: str, image_format) -> str:
    value = getattr(image_format, "value", image_format) or ImageFormat.ORIGINAL.value
    return spec if value == ImageFormat.ORIGINAL.value else f"{spec}|format-{value}"


def check_output_size(image, spec: str, field: str) -> None:
    """Refuse a rendition whose output would exceed CMS_IMAGE_MAX_OUTPUT_PIXELS."""
    width, height = filter_of(spec).get_transform(image).size
    limit = settings.CMS_IMAGE_MAX_OUTPUT_PIXELS
    if width * height > limit:
        raise bad_input(
            gettext(
                "This image filter makes {width}x{height} pixels, "
                "more than the limit of {limit} pixels."
            ).format(width=width, height=height, limit=limit),
            field,
        )


def _rendition(image, rendition, request) -> ImageRendition:
    result = ImageRendition(
        url=_absolute(rendition.url, request), width=rendition.width, height=rendition.height
    )
    # The media rule (cms.api.media_rule) lets a rendition through only by its image.
    result.source_image = image
    return result


def rendition_for(image, spec: str, request) -> ImageRendition:
    """A rendition at a size the server chose (not a client), e.g. the Open Graph image."""
    return _rendition(image, image.get_rendition(spec), request)


class Image(graphene.ObjectType):
    """A picture with its alt text; ask for sizes through ``rendition`` or ``srcset``."""

    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    alt = graphene.String(required=True, description="Alt text: the image's own, else its title.")
    credit = graphene.String()
    width = graphene.Int(required=True, description="Width of the original upload in pixels.")
    height = graphene.Int(required=True, description="Height of the original upload in pixels.")
    rendition = graphene.Field(
        graphene.NonNull(ImageRendition),
        filter=graphene.String(
            required=True, description="One of CMS_IMAGE_RENDITION_FILTERS, e.g. fill-640x360."
        ),
        format=graphene.Argument(ImageFormat, default_value=ImageFormat.WEBP.value),
    )
    srcset = graphene.Field(
        graphene.NonNull(graphene.String),
        widths=graphene.List(graphene.NonNull(graphene.Int)),
        format=graphene.Argument(ImageFormat, default_value=ImageFormat.WEBP.value),
        description="A srcset attribute value; widths from CMS_IMAGE_SRCSET_WIDTHS.",
    )

    @staticmethod
    def resolve_alt(image, info):
        return image.default_alt_text

    @staticmethod
    def resolve_credit(image, info):
        return image.credit or None

    @staticmethod
    def resolve_rendition(image, info, filter, format=ImageFormat.WEBP.value):
        allowed = settings.CMS_IMAGE_RENDITION_FILTERS
        if filter not in allowed:
            raise bad_input(
                gettext("Unsupported image filter “{filter}”. Filters: {allowed}").format(
                    filter=filter, allowed="、".join(allowed)
                ),
                "filter",
            )
        try:
            check_output_size(image, filter, "filter")
            rendition = image.get_rendition(_with_format(filter, format))
        except (InvalidFilterSpecError, OSError, ValueError) as error:
            raise bad_input(gettext("This image filter cannot be made."), "filter") from error
        return _rendition(image, rendition, info.context)

    @staticmethod
    def resolve_srcset(image, info, widths=None, format=ImageFormat.WEBP.value):
        allowed = settings.CMS_IMAGE_SRCSET_WIDTHS
        widths = sorted(set(widths or allowed))
        refused = [w for w in widths if w not in allowed]
        if refused:
            raise bad_input(
                gettext("Unsupported widths {refused}. Widths: {allowed}").format(
                    refused=refused, allowed=allowed
                ),
                "widths",
            )
        # No upscaling: widths beyond the original add bytes, not detail.
        usable = [w for w in widths if w <= image.width] or [min(image.width, widths[0])]
        for width in usable:
            check_output_size(image, f"width-{width}", "widths")
        specs = [_with_format(f"width-{w}", format) for w in usable]
        renditions = image.get_renditions(*specs)
        return ", ".join(
            f"{_absolute(renditions[spec].url, info.context)} {renditions[spec].width}w"
            for spec in specs
        )
