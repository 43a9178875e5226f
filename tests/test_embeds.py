"""Embeddable figures (emra_site/embeds.py): each chart and table on a page of its own, and its iframe code.

The build's pages are read back: every figure of a section page has its embed page with its title, source,
licence and a link back; nothing is loaded from elsewhere; the «Insertar» code points at that page; embed pages
stay out of the sitemap and the search index. In Chromium, an embed page inside another site's iframe, 320 and
800 px wide.
"""

from __future__ import annotations

import functools
import gzip
import html
import http.server
import json
import posixpath
import re
import threading
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import SITE_URL
from test_browser import AXE_TAGS

from emra_site.errors import BuildError

YEAR = "2025"
CHART_HEAD = re.compile(
    r'<figure class="chart" id="(figura-(\d+))">\s*<figcaption><span class="fig-label">'
    r'(Figura \d+\.)</span> ([^<]*)</figcaption>.*?href="graficos/([a-z0-9-]+)\.svg" download',
    re.DOTALL,
)
TABLE_HEAD = re.compile(r'<caption id="(tabla-(\d+))">(Tabla \d+\.) ([^<]*)</caption>')
EMBED_TOOLS = re.compile(
    r'<div class="embed-tools" data-pagefind-ignore>\s*<details><summary>Insertar<span class="visually-hidden"> '
    r'la ([a-z]+ \d+)</span></summary>.*?<textarea class="embed-code" id="insertar-([a-z]+-\d+)"[^>]*'
    r' data-src="([^"]*)">([^<]*)</textarea>\s*<button type="button" class="copy-button" hidden>'
    r"Copiar código</button></details>\s*</div>",
    re.DOTALL,
)


class Parsed(HTMLParser):
    """Every start tag with its attributes, and the text of the first element of each tag name («title», «h1»)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.open: list[tuple[str, list[str]]] = []
        self.texts: dict[str, str] = {}
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag not in ("meta", "link", "br", "img", "input"):
            self.open.append((tag, []))

    def handle_endtag(self, tag):
        while self.open:
            name, parts = self.open.pop()
            self.texts.setdefault(name, re.sub(r"\s+", " ", "".join(parts)).strip())
            if self.open:
                self.open[-1][1].append("".join(parts))
            if name == tag:
                break

    def handle_data(self, data):
        if self.open:
            self.open[-1][1].append(data)

    def all(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def parse(path: Path) -> Parsed:
    return Parsed(path.read_text(encoding="utf-8"))


def section_pages(site: Path) -> list[Path]:
    return sorted((site / YEAR).glob("*.html"))


def figures_of(site: Path) -> dict[str, dict]:
    """Each chart and table the section pages show, by its embed page's stem: page, anchor, title, iframe code."""
    found = {}
    for page in section_pages(site):
        source = page.read_text(encoding="utf-8")
        tools = {m.group(2): m for m in EMBED_TOOLS.finditer(source)}
        heads = [(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)) for m in CHART_HEAD.finditer(source)]
        heads += [
            (m.group(1), m.group(2), m.group(3), m.group(4), f"tabla-{m.group(2)}") for m in TABLE_HEAD.finditer(source)
        ]
        for anchor, number, label, title, stem in heads:
            found[stem] = {
                "page": page.name,
                "anchor": anchor,
                "number": number,
                "title": f"{label} {html.unescape(title)}",
                "tools": tools.get(anchor),
            }
    return found


def chart_keys(site: Path) -> set[str]:
    return {p.stem for p in (site / YEAR / "graficos").glob("*.svg")}


def embed_pages(site: Path) -> dict[str, Path]:
    return {p.stem: p for p in (site / YEAR / "graficos").glob("*.html")}


def licence(site: Path) -> tuple[str, str]:
    """The edition's licence (url, name) as the footer of the section pages links it."""
    m = re.search(r'<a href="([^"]+)" rel="license">([^<]+)</a>', (site / YEAR / "resumen.html").read_text("utf-8"))
    assert m
    return m.group(1), m.group(2)


def source_line(site: Path) -> str:
    """«Fuente: …» as the section pages write it under each chart."""
    m = re.search(
        r'<p class="chart-meta" data-pagefind-ignore>(Fuente: [^<]*?) <span class="downloads">',
        (site / YEAR / "acuerdos-transversales.html").read_text("utf-8"),
    )
    assert m
    return html.unescape(m.group(1))


def iframe_attributes(code: str) -> dict[str, str]:
    """The attributes of the one <iframe> of an «Insertar» code (the textarea's text, unescaped)."""
    parsed = Parsed(code)
    assert [t for t, _ in parsed.tags] == ["iframe"], code
    assert code.endswith("></iframe>"), code
    return parsed.tags[0][1]


# --- The pages -----------------------------------------------------------------------------------------------


def test_every_chart_and_table_has_its_embed_page(shipped_build):
    site = shipped_build.site
    tables = {int(m.group(2)) for p in section_pages(site) for m in TABLE_HEAD.finditer(p.read_text("utf-8"))}
    assert len(chart_keys(site)) == 11 and tables == set(range(1, 17))  # the shipped edition's figures
    assert set(embed_pages(site)) == chart_keys(site) | {f"tabla-{n}" for n in tables}
    assert set(figures_of(site)) == set(embed_pages(site))  # and each is shown by a section page


def test_each_embed_page_shows_its_figure_title_source_licence_and_a_link_back(shipped_build):
    site = shipped_build.site
    licence_url, licence_name = licence(site)
    source = source_line(site)
    for stem, figure in figures_of(site).items():
        page = embed_pages(site)[stem]
        text = page.read_text(encoding="utf-8")
        parsed = Parsed(text)
        assert text.startswith('<!doctype html>\n<html lang="es-CL">'), stem
        assert parsed.texts["title"].startswith(figure["title"] + " · "), stem
        assert parsed.all("meta", name="robots", content="noindex"), stem
        assert not parsed.all("link", rel="canonical"), stem  # built without a site URL
        assert parsed.texts["h1"] == figure["title"], stem
        meta = re.sub(
            r"\s+",
            " ",
            html.unescape(
                re.sub(r"<[^>]+>", "", re.search(r'<p class="embed-meta">(.*?)</p>', text, re.DOTALL).group(1))
            ),
        )
        assert meta.startswith(source + " Licencia: " + licence_name), (stem, meta)
        licences = [a for a in parsed.all("a") if "license" in a.get("rel", "").split()]
        assert [a["href"] for a in licences] == [licence_url], stem
        # The link back: a new tab, to the figure's section page and its anchor, which exists there.
        back = [a for a in parsed.all("a", target="_blank") if a not in licences]
        assert len(back) == 1 and back[0]["rel"] == "noopener", stem
        assert back[0]["href"] == f"../{figure['page']}#{figure['anchor']}", stem
        target = page.parent / back[0]["href"].split("#")[0]
        assert target.resolve() == (site / YEAR / figure["page"]).resolve()
        assert f'id="{figure["anchor"]}"' in target.read_text(encoding="utf-8")
        # The figure itself: both drawings of a chart, as its section page has them; or the table's cells.
        section = (site / YEAR / figure["page"]).read_text(encoding="utf-8")
        if stem in chart_keys(site):
            drawings = re.findall(
                r'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg (chart-wide|chart-narrow)"'
                r".*?</svg>",
                text,
                re.DOTALL,
            )
            assert drawings == ["chart-wide", "chart-narrow"], stem
            for svg in re.findall(
                r'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg.*?</svg>', text, re.DOTALL
            ):
                assert svg in section, stem
        else:
            rows = re.findall(r"<tr><th scope=\"row\".*?</tr>", text)
            caption = f'<caption id="{figure["anchor"]}">'
            table = section[section.index(caption) : section.index("</table>", section.index(caption))]
            assert rows and rows == re.findall(r"<tr><th scope=\"row\".*?</tr>", table), stem
            assert 'role="region"' in text and 'tabindex="0"' in text  # a wide table scrolls in a focusable region
        # Minimal chrome: no site header, menu, footer, script or search body.
        for absent in ("<header", "<nav", "<footer", "<script", "data-pagefind-body"):
            assert absent not in text, (stem, absent)


def test_embed_pages_load_nothing_from_elsewhere_and_every_relative_url_resolves(shipped_build):
    site = shipped_build.site
    licence_url, _ = licence(site)
    for stem, page in embed_pages(site).items():
        parsed = Parsed(page.read_text(encoding="utf-8"))
        here = page.relative_to(site).as_posix()
        for tag, attrs in parsed.tags:
            for name in ("src", "href", "srcset", "action", "poster", "data"):
                url = attrs.get(name)
                if url is None:
                    continue
                if re.match(r"^[a-z][a-z0-9+.-]*:|^//", url, re.IGNORECASE):
                    # Only a link a reader follows leaves the site: the licence's legal text.
                    assert (tag, name, url) == ("a", "href", licence_url), (stem, tag, name, url)
                    continue
                path = url.split("#")[0]
                if path:
                    target = posixpath.normpath(posixpath.join(posixpath.dirname(here), path))
                    assert (site / target).is_file(), (stem, url)
        styles = [a["href"] for a in parsed.all("link", rel="stylesheet")]
        assert styles == ["../../assets/css/site.css"], stem


def test_section_pages_offer_the_iframe_code_of_each_figure(shipped_build):
    site = shipped_build.site
    heights = {}
    for stem, figure in figures_of(site).items():
        tools = figure["tools"]
        assert tools is not None, stem
        kind = figure["anchor"].split("-")[0]
        assert tools.group(1) == f"{kind} {figure['number']}", stem  # «Insertar la figura 2», for screen readers
        src = html.unescape(tools.group(3))
        assert src == f"graficos/{stem}.html", stem  # relative without a site URL: copiar.js makes it absolute
        assert (site / YEAR / src).resolve() == embed_pages(site)[stem].resolve()
        frame = iframe_attributes(html.unescape(tools.group(4)))
        assert frame["src"] == src and frame["title"] == figure["title"], stem
        assert (frame["width"], frame["style"], frame["loading"]) == ("100%", "border:0", "lazy"), stem
        heights[stem] = int(frame["height"])
        assert 300 <= heights[stem] <= 800, stem
        if stem in chart_keys(site):  # room for the taller drawing and the lines around it
            section = (site / YEAR / figure["page"]).read_text(encoding="utf-8")
            start = section.index(f'<figure class="chart" id="{figure["anchor"]}">')
            drawn = [
                float(h)
                for h in re.findall(
                    r'<svg [^>]*class="chart-svg[^>]*height="([\d.]+)"',
                    section[start : section.index("</figure>", start)],
                )
            ]
            assert len(drawn) == 2 and heights[stem] >= min(800, max(drawn) + 120), (stem, heights[stem], drawn)
    # Tables: by their rows, capped. Tables 12, 13 and 16 have 3 rows; 14 has 9; 11 has 12.
    assert heights["tabla-12"] == heights["tabla-13"] == heights["tabla-16"] < heights["tabla-14"]
    assert heights["tabla-11"] == 800


@pytest.fixture(scope="module")
def with_url(url_build):
    """The shipped build built again with the site URL (`conftest.url_build`, shared by the run)."""
    return url_build.site


def test_with_a_site_url_the_code_is_absolute_and_the_embed_names_its_section_as_canonical(with_url):
    section = (with_url / YEAR / "acuerdos-transversales.html").read_text(encoding="utf-8")
    tools = {m.group(2): m for m in EMBED_TOOLS.finditer(section)}
    src = f"{SITE_URL}/{YEAR}/graficos/avance-dimensiones.html"
    assert html.unescape(tools["figura-2"].group(3)) == src
    assert iframe_attributes(html.unescape(tools["figura-2"].group(4)))["src"] == src
    assert (
        iframe_attributes(html.unescape(tools["tabla-2"].group(4)))["src"] == f"{SITE_URL}/{YEAR}/graficos/tabla-2.html"
    )
    embed = Parsed((with_url / YEAR / "graficos" / "tabla-2.html").read_text(encoding="utf-8"))
    assert [a["href"] for a in embed.all("link", rel="canonical")] == [f"{SITE_URL}/{YEAR}/acuerdos-transversales.html"]
    assert [a["href"] for a in embed.all("link", rel="stylesheet")] == ["../../assets/css/site.css"]  # still relative


def test_embed_pages_stay_out_of_the_sitemap_and_the_search_index(shipped_build, with_url):
    sitemap = (with_url / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert f"{SITE_URL}/{YEAR}/acuerdos-transversales.html" in locs
    assert [u for u in locs if "/graficos/" in u] == []
    for site in (shipped_build.site, with_url):
        indexed = []
        for fragment in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
            data = gzip.decompress(fragment.read_bytes())
            indexed.append(json.loads(data[data.index(b"{") :])["url"])
        assert f"/{YEAR}/acuerdos-transversales.html" in indexed
        assert [u for u in indexed if "/graficos/" in u] == []


# --- The iframe code, unit -----------------------------------------------------------------------------------


def _view(title: str, number: int = 3, rows: int = 4) -> dict:
    table = SimpleNamespace(title=title, rows=[()] * rows)
    return {"chart": None, "table": table, "number": number, "anchor": f"tabla-{number}", "label": f"tabla {number}"}


def test_the_iframe_code_escapes_the_title_and_makes_src_absolute_with_a_site_url():
    from emra_site.embeds import Embed

    embed = Embed(
        "tabla-3", None, None, _view('Montos "M$" <b> & más'), "2025/graficos/tabla-3.html", "2025/resumen.html"
    )
    local = embed.snippet("2025/resumen.html", None)
    assert local.src == "graficos/tabla-3.html"
    assert local.code == (
        '<iframe src="graficos/tabla-3.html" title="Tabla 3. Montos &quot;M$&quot; &lt;b&gt; &amp; más" '
        'width="100%" height="504" style="border:0" loading="lazy"></iframe>'
    )
    assert iframe_attributes(local.code)["title"] == 'Tabla 3. Montos "M$" <b> & más'
    published = embed.snippet("2025/resumen.html", "https://example.org/emra/")
    assert published.src == "https://example.org/emra/2025/graficos/tabla-3.html"
    assert f'src="{published.src}"' in published.code


def test_a_chart_named_like_a_table_page_is_an_error_where_it_is_written():
    from emra_site.embeds import embed_targets
    from emra_site.errors import SourceLoc

    class Block:  # hashable, as a block is: a key of `views`
        def __init__(self, line: int):
            self.key, self.loc = None, SourceLoc("content/2025/tabla.md", line)

    section = SimpleNamespace(slug="tabla")
    chart_block, table_block = Block(7), Block(3)
    chart = SimpleNamespace(key="tabla-1")
    views = {table_block: _view("Tabla", number=1), chart_block: {"chart": chart, "number": 1}}
    edition = SimpleNamespace(anio=2025, directives=lambda: [(section, table_block), (section, chart_block)])
    with pytest.raises(BuildError) as caught:
        embed_targets(edition, views)
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.loc == SourceLoc("content/2025/tabla.md", 7)
    assert "2025/graficos/tabla-1.html" in diagnostic.message and "agregue al bloque un «id:»" in diagnostic.message


# --- In a browser ----------------------------------------------------------------------------------------------

HOST = """<!doctype html><html lang="es"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Sitio anfitrión</title>
<style>body {{ margin: 0; }}</style></head><body><main><h1>Otro sitio</h1>{code}</main></body></html>"""
FRAME_STATE = """() => {
  const root = document.documentElement;
  const shown = [...document.querySelectorAll('svg.chart-svg')].filter(s => s.getBoundingClientRect().width > 0);
  return {scroll: root.scrollWidth, client: root.clientWidth,
          svgs: shown.map(s => [s.classList.contains('chart-wide') ? 'wide' : 'narrow', s.getBoundingClientRect().width]),
          table: !!document.querySelector('table')};
}"""


@pytest.fixture(scope="module")
def host(tmp_path_factory):
    """Another site: a folder served at another origin (another port), where a test writes its host pages."""
    from conftest import QuietHandler

    folder = tmp_path_factory.mktemp("anfitrion")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield folder, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.mark.parametrize("width", [320, 800])
def test_embed_pages_inside_another_sites_iframe(browser, server, host, shipped_build, width):
    """The section page's own code in a page of another origin: no console error, no failed request, nothing wider
    than the frame, and the chart shown at the frame's width (the phone drawing at 320 px, the wide one at 800)."""
    figures = figures_of(shipped_build.site)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    problems, requests = [], []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("requestfailed", lambda r: problems.append(f"falló {r.url}"))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("request", lambda r: requests.append(r.url))
    try:
        for stem in ("avance-dimensiones", "tabla-2"):
            code = html.unescape(figures[stem]["tools"].group(4))
            code = code.replace('src="graficos/', f'src="{server}/site/{YEAR}/graficos/')  # as copiar.js shows it
            (host[0] / f"{stem}.html").write_text(HOST.format(code=code), encoding="utf-8")
            requests.clear()
            page.goto(f"{host[1]}/{stem}.html", wait_until="networkidle")
            frame = page.frame(url=f"{server}/site/{YEAR}/graficos/{stem}.html")
            assert frame is not None, stem
            frame.wait_for_load_state("networkidle")
            box = page.locator("iframe").bounding_box()
            assert box["width"] == width, stem
            state = frame.evaluate(FRAME_STATE)
            assert state["scroll"] <= state["client"] >= width - 20, (stem, state)  # no sideways scroll in the frame
            if stem == "avance-dimensiones":
                [(drawing, drawn)] = state["svgs"]
                assert drawing == ("narrow" if width == 320 else "wide"), state
                assert drawn >= width - 40, state  # fills the frame but its margins
                assert frame.locator(f"svg.chart-{drawing}").is_visible(), state
            else:
                assert state["table"] and frame.locator("table").is_visible(), state
            assert frame.locator("h1").inner_text().startswith(figures[stem]["title"][:20])
            assert [u for u in requests if not u.startswith((f"{server}/site/", f"{host[1]}/{stem}.html"))] == []
        assert problems == []
    finally:
        context.close()


def test_embed_pages_pass_axe_and_the_copy_script_makes_the_code_absolute(browser, server):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    try:
        for stem in ("acuerdos-transversales-2", "tabla-2"):
            page.goto(f"{server}/site/{YEAR}/graficos/{stem}.html", wait_until="networkidle")
            results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
            assert results.violations_count == 0, f"{stem}\n{results.generate_report()}"
        page.goto(f"{server}/site/{YEAR}/acuerdos-transversales.html", wait_until="networkidle")
        page.locator("#figura-2 .embed-tools summary").click()
        code = page.locator("#insertar-figura-2").input_value()
        assert iframe_attributes(code)["src"] == f"{server}/site/{YEAR}/graficos/avance-dimensiones.html"
        button = page.locator("#figura-2 .embed-tools button.copy-button")
        assert button.is_visible() and button.inner_text() == "Copiar código"
    finally:
        context.close()
