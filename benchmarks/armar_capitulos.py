"""Prototype for issue 15: join chapter PDFs written apart and keep one font subset per face.

    python benchmarks/armar_capitulos.py SALIDA.pdf cap-1.pdf cap-2.pdf ...

Each chapter laid out and written by WeasyPrint on its own embeds its own subset of each face.
WeasyPrint subsets with HarfBuzz keeping glyph ids (HB_SUBSET_FLAGS_RETAIN_GIDS) and writes
Identity-H fonts with an identity CIDToGIDMap, so every chapter's text names glyphs by the full
font's ids: the joined file can keep one subset per face, made from the union of the glyphs, with
the union of the widths (/W) and of the ToUnicode maps, without touching any content stream.

The structure trees are merged under one Document element (ParentTree keys and /StructParents
renumbered; every /Pg points at a page of the joined file).

Measured on the shipped edition's 7 chapters laid out apart: 28 font programs -> 4, 294 KB -> 251 KB (210 KB
without the structure tree), same bytes on every run,
1.6 s, all 21 pages render the same as the chapter files (pdftoppm, 50 dpi), and the joined tree has
the 11 figures with their /Alt. Not yet done here (see docs/rendimiento.md): bookmarks, named
destinations and links between chapters, metadata, and the front matter's page numbers.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pikepdf
from fontTools import subset
from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parent.parent / "templates" / "fonts"
# WeasyPrint's /BaseFont for each shipped face (after the subset tag) -> its file.
FACES = {"Source-Sans-3,": "source-sans-3-regular.ttf", "Source-Sans-3-Italic": "source-sans-3-italic.ttf",
         "Source-Sans-3-Semi-Bold": "source-sans-3-semibold.ttf", "Source-Sans-3-Bold": "source-sans-3-bold.ttf"}


def widths(w) -> dict[int, float]:
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


def to_unicode(data: bytes) -> dict[int, str]:
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


def cmap(entries: dict[int, str]) -> bytes:
    head = (b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n<< /Registry (Adobe)\n"
            b"/Ordering (UCS)\n/Supplement 0\n>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            b"1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n")
    items = sorted(entries.items())
    body = b"".join(f"{len(items[k:k + 100])} beginbfchar\n".encode()
                    + b"".join(f"<{c:04x}> <{u}>\n".encode() for c, u in items[k:k + 100]) + b"endbfchar\n"
                    for k in range(0, len(items), 100))
    return head + body + b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"


def type0_fonts(pdf: pikepdf.Pdf) -> list[tuple]:
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


def _indirect(pdf: pikepdf.Pdf, obj):
    return obj if obj.is_indirect else pdf.make_indirect(obj)


def join_structure(out: pikepdf.Pdf, chapters: list[Path], sources: list[pikepdf.Pdf]) -> None:
    """Append each chapter's pages and merge their structure trees under one Document element.

    Each chapter's elements are copied with the pages they mark (QPDF maps a source's objects once, so
    their /Pg point at the appended pages); ParentTree keys and the pages' /StructParents (and links'
    /StructParent) are renumbered by the keys of the chapters before.
    """
    document = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document))
    kids, nums, offset = pikepdf.Array(), pikepdf.Array(), 0
    for path in chapters:
        src = pikepdf.open(path)
        sources.append(src)  # QPDF reads copied streams from their source when saving: keep it open
        first = len(out.pages)
        out.pages.extend(src.pages)
        tree = src.Root.StructTreeRoot
        top = out.copy_foreign(_indirect(src, tree.K))
        for element in (top if isinstance(top, pikepdf.Array) else [top]):
            inner = element.K if element.get("/S") == "/Document" else [element]  # no Document inside a Document
            for child in (inner if isinstance(inner, pikepdf.Array) else [inner]):
                if isinstance(child, pikepdf.Dictionary):
                    child.P = document
                kids.append(child)
        entries = list(tree.ParentTree.Nums)
        keys = [int(k) for k in entries[0::2]]
        for key, value in zip(keys, entries[1::2], strict=True):
            nums.append(pikepdf.Object.parse(str(key + offset).encode()))
            nums.append(out.copy_foreign(_indirect(src, value)))
        for page in out.pages[first:]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for link in page.obj.get("/Annots", []):
                if "/StructParent" in link:
                    link.StructParent = int(link.StructParent) + offset
        offset += max(keys, default=-1) + 1
    document.K = kids
    root = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot, K=document,
                                                ParentTree=out.make_indirect(pikepdf.Dictionary(Nums=nums)),
                                                ParentTreeNextKey=offset))
    document.P = root
    out.Root.StructTreeRoot = root
    out.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    out.Root.Lang = sources[0].Root.Lang


def join(chapters: list[Path], dest: Path) -> None:
    """Write the chapters as one tagged PDF with one font subset per face (no bookmarks, links or metadata yet)."""
    out, sources = pikepdf.new(), list[pikepdf.Pdf]()
    join_structure(out, chapters, sources)
    faces: dict[str, list] = {}
    for resources, name, font in type0_fonts(out):
        faces.setdefault(str(font.BaseFont).split("+", 1)[1], []).append((resources, name, font))
    for face, uses in faces.items():
        fonts = {font.objgen: font for _, _, font in uses}.values()
        glyph_widths: dict[int, float] = {}
        unicode: dict[int, str] = {}
        for font in fonts:
            glyph_widths.update(widths(font.DescendantFonts[0].get("/W", [])))
            unicode.update(to_unicode(font.ToUnicode.read_bytes()))
        program = TTFont(FONTS / FACES[face], recalcTimestamp=False)
        options = subset.Options()
        options.retain_gids, options.notdef_outline, options.layout_features, options.name_IDs = True, True, [], ["*"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(gids=sorted(set(glyph_widths) | {0}))
        subsetter.subset(program)
        data = io.BytesIO()
        program.save(data)
        kept = next(iter(fonts))
        cid_font = kept.DescendantFonts[0]
        cid_font.FontDescriptor.FontFile2 = out.make_stream(data.getvalue())
        cid_font.W = pikepdf.Array([x for c in sorted(glyph_widths) for x in (c, pikepdf.Array([glyph_widths[c]]))])
        kept.ToUnicode = out.make_stream(cmap(unicode))
        for resources, name, _ in uses:
            resources.Font[name] = kept
    out.remove_unreferenced_resources()
    out.save(dest, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate, deterministic_id=True)


if __name__ == "__main__":
    join([Path(p) for p in sys.argv[2:]], Path(sys.argv[1]))
