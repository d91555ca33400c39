"""Factories for platform models, shared by the tests and the demo-content loader."""

import factory
import wagtail_factories
from wagtail.models import Collection

from cms.core.models import CustomImage
from cms.core.pictures import picture_bytes

# Where factory-made images go: editors see this name in the image listing and choosers.
DEMO_COLLECTION_NAME = "示例图片"
# wagtail_factories' default collection, a new root-level one for every image.
STRAY_NAME = "Test collection"


def demo_collection() -> Collection:
    """One named collection under the root, made once: wagtail_factories' default makes a
    new root-level "Test collection" for every image."""
    # Not get_first_root_node(): a stray root-level "Test collection" may come first.
    root = Collection.objects.filter(depth=1).exclude(name=STRAY_NAME).order_by("path").first()
    return root.get_children().filter(name=DEMO_COLLECTION_NAME).first() or root.add_child(
        name=DEMO_COLLECTION_NAME
    )


def gather_stray_collections() -> None:
    """Demo loads before the named collection left one root-level "Test collection" per
    image; their images and documents move to the named collection, the empty ones go."""
    from wagtail.documents import get_document_model

    stray = list(Collection.objects.filter(depth=1, name=STRAY_NAME))
    if not stray:
        return
    target = demo_collection()
    CustomImage.objects.filter(collection__in=stray).update(collection=target)
    get_document_model().objects.filter(collection__in=stray).update(collection=target)
    for collection in stray:
        collection.delete()


class PictureField(factory.django.ImageField):
    """A landscape drawn by Pillow (cms.core.pictures), the same for the same ``seed``,
    in the hue of ``color``; factory_boy's own field draws a flat rectangle."""

    def _make_data(self, params):
        return picture_bytes(
            str(params.get("seed", "")),
            params.get("width", 100),
            params.get("height", params.get("width", 100)),
            params.get("color"),
            params.get("format", "JPEG"),
        )


class ImageFactory(wagtail_factories.ImageFactory):
    """A real JPEG drawn by Pillow, not a stub file."""

    title = factory.Sequence(lambda n: f"图片 {n}")
    alt_text = factory.LazyAttribute(lambda image: f"{image.title}的示意图")
    file = PictureField(
        width=1200,
        height=675,
        color="#2f7d6d",
        format="JPEG",
        seed=factory.SelfAttribute("..title"),
    )
    collection = factory.LazyFunction(demo_collection)

    class Meta:
        model = CustomImage


class OrderedTermFactory(factory.django.DjangoModelFactory):
    """A term of a hand-ordered list (``OrderedTerm``: an article category, a service area),
    made once per slug: asking again for a slug, as the demo loader does when run again,
    gives the row already there."""

    name = factory.Sequence(lambda n: f"词条{n}")
    slug = factory.Sequence(lambda n: f"term-{n}")

    class Meta:
        django_get_or_create = ("slug",)


class NamedSnippetFactory(factory.django.DjangoModelFactory):
    """A snippet editors find again by its name (a call to action, a contact card), made
    once per name."""

    name = factory.Sequence(lambda n: f"片段{n}")

    class Meta:
        django_get_or_create = ("name",)
