"""Hostile input through every channel at once: the site and the PDF show it as text, never run it.

One copy of the shipped edition receives markup, quotes, dangerous link schemes and a loopback URL
in CSV cells, front matter, edition.yml, Markdown text, chart and table blocks and an SVG image, and
is built once with the network cut. Every output file is then read back: HTML and SVG are parsed
and their tags and attributes checked, JSON and CSV are parsed as data, the PDF's text and objects
are inspected. Inputs that must be refused (javascript:, file:, data: links, images from outside
content/) are checked with the cheap `check` command instead of a build.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import socket
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest
from conftest import copy_inputs
from helpers import diagnostic_lines, run_cli
from pypdf import PdfReader

from emra_site.app import build
from emra_site.pipeline import Paths

YEAR = "2025"
SITE_URL = "https://example.org/emra/"
LOOPBACK = "127.0.0.1"

# --- The hostile input ---------------------------------------------------------------------------

CELL_SCRIPT = "<script>alert(1)</script><img src=x onerror=alert(2)>"  # acuerdos.csv, AMB-01 «acuerdo»
CELL_JS = "javascript:alert(3)"  # acuerdos.csv, AMB-02 «acuerdo»
CELL_QUOTES = "Comillas \"dobles\" y 'simples' </td></table><a href=http://127.0.0.1:9/celda>x</a>"  # AMB-03
CELL_FORMULA = "=1+cmd|' /C calc'!A0"  # hitos.csv, first row «nota»: no letter right after «=»
SECTION_TITLE = "<script>alert(4)</script> Resumen"  # resumen.md front matter
SECTION_DESCRIPTION = '" onmouseover="alert(5)'
EDITION_DESCRIPTION = '<script>alert(6)</script>" onmouseover="alert(7)'  # edition.yml
CHART_TITLE = '<script>alert(8)</script> "Avance" & <b>dimensiones</b>'  # grafico avance-dimensiones
CHART_DESCRIPTION = '"><img src=x onerror=alert(9)> Descripción'
TABLE_TITLE = "<iframe src=http://127.0.0.1:9/tabla></iframe> Objetivos"  # tabla objetivos
HEADING = "<img src=x onerror=alert(10)> Apartado hostil"
PROSE_SCRIPT = "<script>alert(11)</script>"
PROSE_IFRAME = "<iframe src=http://127.0.0.1:9/iframe></iframe>"
PROSE_IMG = "<img src=x onerror=alert(12)>"
BLOCK_SCRIPT = "<script>alert(13)</script>"
BLOCK_IFRAME = "<iframe src=http://127.0.0.1:9/bloque></iframe>"
LOOPBACK_LINK = "http://127.0.0.1:9/x"
LOOPBACK_AUTOLINK = "http://127.0.0.1:9/auto"
EDITOR_SVG = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="60"
 viewBox="0 0 120 60" onload="alert(14)"><script>alert(15)</script>
<a xlink:href="javascript:alert(16)"><rect width="120" height="60" fill="#0a5"/></a></svg>
"""

BODY = f"""

## {HEADING}

Texto con {PROSE_SCRIPT} y {PROSE_IFRAME} y {PROSE_IMG} dentro de un párrafo.

{BLOCK_SCRIPT}

{BLOCK_IFRAME}

Un [enlace local]({LOOPBACK_LINK} "título\\" onmouseover=\\"alert(17)") y <{LOOPBACK_AUTOLINK}>.

![Mapa de prueba](mapa.svg)
"""

# Every script/event-handler marker of the input: none may reach a tag, an attribute or a PDF action.
ALERTS = [f"alert({n})" for n in range(1, 18)]


def _rewrite_csv(path: Path, change) -> None:
    """Rewrite a `;` CSV of the shipped edition through the csv module, so quoting stays valid."""
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    change(rows)
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _set_cell(rows, row_id: str, column: str, value: str) -> None:
    col = rows[0].index(column)
    row = next(r for r in rows[1:] if r[0] == row_id)
    row[col] = value


def _yaml(value: str) -> str:
    """A single-quoted YAML scalar."""
    return "'" + value.replace("'", "''") + "'"


def _replace_line(path: Path, start: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(start))
    lines[index] = new
    path.write_text("\n".join(lines), encoding="utf-8")


def make_hostile_project(root: Path) -> Path:
    copy_inputs(root)
    data = root / "data" / YEAR
    content = root / "content" / YEAR

    def acuerdos(rows):
        _set_cell(rows, "AMB-01", "acuerdo", CELL_SCRIPT)
        _set_cell(rows, "AMB-02", "acuerdo", CELL_JS)
        _set_cell(rows, "AMB-03", "acuerdo", CELL_QUOTES)

    _rewrite_csv(data / "acuerdos.csv", acuerdos)
    _rewrite_csv(data / "hitos.csv", lambda rows: rows[1].__setitem__(rows[0].index("nota"), CELL_FORMULA))

    _replace_line(content / "edition.yml", "descripcion:", f"descripcion: {_yaml(EDITION_DESCRIPTION)}")

    resumen = content / "resumen.md"
    _replace_line(resumen, "titulo: Resumen", f"titulo: {_yaml(SECTION_TITLE)}")
    _replace_line(resumen, "descripcion:", f"descripcion: {_yaml(SECTION_DESCRIPTION)}")
    _replace_line(resumen, "titulo: Objetivos estratégicos de la EMRA", f"titulo: {_yaml(TABLE_TITLE)}")
    with resumen.open("a", encoding="utf-8") as f:
        f.write(BODY)
    (content / "mapa.svg").write_text(EDITOR_SVG, encoding="utf-8")

    transversales = content / "acuerdos-transversales.md"
    _replace_line(transversales, "titulo: Avance de los acuerdos transversales por dimensión",
                  f"titulo: {_yaml(CHART_TITLE)}\ndescripcion: {_yaml(CHART_DESCRIPTION)}")
    return root


# Inputs that may be neutralised or refused: a fix could refuse a formula-like cell or an SVG with
# script at `check` time instead of escaping them. Each is recognised by where its error points.
# HTML written in the Markdown text is refused (an error where it is written, never published).
MAY_BE_REFUSED = {
    "formula": lambda d: d.loc.path == f"data/{YEAR}/hitos.csv",
    "svg": lambda d: "mapa.svg" in d.message or d.loc.path.endswith("mapa.svg"),
    "html": lambda d: d.loc.path == f"content/{YEAR}/resumen.md" and "no se admite HTML" in d.message,
}
# The Markdown lines that carry HTML: taken out of the project when it is refused.
HTML_LINES = (f"## {HEADING}", f"Texto con {PROSE_SCRIPT} y {PROSE_IFRAME} y {PROSE_IMG} dentro de un párrafo.",
              BLOCK_SCRIPT, BLOCK_IFRAME)


def _drop(root: Path, what: str) -> None:
    """Take a refused optional input out of the project, so the rest can still be built."""
    if what == "formula":
        _rewrite_csv(root / "data" / YEAR / "hitos.csv", lambda rows: rows[1].__setitem__(rows[0].index("nota"), ""))
    elif what == "html":
        resumen = root / "content" / YEAR / "resumen.md"
        text = resumen.read_text(encoding="utf-8")
        for line in HTML_LINES:
            text = text.replace(line + "\n", "")
        resumen.write_text(text, encoding="utf-8")
    else:
        resumen = root / "content" / YEAR / "resumen.md"
        resumen.write_text(resumen.read_text(encoding="utf-8").replace("![Mapa de prueba](mapa.svg)", ""),
                           encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The hostile project built once with every socket refused; attempts are logged to a file.

    The log is a file, not a list, so that an attempt in the forked process that writes the
    chapter PDFs is seen too. Returns (paths, diagnostics, attempts, {optional input: its errors}).
    """
    from emra_site.pipeline import read_report

    root = make_hostile_project(tmp_path_factory.mktemp("hostil"))
    paths = Paths.of(root)
    _, checked = read_report(paths)
    errors = [d for d in checked if d.level == "error"]
    refused = {what: [d for d in errors if belongs(d)] for what, belongs in MAY_BE_REFUSED.items()}
    refused = {what: found for what, found in refused.items() if found}
    others = [d for d in errors if not any(belongs(d) for belongs in MAY_BE_REFUSED.values())]
    assert others == [], "entradas que deben aceptarse fueron rechazadas:\n" + "\n".join(map(str, others))
    for what in refused:
        _drop(root, what)

    log = root / "conexiones.log"
    log.write_text("", encoding="utf-8")

    def refuse(self, address, *args):
        with log.open("a", encoding="utf-8") as f:
            f.write(f"{address!r}\n")
        raise OSError("red desactivada en las pruebas")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", refuse)
        mp.setattr(socket.socket, "connect_ex", refuse)
        diagnostics = build(paths, site_url=SITE_URL)
    return paths, diagnostics, log.read_text(encoding="utf-8").splitlines(), refused


@pytest.fixture(scope="module")
def site(hostile) -> Path:
    return hostile[0].site


def files(site: Path, *suffixes: str) -> list[Path]:
    found = sorted(p for p in site.rglob("*") if p.is_file() and p.suffix in suffixes)
    assert found, suffixes
    return found


EDITOR_IMAGES = "imagenes"  # the folder where the build copies editors' images


def generated(paths: list[Path], site: Path) -> list[Path]:
    """Leave out the editor's own images (checked on their own below)."""
    return [p for p in paths if EDITOR_IMAGES not in p.relative_to(site).parts]


# --- Reading HTML and SVG back -------------------------------------------------------------------


class Page(HTMLParser):
    """Every start tag with its attributes, and the text as a browser shows it (entities decoded)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.chunks: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: (v or "") for k, v in attrs}))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.chunks.append(data)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.chunks))


URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "poster", "data", "xlink:href", "background",
                  "cite", "longdesc", "manifest", "ping", "codebase", "archive", "icon", "lowsrc", "dynsrc"}
BAD_SCHEMES = ("javascript:", "vbscript:", "file:", "data:")
EMBEDDING_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "foreignobject"}


def scheme_of(url: str) -> str:
    """The scheme as a browser reads it: control characters and whitespace inside are ignored."""
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", url).lower()
    m = re.match(r"^([a-z][a-z0-9+.\-]*:)", cleaned)
    return m.group(1) if m else ""


def urls_in(attr: str, value: str) -> list[str]:
    if attr == "srcset":
        return [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
    return [value]


@pytest.fixture(scope="module")
def pages(site) -> dict[str, Page]:
    return {p.relative_to(site).as_posix(): Page(p.read_text(encoding="utf-8")) for p in files(site, ".html")}


def svg_elements(path: Path):
    """Every element of an SVG file as (local tag name, attributes with local names)."""
    root = ET.fromstring(path.read_text(encoding="utf-8"))
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1].lower() if isinstance(el.tag, str) else ""
        attrs = {}
        for name, value in el.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            attrs["xlink:href" if name.endswith("}href") and "xlink" in name else local] = value
        yield tag, attrs, el


# --- The build -----------------------------------------------------------------------------------


def test_hostile_build_succeeds_offline_and_writes_every_pdf(hostile):
    paths, diagnostics, attempts, _ = hostile
    assert not [d for d in diagnostics if d.level == "error"], diagnostics
    assert attempts == [], f"el build intentó conectarse: {attempts}"
    pdf = paths.site / YEAR / f"emra-informe-avance-{YEAR}.pdf"
    assert pdf.stat().st_size > 10_000
    assert len(list((paths.site / YEAR).glob("emra-informe-avance-*-cap-*.pdf"))) == 6  # one per section


def test_no_script_tag_except_the_search_and_copy_scripts(site, pages):
    for name, page in pages.items():
        scripts = [attrs for tag, attrs in page.tags if tag == "script"]
        raw = (site / name).read_text(encoding="utf-8").lower().count("<script")
        assert raw == len(scripts), name  # nothing the parser would read differently from a browser
        if name == "buscar.html":
            assert scripts == [{"defer": "", "src": "assets/js/buscar.js"}], scripts
        else:  # a page with «Copiar cita» buttons loads the site's own copiar.js, nothing else
            copy_script = {"defer": "", "src": "../" * name.count("/") + "assets/js/copiar.js"}
            assert scripts in ([], [copy_script]), (name, scripts)


def test_no_event_handler_attribute_in_any_html_or_chart_svg(site, pages):
    for name, page in pages.items():
        handlers = [(tag, a) for tag, attrs in page.tags for a in attrs if a.startswith("on")]
        assert handlers == [], (name, handlers)
    for svg in generated(files(site, ".svg"), site):
        handlers = [(tag, a) for tag, attrs, _ in svg_elements(svg) for a in attrs if a.startswith("on")]
        assert handlers == [], (svg, handlers)


def test_no_embedding_tags_in_any_html_or_chart_svg(site, pages):
    for name, page in pages.items():
        embedded = [(tag, attrs) for tag, attrs in page.tags if tag in EMBEDDING_TAGS]
        if name == "buscar.html":  # the site's own search form, which submits to itself
            embedded = [(tag, attrs) for tag, attrs in embedded if (tag, attrs.get("action")) != ("form", "buscar.html")]
        assert embedded == [], (name, embedded)
        refresh = [attrs for tag, attrs in page.tags if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh"]
        assert refresh == [], name
    for svg in generated(files(site, ".svg"), site):
        tags = {tag for tag, _, _ in svg_elements(svg)}
        assert not tags & (EMBEDDING_TAGS | {"script"}), (svg, tags)


def test_no_dangerous_url_scheme_in_any_link_or_source(site, pages):
    for name, page in pages.items():
        for tag, attrs in page.tags:
            for attr, value in attrs.items():
                if attr in URL_ATTRIBUTES:
                    for url in urls_in(attr, value):
                        assert scheme_of(url) not in BAD_SCHEMES, (name, tag, attr, url)
    for svg in generated(files(site, ".svg"), site):
        for tag, attrs, el in svg_elements(svg):
            for attr, value in attrs.items():
                if attr in URL_ATTRIBUTES:
                    assert scheme_of(value) not in BAD_SCHEMES, (svg, tag, attr, value)
            if tag == "style":  # the chart's own fonts are the only data: URLs allowed
                for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", el.text or ""):
                    assert url.startswith("data:font/woff2;base64,"), (svg, url[:60])


def test_loopback_url_is_only_ever_text_or_a_plain_http_link(site, pages):
    links = []
    for name, page in pages.items():
        for tag, attrs in page.tags:
            for attr, value in attrs.items():
                if LOOPBACK in value and (attr in URL_ATTRIBUTES or attr == "content" and tag == "meta"):
                    assert (tag, attr) == ("a", "href"), (name, tag, attr, value)
                    assert value in (LOOPBACK_LINK, LOOPBACK_AUTOLINK), (name, value)
                    links.append(value)
    assert sorted(set(links)) == sorted({LOOPBACK_LINK, LOOPBACK_AUTOLINK})
    for svg in generated(files(site, ".svg"), site):
        for tag, attrs, _ in svg_elements(svg):
            assert not any(LOOPBACK in v for a, v in attrs.items() if a in URL_ATTRIBUTES), (svg, tag, attrs)


def test_the_loopback_link_keeps_its_title_inside_the_attribute(pages):
    page = pages[f"{YEAR}/resumen.html"]
    link = next(attrs for tag, attrs in page.tags if tag == "a" and attrs.get("href") == LOOPBACK_LINK)
    assert set(link) == {"href", "title"}
    assert link["title"] == 'título" onmouseover="alert(17)'


# --- The hostile text is visible, as text --------------------------------------------------------


def test_html_in_the_markdown_text_is_refused_where_it_is_written(hostile):
    """Each HTML line of the text is an error at `check` (one per opening tag), so none is published."""
    refused = hostile[3].get("html", [])
    assert len({d.loc.line for d in refused}) == len(HTML_LINES), refused  # every HTML line, each at its place
    assert all(d.level == "error" and d.loc.col for d in refused), refused


def test_escaped_markup_is_shown_as_text_and_nothing_was_dropped(site, pages):
    transversales = pages[f"{YEAR}/acuerdos-transversales.html"].text
    for text in (CELL_SCRIPT, CELL_JS, CELL_QUOTES, CHART_TITLE):
        assert text in transversales, text
    resumen = pages[f"{YEAR}/resumen.html"].text
    for text in (SECTION_TITLE, SECTION_DESCRIPTION, "Tabla 1. " + TABLE_TITLE):
        assert text in resumen, text
    index = pages["index.html"].text
    for text in (EDITION_DESCRIPTION, SECTION_TITLE, SECTION_DESCRIPTION):
        assert text in index, text
    raw = (site / YEAR / "acuerdos-transversales.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in raw


def test_quotes_stay_inside_attributes(pages):
    resumen = pages[f"{YEAR}/resumen.html"]
    meta = {attrs.get("name") or attrs.get("property"): attrs.get("content") for tag, attrs in resumen.tags
            if tag == "meta"}
    assert meta["description"] == SECTION_DESCRIPTION
    assert meta["og:description"] == SECTION_DESCRIPTION
    assert meta["twitter:description"] == SECTION_DESCRIPTION
    assert meta["og:title"].startswith("1. " + SECTION_TITLE)
    index = {attrs.get("name") or attrs.get("property"): attrs.get("content")
             for tag, attrs in pages["index.html"].tags if tag == "meta"}
    assert index["description"] == EDITION_DESCRIPTION
    alts = [attrs["aria-label"] for tag, attrs in pages[f"{YEAR}/acuerdos-transversales.html"].tags
            if tag == "svg" and attrs.get("role") == "img"]
    assert CHART_DESCRIPTION in alts  # the inline chart's alt text, whole, inside its attribute


def test_chart_svg_shows_the_cell_markup_escaped(site):
    charts = [p for p in generated(files(site, ".svg"), site) if "AMB-01" in p.read_text(encoding="utf-8")]
    assert charts, "ningún gráfico muestra AMB-01"
    for svg in charts:
        raw = svg.read_text(encoding="utf-8")
        assert "<script" not in raw.lower()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
        texts = " ".join("".join(el.itertext()) for tag, _, el in svg_elements(svg) if tag == "text")
        assert "<script>alert(1)</script>" in texts


# --- Data files ----------------------------------------------------------------------------------


def _csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))


def test_json_and_csv_downloads_keep_the_text_as_data(site):
    for path in files(site, ".json"):
        json.loads(path.read_text(encoding="utf-8"))  # every JSON file is valid
    datos = site / YEAR / "datos"
    agreements = {row["id"]: row["acuerdo"] for row in json.loads((datos / "acuerdos.json").read_text("utf-8"))}
    assert [agreements[k] for k in ("AMB-01", "AMB-02", "AMB-03")] == [CELL_SCRIPT, CELL_JS, CELL_QUOTES]
    rows = {r[0]: r for r in _csv_rows(datos / "acuerdos.csv")}
    column = rows["id"].index("acuerdo")
    assert [rows[k][column] for k in ("AMB-01", "AMB-02", "AMB-03")] == [CELL_SCRIPT, CELL_JS, CELL_QUOTES]
    package = json.loads((datos / "datapackage.json").read_text(encoding="utf-8"))
    assert package["description"] == EDITION_DESCRIPTION


def test_sitemap_lists_only_the_sites_own_pages(site):
    tree = ET.fromstring((site / "sitemap.xml").read_text(encoding="utf-8"))
    locs = [el.text for el in tree.iter() if el.tag.endswith("loc")]
    assert locs
    for loc in locs:
        assert re.fullmatch(re.escape(SITE_URL) + r"[a-z0-9/\-]+\.html", loc), loc


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def test_downloaded_csv_cells_cannot_run_as_spreadsheet_formulas(hostile, site):
    """A text cell Excel would evaluate («=1+cmd|…») is refused by `check` or escaped in the downloads."""
    refused = hostile[3].get("formula")
    if refused:
        assert [(d.loc.line, d.loc.col) for d in refused] == [(2, 5)], refused
    live = []
    for path in files(site, ".csv"):
        for n, row in enumerate(_csv_rows(path), start=1):
            for cell in row:
                if cell.startswith(FORMULA_START) and not re.fullmatch(r"-?\d+(,\d+)?", cell):
                    live.append((path.relative_to(site).as_posix(), n, cell))
    assert live == []


# --- The PDF -------------------------------------------------------------------------------------


PDF_MARKERS = ("<script>alert(4)</script>", "<script>alert(1)</script>", "onerror=alert(2)>", "javascript:alert(3)")


def test_pdf_text_shows_the_hostile_text(site):
    """Chapters 1 and 2 (copies of the full report's pages, and much faster for pypdf to read)."""
    text = ""
    for chapter in (1, 2):
        reader = PdfReader(site / YEAR / f"emra-informe-avance-{YEAR}-cap-{chapter}.pdf")
        text += " ".join(re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages)
    assert [m for m in PDF_MARKERS if m not in text] == []
    with pikepdf.open(site / YEAR / f"emra-informe-avance-{YEAR}.pdf") as pdf:
        assert str(pdf.docinfo.get("/Subject", "")) in ("", EDITION_DESCRIPTION)


def _walk(obj, seen: set):
    """Every dictionary reachable from `obj`, each indirect object once."""
    stack = [obj]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Object) and node.is_indirect:
            key = node.objgen
            if key in seen:
                continue
            seen.add(key)
        if isinstance(node, (pikepdf.Dictionary, pikepdf.Stream)):
            yield node
            keys = node.keys()
            stack.extend(node.get(k) for k in keys if k not in ("/Parent", "/P", "/Pg", "/ParentTree"))
        elif isinstance(node, pikepdf.Array):
            stack.extend(node)


def test_pdfs_have_no_attachment_script_or_dangerous_link(site):
    """Shipped print template: no embedded file, no JavaScript, no launch action, only web links out."""
    pdfs = files(site, ".pdf")
    uris = set()
    for path in pdfs:
        with pikepdf.open(path) as pdf:
            root = pdf.Root
            assert "/OpenAction" not in root or "/JS" not in root.OpenAction
            assert "/AA" not in root
            if "/Names" in root:
                assert "/EmbeddedFiles" not in root.Names, path
                assert "/JavaScript" not in root.Names, path
            for page in pdf.pages:
                for annot in page.get("/Annots", []):
                    assert annot.get("/Subtype") != "/FileAttachment", path
            for node in _walk(root, set()):
                assert node.get("/Type") not in ("/EmbeddedFile", "/Filespec"), path
                assert "/JS" not in node and "/EmbeddedFile" not in node, path
                action = node.get("/S")
                assert action not in ("/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/GoToE"), path
                if action == "/URI":
                    uri = str(node.URI)
                    assert scheme_of(uri) in ("http:", "https:", "mailto:"), (path, uri)
                    uris.add(uri)
    assert LOOPBACK_LINK in uris  # the plain http link survives as a link, and only as that


# --- The editor's own SVG image ------------------------------------------------------------------


def test_editor_svg_image_is_published_without_script_or_handlers(hostile, site):
    """An SVG placed by an editor is served from the site's origin: refused, or published without script."""
    refused = hostile[3].get("svg")
    if refused:
        assert all(d.loc.path == f"content/{YEAR}/resumen.md" for d in refused), refused
        return
    copies = [p for p in files(site, ".svg") if EDITOR_IMAGES in p.relative_to(site).parts]
    assert copies, "la imagen mapa.svg no se publicó"
    for svg in copies:
        raw = svg.read_text(encoding="utf-8")
        assert "<script" not in raw.lower(), svg
        assert not re.search(r"\son\w+\s*=", raw), svg
        assert "javascript:" not in raw.lower(), svg


# --- Refused input: `check` names the file and line ----------------------------------------------

REFUSED = {
    "[js](javascript:alert(1))": "javascript:alert(1)",
    "[mayúsculas]( JaVaScRiPt:alert(1))": "JaVaScRiPt:alert(1)",
    "[archivo](file:///etc/passwd)": "file:///etc/passwd",
    "[datos](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)": "data:text/html",
    "[vb](vbscript:msgbox(1))": "vbscript:msgbox(1)",
    "![remota](http://127.0.0.1:9/x.png)": "http://127.0.0.1:9/x.png",
    "![archivo](file:///etc/passwd)": "file:///etc/passwd",
    "![absoluta](/etc/passwd.png)": "/etc/passwd.png",
    "![fuera](../../../etc/passwd.png)": "../../../etc/passwd.png",
    "![enlace simbólico](fuera.png)": "fuera.png",
}


def _project_with_lines(root: Path, paragraphs: list[str]) -> tuple[Path, dict[str, int]]:
    """The shipped edition with `paragraphs` appended to resumen.md; returns each one's line."""
    copy_inputs(root)
    resumen = root / "content" / YEAR / "resumen.md"
    text = resumen.read_text(encoding="utf-8").rstrip("\n") + "\n"
    lines = {}
    for paragraph in paragraphs:
        text += "\n"
        lines[paragraph] = text.count("\n") + 1
        text += paragraph + "\n"
    resumen.write_text(text, encoding="utf-8")
    return root, lines


def test_dangerous_links_and_outside_images_are_refused_at_their_line(tmp_path):
    root, lines = _project_with_lines(tmp_path / "p", list(REFUSED))
    try:
        os.symlink("/etc/passwd", root / "content" / YEAR / "fuera.png")
    except OSError:  # pragma: no cover - no symlinks here: the file is simply missing, still an error
        pass
    code, out = run_cli(["-C", str(root), "check"])
    found = diagnostic_lines(out)
    assert code == 1, found
    for paragraph, shown in REFUSED.items():
        prefix = f"content/{YEAR}/resumen.md:{lines[paragraph]}: "
        mine = [line for line in found if line.startswith(prefix)]
        assert mine, (paragraph, prefix, found)
        assert all(shown in line for line in mine), mine
    assert not (root / "output").exists()


@pytest.mark.parametrize("markdown", [
    "[referencia][r]\n\n[r]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "[entidad](java&#x73;cript:alert(1))",
], ids=["reference-definition", "autolink", "entity-encoded"])
def test_javascript_links_in_other_markdown_forms_are_refused_too(tmp_path, markdown):
    """Shown as plain text today, so harmless, but the editor is never told the link is gone."""
    root, lines = _project_with_lines(tmp_path / "p", [markdown])
    code, out = run_cli(["-C", str(root), "check"])
    assert code == 1, diagnostic_lines(out)
    first = lines[markdown]
    assert any(re.match(rf"content/{YEAR}/resumen\.md:{first + k}: ", line)
               for line in diagnostic_lines(out) for k in range(markdown.count("\n") + 1)), diagnostic_lines(out)


def test_yaml_tags_in_every_yaml_channel_never_run_code(tmp_path):
    """Python object tags in edition.yml, front matter and a chart block are text or errors, never calls."""
    marker = tmp_path / "ejecutado"
    tag = f"!!python/object/apply:os.system ['touch {marker}']"
    root = copy_inputs(tmp_path / "p")
    content = root / "content" / YEAR
    _replace_line(content / "edition.yml", "descripcion:", f"descripcion: {tag}")
    _replace_line(content / "resumen.md", "descripcion:", f"descripcion: {tag}")
    _replace_line(content / "acuerdos-transversales.md", "titulo: Avance de los acuerdos transversales",
                  f"titulo: {tag}")
    code, out = run_cli(["-C", str(root), "check"])
    assert not marker.exists()
    assert code in (0, 1) and "Error interno" not in out, out
