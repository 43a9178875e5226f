"""«Cómo citar»: APA 7 references of the edition, its figures and tables; permalinks; the licence in the PDF.

Unit tests of the texts on a small edition; then the shipped build (every figure and table of every section
page, the landing and data pages, the PDF's colophon) and a browser copying a reference to the clipboard.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re

import pytest
from conftest import REPO, need_tool

from emra_site.citation import (
    Citation,
    CiteLink,
    block_citation,
    cite_link,
    edition_citation,
    figure_citation,
    page_edition_citation,
    print_edition_citation,
)

SITE_URL = "https://org.github.io/emra/"
AUTHOR_YEAR = "Gobierno Regional de Antofagasta. (2025). "
FULL_TITLE = ("Estrategia Minera para el Bienestar de la Región de Antofagasta (EMRA 2023-2050): "
              "Informe de avance 2025")
PDF_URL = "https://org.github.io/emra/2025/emra-informe-avance-2025.pdf"


@dataclasses.dataclass(frozen=True)
class SmallEdition:
    """What a reference reads of an edition."""

    anio: int = 2025
    titulo: str = "Estrategia Minera para el Bienestar de la Región de Antofagasta"
    titulo_corto: str = "EMRA 2023-2050"
    subtitulo: str = "Informe de avance 2025"
    organismo: str = "Gobierno Regional de Antofagasta"
    fecha_publicacion: dt.date = dt.date(2025, 6, 30)


def plain(markup: str) -> str:
    """What a reader sees of the reference's HTML (and what copiar.js copies)."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


# --- The texts -------------------------------------------------------------------------------------


def test_edition_reference_with_a_site_url():
    c = page_edition_citation(SmallEdition(), "2025/datos/index.html", SITE_URL)
    assert c.text == f"{AUTHOR_YEAR}{FULL_TITLE}. {PDF_URL}"
    assert c.html == (f'{AUTHOR_YEAR}<em>{FULL_TITLE}</em>. <a class="cite-url" href="{PDF_URL}">{PDF_URL}</a>')
    assert c.url == PDF_URL and plain(c.html) == c.text


def test_edition_reference_without_a_site_url_shows_the_site_path_and_links_from_the_page():
    on_data_page = page_edition_citation(SmallEdition(), "2025/datos/index.html", None)
    assert on_data_page.text == f"{AUTHOR_YEAR}{FULL_TITLE}. 2025/emra-informe-avance-2025.pdf"
    assert 'href="../emra-informe-avance-2025.pdf">2025/emra-informe-avance-2025.pdf</a>' in on_data_page.html
    on_home = page_edition_citation(SmallEdition(), "index.html", None)
    assert 'href="2025/emra-informe-avance-2025.pdf"' in on_home.html


def test_figure_and_table_references():
    link = cite_link("2025/acuerdos-transversales.html", "2025/acuerdos-transversales.html", SITE_URL, "figura-2")
    assert link == CiteLink("https://org.github.io/emra/2025/acuerdos-transversales.html#figura-2",
                            "https://org.github.io/emra/2025/acuerdos-transversales.html#figura-2")
    figure = figure_citation(SmallEdition(), 2, "Avance reportado por dimensión", "Figura", link)
    # The report named as the edition's own reference names it: both lead to the same work.
    assert figure.text == (f"{AUTHOR_YEAR}Figura 2. Avance reportado por dimensión [Gráfico]. En {FULL_TITLE}. "
                           "https://org.github.io/emra/2025/acuerdos-transversales.html#figura-2")
    assert f"En <em>{FULL_TITLE}</em>. <a" in figure.html
    table = figure_citation(SmallEdition(), 3, "Acuerdos ambientales", "Tabla",
                            cite_link("2025/a.html", "2025/a.html", None, "tabla-3"))
    assert table.text == f"{AUTHOR_YEAR}Tabla 3. Acuerdos ambientales [Tabla]. En {FULL_TITLE}. 2025/a.html#tabla-3"
    assert 'href="#tabla-3">2025/a.html#tabla-3</a>' in table.html  # the permalink of this very page
    with pytest.raises(ValueError):
        figure_citation(SmallEdition(), 1, "x", "Gráfico")


def test_pdf_reference_has_no_url_without_a_site_url_and_texts_are_escaped_only_in_html():
    assert print_edition_citation(SmallEdition(), None) == Citation(
        f"{AUTHOR_YEAR}{FULL_TITLE}.", f"{AUTHOR_YEAR}<em>{FULL_TITLE}</em>.")
    assert print_edition_citation(SmallEdition(), SITE_URL).text.endswith(f"2025. {PDF_URL}")
    odd = SmallEdition(organismo="Empresa S.A.", titulo="A <b> & B", titulo_corto="A <b> & B")
    c = edition_citation(odd, None)
    assert c.text == "Empresa S.A. (2025). A <b> & B: Informe de avance 2025."  # no «S.A..», no repeated short title
    assert c.html == "Empresa S.A. (2025). <em>A &lt;b&gt; &amp; B: Informe de avance 2025</em>."
    assert plain(c.html) == c.text


# --- The shipped build -----------------------------------------------------------------------------

SECTION_PAGES = ["resumen", "acuerdos-transversales", "modelo-de-gestion", "plan-comunicacional",
                 "proyectos-estrategicos", "varios"]
CAPTION = re.compile(r'<figure class="chart" id="(figura-(\d+))">\s*<figcaption><span class="fig-label">Figura \d+\.</span> '
                     r'([^<]*)</figcaption>|<caption id="(tabla-(\d+))">Tabla \d+\. ([^<]*)</caption>')
TOOLS = re.compile(r'<div class="cite-tools" data-pagefind-ignore>(.*?)</details>\s*</div>', re.DOTALL)


def test_every_figure_and_table_has_its_permalink_and_reference(shipped_build):
    seen = {"figura": 0, "tabla": 0}
    for slug in SECTION_PAGES:
        page = f"2025/{slug}.html"
        source = (shipped_build.site / page).read_text(encoding="utf-8")
        blocks = list(CAPTION.finditer(source))
        assert len(blocks) == len(TOOLS.findall(source)), page  # one «Cómo citar» per figure and table, no more
        for m in blocks:
            anchor, number, title = (m.group(1), m.group(2), m.group(3)) if m.group(1) else m.group(4, 5, 6)
            kind, label = ("Figura", "Gráfico") if anchor.startswith("figura") else ("Tabla", "Tabla")
            tools = TOOLS.search(source, m.end()).group(1)  # the first block of tools after the caption is its own
            assert f'<p class="permalink"><a href="#{anchor}">Enlace' in tools
            assert 'hidden>Copiar enlace</button>' in tools and 'hidden>Copiar cita</button>' in tools
            cited = re.search(r'<p class="cite-text">(.*?)</p>', tools).group(1)
            assert f'<a class="cite-url" href="#{anchor}">' in cited  # «Copiar enlace» copies this, made absolute
            cited = plain(cited)
            assert cited == (f"{AUTHOR_YEAR}{kind} {number}. {html.unescape(title)} [{label}]. "
                             f"En {FULL_TITLE}. {page}#{anchor}")
            seen[anchor.split("-")[0]] += 1
        assert ('<script defer src="../assets/js/copiar.js"></script>' in source) == bool(blocks), page
    assert seen["figura"] >= 5 and seen["tabla"] >= 5, seen


@pytest.mark.parametrize(("page", "url"), [("index.html", "2025/emra-informe-avance-2025.pdf"),
                                           ("2025/datos/index.html", "../emra-informe-avance-2025.pdf")])
def test_landing_and_data_pages_show_the_edition_reference_and_licence(shipped_build, page, url):
    source = (shipped_build.site / page).read_text(encoding="utf-8")
    block = re.search(r'<section class="cite-edition".*?</section>', source, re.DOTALL).group(0)
    assert "data-pagefind-ignore" in block and ">Cómo citar este informe</h2>" in block
    cited = re.search(r'<p class="cite-text">(.*?)</p>', block).group(1)
    assert plain(cited) == f"{AUTHOR_YEAR}{FULL_TITLE}. 2025/emra-informe-avance-2025.pdf"
    assert f'<a class="cite-url" href="{url}">' in cited
    assert re.search(r'Licencia: <a href="https://creativecommons.org/licenses/by/4.0/deed.es" rel="license">'
                     r"CC BY 4.0</a>", block)


def test_pdf_colophon_has_the_licence_and_the_reference(shipped_build):
    import subprocess

    pdftotext = need_tool("pdftotext")
    pdf = shipped_build.site / "2025" / "emra-informe-avance-2025.pdf"
    text = subprocess.run([pdftotext, "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    text = " ".join(text.split())
    assert ("Datos, textos y gráficos bajo licencia CC BY 4.0, https://creativecommons.org/licenses/by/4.0/deed.es."
            in text)
    assert f"Cómo citar este informe {AUTHOR_YEAR}{FULL_TITLE}. Los datos" in text  # no URL without --site-url


def test_pdf_colophon_reference_has_the_absolute_url_with_a_site_url(shipped_report):
    from emra_site.render_pdf import render_print_html

    edition = dataclasses.replace(shipped_report.edition(2025), sections=())  # the colophon is all this test reads
    printed = render_print_html(edition, {}, REPO / "templates", SITE_URL)
    colophon = re.search(r'<section class="colophon">.*?</section>', printed, re.DOTALL).group(0)
    assert f'<a class="cite-url" href="{PDF_URL}"><span class="literal">' in colophon  # breaks only after «/»
    assert f"{FULL_TITLE}. {PDF_URL}" in plain(colophon).replace("\u200b", "")


def test_block_citation_reads_a_views_entry(shipped_report):
    from types import SimpleNamespace

    view = {"chart": None, "table": SimpleNamespace(title="Hitos"), "number": 4, "anchor": "tabla-4"}
    citation = block_citation(shipped_report.edition(2025), view, "2025/varios.html", None)
    assert citation.url == "2025/varios.html#tabla-4" and 'href="#tabla-4"' in citation.html
    assert citation.text.endswith("Tabla 4. Hitos [Tabla]. En Estrategia Minera para el Bienestar de la Región de "
                                  "Antofagasta (EMRA 2023-2050): Informe de avance 2025. 2025/varios.html#tabla-4")


# --- In a browser ----------------------------------------------------------------------------------


def test_copy_buttons_put_the_reference_and_the_link_on_the_clipboard(browser, server):
    page_url = f"{server}/site/2025/acuerdos-transversales.html"
    context = browser.new_context(viewport={"width": 390, "height": 844},
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(page_url, wait_until="networkidle")
        figure = page.locator("figure#figura-2")
        figure.locator(".cite-tools summary").click()
        shown = " ".join(figure.locator(".cite-text").inner_text().split())
        assert shown.endswith(f"(EMRA 2023-2050): Informe de avance 2025. {page_url}#figura-2")  # made absolute
        figure.get_by_role("button", name="Copiar cita").click()
        status = figure.locator(".cite-tools details .copy-status")
        status.filter(has_text="Cita copiada").wait_for(timeout=3000)
        assert status.get_attribute("aria-live") == "polite"
        assert page.evaluate("navigator.clipboard.readText()") == shown
        assert shown.startswith(AUTHOR_YEAR + "Figura 2. ")
        figure.get_by_role("button", name="Copiar enlace").click()
        figure.locator(".permalink .copy-status").filter(has_text="Enlace copiado").wait_for(timeout=3000)
        assert page.evaluate("navigator.clipboard.readText()") == f"{page_url}#figura-2"
    finally:
        context.close()


def test_copy_buttons_stay_hidden_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{server}/site/2025/datos/index.html", wait_until="networkidle")
        assert page.locator(".cite-edition .cite-text").is_visible()
        assert page.locator("button.copy-button").count() == 1
        assert not page.locator("button.copy-button").is_visible()
    finally:
        context.close()


def test_an_organism_ending_in_a_period_and_a_licence_named_licencia_read_well(shipped_report):
    """QA: «Antofagasta..» and «bajo licencia Licencia Abierta X» in the colophon and the downloads' frame (the site's
    footer and source lines use the same `end_sentence` filter and `needs_word`). One period, «licencia» said once."""
    from types import SimpleNamespace

    from emra_site.chart_export import chart_frame, png_text
    from emra_site.model import License
    from emra_site.render_pdf import render_print_html
    from emra_site.theme import end_sentence

    assert [end_sentence(t) for t in ("GORE", "GORE.", "Minera S.A.", "¿Qué?")] == ["GORE.", "GORE.", "Minera S.A.",
                                                                                    "¿Qué?"]
    odd = License("Licencia Abierta de Datos", "Licencia Abierta de Datos", "https://example.org/lad")
    assert not odd.needs_word and shipped_report.edition(2025).licencia.needs_word
    edition = dataclasses.replace(shipped_report.edition(2025), sections=(), organismo="Gobierno Regional.",
                                  licencia=odd)
    colophon = plain(re.search(r'<section class="colophon">.*?</section>',
                               render_print_html(edition, {}, REPO / "templates"), re.DOTALL).group(0))
    assert "Responsable: Gobierno Regional. Fecha" in colophon and "bajo la Licencia Abierta de Datos," in colophon
    chart = SimpleNamespace(number=2, plan=SimpleNamespace(title="Avance", description="Barras."))
    section = SimpleNamespace(slug="resumen", numero=1, titulo="Resumen")
    frame = chart_frame(chart, edition, section, None)
    texts = " ".join([*frame.footer, *(v for _, v in png_text(frame))])
    assert ".." not in texts and "icencia Licencia" not in texts and "Licencia Abierta de Datos (https" in texts
