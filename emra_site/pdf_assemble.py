"""Join the parts of the print document into the report, and finish each chapter's own PDF.

The parts (`pdf_parts.LaidOutPart`) are tagged PDFs written by WeasyPrint. Joining them keeps
everything the tests of the PDF check on a report laid out in one pass:
- one structure tree: each part's elements under one `Document`, in reading order, with the
  `ParentTree` keys and the pages' and links' `/StructParents` renumbered;
- one font program per face: WeasyPrint subsets with glyph ids kept (HarfBuzz's RETAIN_GIDS), so
  every part names a glyph by the full font's id and no content stream changes; the joined file
  embeds one subset of the union (uharfbuzz: 1 ms a face, fontTools took 0.3 s) with the union of
  the widths and of the ToUnicode maps. Same face, same /BaseFont in every part (WeasyPrint names it
  from a hash of the font description);
- bookmarks and named destinations of every part, links between parts as /Dest (in a chapter's own
  PDF, a link outside the chapter opens the report there: GoToR);
- the front matter's catalogue: `/MarkInfo`, `/ViewerPreferences`, XMP metadata and info, and `/Lang`,
  the edition's language (`edition.idioma`: «es-CL», «en»), in the report and in each chapter's PDF;
- the running header and the «página N de M» footer of every page, laid out for the whole report (`Printer.lay_out_footers`)
  and drawn as an artifact; a page laid out on the other side than where it lands is shifted by
  the difference of the sides' margins (left and right pages mirror them).
Files are saved with a content-derived identifier: same parts, same bytes.
"""

from __future__ import annotations

import io
import re
import warnings
from functools import lru_cache
from pathlib import Path

import pikepdf

from .pdf_parts import PART_LINK, PX_TO_PT, LaidOutPart
from .pdf_tags import attach_links, finish_structure, set_id_tree

SHIFT_TOLERANCE = 0.01  # pt


def _indirect(pdf: pikepdf.Pdf, obj):
    return obj if obj.is_indirect else pdf.make_indirect(obj)


def _copy_direct(pdf: pikepdf.Pdf, value):
    """A direct object of another file (a name, a string, a small dictionary) as one of `pdf`."""
    if isinstance(value, pikepdf.Dictionary):
        return pikepdf.Dictionary({k: _copy_direct(pdf, v) for k, v in value.items()})
    if isinstance(value, pikepdf.Array):
        return pikepdf.Array([_copy_direct(pdf, v) for v in value])
    return pdf.copy_foreign(value) if getattr(value, "is_indirect", False) else value


def _int(value: int) -> pikepdf.Object:
    return pikepdf.Object.parse(str(value).encode())


# --- fonts -----------------------------------------------------------------------------------------

def _widths(w) -> dict[int, float]:
    """A CIDFont /W array as {cid: width}: `c [w1 w2 …]` and `c_first c_last w` entries."""
    out: dict[int, float] = {}
    items, i = list(w), 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):
            out.update({first + k: float(v) for k, v in enumerate(items[i + 1])})
            i += 2
        else:
            out.update({c: float(items[i + 2]) for c in range(first, int(items[i + 1]) + 1)})
            i += 3
    return out


def _to_unicode(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap's bfchar and bfrange entries as {cid: UTF-16BE hex}."""
    out: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.DOTALL):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            out[int(src, 16)] = dst.decode()
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.DOTALL):
        for a, b, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            for k, c in enumerate(range(int(a, 16), int(b, 16) + 1)):
                out[c] = f"{int(dst, 16) + k:04x}"
    return out


def _cmap(entries: dict[int, str]) -> bytes:
    head = (b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n<< /Registry (Adobe)\n"
            b"/Ordering (UCS)\n/Supplement 0\n>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            b"1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n")
    items = sorted(entries.items())
    body = b"".join(f"{len(items[k:k + 100])} beginbfchar\n".encode()
                    + b"".join(f"<{c:04x}> <{u}>\n".encode() for c, u in items[k:k + 100]) + b"endbfchar\n"
                    for k in range(0, len(items), 100))
    return head + body + b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"


@lru_cache(maxsize=8)
def _shipped_by_postscript_name(folder: str) -> dict[str, bytes]:
    """The shipped TTFs by PostScript name (name ID 6), which subsets of them keep."""
    from fontTools.ttLib import TTFont

    from .fonts import font_files

    out = {}
    for path in font_files(Path(folder)):
        out[str(TTFont(path, lazy=True)["name"].getDebugName(6))] = path.read_bytes()
    return out


def _postscript_name(program: bytes) -> str:
    from fontTools.ttLib import TTFont

    return str(TTFont(io.BytesIO(program), lazy=True)["name"].getDebugName(6))


def subset_font(program: bytes, glyphs: set[int]) -> bytes:
    """`program` (a TrueType font) cut down to `glyphs` with HarfBuzz (uharfbuzz), keeping glyph ids,
    without the layout tables a PDF never reads: what WeasyPrint embeds, for several parts at once."""
    import uharfbuzz as hb

    plan = hb.SubsetInput()
    plan.glyph_set.update(sorted(glyphs | {0}))
    plan.flags = hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.DESUBROUTINIZE
    plan.drop_table_tag_set.update(int.from_bytes(t, "big") for t in (b"BASE", b"DSIG", b"GDEF", b"GPOS", b"GSUB"))
    return bytes(hb.subset(hb.Face(hb.Blob(program)), plan).blob.data)


def _type0_fonts(pdf: pikepdf.Pdf) -> list[tuple]:
    """Every (resources, name, Type0 font) of the pages and of the form XObjects they draw."""
    seen: set = set()
    found = []

    def walk(resources) -> None:
        if resources is None or resources.objgen in seen:
            return
        if resources.objgen != (0, 0):
            seen.add(resources.objgen)
        for name, font in resources.get("/Font", {}).items():
            if font.get("/Subtype") == "/Type0":
                found.append((resources, name, font))
        for xobject in resources.get("/XObject", {}).values():
            walk(xobject.get("/Resources"))

    for page in pdf.pages:
        walk(page.obj.get("/Resources"))
    return found


def merge_fonts(pdf: pikepdf.Pdf, fonts_folder: Path) -> None:
    """One embedded font per face: the union of the glyphs every font of that face uses."""
    faces: dict[str, list] = {}
    for resources, name, font in _type0_fonts(pdf):
        faces.setdefault(str(font.BaseFont), []).append((resources, name, font))
    shipped = _shipped_by_postscript_name(str(fonts_folder))
    for uses in faces.values():
        fonts = list({font.objgen: font for _, _, font in uses}.values())
        if len(fonts) == 1:
            continue
        glyph_widths: dict[int, float] = {}
        unicode: dict[int, str] = {}
        for font in fonts:
            glyph_widths.update(_widths(font.DescendantFonts[0].get("/W", [])))
            unicode.update(_to_unicode(font.ToUnicode.read_bytes()))
        kept = fonts[0]
        cid_font = kept.DescendantFonts[0]
        program = cid_font.FontDescriptor.FontFile2.read_bytes()
        full = shipped.get(_postscript_name(program))
        if full is None:  # not a shipped face: nothing to subset from, keep each part's own font
            continue
        subset = subset_font(full, set(glyph_widths))
        cid_font.FontDescriptor.FontFile2 = pdf.make_stream(subset, Length1=len(subset))
        cid_font.W = pikepdf.Array([x for c in sorted(glyph_widths) for x in (c, pikepdf.Array([glyph_widths[c]]))])
        kept.ToUnicode = pdf.make_stream(_cmap(unicode))
        for resources, name, _ in uses:
            resources.Font[name] = kept


# --- pages: side, footers, links --------------------------------------------------------------------

def _enclose(page: pikepdf.Page, dx: float) -> None:
    """Enclose the page's drawing in its own graphics state (WeasyPrint leaves its flipped
    coordinates in force at the end), moved right by `dx` pt with its links' rectangles."""
    move = f"1 0 0 1 {dx:.6f} 0 cm" if dx else ""
    page.contents_add(f"q {move}\n".encode(), prepend=True)
    page.contents_add(b"\nQ\n", prepend=False)
    if not dx:
        return
    for annot in page.obj.get("/Annots", []):
        rect = [float(v) for v in annot.Rect]
        annot.Rect = pikepdf.Array([rect[0] + dx, rect[1], rect[2] + dx, rect[3]])


def _shift_destination(dest, shifts: dict) -> None:
    """An explicit destination `[page /XYZ x y z]` moved with its page."""
    dx = shifts.get(dest[0].objgen, 0.0)
    if dx and len(dest) > 2 and dest[1] == pikepdf.Name.XYZ and dest[2] is not None:  # null: keep the view's x
        dest[2] = float(dest[2]) + dx


def _shift_figures(element, shifts: dict, seen: set) -> None:
    """The /BBox of each figure of the structure tree moved with its page (WeasyPrint writes it in px)."""
    if not isinstance(element, pikepdf.Dictionary) or element.objgen in seen and element.objgen != (0, 0):
        return
    seen.add(element.objgen)
    if element.get("/S") == "/Figure" and "/A" in element and "/Pg" in element:
        dx = shifts.get(element.Pg.objgen, 0.0) / PX_TO_PT
        box = element.A.get("/BBox")
        if dx and box is not None:
            values = [float(v) for v in box]
            element.A.BBox = pikepdf.Array([values[0] + dx, values[1], values[2] + dx, values[3]])
    kids = element.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
        _shift_figures(kid, shifts, seen)


def _footer_form(pdf: pikepdf.Pdf, footer: pikepdf.Page):
    """The footer page's drawing as a form XObject of `pdf`, or None when it draws nothing."""
    drawing = footer.obj.Contents.read_bytes()
    if b"Tj" not in drawing and b"TJ" not in drawing:
        return None
    return pdf.copy_foreign(footer.as_form_xobject())


def _finish_pages(pdf: pikepdf.Pdf, first: int, part: LaidOutPart, footers: pikepdf.Pdf,
                  footer_x: tuple[float, ...], first_page: int) -> dict:
    """Shift the part's pages (from `first` in `pdf`) to the side they land on, and draw their footers.

    `first_page` is the part's first page in the report (1-based). Returns {page objgen: dx}.
    """
    shifts = {}
    for j in range(part.page_count):
        page = pdf.pages[first + j]
        g = first_page - 1 + j
        dx = footer_x[g] - part.content_x[j]
        dx = dx if abs(dx) > SHIFT_TOLERANCE else 0.0
        form = _footer_form(pdf, footers.pages[g])
        if dx or form is not None:
            _enclose(page, dx)
        if dx:
            shifts[page.obj.objgen] = dx
        if form is not None:
            name = pikepdf.Name(f"/Pie{g + 1}")
            resources = page.obj.Resources
            if "/XObject" not in resources:
                resources.XObject = pikepdf.Dictionary()
            resources.XObject[name] = form
            page.contents_add(f"\n/Artifact BMC q {name} Do Q EMC\n".encode(), prepend=False)
    return shifts


def _retarget_links(pdf: pikepdf.Pdf, pages, inside: set[str] | None, report_name: str) -> None:
    """Links to another part (`PART_LINK`) as named destinations. `inside`: the names this file
    holds (a chapter's own PDF), the others open the report (`report_name`) there; None: all are here."""
    for page in pages:
        for annot in page.obj.get("/Annots", []):
            action = annot.get("/A")
            if action is None or action.get("/S") != "/URI" or not str(action.URI).startswith(PART_LINK):
                continue
            name = str(action.URI)[len(PART_LINK):]
            del annot["/A"]
            annot.Contents = pikepdf.String(name)
            if inside is None or name in inside:
                annot.Dest = pikepdf.String(name)
            else:
                annot.A = pikepdf.Dictionary(Type=pikepdf.Name.Action, S=pikepdf.Name.GoToR,
                                             F=pikepdf.String(report_name), D=pikepdf.String(name))


def _destinations(pdf: pikepdf.Pdf) -> list[tuple[str, pikepdf.Object]]:
    names = pdf.Root.get("/Names")
    dests = names.get("/Dests") if names is not None else None
    items = list(dests.get("/Names", [])) if dests is not None else []
    return [(str(items[i]), items[i + 1]) for i in range(0, len(items), 2)]


def _save(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate,
             deterministic_id=True)
    return out.getvalue()


# --- outlines ---------------------------------------------------------------------------------------

def _read_outline(item) -> list[tuple]:
    """A part's bookmarks as [(title, destination, count, children)], in order."""
    out = []
    while item is not None:
        children = _read_outline(item.get("/First"))
        out.append((item.Title, item.Dest, int(item.get("/Count", 0)), children))
        item = item.get("/Next")
    return out


def _write_outline(pdf: pikepdf.Pdf, items: list[tuple], parent) -> tuple[list, int]:
    """Bookmark dictionaries for `items` under `parent`, linked as WeasyPrint links them; returns
    them and how many are visible below `parent` (all bookmarks are open)."""
    made: list = []
    visible = len(items)
    for title, dest, count, children in items:
        node = pdf.make_indirect(pikepdf.Dictionary(Title=title, Dest=dest, Parent=parent))
        kids, kids_visible = _write_outline(pdf, children, node)
        node.Count = kids_visible if count >= 0 else -kids_visible
        if count >= 0:
            visible += kids_visible
        if kids:
            node.First, node.Last = kids[0], kids[-1]
        if made:
            node.Prev, made[-1].Next = made[-1], node
        made.append(node)
    return made, visible


def _set_outline(pdf: pikepdf.Pdf, items: list[tuple]) -> None:
    if not items:
        return
    root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Outlines))
    made, visible = _write_outline(pdf, items, root)
    root.First, root.Last, root.Count = made[0], made[-1], visible
    pdf.Root.Outlines = root


def _walk_outline_dests(items, shifts: dict) -> None:
    for _, dest, _, children in items:
        if isinstance(dest, pikepdf.Array):
            _shift_destination(dest, shifts)
        _walk_outline_dests(children, shifts)


# --- the report and the chapters' own PDFs -------------------------------------------------------------

def _set_language(pdf: pikepdf.Pdf, lang: str | None) -> None:
    """`/Lang` of the document: `lang` (the edition's `idioma`), or as the parts have it when None."""
    if lang:
        pdf.Root.Lang = pikepdf.String(lang)


def join(parts: list[LaidOutPart], footers_pdf: bytes, footer_x: tuple[float, ...], fonts_folder: Path,
         lang: str | None = None) -> bytes:
    """The report: `parts` in reading order (the front matter first), joined as described above; `lang`
    is its `/Lang` (the edition's language; None: the front matter's)."""
    out = pikepdf.new()
    footers = pikepdf.open(io.BytesIO(footers_pdf))
    sources = [pikepdf.open(io.BytesIO(p.pdf)) for p in parts]  # QPDF reads copied streams when saving
    front = sources[0]
    document = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document))
    kids, nums, offset = pikepdf.Array(), pikepdf.Array(), 0
    ids: dict[str, pikepdf.Object] = {}
    outline: list[tuple] = []
    dests: dict[str, pikepdf.Object] = {}
    shifts: dict = {}
    first_page = 1
    for index, (part, src) in enumerate(zip(parts, sources, strict=True)):
        first = len(out.pages)
        with warnings.catch_warnings():
            # pikepdf warns (in English, on the editor's terminal) that named destinations are not copied:
            # they are rebuilt below from each part's own (`dests`), so the warning is expected.
            warnings.filterwarnings("ignore", message="Copying pages from another Pdf")
            out.pages.extend(src.pages)
        attach_links(src)
        tree = src.Root.StructTreeRoot
        top = out.copy_foreign(_indirect(src, tree.K))
        ids.update(finish_structure(top, f"p{index}-"))  # each part's identifiers its own in the report
        for element in (top if isinstance(top, pikepdf.Array) else [top]):
            inner = element.K if element.get("/S") == "/Document" else [element]  # no Document inside a Document
            for child in (inner if isinstance(inner, pikepdf.Array) else [inner]):
                if isinstance(child, pikepdf.Dictionary):
                    child.P = document
                kids.append(child)
        entries = list(tree.ParentTree.Nums)
        keys = [int(k) for k in entries[0::2]]
        for key, value in zip(keys, entries[1::2], strict=True):
            nums.append(_int(key + offset))
            nums.append(out.copy_foreign(_indirect(src, value)))
        for page in out.pages[first:]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for link in page.obj.get("/Annots", []):
                if "/StructParent" in link:
                    link.StructParent = int(link.StructParent) + offset
        offset += max(keys, default=-1) + 1
        if "/Outlines" in src.Root and "/First" in src.Root.Outlines:
            outline += _read_outline(out.copy_foreign(_indirect(src, src.Root.Outlines)).First)
        for name, dest in _destinations(src):
            dests[name] = out.copy_foreign(_indirect(src, dest)) if isinstance(dest, pikepdf.Array) else dest
        shifts.update(_finish_pages(out, first, part, footers, footer_x, first_page))
        first_page += part.page_count
    document.K = kids
    root = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot, K=document,
                                                ParentTree=out.make_indirect(pikepdf.Dictionary(Nums=nums)),
                                                ParentTreeNextKey=offset))
    document.P = root
    out.Root.StructTreeRoot = root
    set_id_tree(out, ids)
    _shift_figures(document, shifts, set())
    for dest in dests.values():
        if isinstance(dest, pikepdf.Array):
            _shift_destination(dest, shifts)
    _walk_outline_dests(outline, shifts)
    _set_outline(out, outline)
    out.Root.Names = pikepdf.Dictionary(Dests=pikepdf.Dictionary(
        Names=pikepdf.Array([x for name in sorted(dests) for x in (pikepdf.String(name), dests[name])])))
    _retarget_links(out, out.pages, None, "")
    for entry in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata"):
        if entry in front.Root:
            value = front.Root[entry]
            out.Root[entry] = out.copy_foreign(value) if value.is_indirect else _copy_direct(out, value)
    _set_language(out, lang)
    info = out.copy_foreign(_indirect(front, front.docinfo))
    assert isinstance(info, pikepdf.Dictionary)
    out.docinfo = info
    merge_fonts(out, fonts_folder)
    return _save(out)


def finish_chapter(part: LaidOutPart, first_page: int, footers_pdf: bytes, footer_x: tuple[float, ...],
                   report_name: str, fonts_folder: Path, lang: str | None = None) -> bytes:
    """A chapter's own PDF: its part with the report's footers and sides, links outside it to the report;
    `lang` is its `/Lang` (None: the part's)."""
    pdf = pikepdf.open(io.BytesIO(part.pdf))
    footers = pikepdf.open(io.BytesIO(footers_pdf))
    shifts = _finish_pages(pdf, 0, part, footers, footer_x, first_page)
    names = _destinations(pdf)
    for _, dest in names:
        if isinstance(dest, pikepdf.Array):
            _shift_destination(dest, shifts)
    if "/Outlines" in pdf.Root and "/First" in pdf.Root.Outlines:
        items = _read_outline(pdf.Root.Outlines.First)
        _walk_outline_dests(items, shifts)
    _shift_figures(pdf.Root.StructTreeRoot.K, shifts, set())
    attach_links(pdf)
    set_id_tree(pdf, finish_structure(pdf.Root.StructTreeRoot.K))
    _retarget_links(pdf, pdf.pages, {n for n, _ in names}, report_name)
    _set_language(pdf, lang)
    merge_fonts(pdf, fonts_folder)
    return _save(pdf)
