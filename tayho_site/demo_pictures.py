"""Pictures the demo draws for itself with Pillow: portraits (initials on a coloured
background over a drawn head and shoulders), posters (a title over West Lake at dusk)
and bar charts. Nothing is downloaded; the same arguments always draw the same picture.

`wagtail_image` stores a picture in Wagtail's image library once, found by its title."""

import io
import random
from functools import cache

from PIL import Image, ImageDraw, ImageFont

# Calm colours that carry white text (contrast ≥ 4.5:1).
PALETTE = ["#1f5f8b", "#8b2f3c", "#2f6b4f", "#6b3f8b", "#9a4a12", "#245b6b", "#5b5b1f", "#7a2f6b", "#3b4f8b"]
FONT_FILES = [
    "DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/arialbd.ttf",
]


@cache
def font(size):
    """A bold font with Vietnamese letters where the system has one; Pillow's own otherwise."""
    for name in FONT_FILES:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def _rgb(hex_colour):
    hex_colour = hex_colour.lstrip("#")
    return tuple(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))


def _mix(a, b, share):
    return tuple(round(x + (y - x) * share) for x, y in zip(a, b, strict=True))


def _png(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def initials(name):
    """Vietnamese names end with the given name: "Nguyễn Văn Minh" → "VM"; one word → "M"."""
    words = [w for w in name.split() if w[:1].isalpha()]
    return "".join(w[0] for w in words[-2:]).upper() or "?"


def portrait(name, size=(480, 600)):
    """A drawn portrait in the 4:5 frame the honour board crops to: a coloured background,
    lighter shoulders, and a head bearing the person's initials."""
    rng = random.Random(f"portrait-{name}")
    width, height = size
    base = _rgb(rng.choice(PALETTE))
    image = Image.new("RGB", size, base)
    draw = ImageDraw.Draw(image)
    for step in range(height):  # a soft vertical gradient
        draw.line([(0, step), (width, step)], fill=_mix(base, (20, 20, 30), step / height * 0.45))
    figure = _mix(base, (255, 255, 255), 0.30)
    draw.ellipse([width * 0.10, height * 0.66, width * 0.90, height * 1.30], fill=figure)
    head = width * 0.25
    centre_x, centre_y = width / 2, height * 0.40
    draw.ellipse([centre_x - head, centre_y - head, centre_x + head, centre_y + head], fill=(250, 248, 243))
    draw.text((centre_x, centre_y), initials(name), font=font(int(head * 0.8)), fill=base, anchor="mm")
    return _png(image)


def _wrap(draw, text, typeface, width):
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and draw.textlength(trial, font=typeface) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    return lines + ([line] if line else [])


def poster(title, subtitle="", seed="", size=(1200, 675)):
    """A poster: a sky fading into the lake, a sun, hills and a pagoda's roof line,
    ripples, and the title over a dark band."""
    rng = random.Random(f"poster-{seed or title}")
    width, height = size
    sky_top, sky_bottom = _rgb(rng.choice(PALETTE)), _rgb(rng.choice(["#f4b860", "#f08a5d", "#f6d186", "#e8a0a0"]))
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.52, 0.62))
    for y in range(horizon):
        draw.line([(0, y), (width, y)], fill=_mix(sky_top, sky_bottom, y / horizon))
    sun_x, sun_r = rng.randint(width // 5, width * 4 // 5), rng.randint(45, 80)
    draw.ellipse([sun_x - sun_r, horizon - sun_r * 1.6, sun_x + sun_r, horizon + sun_r * 0.4], fill=(255, 236, 190))
    hills = _mix(sky_top, (10, 20, 30), 0.55)
    points = [(0, horizon)]
    for x in range(0, width + 80, 80):
        points.append((x, horizon - rng.randint(10, 55)))
    points.append((width, horizon))
    draw.polygon(points, fill=hills)
    roof_x = rng.randint(width // 6, width * 5 // 6)  # a pagoda's curved roofs on the shore
    for level in range(3):
        w, top = 90 - level * 24, horizon - 40 - level * 26
        body = w * 0.5  # the storey under each roof
        draw.rectangle([roof_x - body, top + 12, roof_x + body, top + 40 if level else horizon], fill=hills)
        roof = [(roof_x - w, top + 14), (roof_x - w + 12, top), (roof_x + w - 12, top), (roof_x + w, top + 14)]
        draw.polygon(roof, fill=hills)
    water_top, water_bottom = _mix(sky_bottom, sky_top, 0.5), _mix(sky_top, (5, 15, 35), 0.5)
    for y in range(horizon, height):
        draw.line([(0, y), (width, y)], fill=_mix(water_top, water_bottom, (y - horizon) / (height - horizon)))
    for _ripple in range(60):
        x, y = rng.randint(0, width), rng.randint(horizon + 5, height)
        length = rng.randint(20, 90)
        draw.line([(x, y), (x + length, y)], fill=_mix(water_top, (255, 255, 255), 0.35), width=2)
    typeface, small = font(54), font(30)
    lines = _wrap(draw, title, typeface, width - 140)[:3]
    band_height = 50 + 66 * len(lines) + (44 if subtitle else 0)
    band = Image.new("RGBA", (width, band_height), (10, 15, 25, 170))
    image.paste(band, (0, height - band_height), band)
    y = height - band_height + 30
    for line in lines:
        draw.text((70, y), line, font=typeface, fill=(255, 255, 255))
        y += 66
    if subtitle:
        draw.text((70, y), subtitle, font=small, fill=(255, 226, 170))
    return _png(image)


def bar_chart(title, bars, size=(1200, 675)):
    """A labelled bar chart: `bars` is a list of (label, value)."""
    width, height = size
    image = Image.new("RGB", size, (250, 248, 243))
    draw = ImageDraw.Draw(image)
    draw.text((60, 40), title, font=font(40), fill=(30, 35, 45))
    top, bottom, left = 130, height - 90, 60
    biggest = max((value for _label, value in bars), default=1) or 1
    slot = (width - 2 * left) / max(len(bars), 1)
    for index, (label, value) in enumerate(bars):
        colour = _rgb(PALETTE[index % len(PALETTE)])
        x0 = left + index * slot + slot * 0.15
        x1 = x0 + slot * 0.7
        y0 = bottom - (bottom - top) * value / biggest
        draw.rectangle([x0, y0, x1, bottom], fill=colour)
        draw.text(((x0 + x1) / 2, y0 - 10), str(value), font=font(28), fill=(30, 35, 45), anchor="md")
        draw.text(((x0 + x1) / 2, bottom + 16), label, font=font(24), fill=(60, 65, 75), anchor="ma")
    draw.line([(left, bottom), (width - left, bottom)], fill=(120, 120, 120), width=2)
    return _png(image)


def wagtail_image(title, png, filename):
    """The Wagtail image of this title, stored the first time from `png`."""
    from django.core.files.images import ImageFile
    from wagtail.images.models import Image as WagtailImage

    existing = WagtailImage.objects.filter(title=title).first()
    if existing is not None:
        return existing
    image = WagtailImage(title=title)
    image.file.save(filename, ImageFile(io.BytesIO(png), name=filename), save=False)
    image.save()
    return image
