"""The site in a real browser (Debian's Chromium via Playwright), served under a sub-path.

Every page: zero axe violations (WCAG 2.2 AA + best practices), no request leaving the origin,
no broken resource, no layout shift from fonts; search, the no-JavaScript menu and the keyboard work.
"""

from __future__ import annotations

import functools
import threading

import pytest

PAGES = ["index.html", "2025/resumen.html", "2025/acuerdos-transversales.html", "2025/modelo-de-gestion.html",
         "2025/plan-comunicacional.html", "2025/proyectos-estrategicos.html", "2025/varios.html",
         "2025/datos/index.html", "2025/kit/index.html", "buscar.html", "404.html",
         # the English version (the same templates): a page of charts and tables, its data page
         "en/2025/cross-cutting-agreements.html", "en/2025/datos/index.html"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa", "best-practice"]


def open_page(browser, url, width=1280, javascript=True):
    """Open `url`, recording every request and every failed response."""
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    requests, failures = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(url, wait_until="networkidle")
    return context, page, requests, failures


def assert_every_request_is_same_origin_and_succeeds(page, server, requests, failures) -> None:
    """Load the lazy images too, then: every request stayed under /site/, none failed, no image is broken."""
    page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
    page.wait_for_load_state("networkidle")
    assert requests, "no request recorded"
    assert [u for u in requests if not u.startswith(server + "/site/")] == []
    assert failures == []
    broken = page.evaluate("[...document.images].filter(i => i.complete && i.naturalWidth === 0).map(i => i.src)")
    assert broken == []


# The smallest chart text a reader sees, in CSS pixels: each shown chart's font sizes × its displayed scale.
CHART_TEXT_PX = """() => Math.min(Infinity, ...[...document.querySelectorAll('svg.chart-svg')]
  .filter(s => s.getBoundingClientRect().width > 0)
  .flatMap(s => [...s.querySelectorAll('text')].map(t =>
    parseFloat(t.getAttribute('font-size')) * s.getBoundingClientRect().width / parseFloat(s.getAttribute('width')))))"""
PAGE_WEIGHT_LIMIT = 150 * 1024  # issue 14, item 6: bytes of a page with its charts
TEXT_TYPES = (".html", ".css", ".js", ".svg", ".json", ".xml")


def transferred_bytes(site, server, requests) -> int:
    """What a first visit transfers: every same-origin file the page requested, fonts included, text
    gzip-compressed as GitHub Pages serves it (tests/test_validity.py checks the uncompressed budget)."""
    import gzip

    total = 0
    for url in dict.fromkeys(u.split("#")[0] for u in requests if u.startswith(server + "/site/")):
        path = site / url.removeprefix(server + "/site/")
        data = path.read_bytes()
        total += len(gzip.compress(data, mtime=0)) if path.suffix in TEXT_TYPES else len(data)
    return total


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_axe_violations_and_every_request_is_same_origin(browser, server, shipped_build, path):
    """Desktop width, every page (one page load serves every check; loading a page costs ~1.4 s): axe with every
    panel open, requests, chart text ≥ 12 px, and the page's weight."""
    from axe_playwright_python.sync_playwright import Axe

    context, page, requests, failures = open_page(browser, f"{server}/site/{path}")
    try:
        if path != "404.html":  # served at any address, it links its files from the site's root
            first_visit = list(requests)  # before the lazy images (the kit's cards, in closed panels) are forced
            assert_every_request_is_same_origin_and_succeeds(page, server, requests, failures)
            assert transferred_bytes(shipped_build.site, server, first_visit) <= PAGE_WEIGHT_LIMIT, path
        assert page.evaluate(CHART_TEXT_PX) >= 12, path
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # check hidden tables too
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        assert results.violations_count == 0, results.generate_report()
    finally:
        context.close()


def test_fonts_cause_no_layout_shift(browser, server):
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.add_init_script("""
        window.__cls = 0;
        new PerformanceObserver(list => {
          for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
        }).observe({type: 'layout-shift', buffered: true});
    """)
    try:
        page.goto(f"{server}/site/2025/resumen.html", wait_until="networkidle")
        page.evaluate("document.fonts.ready")
        assert page.evaluate("document.fonts.check('16px \"Source Sans 3\"')")
        assert page.evaluate("window.__cls") < 0.05
    finally:
        context.close()


def test_search_finds_accented_words_typed_without_accents(browser, server):
    context, page, requests, failures = open_page(browser, f"{server}/site/buscar.html?q=educacion")
    try:
        page.wait_for_selector("#resultados li", timeout=10_000)
        first = page.locator("#resultados li").first
        assert "educación" in first.inner_text().lower()
        hrefs = first.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert all(h.startswith("/site/2025/") for h in hrefs), hrefs  # results keep the sub-path
        assert any("#" in h for h in hrefs[1:]), "matching headings should link to their anchors"
        assert "resultado" in page.locator("#estado").inner_text()
        assert [u for u in requests if not u.startswith(server)] == [] and failures == []
        page.fill("#q", "OE3 proveedores")
        page.click("button[type=submit]")
        page.wait_for_function("document.querySelector('#estado').textContent.includes('OE3 proveedores')")
        assert page.locator("#resultados li").count() > 0
        # The Datos page is indexed: «CSV» finds it (its download links themselves are not indexed).
        page.fill("#q", "CSV")
        page.click("button[type=submit]")
        page.wait_for_function("document.querySelector('#estado').textContent.includes('CSV')")
        hrefs = page.locator("#resultados > li > a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert "/site/2025/datos/" in hrefs, hrefs
        assert failures == []
    finally:
        context.close()


def test_phone_menu_works_without_javascript(browser, server):
    context, page, _, _ = open_page(browser, f"{server}/site/2025/resumen.html", width=360, javascript=False)
    try:
        menu = page.locator(".nav-mobile")
        link = menu.locator("a[href$='varios.html']")
        assert not link.is_visible()
        menu.locator("summary").click()
        assert link.is_visible()
        assert not page.locator(".nav-desktop").is_visible()
    finally:
        context.close()


def test_keyboard_skip_link_reaches_main_content(browser, server):
    context, page, _, _ = open_page(browser, f"{server}/site/2025/resumen.html")
    try:
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        assert page.locator(".skip-link").is_visible()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "contenido"
    finally:
        context.close()


def test_site_works_from_disk(browser, shipped_build):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto((shipped_build.site / "2025" / "acuerdos-transversales.html").as_uri(), wait_until="load")
        assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith('"Source Sans 3"')
        # The five charts of the section, inline and drawn in the page's web font (also from disk).
        shown = page.evaluate("""[...document.querySelectorAll('svg.chart-svg')]
            .filter(s => s.getBoundingClientRect().width > 0).map(s => s.getBoundingClientRect().width)""")
        assert len(shown) == 5 and min(shown) > 600
        page.wait_for_function("document.fonts.status === 'loaded'")
        assert page.evaluate("""document.fonts.check("600 13px 'Source Sans 3'")""")
        page.click("a[rel=next]")
        assert page.url.endswith("/2025/modelo-de-gestion.html")
    finally:
        context.close()


def test_search_from_disk_says_it_needs_a_web_server(browser, shipped_build):
    """From file:// Pagefind cannot load: the page says why and offers the sections and the PDF instead."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto((shipped_build.site / "buscar.html").as_uri() + "?q=agua", wait_until="load")
        message = page.locator("#sin-servidor")
        message.wait_for(state="visible", timeout=5_000)
        assert message.inner_text().startswith("La búsqueda necesita que el sitio se sirva desde un servidor web;")
        hrefs = message.locator("a").evaluate_all("links => links.map(a => a.href)")
        assert hrefs == [(shipped_build.site / "index.html").as_uri() + "#secciones",
                         (shipped_build.site / "2025" / "emra-informe-avance-2025.pdf").as_uri()]
        assert (shipped_build.site / "2025" / "emra-informe-avance-2025.pdf").is_file()
    finally:
        context.close()


def test_printed_page_has_no_controls_and_shows_where_external_links_go(browser, server, tmp_path):
    context, page, _, _ = open_page(browser, f"{server}/site/2025/acuerdos-transversales.html")
    try:
        page.emulate_media(media="print")
        shown = page.evaluate("""[...document.querySelectorAll(
            'nav, button, summary, form, input, select, textarea, .button, .header-pdf, .chapter-pdf, .pager, .site-header')]
            .filter(e => e.getClientRects().length > 0).map(e => e.outerHTML.slice(0, 80))""")
        assert shown == []
        # The content stays: the five charts, and the tables outside the closed «Ver los datos» panels.
        assert page.evaluate("[...document.querySelectorAll('main figure svg')].filter(e => e.getClientRects().length).length") == 5
        assert page.evaluate("[...document.querySelectorAll('main table')].filter(e => e.getClientRects().length).length") > 0
        after = page.evaluate("""[...document.querySelectorAll('a')].map(a =>
            [a.getAttribute('href'), getComputedStyle(a, '::after').content])""")
        external = [(href, content) for href, content in after if href.startswith("http")]
        assert external and all(content == f'" ({href})"' for href, content in external), external
        assert all(content in ("none", "normal") for href, content in after if href.startswith("#"))
        page.screenshot(path=tmp_path / "impresion.png", full_page=True)
    finally:
        context.close()


def test_preview_script_runs_shows_problems_and_reloads(browser, tmp_path):
    """The preview's injected script in Chromium: no console error, the red and amber panels, a reload on «recarga»."""
    from emra_site.serve import Hub, PreviewHandler, PreviewServer

    site = tmp_path / "vista-previa"
    site.mkdir()
    (site / "index.html").write_text('<!doctype html><html lang="es"><head><meta charset="utf-8"><title>P</title>'
                                     "</head><body><main><h1>Portada</h1></main></body></html>", encoding="utf-8")
    hub = Hub()
    hub.show(["content/2025/a.md:3: error de prueba"], ["content/2025/b.md:1: aviso de prueba"], reload=False)
    handler = type("Handler", (PreviewHandler,), {"hub": hub})
    httpd = PreviewServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text)  # a 404 page (and its favicon) is logged; not a script error
            if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        for path in ("/", "/no-existe.html"):  # a site page, and a page of the preview itself
            page.goto(f"http://127.0.0.1:{httpd.server_address[1]}{path}", wait_until="load")
            page.wait_for_selector("#emra-estado section[role=alert]", timeout=10_000)
            assert "content/2025/a.md:3: error de prueba" in page.inner_text("#emra-estado section[role=alert]")
            assert "aviso de prueba" in page.inner_text("#emra-estado section[role=status]")
        page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/", wait_until="load")
        page.wait_for_selector("#emra-estado section[role=alert]")
        page.evaluate("window.antesDeRecargar = true")
        hub.show([], [], reload=True)
        page.wait_for_function("window.antesDeRecargar === undefined", timeout=10_000)
        assert problems == []
    finally:
        context.close()
        httpd.shutdown()
        httpd.server_close()


PHONE_PAGE = """<!doctype html><html lang="es"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Teléfono</title>
<link rel="stylesheet" href="{css}"></head><body><div class="wrap layout"><main id="contenido"><div class="prose">
<h2>Anexo {code}</h2>
<p>La ficha técnica está en <a href="{url}">{url}</a> y su código interno es {code}.</p>
<ul><li>Enlace: <a href="{url}">{url}</a>; código <code>{code}</code>.</li></ul>
<div class="table-scroll"><table><thead><tr><th>Ficha</th><th>Código</th></tr></thead>
<tbody><tr><td><a href="{url}">{url}</a></td><td>{code}</td></tr></tbody></table></div>
</div></main></div></body></html>"""


@pytest.mark.parametrize("width", [390, 320])
def test_long_urls_and_codes_wrap_on_a_phone_instead_of_widening_the_page(browser, tmp_path, width):
    """QA (pdf-md-01 input): a 150-character address and a 50-character code made the page 640 px wide at 375 px."""
    from conftest import REPO

    url = ("https://www.goreantofagasta.cl/documentos/estrategia-minera-regional/anexos/"
           "ficha-tecnica-acuerdo-ambiental-agua-continental-2025-version-final.pdf")
    page_file = tmp_path / "telefono.html"
    page_file.write_text(PHONE_PAGE.format(css=(REPO / "templates" / "static" / "css" / "site.css").as_uri(), url=url,
                                           code="EMRA_AMB01_AGUA_CONTINENTAL_FICHA_TECNICA_VERSION_FINAL_2025"),
                         encoding="utf-8")
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        page.goto(page_file.as_uri(), wait_until="load")
        assert page.evaluate("document.documentElement.scrollWidth") == width
        beyond = page.evaluate("""[...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
            .filter(e => !e.closest('.table-scroll'))
            .map(e => e.tagName)""")
        assert beyond == []  # a table may scroll sideways inside its own box; nothing else may pass the edge
    finally:
        context.close()


# Issue 14, item 1: tables on a phone. Per table: the cells of its key columns (the row's id or name, and every
# numeric column) that lie outside the viewport or outside their scroll region's visible box; captions wider than
# their box; id cells whose text takes more than one line.
TABLE_PROBLEMS = """() => {
  const vw = document.documentElement.clientWidth, out = [];
  const lines = el => { const r = document.createRange(); r.selectNodeContents(el);
    return new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top))).size; };
  document.querySelectorAll('table').forEach((t, i) => {
    const box = (t.closest('.table-scroll') || t.parentElement).getBoundingClientRect();
    const left = Math.max(0, box.left) - 0.5, right = Math.min(vw, box.right) + 0.5;
    t.querySelectorAll('tbody th[scope=row], tbody td.num').forEach(c => {
      const r = c.getBoundingClientRect();
      if (r.left < left || r.right > right) out.push(`tabla ${i + 1}: celda «${c.textContent}» fuera de la vista`);
    });
    const cap = t.caption;
    if (cap) { const r = cap.getBoundingClientRect();
      if (r.left < left || r.right > right || cap.scrollWidth > cap.clientWidth + 1)
        out.push(`tabla ${i + 1}: título cortado «${cap.textContent}»`); }
    t.querySelectorAll('.id').forEach(c => { if (lines(c) !== 1) out.push(`id en dos líneas: «${c.textContent}»`); });
  });
  return out;
}"""


def test_ids_stay_on_one_line_and_data_panels_show_a_marker_at_desktop_width(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        for path in ("2025/acuerdos-transversales.html", "2025/modelo-de-gestion.html"):
            page.goto(f"{server}/site/{path}", wait_until="load")
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            assert page.evaluate(TABLE_PROBLEMS) == []
        marker = page.evaluate("""(() => { const s = getComputedStyle(document.querySelector('.chart-data summary'), '::before');
            return [s.content, s.borderRightWidth, s.transform]; })()""")
        assert marker[0] != "none" and marker[1] != "0px" and marker[2] != "none", marker
    finally:
        context.close()


def _contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    def luminance(rgb):
        c = [x / 255 for x in rgb[:3]]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_focus_ring_on_the_dark_header_has_three_to_one_contrast(browser, server):
    """WCAG 1.4.11 / 2.4.13: the ring around a focused header control against the header's background."""
    context, page, _, _ = open_page(browser, f"{server}/site/2025/resumen.html")
    try:
        rgb = "c => getComputedStyle(c).%s.match(/[\\d.]+/g).map(Number)"
        checked = 0
        for _ in range(6):
            page.keyboard.press("Tab")
            if not page.evaluate("!!document.activeElement.closest('.site-header, .skip-link')"):
                continue
            ring = page.evaluate(f"({rgb % 'outlineColor'})(document.activeElement)")
            header = page.evaluate(f"({rgb % 'backgroundColor'})(document.querySelector('.site-header'))")
            assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
            assert _contrast(ring, header) >= 3, (page.evaluate("document.activeElement.outerHTML"), ring, header)
            checked += 1
        assert checked >= 3  # the skip link, the brand, «Buscar», «Descargar PDF»
    finally:
        context.close()
