"""Chart labels in the PDF: one text run per label (emra_site/svg_text.py), in the same place as WeasyPrint's own
letter-by-letter drawing, which still draws whatever needs per-letter placement."""

from __future__ import annotations

import pikepdf
import pytest
from conftest import REPO

LABELS = """<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120">
<g transform="translate(150,30)">
<text text-anchor="end" font-family="Source Sans 3" font-size="13px" fill="#1d2a33">Avance reportado</text>
<text text-anchor="end" transform="translate(0,40)" font-family="Source Sans 3" font-size="13px" fill="#1d2a33"><tspan>AMB-01 · Disminución</tspan><tspan x="0" dy="15">de agua continental</tspan></text>
<text x="10" y="70" rotate="0 10 20" font-family="Source Sans 3" font-size="13px">Rot</text>
</g></svg>"""


def _pdf(one_run: bool) -> bytes:
    import weasyprint.svg as wsvg

    from emra_site import svg_text
    from emra_site.render_pdf import import_weasyprint

    import_weasyprint(REPO / "templates")  # installs one_run_text
    original = svg_text._ORIGINAL[0]
    chosen = svg_text.one_run_text if one_run else original
    saved = dict(wsvg.TAGS), wsvg.text
    try:
        for tag, function in saved[0].items():
            if function in (original, svg_text.one_run_text):
                wsvg.TAGS[tag] = chosen
        wsvg.text = chosen
        from weasyprint import HTML

        return HTML(string=f"<body style='margin:0'>{LABELS}</body>").write_pdf()
    finally:
        wsvg.TAGS.clear()
        wsvg.TAGS.update(saved[0])
        wsvg.text = saved[1]


def _text_runs(pdf: bytes) -> list[int]:
    """Glyphs per text-showing operator, over the page and its form XObjects (anchored text is drawn in one)."""
    import io

    runs: list[int] = []

    def read(stream, seen: set) -> None:
        for operands, operator in pikepdf.parse_content_stream(stream):
            if str(operator) == "TJ":
                runs.append(sum(len(bytes(o)) // 2 for o in operands[0] if isinstance(o, pikepdf.String)))
            elif str(operator) == "Tj":
                runs.append(len(bytes(operands[0])) // 2)
        xobjects = stream.get("/Resources", {}).get("/XObject", {})
        for xobject in xobjects.values():
            if xobject.objgen not in seen:
                seen.add(xobject.objgen)
                read(xobject, seen)

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        read(doc.pages[0].obj, set())
    return runs


def _ink(pdf: bytes, tmp_path, name: str):
    import subprocess

    from conftest import need_tool
    from PIL import Image

    pdftoppm = need_tool("pdftoppm")
    (tmp_path / f"{name}.pdf").write_bytes(pdf)
    subprocess.run([pdftoppm, "-r", "96", "-png", "-singlefile", str(tmp_path / f"{name}.pdf"), str(tmp_path / name)],
                   check=True)
    image = Image.open(tmp_path / f"{name}.png").convert("L")
    return image.point(lambda v: 255 if v < 128 else 0).getbbox()


def test_each_label_and_each_line_of_a_wrapped_label_is_one_run_in_the_same_place(tmp_path):
    one, letters = _pdf(True), _pdf(False)
    runs = _text_runs(one)
    # «Avance reportado», the two lines of the wrapped label, and «Rot» letter by letter (its rotate list).
    assert sorted(runs) == sorted([len("Avance reportado"), len("AMB-01 · Disminución"), len("de agua continental"),
                                   1, 1, 1])
    assert max(_text_runs(letters)) == 1  # WeasyPrint's own drawing: one operator a letter
    inked, letter_inked = _ink(one, tmp_path, "one"), _ink(letters, tmp_path, "letters")
    # Kerning may move a glyph by a fraction of a pixel; the labels' ink lies where it did.
    assert all(abs(a - b) <= 2 for a, b in zip(inked, letter_inked, strict=True)), (inked, letter_inked)


def _node(tag: str, **attrib: str):
    """A childless SVG node as WeasyPrint's tree gives it: iterable (no children), tag, text, attributes."""
    return type("Node", (), {"__iter__": lambda self: iter(()), "tag": tag, "text": "Abc", "attrib": attrib})()


@pytest.mark.parametrize("attrib", [{"rotate": "10"}, {"letter-spacing": "2"}, {"textLength": "80"},
                                    {"x": "0 5 10"}, {"dy": "1,2"}])
def test_per_letter_placement_still_goes_letter_by_letter(attrib):
    from emra_site.svg_text import _one_run

    assert not _one_run(_node("text", **attrib))
    assert _one_run(_node("tspan", x="0", dy="15")) and not _one_run(_node("textPath"))
