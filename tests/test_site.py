"""The built site: every page, every link and image resolving, alt text, nothing external."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

SECTIONS = ["resumen", "acuerdos-transversales", "modelo-de-gestion", "plan-comunicacional",
            "proyectos-estrategicos", "varios"]


class PageParser(HTMLParser):
    """Collect links, resources, images, inline charts and ids of one page."""

    def __init__(self):
        super().__init__()
        self.links, self.resources, self.images, self.charts, self.ids, self.html_lang = [], [], [], [], set(), None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag == "img":
            self.images.append(a)
            self.resources.append(a.get("src", ""))
        if tag == "svg" and a.get("role") == "img":  # a chart, inline (emra_site/inline_svg.py)
            self.charts.append(a)
        if tag == "link" and a.get("rel") in ("stylesheet", "icon", "preload"):
            self.resources.append(a["href"])
        if tag == "script" and "src" in a:
            self.resources.append(a["src"])


def parse(path: Path) -> PageParser:
    p = PageParser()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def is_external(url: str) -> bool:
    return bool(urlsplit(url).scheme) or url.startswith("//")


def test_landing_and_every_section_page_exist(shipped_build):
    site = shipped_build.site
    assert (site / "index.html").is_file()
    for slug in SECTIONS:
        assert (site / "2025" / f"{slug}.html").is_file()
    assert (site / "2025" / "emra-informe-avance-2025.pdf").is_file()
    assert (site / "404.html").is_file() and (site / ".nojekyll").is_file()


def test_landing_links_every_section_the_pdf_and_shows_key_figures(shipped_build):
    index = shipped_build.site / "index.html"
    parsed = parse(index)
    for slug in SECTIONS:
        assert f"2025/{slug}.html" in parsed.links
    assert "2025/emra-informe-avance-2025.pdf" in parsed.links
    text = index.read_text(encoding="utf-8")
    for figure in ("19", "47%", "17%", "11%", "sin dato"):
        assert f">{figure}<" in text


@pytest.mark.parametrize("slug", SECTIONS)
def test_every_section_page_has_navigation_to_all_sections(shipped_build, slug):
    parsed = parse(shipped_build.site / "2025" / f"{slug}.html")
    for other in SECTIONS:
        assert f"../2025/{other}.html" in parsed.links
    assert parsed.html_lang == "es-CL"


def test_every_internal_link_and_resource_resolves_to_a_file_and_anchor(shipped_build):
    site = shipped_build.site
    checked = 0
    for page in pages(site):
        parsed = parse(page)
        for url in parsed.links + parsed.resources:
            if is_external(url) or url.startswith("mailto:"):
                continue
            assert not url.startswith("/"), f"{page.name}: root-relative link {url} breaks under a sub-path"
            parts = urlsplit(url)
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), f"{page.relative_to(site)} links to missing {url}"
            assert site.resolve() in target.parents, f"{url} leaves the site"
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in parse(target).ids, f"{page.name}: missing anchor {url}"
            checked += 1
    assert checked > 100


def test_every_chart_has_alt_text_size_both_drawings_and_a_data_table(shipped_build):
    charts = 0
    for page in pages(shipped_build.site):
        html = page.read_text(encoding="utf-8")
        found = parse(page)
        # The kit's page shows the social cards, PNG files by nature; nowhere else is there an image.
        cards = [i for i in found.images if i["src"].startswith("../kit/tarjetas/") or i["src"].startswith("tarjetas/")]
        assert [i for i in found.images if i not in cards] == [], (
            f"{page.name}: the shipped edition has no photo; a chart must not be an <img>")
        assert not cards or page.name == "index.html" and page.parent.name == "kit"
        for svg in found.charts:
            charts += 1
            assert svg.get("aria-label", "").strip(), f"{page.name}: chart without alt text"
            assert svg.get("width") and svg.get("height") and svg.get("viewbox")
        assert html.count('<figure class="chart"') == html.count('<details class="chart-data"')
        assert html.count('class="chart-svg chart-wide"') == html.count('class="chart-svg chart-narrow"')
    # The shipped edition's 11 charts, each drawn wide and for phones, in its section and embed pages, in Spanish
    # and in English.
    assert charts == 88


def test_no_page_or_stylesheet_requests_anything_external(shipped_build):
    site = shipped_build.site
    for page in pages(site) + [site / "404.html"]:
        for url in parse(page).resources:
            if page.name == "404.html":
                continue  # 404 uses root-absolute links on purpose (served at any depth)
            assert not is_external(url), f"{page.name} loads external {url}"
    for css in site.rglob("*.css"):
        for url in re.findall(r"url\(([^)]+)\)", css.read_text(encoding="utf-8")):
            url = url.strip("'\"")
            assert not is_external(url), f"{css.name} loads external {url}"
            assert (css.parent / url).resolve().is_file(), f"{css.name}: missing {url}"


def test_sin_dato_is_shown_and_no_blank_becomes_zero(shipped_build):
    html = (shipped_build.site / "2025" / "acuerdos-transversales.html").read_text(encoding="utf-8")
    row = re.search(r"SOC-05</th>.*?</tr>", html, re.DOTALL).group(0)
    assert "sin dato" in row and ">0%<" not in row


def test_amounts_show_their_unit(shipped_build):
    html = (shipped_build.site / "2025" / "proyectos-estrategicos.html").read_text(encoding="utf-8")
    assert "M$4.222.529" in html and "M$176.306.356" in html and "miles de pesos" in html


def test_data_downloads_exist_for_every_table(shipped_build):
    from emra_site.schema import TABLES

    datos = shipped_build.site / "2025" / "datos"
    for t in TABLES:
        csv = (datos / t.filename).read_bytes()
        assert csv.startswith(b"\xef\xbb\xbf" + t.columns[0].name.encode())
        assert (datos / f"{t.name}.json").is_file()
    acuerdos = (datos / "acuerdos.csv").read_text(encoding="utf-8-sig").splitlines()
    header = "id;dimension;acuerdo;avance;estado_avance;origen_avance;avance_anterior;estado_avance_anterior"
    assert acuerdos[0] == header
    # A blank progress stays blank (never 0) and its status column says why.
    soc05 = dict(zip(header.split(";"), next(line for line in acuerdos if line.startswith("SOC-05;")).split(";")))
    assert (soc05["avance"], soc05["estado_avance"], soc05["origen_avance"]) == ("", "sin dato", "")
