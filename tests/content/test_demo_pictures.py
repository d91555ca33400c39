"""Demo pictures look like pictures and the demo contact card's QR code scans."""

import pytest
import zxingcpp
from django.core.management import call_command
from PIL import Image

from cms.core.factories import ImageFactory
from cms.core.pictures import draw_picture
from cms.demo.site import WECHAT_QR_TEXT
from home.models import ContactCard

pytestmark = pytest.mark.django_db


def test_contact_card_qr_code_decodes_to_its_text():
    call_command("load_demo_content", verbosity=0)
    image = ContactCard.objects.get(name="客服").wechat_qr_code
    with image.file.open("rb") as stored, Image.open(stored) as picture:
        found = zxingcpp.read_barcodes(picture.convert("L"))
    assert [(code.format, code.text) for code in found] == [
        (zxingcpp.BarcodeFormat.QRCode, WECHAT_QR_TEXT)
    ]
    # A second load keeps the same image: the loader is idempotent.
    call_command("load_demo_content", verbosity=0)
    assert ContactCard.objects.get(name="客服").wechat_qr_code_id == image.id


def test_demo_picture_is_a_scene_not_a_flat_rectangle():
    image = ImageFactory(title="便民生活圈封面")
    with image.file.open("rb") as stored, Image.open(stored) as picture:
        colours = picture.convert("RGB").getcolors(maxcolors=1_000_000)
        top, bottom = picture.getpixel((600, 5)), picture.getpixel((600, 670))
    assert len(colours) > 1000
    assert top != bottom
    # The largest single colour covers well under half the picture.
    assert max(count for count, _ in colours) < 1200 * 675 / 2


def test_pictures_are_deterministic_per_title():
    # Speed is not asserted here (no timed assertions in tests): each picture is drawn at a
    # quarter of its size and scaled up, 15-30 ms for 1200x675 on the development machine.
    first = draw_picture("封面", 1200, 675, "#2f7d6d")
    assert first.tobytes() == draw_picture("封面", 1200, 675, "#2f7d6d").tobytes()
    assert first.tobytes() != draw_picture("配图", 1200, 675, "#2f7d6d").tobytes()
