"""Every text a page shows a reader, each with where it stands, for screening.

Generic over page types: the page's own text fields (title, subtitle, summary, SEO), the
alt text of the images it references, and each block of each StreamField walked down to
its strings, rich text (markup stripped), image alt texts and captions.
"""

from collections.abc import Iterator

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from wagtail.blocks import StreamValue, StructValue
from wagtail.blocks.list_block import ListValue
from wagtail.fields import StreamField
from wagtail.images.models import AbstractImage
from wagtail.rich_text import RichText

from cms.review.screening import rich_text_to_text

TEXT_FIELDS = ["title", "subtitle", "summary", "seo_title", "search_description"]


def _image_alt(image) -> str:
    # The title too: it is the alt text readers get when the image has none of its own.
    return " ".join(str(getattr(image, name, "") or "") for name in ("alt_text", "title"))


def page_texts(page) -> Iterator[tuple[str, str]]:
    opts = page._meta
    for name in TEXT_FIELDS:
        try:
            model_field = opts.get_field(name)
        except FieldDoesNotExist:
            continue
        yield str(model_field.verbose_name), getattr(page, name, "") or ""
    for model_field in opts.get_fields():
        if (
            isinstance(model_field, models.ForeignKey)
            and isinstance(model_field.related_model, type)
            and issubclass(model_field.related_model, AbstractImage)
        ):
            image = getattr(page, model_field.name, None)
            if image is not None:
                place = _("%(field)s (alt text)") % {"field": model_field.verbose_name}
                yield place, _image_alt(image)
    for model_field in opts.get_fields():
        if isinstance(model_field, StreamField):
            yield from stream_texts(getattr(page, model_field.name), model_field.verbose_name)


def stream_texts(stream: StreamValue, field_label) -> Iterator[tuple[str, str]]:
    for number, child in enumerate(stream or [], start=1):
        place = _("%(field)s, block %(number)d (%(type)s)") % {
            "field": field_label,
            "number": number,
            "type": child.block.label,
        }
        yield from _value_texts(child.block, child.value, place)


def _value_texts(block, value, place) -> Iterator[tuple[str, str]]:
    if isinstance(value, RichText):
        yield place, rich_text_to_text(value.source)
    elif isinstance(value, str):
        yield place, value
    elif isinstance(value, AbstractImage):
        yield _("%(place)s (image alt text)") % {"place": place}, _image_alt(value)
    elif isinstance(value, StructValue):
        for name, child_value in value.items():
            child_block = block.child_blocks[name]
            child_place = f"{place} · {child_block.label}"
            yield from _value_texts(child_block, child_value, child_place)
    elif isinstance(value, ListValue | list):
        child_block = getattr(block, "child_block", None)
        for number, item in enumerate(value, start=1):
            yield from _value_texts(child_block, item, f"{place} · {number}")
    elif isinstance(value, StreamValue):
        for number, child in enumerate(value, start=1):
            yield from _value_texts(child.block, child.value, f"{place} · {number}")
