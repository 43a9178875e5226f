"""Paint a social card (`kit.cards.Card`) as PNG with Pillow, in the report's fonts and palette.

Pillow rather than vl-convert: a card is text and a few rectangles, and Pillow draws one in
~20 ms against ~100 ms for a Vega spec, which matters with two sizes of ~20 cards per edition.
Each card is ~20 KB (a palette of the card's own inks). The layout is a vertical flow: kicker, title, body, bars, then the footer pinned to the bottom;
when the content does not fit, the title and body sizes step down until it does. The same card
and fonts give the same bytes (no time chunk; Pillow's PNG encoder is deterministic).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import theme as T
from ..fonts import file_stamp
from .cards import Card

BACKGROUND = T.PRIMARY_DARK
INK = "#ffffff"
SOFT = "#cfe3ec"  # the kicker and the body on the dark background
WARM = "#f0a77f"  # the edition label
TRACK = "#24536b"  # a bar's empty track
# Lighter than the page palette: these bars sit on the dark card background (contrast ≥ 3 with it).
BAR_COLORS = {"ambiental": "#5cc28c", "social": "#ec9a66", "economica": "#6fb6e0", "institucional": "#b39ddf"}
BAR_DEFAULT = "#7fb2c9"

FACES = {"regular": "source-sans-3-regular.ttf", "semibold": "source-sans-3-semibold.ttf",
         "bold": "source-sans-3-bold.ttf"}


@dataclass(frozen=True)
class Scale:
    """Type sizes (px) and spacing of one size of card."""

    margin: int
    kicker: int
    titles: tuple[int, ...]  # tried in turn until the content fits
    bodies: tuple[int, ...]
    bar: int
    footer: int
    gap: int


SCALES = {
    (1200, 630): Scale(64, 26, (64, 56, 48, 42, 36), (30, 27, 24, 22), 30, 24, 22),
    (1080, 1350): Scale(80, 34, (84, 76, 68, 60, 52, 44), (40, 36, 32, 28, 24), 40, 30, 36),
}


BODY_MAX = 280  # characters of one body paragraph: beyond, it would not fit even in the smallest type


def _clip(text: str) -> str:
    """`text`, cut at a word with «…» when longer than a card holds (an editor's very long description)."""
    if len(text) <= BODY_MAX:
        return text
    return text[:BODY_MAX].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


def _font(font_dir: str, face: str, size: int):
    path = Path(font_dir) / FACES[face]
    return _open_font(str(path), file_stamp(path), size)


@lru_cache(maxsize=64)
def _open_font(path: str, stamp: tuple[int, int, int], size: int):
    """A face at a size, kept while its file is unchanged (`fonts.file_stamp`)."""
    from PIL import ImageFont

    return ImageFont.truetype(path, size)


def wrap(text: str, font, width: float) -> list[str]:
    """`text` in lines no wider than `width` px, broken at spaces (a word longer than a line stays whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def _layout(card: Card, size: tuple[int, int], fonts: str, title_px: int, body_px: int) -> tuple[list, int]:
    """The card's drawing operations top-down, and the y where the content ends."""
    w, _ = size
    s = SCALES[size]
    inner = w - 2 * s.margin
    ops: list = []
    y = s.margin
    kicker = _font(fonts, "semibold", s.kicker)
    for line in wrap(card.kicker.upper(), kicker, inner):
        ops.append(("text", (s.margin, y), line, kicker, SOFT))
        y += round(s.kicker * 1.25)
    y += s.gap
    title = _font(fonts, "bold", title_px)
    for line in wrap(card.title, title, inner):
        ops.append(("text", (s.margin, y), line, title, INK))
        y += round(title_px * 1.12)
    body = _font(fonts, "regular", body_px)
    for paragraph in map(_clip, card.body):
        y += round(s.gap * 0.6)
        for line in wrap(paragraph, body, inner):
            ops.append(("text", (s.margin, y), line, body, SOFT))
            y += round(body_px * 1.3)
    if card.bars:
        y += s.gap
        label_font = _font(fonts, "regular", s.bar)
        value_font = _font(fonts, "bold", s.bar)
        label_w = max(label_font.getlength(b.label) for b in card.bars) + s.bar
        value_w = max(value_font.getlength(b.text) for b in card.bars) + s.bar
        track_w = inner - label_w - value_w
        for bar in card.bars:
            h = round(s.bar * 0.95)
            ops.append(("text", (s.margin, y), bar.label, label_font, INK))
            x0 = s.margin + label_w
            ops.append(("rect", (x0, y + 4, x0 + track_w, y + 4 + h), TRACK, None))
            colour = BAR_COLORS.get(bar.key, BAR_DEFAULT)
            if bar.value is None:  # «sin dato»: an outline, never a zero-length bar that reads as 0
                ops.append(("rect", (x0, y + 4, x0 + track_w, y + 4 + h), None, colour))
            elif bar.value:
                filled = max(2, round(track_w * min(float(bar.value) / float(bar.scale), 1.0)))
                ops.append(("rect", (x0, y + 4, x0 + filled, y + 4 + h), colour, None))
            ops.append(("text", (x0 + track_w + s.bar // 2, y), bar.text, value_font, INK))
            y += round(s.bar * 1.7)
    return ops, y


def draw_card(card: Card, size: tuple[int, int], font_dir: Path, label: str, address: str | None) -> bytes:
    """The card as PNG bytes of `size` (width, height) px; its footer shows `label` (the edition) and
    `address` (the site's, or None).

    The alt text travels in the PNG as its «Description» text chunk.
    """
    from PIL import Image, ImageDraw
    from PIL.PngImagePlugin import PngInfo

    w, h = size
    s = SCALES[size]
    fonts = str(font_dir)
    footer_font = _font(fonts, "semibold", s.footer)
    footer_lines = 2 if address and w < h else 1
    footer_top = h - s.margin - footer_lines * round(s.footer * 1.3)
    ops: list = []
    bottom = 0
    for title_px in s.titles:
        for body_px in s.bodies:
            ops, bottom = _layout(card, size, fonts, title_px, body_px)
            if bottom <= footer_top - s.gap:
                break
        if bottom <= footer_top - s.gap:
            break
    image = Image.new("RGB", size, BACKGROUND)
    pen = ImageDraw.Draw(image)
    # The content sits in the middle of the space above the footer, under a short rule in the accent colour.
    dy = max(0, (footer_top - s.gap - bottom) // 2)
    pen.rectangle((s.margin, s.margin + dy - s.gap, s.margin + 3 * s.kicker, s.margin + dy - s.gap + 5), fill=WARM)
    for op in ops:
        if op[0] == "text":
            _, (x, y), text, font, colour = op
            pen.text((x, y + dy), text, font=font, fill=colour)
        else:
            _, (x0, y0, x1, y1), fill, outline = op
            pen.rectangle((x0, y0 + dy, x1, y1 + dy), fill=fill, outline=outline, width=3 if outline else 0)
    pen.line((s.margin, footer_top - s.gap // 2, w - s.margin, footer_top - s.gap // 2), fill=TRACK, width=2)
    pen.text((s.margin, footer_top), label, font=footer_font, fill=WARM)
    if address:
        if footer_lines == 2:
            pen.text((s.margin, footer_top + round(s.footer * 1.3)), address, font=footer_font, fill=SOFT)
        else:
            pen.text((w - s.margin - footer_font.getlength(address), footer_top), address, font=footer_font, fill=SOFT)
    info = PngInfo()
    info.add_itxt("Description", card.alt)
    out = io.BytesIO()
    # A card holds a flat background and a few inks with their anti-aliased edges: mapped to a palette of
    # exactly those blends, the PNG is a third of the bytes of RGB and quick to encode (no colour search).
    # zlib level 3: 4 ms to encode instead of 10 (level 6), for 27 KB instead of 20 KB a card.
    image.quantize(palette=_palette(), dither=Image.Dither.NONE).save(out, "PNG", pnginfo=info, compress_level=3)
    return out.getvalue()


BLENDS = 24  # steps between each ink and the background: finer than the eye sees on text edges


@lru_cache(maxsize=1)
def _palette():
    """A palette image: the background, every ink of a card, and BLENDS steps from each ink to the background."""
    from PIL import Image, ImageColor

    inks = [INK, SOFT, WARM, TRACK, BAR_DEFAULT, *BAR_COLORS.values()]
    bg = ImageColor.getrgb(BACKGROUND)
    colours = [bg]
    for ink in inks:
        rgb = ImageColor.getrgb(ink)
        colours += [tuple(round(b + (c - b) * k / BLENDS) for b, c in zip(bg, rgb, strict=True))
                    for k in range(1, BLENDS + 1)]
    colours = list(dict.fromkeys(colours))[:256]
    image = Image.new("P", (1, 1))
    image.putpalette([v for rgb in colours for v in rgb])
    return image
