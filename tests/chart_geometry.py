"""Where a drawn chart's texts and dots sit, to check that no label runs into another or over a dot.

Reads the SVG that vl-convert writes (and the site inlines): positions are `translate(x,y)` transforms
summed down the tree, a text line's box is its measured advance width (the shipped fonts, as drawn) by its
ascent and descent around the baseline, a dot is a path of two arcs. Rotated texts (a vertical axis title)
are left out: no chart of ours puts one near another text; so are hidden ones (opacity 0).
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from emra_site.text_metrics import text_width

SVG = "{http://www.w3.org/2000/svg}"
ASCENT, DESCENT = 0.7, 0.2  # em above and below the baseline that a line's ink takes (Source Sans 3, accents aside)
TOLERANCE = 0.5  # px: boxes that only touch are apart
_TRANSLATE = re.compile(r"translate\(([-\d.e]+)[ ,]([-\d.e]+)\)")
_DOT = re.compile(r"^M([\d.]+),0A\1,\1,0,1,1,-\1,0A")
_WEIGHTS = {"bold": 700, "normal": 400}


@dataclass(frozen=True)
class Line:
    text: str
    left: float
    top: float
    right: float
    bottom: float
    owner: int  # which <text> element it belongs to: the lines of one label may touch


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float


def _offset(el) -> tuple[float, float] | None:
    transform = el.get("transform", "")
    if "rotate" in transform:
        return None
    found = _TRANSLATE.search(transform)
    return (float(found.group(1)), float(found.group(2))) if found else (0.0, 0.0)


def shapes(svg: str, fonts: Path) -> tuple[list[Line], list[Dot]]:
    """The text lines and dots of a drawing, in the drawing's pixels."""
    lines: list[Line] = []
    dots: list[Dot] = []

    def walk(el, x: float, y: float) -> None:
        offset = _offset(el)
        if offset is None or el.get("opacity") == "0":  # hidden: Vega's labelOverlap hides a tick label so
            return
        x, y = x + offset[0] + float(el.get("x", 0) or 0), y + offset[1] + float(el.get("y", 0) or 0)
        tag = el.tag.removeprefix(SVG)
        if tag == "text":
            size = float(el.get("font-size", "13px").removesuffix("px"))
            weight = _WEIGHTS.get(el.get("font-weight", "normal")) or int(el.get("font-weight"))
            anchor = el.get("text-anchor", "start")
            spans = list(el.iter(f"{SVG}tspan")) or [el]
            baseline = y
            for i, span in enumerate(spans):
                baseline += float(span.get("dy", 0) or 0) if i else 0
                text = "".join(span.itertext()) if span is not el else (el.text or "")
                width = text_width(text, size, min(weight, 700), fonts)
                left = x - {"start": 0, "middle": width / 2, "end": width}[anchor]
                lines.append(Line(text, left, baseline - ASCENT * size, left + width, baseline + DESCENT * size, id(el)))
            return
        if tag == "path" and (found := _DOT.match(el.get("d", ""))):
            dots.append(Dot(x, y, float(found.group(1))))
        for child in el:
            walk(child, x, y)

    walk(ET.fromstring(svg), 0.0, 0.0)
    return lines, dots


def _apart(a: Line, b: Line) -> bool:
    return (a.right - TOLERANCE <= b.left or b.right - TOLERANCE <= a.left
            or a.bottom - TOLERANCE <= b.top or b.bottom - TOLERANCE <= a.top)


def _touches(line: Line, dot: Dot) -> bool:
    """Whether a line's box reaches into a dot it is not written on (a stage's number sits inside its dot)."""
    centre_x, centre_y = (line.left + line.right) / 2, (line.top + line.bottom) / 2
    if math.hypot(centre_x - dot.x, centre_y - dot.y) < dot.r:
        return False
    nearest_x = min(max(dot.x, line.left), line.right)
    nearest_y = min(max(dot.y, line.top), line.bottom)
    return math.hypot(nearest_x - dot.x, nearest_y - dot.y) < dot.r - TOLERANCE


def collisions(svg: str, fonts: Path) -> list[str]:
    """Every pair of labels that overlap, and every label that runs over a dot, as readable strings."""
    lines, dots = shapes(svg, fonts)
    found = [f"«{a.text}» overlaps «{b.text}»" for i, a in enumerate(lines) for b in lines[i + 1:]
             if a.owner != b.owner and a.text.strip() and b.text.strip() and not _apart(a, b)]
    found += [f"«{line.text}» runs over the dot at ({dot.x:.0f}, {dot.y:.0f})"
              for line in lines for dot in dots if line.text.strip() and _touches(line, dot)]
    return found
