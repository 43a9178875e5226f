"""Issue 15: the print document laid out in parts, in parallel, and joined (pdf_parts, pdf_assemble).

The joined report must be the report a single layout of the whole document gives: same pages, the
same words at the same places (footers, cross-references, footnote numbers and the mirrored
margins of left pages included), the same structure tree, bookmarks, destinations and links. An
edit to one chapter lays out that chapter only, and gives the bytes a clean build gives, whether
made on one process or two.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from helpers import MINIMO, copy_project

from emra_site.errors import ERROR, WARNING

pytestmark = pytest.mark.slow

POPPLER = shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(not POPPLER and not os.environ.get("CI"), reason="poppler-utils not installed")

NOTE_1, NOTE_2 = "Primera nota del informe.", "Segunda nota, en el capítulo de proyectos."
FILLER = ("El proyecto avanza en su etapa de diseño, con la participación de los municipios de la región y "
          "de las comunidades que viven cerca de las obras. ") * 6


def _edit_sources(root: Path) -> None:
    """Footnotes in both chapters, a cross-reference from chapter 2 to a figure of chapter 1, and
    enough text that chapter 2 starts on a left page (laid out alone from a right one: shifted)."""
    acuerdos = root / "content" / "2025" / "acuerdos.md"
    text = acuerdos.read_text(encoding="utf-8")
    text = text.replace("tipo: avance-dimensiones\n", "tipo: avance-dimensiones\nid: avance\n", 1)
    text = text.replace("la social no tiene dato.", f"la social no tiene dato.^[{NOTE_1}]", 1)
    acuerdos.write_text(text + "\n" + "\n\n".join([FILLER] * 10) + "\n", encoding="utf-8")
    proyectos = root / "content" / "2025" / "proyectos.md"
    proyectos.write_text(proyectos.read_text(encoding="utf-8")
                         + f"\nEl avance por dimensión está en la [[figura:avance]].^[{NOTE_2}]\n\n"
                         + "\n\n".join([FILLER] * 4) + "\n", encoding="utf-8")


def _build(root: Path) -> dict[str, bytes]:
    from emra_site.app import Plan, run
    from emra_site.paths import Paths

    diagnostics = run(Paths.of(root), Plan(pages=False, extras=False))  # the PDFs only
    assert [d for d in diagnostics if d.level in (ERROR, WARNING)] == []
    folder = root / "output" / "site" / "2025"
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.pdf"))}


@pytest.fixture(scope="module")
def parts_project(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """The minimal project with the edits above, its PDFs built once (two processes, cache on)."""
    root = copy_project(MINIMO, tmp_path_factory.mktemp("partes") / "p")
    _edit_sources(root)
    return root, _build(root)


def _single_pass(root: Path) -> bytes:
    """The whole print document of the project's edition laid out in one pass, with the page
    numbers the parts were given (the page map of the build), print.css as it is."""
    from weasyprint import HTML

    from emra_site.charts import draw_wide, finish_charts
    from emra_site.keys import pdf_page_map_key
    from emra_site.paths import Paths
    from emra_site.pdf_parts import localize, printer_for
    from emra_site.pipeline import open_cache, require_report
    from emra_site.render_pdf import render_print_html, write_print_folder

    paths = Paths.of(root)
    cache = open_cache(paths, True)
    report, _ = require_report(paths, cache)
    edition = report.edition(2025)
    wide = draw_wide(edition, paths.templates / "fonts", report.history(2025), cache)
    charts = finish_charts([(j.block, j.key, plan, svg, "") for j, plan, svg in wide])
    folder = root / "una-pasada"
    write_print_folder(folder, edition, charts, paths.content)
    pages = cache.get("pdf", pdf_page_map_key(2025))
    html = localize(render_print_html(edition, charts, paths.templates), pages)
    printer = printer_for(paths.templates)
    document = HTML(string=html, base_url=folder.as_uri() + "/", url_fetcher=printer._fetcher([folder])).render(
        stylesheets=[printer.css], font_config=printer.fonts, **printer.options)
    return document.write_pdf(**printer.options)


def _words(pdf: Path) -> list[list[tuple]]:
    """Each page's words with their boxes in pt (pdftotext -bbox)."""
    out = subprocess.run([POPPLER or "pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = []
    for page in re.findall(r"<page .*?</page>", out, re.DOTALL):
        pages.append([(w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page)])
    return pages


def _same_place(a: list[tuple], b: list[tuple]) -> bool:
    """The same words in the same order, each within a hundredth of a point of the other's box."""
    return len(a) == len(b) and all(x[0] == y[0] and all(abs(p - q) < 0.01 for p, q in zip(x[1:], y[1:], strict=True))
                                    for x, y in zip(a, b, strict=True))


def _contents(page) -> bytes:
    contents = page.obj.Contents
    return b"".join(c.read_bytes() for c in (contents if isinstance(contents, pikepdf.Array) else [contents]))


def _tags(element, out: list, depth: int = 0) -> list:
    """The structure tree as (tag, depth, alt text) in reading order; links' annotations as OBJR."""
    if isinstance(element, pikepdf.Array):
        for kid in element:
            _tags(kid, out, depth)
    elif isinstance(element, pikepdf.Dictionary):
        if "/MCID" in element:
            return out
        if element.get("/Type") == "/OBJR":
            out.append(("OBJR", depth, str(element.Obj.get("/Dest", element.Obj.get("/A", {}).get("/URI", "")))))
            return out
        out.append((str(element.get("/S")), depth, str(element.get("/Alt", ""))))
        if "/K" in element:
            _tags(element.K, out, depth + 1)
    return out


def _navigation(pdf: pikepdf.Pdf) -> tuple:
    """Bookmarks (level, title, page), named destinations (name, page) and each page's link targets."""
    index = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}

    def flat(items, level=0):
        return [x for item in items for x in [(level, item.title, index[item.destination[0].objgen])]
                + flat(item.children, level + 1)]

    with pdf.open_outline() as outline:
        bookmarks = flat(outline.root)
    names = list(pdf.Root.Names.Dests.Names)
    dests = sorted((str(names[i]), index[names[i + 1][0].objgen]) for i in range(0, len(names), 2))
    links = [sorted(str(a.get("/Dest", a.get("/A", {}).get("/URI", ""))) for a in page.obj.get("/Annots", []))
             for page in pdf.pages]
    return bookmarks, dests, links


@needs_poppler
def test_joined_report_is_the_single_pass_layout_word_for_word_and_tag_for_tag(parts_project, tmp_path):
    from emra_site.pdf_tags import attach_links, finish_structure

    root, _ = parts_project
    joined = root / "output" / "site" / "2025" / "emra-informe-avance-2025.pdf"
    single = tmp_path / "una-pasada.pdf"
    single.write_bytes(_single_pass(root))

    joined_words, single_words = _words(joined), _words(single)
    assert len(joined_words) == len(single_words) >= 8
    for number, (a, b) in enumerate(zip(joined_words, single_words, strict=True), start=1):
        assert _same_place(a, b), f"page {number} differs"
    text = subprocess.run([POPPLER or "pdftotext", str(joined), "-"], capture_output=True, text=True, check=True).stdout
    # The footnotes go on numbering from one chapter to the next; the cross-reference names the page.
    assert f"1. {NOTE_1}" in " ".join(text.split()) and f"2. {NOTE_2}" in " ".join(text.split())

    with pikepdf.open(joined) as a, pikepdf.open(single) as b:
        # The assembly finishes each part's structure tree (pdf_tags: links, table headers, contents): so
        # is the single pass before its tags are compared.
        attach_links(b)
        finish_structure(b.Root.StructTreeRoot.K)
        figure_page = dict(_navigation(a)[1])["figura-1"] + 1
        assert f"figura 1, página {figure_page}" in " ".join(text.split())
        assert _tags(a.Root.StructTreeRoot.K, []) == _tags(b.Root.StructTreeRoot.K, [])
        assert _navigation(a) == _navigation(b)
        assert str(a.Root.Lang) == "es-CL" and a.Root.MarkInfo.Marked
        assert a.Root.ViewerPreferences.DisplayDocTitle and a.docinfo.Title == b.docinfo.Title
        assert b"pdfuaid" in a.Root.Metadata.read_bytes()
        # One program per face, each a valid TrueType stream, as in the single pass.
        fonts = {str(f.BaseFont): f for page in a.pages for f in page.Resources.Font.values()}
        assert len(fonts) == len({str(f.BaseFont) for page in b.pages for f in page.Resources.Font.values()})
        for font in fonts.values():
            program = font.DescendantFonts[0].FontDescriptor.FontFile2
            assert int(program.Length1) == len(program.read_bytes())
        # The footers are artifacts drawn from a form on each page but the cover.
        assert sum(b"/Artifact BMC q /Pie" in _contents(page) for page in a.pages) == len(a.pages) - 1


def test_chapter_laid_out_from_a_right_page_lands_shifted_on_a_left_one(parts_project):
    """The project's chapter 2 starts on an even page: a left page, whose margins mirror a right one's."""
    root, _ = parts_project
    from emra_site.keys import pdf_page_map_key
    from emra_site.paths import Paths
    from emra_site.pipeline import open_cache

    pages = open_cache(Paths.of(root), True).get("pdf", pdf_page_map_key(2025))
    assert pages["cap-proyectos"] % 2 == 0, "the fixture must put chapter 2 on a left page"
    with pikepdf.open(root / "output" / "site" / "2025" / "emra-informe-avance-2025-cap-2.pdf") as chapter:
        moved = re.match(rb"q 1 0 0 1 (-?[\d.]+) 0 cm", _contents(chapter.pages[0]))
        assert moved and abs(float(moved.group(1)) + 6 * 72 / 25.4) < 1e-4  # 18 mm - 24 mm: a left page's margins
        # Its link to a figure of chapter 1 opens the report there.
        actions = [a.A for page in chapter.pages for a in page.obj.get("/Annots", []) if "/A" in a]
        assert any(str(a.S) == "/GoToR" and str(a.F) == "emra-informe-avance-2025.pdf" and str(a.D) == "figura-1"
                   for a in actions)


def test_an_edit_in_one_chapter_lays_out_that_chapter_only_and_gives_a_clean_builds_bytes(
        parts_project, tmp_path, monkeypatch):
    from emra_site import pdf_parts

    root, _ = parts_project
    edited = tmp_path / "editado"
    shutil.copytree(root, edited, ignore=shutil.ignore_patterns("output"))  # the cache comes along
    proyectos = edited / "content" / "2025" / "proyectos.md"
    proyectos.write_text(proyectos.read_text(encoding="utf-8").replace(
        "está a cargo del GORE.", "está a cargo del Gobierno Regional.", 1), encoding="utf-8")

    laid_out: list[str] = []
    original = pdf_parts.Printer.lay_out

    def recording(self, job, name, html, title):
        laid_out.append(name)
        return original(self, job, name, html, title)

    monkeypatch.setattr(pdf_parts.Printer, "lay_out", recording)
    monkeypatch.setenv("EMRA_SIN_PROCESOS", "1")  # one process: every layout is seen here
    incremental = _build(edited)
    assert laid_out == ["proyectos"]  # the front matter, chapter 1 and the notes came from the cache
    monkeypatch.delenv("EMRA_SIN_PROCESOS")

    clean = tmp_path / "limpio"
    shutil.copytree(edited, clean, ignore=shutil.ignore_patterns("output", ".cache"))
    assert _build(clean) == incremental  # two processes, nothing cached: the same bytes


def test_a_changed_figure_lays_out_again_only_the_chapter_that_shows_it(parts_project, tmp_path, monkeypatch):
    """Each part's key names only the chart SVGs and images its HTML loads (`keys.PrintInputs`)."""
    from emra_site import pdf_parts

    root, _ = parts_project
    edited = tmp_path / "datos"
    shutil.copytree(root, edited, ignore=shutil.ignore_patterns("output"))
    data = edited / "data" / "2025" / "acuerdos.csv"
    data.write_text(data.read_text(encoding="utf-8").replace(";60%;", ";65%;", 1), encoding="utf-8")

    laid_out: list[str] = []
    original = pdf_parts.Printer.lay_out
    monkeypatch.setattr(pdf_parts.Printer, "lay_out",
                        lambda self, job, name, html, title: laid_out.append(name) or original(self, job, name, html, title))
    monkeypatch.setenv("EMRA_SIN_PROCESOS", "1")
    built = _build(edited)
    assert laid_out == ["acuerdos"]
    assert built["emra-informe-avance-2025-cap-2.pdf"] == parts_project[1]["emra-informe-avance-2025-cap-2.pdf"]
