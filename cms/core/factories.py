"""Factories for platform models, shared by the tests and the demo-content loader."""

import factory
import wagtail_factories

from cms.core.models import CustomImage


class ImageFactory(wagtail_factories.ImageFactory):
    """A real JPEG drawn by Pillow (factory_boy's ImageField), not a stub file."""

    title = factory.Sequence(lambda n: f"图片 {n}")
    alt_text = factory.LazyAttribute(lambda image: f"{image.title}的示意图")
    file = factory.django.ImageField(width=1200, height=675, color="#2f7d6d", format="JPEG")

    class Meta:
        model = CustomImage
