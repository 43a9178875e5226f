"""Text measured in the shipped fonts: the width of a line, and text broken into lines that fit a width.

Widths come from the fonts' advance widths (hmtx), the same numbers resvg, vl-convert and browsers lay
text out with, so a line measured to fit does fit; kerning only narrows Latin text. Sizes are CSS pixels.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .fonts import file_stamp
from .svgfonts import WEIGHT_FILES


@lru_cache(maxsize=8)
def _advances(font_path: str, stamp: tuple[int, int, int]) -> tuple[dict[int, int], int, int]:
    """A font's advance width per code point, its fallback advance (.notdef) and units per em; `stamp`
    (`fonts.file_stamp`) keeps a font written over at the same path from being measured with the old one."""
    from fontTools.ttLib import TTFont

    font = TTFont(font_path, lazy=True)
    metrics = font["hmtx"].metrics
    widths = {cp: metrics[name][0] for cp, name in font.getBestCmap().items()}
    return widths, metrics[".notdef"][0], font["head"].unitsPerEm


def text_width(text: str, size: float, weight: int, font_dir: Path) -> float:
    """Width in px of `text` set in the shipped font at `size` px (advances only: kerning only
    narrows Latin text, so a line measured to fit does fit)."""
    path = font_dir / WEIGHT_FILES[weight]
    widths, fallback, upm = _advances(str(path), file_stamp(path))
    return sum(widths.get(ord(c), fallback) for c in text) * size / upm


def _split_long(word: str, fits) -> list[str]:
    """A word wider than the line (an address) cut into pieces that fit, after a «/» where possible."""
    pieces, current = [], ""
    for c in word:
        if current and not fits(current + c):
            cut = current.rfind("/") + 1
            if 0 < cut < len(current):
                pieces.append(current[:cut])
                current = current[cut:]
            else:
                pieces.append(current)
                current = ""
        current += c
    return [*pieces, current] if current else pieces


def wrap_text(text: str, width: float, size: float, weight: int, font_dir: Path) -> list[str]:
    """`text` broken into lines no wider than `width` px, at spaces (and inside a word too long for a line)."""
    def fits(s: str) -> bool:
        return text_width(s, size, weight, font_dir) <= width

    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if fits(candidate):
            current = candidate
            continue
        if current:
            lines.append(current)
        *full, current = _split_long(word, fits) if not fits(word) else [word]
        lines += full
    return [*lines, current] if current else lines
