"""Demo images sit in one collection with a Chinese name, not in a "Test collection" each."""

import pytest
import wagtail_factories
from django.core.management import call_command
from wagtail.models import Collection

from cms.core.factories import DEMO_COLLECTION_NAME, ImageFactory
from cms.core.models import CustomImage

pytestmark = pytest.mark.django_db


def test_demo_images_share_one_named_collection():
    call_command("load_demo_content", verbosity=0)
    collections = {image.collection.name for image in CustomImage.objects.all()}
    assert collections == {DEMO_COLLECTION_NAME}
    assert Collection.objects.filter(name=DEMO_COLLECTION_NAME).count() == 1
    # Wagtail's root collection (a migration of ours names it in Chinese) and ours.
    assert set(Collection.objects.values_list("name", flat=True)) == {
        "根目录",
        DEMO_COLLECTION_NAME,
    }


def test_collections_an_earlier_demo_load_left_are_gathered():
    stray = [wagtail_factories.CollectionFactory(parent=None) for _ in range(2)]
    image = ImageFactory(collection=stray[0])
    call_command("load_demo_content", verbosity=0)
    assert not Collection.objects.filter(name="Test collection").exists()
    image.refresh_from_db()
    assert image.collection.name == DEMO_COLLECTION_NAME
