"""Embed the exact glyphs a chart uses into its SVG, so it looks the same in every browser and offline."""

from __future__ import annotations

import base64
import html
import io
import re
from functools import lru_cache
from pathlib import Path

from .fonts import code_points

WEIGHT_FILES = {400: "source-sans-3-regular.ttf", 600: "source-sans-3-semibold.ttf", 700: "source-sans-3-bold.ttf"}
_WEIGHT_NAMES = {"normal": 400, "bold": 700}


@lru_cache(maxsize=8)
def _font_bytes(path: str) -> bytes:
    return Path(path).read_bytes()


def _subset_woff2(font_path: Path, text: str) -> bytes:
    """A WOFF2 font holding only the glyphs needed for `text`."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    # recalcTimestamp=False: fontTools would stamp the clock into head.modified and break byte-identical builds.
    font = TTFont(io.BytesIO(_font_bytes(str(font_path))), recalcTimestamp=False)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["kern", "liga", "lnum", "tnum"]
    options.name_IDs = []  # the family name comes from the @font-face rule
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def used_glyphs(svgs: list[str]) -> tuple[str, tuple[int, ...]]:
    """The characters and font weights a set of SVGs draws."""
    chars = {" "}
    weights = {400}
    for svg in svgs:
        for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg):
            chars.update(html.unescape(t))
        for w in re.findall(r'font-weight="([^"]+)"', svg):
            value = _WEIGHT_NAMES.get(w, int(w) if w.isdigit() else 400)
            weights.add(min(WEIGHT_FILES, key=lambda k: abs(k - value)))
    return "".join(sorted(chars)), tuple(sorted(weights))


def web_font(font_dir: Path, weight: int) -> Path:
    """The site's own WOFF2 of a weight (templates/static/fonts/, Latin basic range), beside the TTF folder."""
    return font_dir.parent / "static" / "fonts" / WEIGHT_FILES[weight].replace(".ttf", ".woff2")


def _woff2_for(font_dir: Path, weight: int, chars: str) -> bytes:
    """The site's WOFF2 of `weight` as it is when it has every character of `chars` (about 19 KB, no work:
    subsetting a full TTF costs ~0.6 s a weight), else a subset of the TTF made for `chars`."""
    web = web_font(font_dir, weight)
    if web.is_file() and {ord(c) for c in chars} <= code_points(web):
        return _font_bytes(str(web))
    return _subset_woff2(font_dir / WEIGHT_FILES[weight], chars)


def font_style(font_dir: Path, family: str, chars: str, weights: tuple[int, ...]) -> str:
    """An SVG <style> with one data-URI @font-face per weight holding every character of `chars`."""
    rules = []
    for weight in weights:
        data = base64.b64encode(_woff2_for(font_dir, weight, chars)).decode("ascii")
        rules.append(f"@font-face{{font-family:'{family}';font-weight:{weight};"
                     f"src:url(data:font/woff2;base64,{data}) format('woff2')}}")
    return "<defs><style>" + "".join(rules) + "</style></defs>"


def embed_style(svg: str, style: str) -> str:
    """Insert the font style right after the opening <svg> tag."""
    return re.sub(r"(<svg[^>]*>)", lambda m: m.group(1) + style, svg, count=1)
