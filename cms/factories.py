"""Factories for platform models, shared by the tests and the demo-content loader."""

import factory
import wagtail_factories
from wagtail.models import Collection

from cms.models import CustomImage

# Where factory-made images go: editors see this name in the image listing and choosers.
DEMO_COLLECTION_NAME = "示例图片"


def demo_collection() -> Collection:
    """One named collection under the root, made once: wagtail_factories' default makes a
    new root-level "Test collection" for every image."""
    root = Collection.get_first_root_node()
    return root.get_children().filter(name=DEMO_COLLECTION_NAME).first() or root.add_child(
        name=DEMO_COLLECTION_NAME
    )


class ImageFactory(wagtail_factories.ImageFactory):
    """A real JPEG drawn by Pillow (factory_boy's ImageField), not a stub file."""

    title = factory.Sequence(lambda n: f"图片 {n}")
    alt_text = factory.LazyAttribute(lambda image: f"{image.title}的示意图")
    file = factory.django.ImageField(width=1200, height=675, color="#2f7d6d", format="JPEG")
    collection = factory.LazyFunction(demo_collection)

    class Meta:
        model = CustomImage
