"""Demo pictures that look like pictures: a sky, soft sunlight and rolling hills drawn by
Pillow, the same picture for the same seed; and scannable QR codes (segno).

Flat colour rectangles made the demo site look broken in the front ends and gave the
image renditions nothing to show.
"""

import colorsys
import hashlib
import io
import math
import random

import segno
from PIL import Image, ImageChops, ImageColor, ImageDraw, ImageFilter

# The scene is drawn at a fraction of the final size and scaled up: the scaling softens the
# edges (soft light, hazy hills) and keeps a 1200x675 picture well under 50 ms.
SCALE = 4


def _rgb(hue: float, lightness: float, saturation: float) -> tuple[int, int, int]:
    red, green, blue = colorsys.hls_to_rgb(hue % 1.0, lightness, saturation)
    return round(red * 255), round(green * 255), round(blue * 255)


def draw_picture(seed: str, width: int, height: int, color: str | None = None) -> Image.Image:
    """A landscape in the hue of ``color`` (or one chosen by ``seed``), varied by ``seed``."""
    rng = random.Random(hashlib.sha1(seed.encode()).digest())
    if color:
        red, green, blue = ImageColor.getrgb(color)[:3]
        hue = colorsys.rgb_to_hls(red / 255, green / 255, blue / 255)[0]
    else:
        hue = rng.random()
    small = (max(1, width // SCALE), max(1, height // SCALE))
    horizon = small[1] * rng.uniform(0.45, 0.65)

    # Sky: a vertical gradient from a deep tint at the top to a pale glow at the horizon.
    top, bottom = _rgb(hue + 0.55, 0.45, 0.45), _rgb(hue + 0.08, 0.88, 0.7)
    mask = Image.linear_gradient("L").resize(small)
    picture = Image.composite(Image.new("RGB", small, bottom), Image.new("RGB", small, top), mask)

    # Sun with a soft halo: a blurred bright disc added onto the sky.
    sun_x, sun_y = small[0] * rng.uniform(0.15, 0.85), horizon * rng.uniform(0.3, 0.8)
    radius = small[1] * rng.uniform(0.06, 0.11)
    glow = Image.new("RGB", small, (0, 0, 0))
    ImageDraw.Draw(glow).ellipse(
        (sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius),
        fill=_rgb(hue + 0.1, 0.75, 0.9),
    )
    glow = glow.filter(ImageFilter.GaussianBlur(radius * 0.8))
    picture = ImageChops.add(picture, glow)

    # Hills: layers of ridges, darker and more saturated towards the viewer.
    draw = ImageDraw.Draw(picture)
    layers = rng.randint(3, 4)
    for layer in range(layers):
        depth = (layer + 1) / layers
        base = horizon + (small[1] - horizon) * (depth - 0.8 / layers)
        waves = [(rng.uniform(1, 3.5), rng.uniform(0, math.tau)) for _ in range(2)]
        amplitude = small[1] * rng.uniform(0.03, 0.09)
        ridge = [
            (
                x,
                base
                - amplitude
                * sum(
                    math.sin(frequency * math.tau * x / small[0] + phase)
                    for frequency, phase in waves
                ),
            )
            for x in range(0, small[0] + 4, 4)
        ]
        fill = _rgb(hue + 0.25 - 0.04 * layer, 0.62 - 0.4 * depth, 0.25 + 0.35 * depth)
        draw.polygon([*ridge, (small[0], small[1]), (0, small[1])], fill=fill)
    return picture.filter(ImageFilter.SMOOTH).resize((width, height), Image.Resampling.BICUBIC)


def picture_bytes(
    seed: str, width: int, height: int, color: str | None, image_format: str
) -> bytes:
    buffer = io.BytesIO()
    draw_picture(seed, width, height, color).save(buffer, format=image_format, quality=88)
    return buffer.getvalue()


def qr_code_png(text: str) -> bytes:
    """A QR code a phone can scan: error level M, the standard four-module quiet zone."""
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()
