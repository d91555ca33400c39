"""Models shared by every kind of content: the project's image model."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Filter, Image


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
        if isinstance(filter, str | Filter) and self._get_prefetched_renditions() is not None:
            spec = self.clean_filter_for_svg(
                Filter(spec=filter) if isinstance(filter, str) else filter
            )
            try:
                return self.find_existing_rendition(spec)
            except self.get_rendition_model().DoesNotExist:
                pass
        return super().get_rendition(filter)


class CustomRendition(AbstractRendition):
    image = models.ForeignKey(CustomImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
        indexes = [models.Index(fields=["file"], name="cms_rendition_file_idx")]
