"""The layout net: after WeasyPrint has laid out the PDF, nothing may lie outside a page's text block.

WeasyPrint never complains when something does not fit: an image wider or taller than the page,
a word longer than its line or a table wider than the page is drawn past the margin, over the
footer or off the paper. So every box of every laid-out page is compared with the page's content
area (the box inside the margins); what lies outside is an error that names what it is, where it
is (chapter, figure or table, page) and the file the editor wrote it in. A running header or footer
is held to its own margin box instead (past it, it runs over the text or off the paper); what a box
clips (`overflow: hidden`) cannot show outside it.

Two quieter faults of the same kind are found too:
- an element that asks not to be split (a table row, a figure) but is taller than a page:
  WeasyPrint pushes it to a new page and splits it anyway, leaving a gap and (for a row) losing
  the table header there. `unsplittable_overflows` finds them, so the renderer can let them
  break where they fall (`allow_breaks`) and lay the document out again;
- a heading left alone at the foot of a page, away from what it introduces (a warning).

It reads WeasyPrint's laid-out boxes (`page._page_box`), which WeasyPrint does not document as
API: the test suite holds the walk to real layouts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Diagnostic, SourceLoc, error, warning

PX_PER_MM = 96 / 25.4
# Sub-pixel overhangs (rounding of line widths, a hairline border) are not content off the page.
TOLERANCE_PX = 1.0
AVOID = ("avoid", "avoid-page")
RUNNING = "el encabezado o el pie de página"
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Column boxes carry no content and span the whole table, over several pages.
_SKIPPED = ("MarginBox", "TableColumnGroupBox", "TableColumnBox")
# A run of text is as tall as its font, which may reach past its line's height (line-height below
# the font's own): only its line is held to the top and bottom of the area.
_INLINE = ("TextBox", "InlineBox")


@dataclass(frozen=True)
class Place:
    """Something a reader can find in the PDF, and where its editor wrote it.

    `label` is how a message names it («la tabla 6», «el capítulo 6 «Varios»»), `loc` the input
    file (and line) it comes from, `chapter` whether it is a chapter rather than a block in one.
    `source` is the Markdown file itself, where a text that does not fit is looked for when `loc`
    has no line (a chapter: the word may be in any of its lines).
    """

    label: str
    loc: SourceLoc
    chapter: bool = False
    source: Path | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Places:
    """How the net names what it finds.

    `by_id` maps an element id of the print document (a chapter's section, a figure, a table's
    caption) to its place; an element labelled by such an id (`aria-labelledby`) takes that place
    too. `by_src` maps an image's `src` to its place. `document` is where anything else is.
    """

    document: Place
    by_id: dict[str, Place] = field(default_factory=dict)
    by_src: dict[str, Place] = field(default_factory=dict)


@dataclass(frozen=True)
class Offender:
    """One box outside its page's content area, with how far it reaches out on each side (px)."""

    page: int
    what: str
    chapter: Place | None
    block: Place | None
    right: float
    bottom: float
    left: float
    top: float
    text: str = ""  # the box's whole text, when it is a text
    table: tuple[int, float] | None = None  # (columns, widest column in px) of the table it is in


def _content_area(page_box) -> tuple[float, float, float, float]:
    x, y = page_box.content_box_x(), page_box.content_box_y()
    return x, y, x + page_box.width, y + page_box.height


def _rect(box) -> tuple[float, float, float, float] | None:
    """The box's border box (x0, y0, x1, y1), or None when it has no area to see."""
    try:
        x, y = box.border_box_x(), box.border_box_y()
        w, h = box.border_width(), box.border_height()
    except (AttributeError, TypeError):  # a box WeasyPrint did not size: nothing drawn
        return None
    if not w > 0 or not h > 0:
        return None
    return x, y, x + w, y + h


def _place_of(box, places: Places) -> Place | None:
    element = box.element
    if element is None or box.element_tag != element.tag:  # anonymous and pseudo-element boxes
        return None
    key = element.get("id") or element.get("aria-labelledby")
    place = places.by_id.get(key) if key else None
    if place is None and element.tag == "img":
        place = places.by_src.get(element.get("src") or "")
    return place


def _text(box) -> str:
    """The text of a text box or a line, without the break marks of the print document."""
    text = getattr(box, "text", None)
    if text is None and type(box).__name__ == "LineBox":
        text = "".join(getattr(b, "text", "") for b in box.descendants())
    return (text or "").replace("\u200b", "").replace("\u00ad", "").strip()


def _what(box, block: Place | None) -> str:
    """How a message names the offending box itself."""
    tag = box.element_tag
    if tag == "img" and block is not None:
        return block.label
    if tag == "img":
        return "una imagen"
    text = _text(box)
    if text:
        shown = text if len(text) <= 40 else text[:37] + "…"
        return f"el texto «{shown}»"
    if tag in ("table", "tr", "td", "th", "tbody", "thead"):
        return "una tabla"
    return "un bloque"


def _walk(box, area, page: int, places: Places, chapter: Place | None, block: Place | None,
          found: list[Offender], table: tuple[int, float] | None = None) -> bool:
    """Record the innermost boxes outside `area`; tell whether `box` or a descendant is outside."""
    kind = type(box).__name__
    if kind in _SKIPPED:
        return False
    widths = getattr(box, "column_widths", None) if kind == "TableBox" else None
    if widths:
        table = (len(widths), max(widths))
    place = _place_of(box, places)
    if place is not None:
        if place.chapter:
            chapter = place
        else:
            block = place
    style = getattr(box, "style", None)
    clipped = style is not None and style["overflow"] != "visible"  # its content cannot show outside it
    children = () if clipped else getattr(box, "children", ())
    inner = [_walk(child, area, page, places, chapter, block, found, table) for child in children]
    rect = _rect(box)
    if rect is None:
        return any(inner)
    x0, y0, x1, y1 = area
    right, bottom, left, top = rect[2] - x1, rect[3] - y1, x0 - rect[0], y0 - rect[1]
    if kind in _INLINE:
        bottom = top = 0.0
    outside = max(right, bottom, left, top) > TOLERANCE_PX
    if outside and not any(inner):
        found.append(Offender(page, _what(box, block), chapter, block, right, bottom, left, top, _text(box), table))
    return outside or any(inner)


def _pages(document) -> Iterator[tuple[int, Any]]:
    for number, page in enumerate(document.pages, start=1):
        yield number, page._page_box


def _chapter_of(page_box, places: Places) -> Place | None:
    """The chapter a page belongs to: the first one its content opens or continues."""
    for box in page_box.children[0].descendants() if page_box.children else ():
        place = _place_of(box, places)
        if place is not None and place.chapter:
            return place
    return None


def offenders(document, places: Places) -> list[Offender]:
    """Every innermost box of the laid-out `document` that lies outside its page's content area,
    or (running headers and footers) outside its own margin box, over the text or off the paper."""
    found: list[Offender] = []
    for number, page_box in _pages(document):
        area = _content_area(page_box)
        for child in page_box.children:
            _walk(child, area, number, places, None, None, found)
        margins = [c for c in page_box.children if type(c).__name__ == "MarginBox"]
        if not margins:
            continue
        chapter = _chapter_of(page_box, places)
        # The running header repeats the chapter's title: its file is where to shorten it.
        running = Place(RUNNING, (chapter or places.document).loc)
        for margin in margins:
            if (rect := _rect(margin)) is not None and margin.style["overflow"] == "visible":
                for child in margin.children:
                    _walk(child, rect, number, places, chapter, running, found)
    return found


def page_number(number: int, marked: bool) -> str:
    """A page number in a message. `marked`: the document is one part of the report, laid out
    before the parts' first pages are known; `pdf_parts.renumber` makes it the report's number."""
    from .pdf_parts import PAGE_MARK

    return f"{PAGE_MARK}{number}{PAGE_MARK}" if marked else str(number)


def _page_list(pages: list[int], marked: bool) -> str:
    shown = [page_number(p, marked) for p in sorted(set(pages))]
    if len(shown) == 1:
        return f"la página {shown[0]}"
    return "las páginas " + ", ".join(shown[:-1]) + f" y {shown[-1]}"


def _reach(items: list[Offender]) -> str:
    """«4,4 cm por la derecha y 28 cm por abajo»: how far out, in the units of a ruler."""
    sides = (("right", "por la derecha"), ("bottom", "por abajo"), ("left", "por la izquierda"), ("top", "por arriba"))
    parts = []
    for attr, words in sides:
        px = max(getattr(o, attr) for o in items)
        if px > TOLERANCE_PX:
            mm = px / PX_PER_MM
            amount = f"{mm / 10:.1f} cm".replace(".", ",") if mm >= 10 else f"{max(mm, 0.5):.0f} mm"
            parts.append(f"{amount} {words}")
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " y " + parts[-1]


def _hint(what: str, block: Place | None) -> str:
    if block is not None and block.label == RUNNING:
        return ("el título del capítulo, que se repite arriba de cada página, no cabe en el encabezado: "
                "acórtelo (titulo: en el encabezado del archivo)")
    if what.startswith("la imagen") or what == "una imagen":
        return "use una imagen más pequeña o divídala en partes"
    if what.startswith("el texto"):
        return ("ese texto no tiene dónde cortarse (ni espacios ni «/»): acórtelo, agregue espacios o, si es una "
                "dirección web, escríbala como enlace: [texto](https://…)")
    if block is not None and block.label.startswith("la tabla"):
        return "la tabla no cabe en el ancho de la página: acorte el texto de sus celdas o quite columnas"
    return ("revise ese contenido; si en el sitio se ve bien, avise al equipo técnico: puede ser la plantilla "
            "del PDF (templates/print/print.css)")


def _crowded_table(items: list[Offender], block: Place | None) -> str | None:
    """The hint for a table too wide because of its number of columns, or None.

    When the table reaches out further than its widest column is wide, no single header or cell,
    however short, can bring it back: there are too many columns side by side.
    """
    if block is None or not block.label.startswith("la tabla"):
        return None
    tables = [o.table for o in items if o.table]
    if not tables:
        return None
    columns, widest = max(tables)
    if columns < 2 or max(o.right for o in items) <= widest + TOLERANCE_PX:
        return None
    return (f"la tabla tiene {columns} columnas y no caben una al lado de la otra en el ancho de la página, aunque "
            "se acorte un encabezado o una celda: muestre menos columnas (deje en el archivo solo las que el informe "
            "necesita o divídalo en dos tablas)")


def _text_line(place: Place, text: str) -> SourceLoc | None:
    """Where in `place`'s Markdown file the text that does not fit is written: the whole text, else its
    longest word (a heading or a paragraph is laid out in pieces); None when it cannot be found."""
    if place.source is None or not text:
        return None
    try:
        lines = place.source.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeError):
        return None
    words = sorted({w for w in text.split() if len(w) >= 8}, key=len, reverse=True)
    for needle in (text, *words):
        for number, line in enumerate(lines, start=1):
            if (col := line.find(needle)) >= 0:
                return SourceLoc(place.loc.path, number, col + 1)
    return None


def _telling(items: list[Offender]) -> str:
    """What names a group best: an image or a text an editor can find, before «una tabla» or «un bloque»."""
    rank = {"la imagen": 0, "una imagen": 0, "la figura": 0, "el texto": 1}
    return min((o.what for o in items), key=lambda w: next((r for k, r in rank.items() if w.startswith(k)), 2))


def layout_diagnostics(document, places: Places, marked: bool = False) -> list[Diagnostic]:
    """The net: an error for each thing outside the text block, and a warning for each heading
    left alone at the foot of a page. See the module docstring. `marked`: see `page_number`.

    Offenders are grouped by the figure or table they are in (one message for a table that is too
    wide, whichever of its cells stick out), else by what they are, within their chapter.
    """
    groups: dict[tuple, list[Offender]] = {}
    for o in offenders(document, places):
        groups.setdefault((o.chapter, o.block, None if o.block else o.what), []).append(o)
    diags = []
    for (chapter, block, _), items in groups.items():
        what = _telling(items)
        crowded = _crowded_table(items, block)
        if crowded:
            what = block.label  # the whole table, not the cell that happens to stick out most
        place = block or chapter or places.document
        where = place.loc
        if where.line is None and what.startswith("el texto"):  # a chapter: find the line that holds the text
            where = _text_line(place, next(o.text for o in items if o.what == what)) or where
        context = []
        if block is not None and block.label != what:
            context.append(f"en {block.label}")
        if chapter is not None:
            context.append(f"en {chapter.label}")
        page_box = document.pages[items[0].page - 1]._page_box
        area = f"{page_box.width / PX_PER_MM / 10:.1f} × {page_box.height / PX_PER_MM / 10:.1f} cm".replace(".", ",")
        pages = _page_list([o.page for o in items], marked)
        if block is not None and block.label == RUNNING:
            chapter_words = f" del {chapter.label.removeprefix('el ')}" if chapter else ""
            diags.append(error(where, (
                f"en el PDF, {what}{chapter_words} no cabe en el encabezado o el pie de {pages}: sobresale "
                f"{_reach(items)}, sobre el texto o fuera del papel; {_hint(what, block)}")))
            continue
        diags.append(error(where, (
            f"en el PDF, {what}{' ' + ' '.join(context) if context else ''} sale del área de impresión en "
            f"{pages}: sobresale {_reach(items)}, sobre el margen o fuera del papel. "
            f"Todo debe caber dentro de los márgenes de la página ({area}); {crowded or _hint(what, block)}")))
    diags += lone_headings(document, places, marked)
    return sorted(diags)


def _last_in_flow(box):
    """The last child of `box` that takes part in the normal flow, if any."""
    for child in reversed(getattr(box, "children", ())):
        if type(child).__name__ in _SKIPPED:
            continue
        style = getattr(child, "style", None)
        if style is not None and (style["position"] in ("absolute", "fixed") or style["float"] != "none"):
            continue
        return child
    return None


def lone_headings(document, places: Places, marked: bool = False) -> list[Diagnostic]:
    """A warning for each heading that ends a page while its content starts the next one."""
    diags = []
    for number, page_box in _pages(document):
        if number == len(document.pages):
            break
        box, chapter = (page_box.children[0] if page_box.children else None), None
        while box is not None:
            place = _place_of(box, places)
            if place is not None and place.chapter:
                chapter = place
            if box.element_tag in HEADINGS and box.element is not None:
                text = " ".join("".join(box.element.itertext()).split())
                where = chapter.loc if chapter else places.document.loc
                diags.append(warning(where, (
                    f"en el PDF, el título «{text}» queda solo al pie de la página {page_number(number, marked)} y lo que presenta "
                    f"empieza en la página {page_number(number + 1, marked)}: lo que sigue al título no cabe con él en una página. "
                    "Se esperaba el título junto a su contenido; acorte o divida lo que sigue al título")))
                break
            box = _last_in_flow(box)
    return diags


def unsplittable_overflows(document) -> list:
    """The elements that ask not to be split (`break-inside: avoid`) but were, being taller than a page.

    Returns WeasyPrint's elements of the document's HTML (what `allow_breaks` takes), each once.
    """
    pages_of: dict[int, set[int]] = {}
    elements: dict[int, object] = {}
    for number, page_box in _pages(document):
        stack = [c for c in page_box.children if type(c).__name__ not in _SKIPPED]
        while stack:
            box = stack.pop()
            style = getattr(box, "style", None)
            if (style is not None and box.element is not None and box.element_tag == box.element.tag
                    and style["break_inside"] in AVOID):
                pages_of.setdefault(id(box.element), set()).add(number)
                elements[id(box.element)] = box.element
            # A table's header and footer rows repeat on every page by design.
            stack.extend(c for c in getattr(box, "children", ()) if type(c).__name__ not in _SKIPPED
                         and not getattr(c, "is_header", False) and not getattr(c, "is_footer", False))
    split = {key for key, pages in pages_of.items() if len(pages) > 1}
    return [e for key, e in elements.items() if key in split]


def allow_breaks(elements: list) -> None:
    """Let each element break across pages where it falls (its inline style wins over the stylesheet)."""
    for element in elements:
        style = (element.get("style") or "").rstrip("; ")
        element.set("style", f"{style}; break-inside: auto" if style else "break-inside: auto")
