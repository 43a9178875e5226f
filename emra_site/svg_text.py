"""Chart labels in the PDF drawn as one text run each, not one per letter.

WeasyPrint (weasyprint/svg/text.py, checked on 66-70) lays out and draws an SVG `<text>` letter by
letter — a Pango layout, a position and a text-showing operator per character — so that `x`,
`dx`, `rotate` and `letter-spacing` lists can place each glyph. The report's charts never use
those: vl-convert writes each label as one `<text>` with a transform, a font and an anchor. Drawn
letter by letter, the 11 charts' 281 labels cost 1.35 s of the PDF's 3.6 s of writing, lose the
font's kerning (the SVG and PNG have it) and reach `pdftotext` as single letters when a reader
copies them.

`install()` wraps WeasyPrint's function: a `<text>` or `<tspan>` holding only text, with at most one
value of `x`, `y`, `dx` and `dy` and no `rotate`, `letter-spacing` or `textLength`, is laid out once and
drawn as one run, with the same position, anchor, bounding box and cursor that the letter-by-letter
code computes; any other text goes to WeasyPrint's own function unchanged.
"""

from __future__ import annotations

from math import inf

_PER_LETTER = ("rotate", "letter-spacing", "textLength")
_POSITIONS = ("x", "y", "dx", "dy")


def _one_run(node) -> bool:
    """Whether WeasyPrint's letter-by-letter placement cannot differ from one run for this node: a <text> or
    <tspan> (vl-convert writes a wrapped label as one <tspan> a line) holding only text, with at most one value
    of each position attribute (one value moves the first letter, and the others follow it)."""
    if node.tag not in ("text", "tspan") or not node.text or next(iter(node), None) is not None:
        return False
    if any(name in node.attrib for name in _PER_LETTER):
        return False
    return all(len(node.attrib.get(name, "0").replace(",", " ").split()) <= 1 for name in _POSITIONS)


def _style(svg, node, font_size):
    """The text style WeasyPrint's `text` builds for a node (same fields, same defaults)."""
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.svg.text import Style

    style = Style()
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [font.strip("\"'") for font in node.get("font-family", "sans-serif").split(",")]
    style["font_style"] = node.get("font-style", "normal")
    weight = node.get("font-weight", 400)
    style["font_size"] = font_size
    if node.get("direction") in ("ltr", "rtl"):
        style["direction"] = node.get("direction")
    if weight == "normal":
        style["font_weight"] = 400
    elif weight == "bold":
        style["font_weight"] = 700
    else:
        try:
            style["font_weight"] = int(weight)
        except ValueError:
            style["font_weight"] = 400
    return style


def _y_align(node, height: float, font_size: float) -> float:
    """WeasyPrint's vertical alignment of a text box (its own approximation of ascent and descent)."""
    ascent, descent = font_size * 0.8, font_size * 0.2
    anchor = node.get("display-anchor")
    baseline = node.get("dominant-baseline", node.get("alignment-baseline"))
    if anchor == "middle":
        return -height / 2
    if anchor == "top":
        return 0
    if anchor == "bottom":
        return -height
    if baseline in ("central", "middle"):
        return (ascent + descent) / 2 - descent
    if baseline in ("text-before-edge", "before_edge", "top", "hanging", "text-top"):
        return ascent
    if baseline in ("text-after-edge", "after_edge", "bottom", "text-bottom"):
        return -descent
    return 0


def one_run_text(svg, node, font_size, _letter_by_letter=None):
    """Draw `node` as one text run, or hand it to WeasyPrint's own function (see the module docstring)."""
    from weasyprint.draw.text import draw_emojis, draw_first_line
    from weasyprint.matrix import Matrix
    from weasyprint.svg.bounding_box import extend_bounding_box
    from weasyprint.svg.text import TextBox
    from weasyprint.svg.utils import normalize, size
    from weasyprint.text.line_break import split_first_line

    if not _one_run(node):
        return _ORIGINAL[0](svg, node, font_size)
    style = _style(svg, node, font_size)
    layout, _, _, width, height, baseline = split_first_line(node.text, style, svg.context, inf, 0)
    x = size(normalize(node.attrib["x"]).strip(), font_size, svg.inner_width) if "x" in node.attrib else None
    y = size(normalize(node.attrib["y"]).strip(), font_size, svg.inner_height) if "y" in node.attrib else None
    if x is not None:
        svg.cursor_d_position[0] = 0
    if y is not None:
        svg.cursor_d_position[1] = 0
    for axis, name, extent in ((0, "dx", svg.inner_width), (1, "dy", svg.inner_height)):
        if name in node.attrib:
            svg.cursor_d_position[axis] += size(normalize(node.attrib[name]).strip(), font_size, extent)
    x = svg.cursor_position[0] if x is None else x
    y = svg.cursor_position[1] if y is None else y
    svg.cursor_position = x + width, y
    x_position = x + svg.cursor_d_position[0]
    y_position = y + svg.cursor_d_position[1] + _y_align(node, height, font_size)
    node.text_bounding_box = extend_bounding_box(node.text_bounding_box, (
        (x_position, y_position - baseline), (x_position + width, y_position - baseline + height)))

    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    text_box = TextBox(layout, style)
    text_box.baseline = baseline
    emojis = draw_first_line(svg.stream, text_box, "none", "none", Matrix(a=1, d=-1, e=x_position, f=y_position))
    svg.stream.end_text()
    svg.stream.pop_state()
    draw_emojis(svg.stream, style, x, y, emojis)


_ORIGINAL: list = []


def install() -> None:
    """Route WeasyPrint's SVG text drawing through `one_run_text` (once per process).

    WeasyPrint's SVG module compares `TAGS.get(tag) == text` to find text nodes (anchors, bounding
    boxes), so both the table entries and the module's name `text` are replaced together.
    """
    import weasyprint.svg as wsvg

    if _ORIGINAL:
        return
    _ORIGINAL.append(wsvg.text)
    for tag, function in list(wsvg.TAGS.items()):
        if function is _ORIGINAL[0]:
            wsvg.TAGS[tag] = one_run_text
    wsvg.text = one_run_text  # type: ignore[attr-defined]
