"""The PDF: a tagged, bookmarked A4 publication with embedded fonts and alt text on every figure."""

import functools
import subprocess

import pikepdf
import pytest
from conftest import need_tool
from pypdf import PdfReader

# What each language's PDF prints (issue 17: the English PDF passes the same tests as the Spanish one).
EXPECT = {
    "es": {"folder": "2025", "lang": "es-CL", "title": "Informe de avance 2025", "contents": "Índice",
           "page": "página {n} de", "notes": ("Notas sobre la fuente", "séptimo acuerdo ambiental"),
           "lists": ("Índice de figuras", "Índice de tablas"), "xref": r"se presenta en la figura (\d+), página (\d+)",
           "figure": "Figura {n}.",
           "chapters": {"resumen": "Resumen", "acuerdos-transversales": "Avances de los acuerdos transversales",
                        "modelo-de-gestion": "Modelo de gestión", "plan-comunicacional": "Plan comunicacional",
                        "proyectos-estrategicos": "Avances de los proyectos estratégicos", "varios": "Varios"}},
    "en": {"folder": "en/2025", "lang": "en", "title": "Progress report 2025", "contents": "Contents",
           "page": "page {n} of", "notes": ("Notes on the source", "seventh environmental agreement"),
           "lists": ("List of figures", "List of tables"), "xref": r"presented in Figure (\d+), page (\d+)",
           "figure": "Figure {n}.",
           "chapters": {"summary": "Summary", "cross-cutting-agreements": "Progress of the cross-cutting agreements",
                        "management-model": "Management model", "communications-plan": "Communications plan",
                        "strategic-projects": "Progress of the strategic projects", "other": "Other matters"}},
}


@pytest.fixture(scope="module", params=sorted(EXPECT))
def expect(request):
    return EXPECT[request.param]


@pytest.fixture(scope="module")
def pdf_path(shipped_build, expect):
    return shipped_build.site / expect["folder"] / "emra-informe-avance-2025.pdf"


@pytest.fixture(scope="module")
def text(pdf_path):
    return "\n".join(page.extract_text() for page in PdfReader(pdf_path).pages)


def test_page_count_and_size_are_sane(pdf_path):
    reader = PdfReader(pdf_path)
    assert 12 <= len(reader.pages) <= 60
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    assert pdf_path.stat().st_size < 2_000_000


def test_contents_chapter_titles_and_footer_in_text(text, expect):
    assert expect["contents"] in text
    for title in expect["chapters"].values():
        assert text.count(title) >= 2, f"{title} should be in the contents and as a chapter title"
    assert expect["page"].format(n=3) in text
    # The source's gaps stay visible to PDF readers, not only on the website.
    assert all(words in text for words in expect["notes"])


def test_bookmarks_have_chapters_and_sections(pdf_path, expect):
    with pikepdf.open(pdf_path) as pdf, pdf.open_outline() as outline:
        titles = [item.title for item in outline.root]
        depth = max((1 + (1 if item.children else 0)) for item in outline.root)
    first, *_, last = expect["chapters"].values()
    assert any(first in t for t in titles)
    assert any(last in t for t in titles)
    assert depth == 2  # chapters, and their sections under them


def test_tagged_pdf_ua_with_language_title_and_alt_on_every_figure(pdf_path, expect):
    with pikepdf.open(pdf_path) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root
        assert str(root.Lang) == expect["lang"]
        assert bool(root.ViewerPreferences.DisplayDocTitle)
        assert expect["title"] in str(pdf.docinfo.Title)
        figures = []

        def walk(node):
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure":
                    figures.append(node)
                kids = node.get("/K")
                if kids is not None:
                    walk(kids)
            elif isinstance(node, pikepdf.Array):
                for kid in node:
                    walk(kid)

        walk(root.StructTreeRoot)
        assert len(figures) == 11  # every chart of the shipped edition
        for fig in figures:
            assert str(fig.get("/Alt", "")).strip(), "a Figure without /Alt"


def test_fonts_are_embedded_and_are_the_shipped_family(pdf_path):
    with pikepdf.open(pdf_path) as pdf:
        names = set()
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                descendants = font.get("/DescendantFonts")
                desc = (descendants[0] if descendants else font).get("/FontDescriptor")
                assert desc is not None and any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                names.add(str(font.BaseFont))
    assert names and all("Source-Sans-3" in n for n in names), names


def test_pdffonts_reports_every_font_embedded(pdf_path):
    pdffonts = need_tool("pdffonts")
    out = subprocess.run([pdffonts, str(pdf_path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    for row in rows:
        cols = row.split()
        assert cols[-5] == "yes", row  # the "emb" column


def test_charts_stay_vector(pdf_path):
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            xobjects = page.Resources.get("/XObject", {})
            for xobj in xobjects.values():
                assert xobj.get("/Subtype") != "/Image", "a chart was rasterised"


def test_a_page_renders_to_an_image(pdf_path, tmp_path):
    pdftoppm = need_tool("pdftoppm")
    subprocess.run([pdftoppm, "-r", "30", "-f", "1", "-l", "3", "-png", str(pdf_path), str(tmp_path / "p")], check=True)
    assert len(list(tmp_path.glob("p-*.png"))) == 3


def _page_texts(path) -> list[str]:
    return list(_cached_page_texts(str(path)))


@functools.lru_cache(maxsize=8)
def _cached_page_texts(path: str) -> tuple[str, ...]:
    # pypdf's text extraction takes ~0.2 s a page; the session's PDFs never change, so each is read once.
    return tuple(page.extract_text() for page in PdfReader(path).pages)


def test_every_toc_link_points_to_the_page_it_prints(pdf_path, expect):
    import re

    reader = PdfReader(pdf_path)
    texts = _page_texts(pdf_path)
    contents = expect["contents"]
    toc_index = next(i for i, t in enumerate(texts) if t.lstrip().startswith(f"{contents}\n") or f"\n{contents}\n" in t[:20])
    toc_links = [a.get_object()["/Dest"] for a in reader.pages[toc_index].get("/Annots", [])]
    assert {f"cap-{slug}" for slug in expect["chapters"]} <= set(toc_links)
    dests = reader.named_destinations
    for slug, title in expect["chapters"].items():
        target = reader.get_destination_page_number(dests[f"cap-{slug}"])
        assert title in texts[target], f"the link to {title} lands on page {target + 1}"
        printed = re.search(rf"{re.escape(title)}[\s.]*(\d+)\n", texts[toc_index])  # the leader: spaced dots
        assert printed and int(printed.group(1)) == target + 1, f"TOC prints {printed and printed.group(1)} for {title}"


def test_lists_of_figures_and_tables_and_resolved_cross_references(pdf_path, expect):
    import re

    texts = _page_texts(pdf_path)
    text = "\n".join(texts)
    assert all(title in text for title in expect["lists"])
    m = re.search(expect["xref"], text.replace("\n", " "))
    assert m, "cross-reference not resolved"
    number, page = m.groups()
    assert expect["figure"].format(n=number) in texts[int(page) - 1]


def test_metadata_comes_from_the_edition(pdf_path):
    meta = PdfReader(pdf_path).metadata
    assert meta["/Author"] == "Gobierno Regional de Antofagasta"
    assert "EMRA" in meta["/Keywords"] and meta["/Subject"]
    assert meta["/CreationDate"].startswith("D:20250630")


def test_one_pdf_per_chapter_with_the_full_reports_page_numbers(shipped_build, pdf_path, expect):
    full = _page_texts(pdf_path)
    total = len(full)
    folder = shipped_build.site / expect["folder"]
    for n, (slug, title) in enumerate(expect["chapters"].items(), start=1):
        chapter = folder / f"emra-informe-avance-2025-cap-{n}.pdf"
        texts = [PdfReader(chapter).pages[0].extract_text()]  # its first page is enough
        assert title in texts[0]
        start = next(i for i, t in enumerate(full) if t == texts[0]) + 1
        assert f"{expect['page'].format(n=start)} {total}" in texts[0]
        with pikepdf.open(chapter) as pdf:
            assert "/StructTreeRoot" in pdf.Root and str(pdf.Root.Lang) == expect["lang"]
        page = (folder / f"{slug}.html").read_text(encoding="utf-8")
        assert f'href="emra-informe-avance-2025-cap-{n}.pdf"' in page


def _elements(pdf) -> list:
    """Every structure element of a PDF, in reading order."""
    found, stack = [], [pdf.Root.StructTreeRoot.K]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(reversed(list(node)))
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            found.append(node)
            if "/K" in node:
                stack.append(node.K)
    return found


def _parent_role(element) -> str:
    return str(element.P.get("/S", "")) if "/P" in element else ""


def test_every_table_header_has_its_scope_and_every_headers_entry_resolves(shipped_build, expect):
    """Issue 18 (PDF/UA-1 §7.5, Matterhorn 15-003): WeasyPrint wrote 164 /TH with neither /Scope nor a usable
    /Headers (its identifiers repeated from one part to the next). Every PDF: the report and each chapter's."""
    folder = shipped_build.site / expect["folder"]
    pdfs = sorted(folder.glob("emra-informe-avance-2025*.pdf"))
    assert len(pdfs) == 1 + len(expect["chapters"])
    headers_total = 0
    for path in pdfs:
        with pikepdf.open(path) as pdf:
            elements = _elements(pdf)
            headers = [e for e in elements if e.S == "/TH"]
            headers_total += len(headers) if path.name.endswith("2025.pdf") else 0
            for th in headers:
                group = _parent_role(th.P)  # the row's group: /THead or /TBody
                assert th.A.get("/Scope") == ("/Column" if group == "/THead" else "/Row"), (path.name, group)
            ids = [str(e.ID) for e in elements if "/ID" in e]
            assert len(ids) == len(set(ids)), f"{path.name}: an identifier used twice"
            tree = pdf.Root.StructTreeRoot.get("/IDTree")
            named = {str(n) for n in list(tree.Names)[0::2]} if tree is not None else set()
            assert named == set(ids), path.name
            for td in (e for e in elements if e.S == "/TD"):
                assert {str(h) for h in td.A.get("/Headers", [])} <= named, path.name
    assert headers_total > 150  # the report's 19 tables and their row headers


def test_a_phrase_in_another_language_carries_its_lang_in_the_pdf(shipped_build, expect):
    """`[Mining Regions and Cities Case of Antofagasta, Chile]{lang=en}` in the Spanish summary is /Lang en there;
    the English summary has the Spanish title marked es (issue 18, PDF/UA-1 §7.2)."""
    with pikepdf.open(shipped_build.site / expect["folder"] / "emra-informe-avance-2025.pdf") as pdf:
        marked = {str(e.Lang) for e in _elements(pdf) if "/Lang" in e}
    assert marked == ({"en"} if expect["lang"] == "es-CL" else {"es"})


def test_running_header_and_footer_are_artifacts_and_still_printed(pdf_path, expect):
    """The running header (chapter title, report name) and «página N de M» are drawn once per page at
    assembly as /Artifact, so they are read by pdftotext but are not content in the structure tree."""
    with pikepdf.open(pdf_path) as pdf:
        page = pdf.pages[6]
        stream = page.obj.Contents.read_bytes() if not isinstance(page.obj.Contents, pikepdf.Array) else b"".join(
            c.read_bytes() for c in page.obj.Contents)
        [form] = [name for name in page.Resources.XObject if b"/Artifact BMC q " + str(name).encode() + b" Do" in stream]
        drawn = page.Resources.XObject[form].read_bytes()
    assert b"BDC" not in drawn and b"MCID" not in drawn  # no tagged content inside the artifact
    text = PdfReader(pdf_path).pages[6].extract_text()
    assert expect["page"].format(n=7) in text


def test_contents_and_lists_of_figures_and_tables_are_toc_entries_with_links(pdf_path):
    """Issue 18: the contents, the list of figures and the list of tables are /TOC (each with its title as
    /Caption) of /TOCI entries, each with a link; no list item is left inside them."""
    def descendants(element):
        found, stack = [], [element.get("/K")]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(node)
            elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
                found.append(node)
                stack.append(node.get("/K"))
        return found

    with pikepdf.open(pdf_path) as pdf:
        elements = _elements(pdf)
        lists = [e for e in elements if e.S == "/TOC" and _parent_role(e) == "/TOC"]
        captions = [[d for d in descendants(t) if d.S == "/Caption"] for t in lists]
        entries = [e for e in elements if e.S == "/TOCI"]
        assert len(lists) == 3 and all(len(c) == 1 for c in captions)  # contents, figures, tables
        assert all(_parent_role(e) == "/TOC" for e in entries)
        assert all(any(d.S == "/Link" for d in descendants(e)) for e in entries)
        assert not any(d.S in ("/L", "/LI", "/LBody") for t in lists for d in descendants(t))
        assert len(entries) >= 7 + 11 + 19  # chapters and notes, figures, tables (and the sections)
