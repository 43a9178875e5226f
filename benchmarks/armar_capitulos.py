"""Prototype for issue 15: join chapter PDFs written apart and keep one font subset per face.

    python benchmarks/armar_capitulos.py SALIDA.pdf cap-1.pdf cap-2.pdf ...

Each chapter laid out and written by WeasyPrint on its own embeds its own subset of each face.
WeasyPrint subsets with HarfBuzz keeping glyph ids (HB_SUBSET_FLAGS_RETAIN_GIDS) and writes
Identity-H fonts with an identity CIDToGIDMap, so every chapter's text names glyphs by the full
font's ids: the joined file can keep one subset per face, made from the union of the glyphs, with
the union of the widths (/W) and of the ToUnicode maps, without touching any content stream.

Measured on the shipped edition's 7 chapters laid out apart: 28 font programs -> 4, 294 KB -> 210 KB,
1.6 s, and all 21 pages render the same as the chapter files (pdftoppm, 50 dpi). Not yet done here
(see docs/rendimiento.md): the structure tree, bookmarks, links between chapters and metadata.
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


def join(chapters: list[Path]) -> pikepdf.Pdf:
    out = pikepdf.new()
    for path in chapters:
        out.pages.extend(pikepdf.open(path).pages)
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
    return out


if __name__ == "__main__":
    join([Path(p) for p in sys.argv[2:]]).save(sys.argv[1], compress_streams=True,
                                                object_stream_mode=pikepdf.ObjectStreamMode.generate)
