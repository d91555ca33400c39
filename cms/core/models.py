"""Models shared by every kind of content: the project's image model."""

from functools import lru_cache

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Filter, Image


@lru_cache(maxsize=256)
def filter_of(spec: str) -> Filter:
    """The filter for a spec, shared: Wagtail parses a spec into its operations (binding each
    operation's arguments with ``inspect``) on every ``Filter``, for every image of a list.
    A filter holds its spec and parsed operations only; nothing writes to it afterwards."""
    return Filter(spec=spec)


class CustomImage(AbstractImage):
    """An image that carries its own default alt text, so no picture reaches a page without one."""

    alt_text = models.CharField(
        _("alt text"),
        max_length=255,
        blank=True,
        help_text=_("Describes the picture for screen readers; used when a block gives none."),
    )
    credit = models.CharField(_("credit"), max_length=255, blank=True)

    admin_form_fields = (*Image.admin_form_fields, "alt_text", "credit")

    class Meta(AbstractImage.Meta):
        # Wagtail's own words (图片) rather than "custom image" from the class name.
        verbose_name = _("image")
        verbose_name_plural = _("images")
        # /media/ finds the image a file belongs to before serving it (cms.door.media_serving).
        indexes = [models.Index(fields=["file"], name="cms_image_file_idx")]

    @property
    def default_alt_text(self):
        return self.alt_text or self.title

    def get_rendition(self, filter):
        # Wagtail writes each rendition it returns back to the cache, even one it found
        # among the renditions prefetched with the image: a cache round trip per image of a
        # list. A prefetched rendition needs no cache.
        if isinstance(filter, str):
            filter = filter_of(filter)
        if isinstance(filter, Filter) and self._get_prefetched_renditions() is not None:
            try:
                return self.find_existing_rendition(self.clean_filter_for_svg(filter))
            except self.get_rendition_model().DoesNotExist:
                pass
        return super().get_rendition(filter)


class CustomRendition(AbstractRendition):
    image = models.ForeignKey(CustomImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
        indexes = [models.Index(fields=["file"], name="cms_rendition_file_idx")]
