"""A chart's SVG as it sits in a page: inline, drawn with the page's web font, and lean.

An SVG shown through `<img>` cannot use the page's fonts, so each one used to carry its own font
subset (about 34 KiB, 62-84 % of each file). Inline in the HTML, the chart's text uses the
`@font-face` rules of site.css — the same Source Sans 3 files the page has already loaded — and
only the downloadable files (`chart_export`) embed a font.

What vl-convert writes for interaction and for its own accessibility tree is dropped: the root is
`role="img"` with the figure's alt text, so its children are presentational, and their
`aria-label`s are English («X-axis titled …») on a Spanish page.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

# Attributes that change nothing in a static, presentational drawing (or that site.css sets once:
# the font family of every chart text is `.chart-svg text` in site.css).
_DROPPED_ATTRIBUTES = re.compile(
    r'\s(?:role|aria-roledescription|aria-label|aria-hidden|pointer-events|class|font-family)="[^"]*"'
    r'|\sopacity="1"')
# vl-convert's empty hit areas: a background path of a zero box and a hidden foreground path.
_EMPTY_PATHS = re.compile(r'<path d="M0,0h0v0h0Z"/>|<path d="" display="none"/>')
# Floating-point noise («27.000000000000004»): two decimals are a hundredth of a CSS pixel.
_LONG_DECIMAL = re.compile(r"(?<![\d.])(-?\d+\.\d{3,})")
_NO_MOVE = re.compile(r' transform="translate\(0,0\)"')
_ROOT = re.compile(r"<svg\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")  # only tags are touched: a label's text («$4.222.529») stays as drawn
_CLIP_REFERENCE = re.compile(r'(id="|url\(#)(clip\d+)')  # a clip path and its uses
_SIZE = re.compile(r'\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"')


def _lean_tag(tag: str) -> str:
    tag = _NO_MOVE.sub("", _DROPPED_ATTRIBUTES.sub("", tag))
    return _LONG_DECIMAL.sub(lambda m: f"{float(m.group(1)):.2f}".rstrip("0").rstrip("."), tag)


@lru_cache(maxsize=256)  # a pure function of its strings: the preview shows the same charts save after save
def inline_svg(svg: str, label: str, css_class: str, ids: str) -> str:
    """`svg` (as vl-convert drew it, no font style) ready to be written inside a page's HTML.

    The root gets `role="img"`, `aria-label=label` (the figure's alt text), `class=css_class`,
    `focusable="false"` and keeps its `width`/`height`/`viewBox` (site.css scales it to the column).
    Its identifiers (clip paths, numbered from 1 in every drawing) get the prefix `ids`, unique on the
    page («figura-10-movil»): the desktop and phone drawings of every chart share one document.
    Markup is vl-convert's, so the regular expressions here match its output only; a test checks
    that the page shows the same text elements as the drawing.
    """
    body = _TAG.sub(lambda m: _lean_tag(m.group(0)), svg[_ROOT.match(svg).end():])  # type: ignore[union-attr]
    body = _EMPTY_PATHS.sub("", body)
    body = _CLIP_REFERENCE.sub(lambda m: f"{m.group(1)}{ids}-{m.group(2)}", body)
    size = _SIZE.search(_ROOT.match(svg).group(0))  # type: ignore[union-attr]
    width, height = (size.group(1), size.group(2)) if size else ("100%", "auto")
    root = (f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" '
            f'aria-label="{html.escape(label, quote=True)}" focusable="false" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">')
    return root + body
