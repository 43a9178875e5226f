"""Yearly editions: new-edition, the archive, banners, stable URLs and what changed."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import REPO, copy_built, copy_inputs
from helpers import run_cli
from pypdf import PdfReader

from emra_site.app import build
from emra_site.pipeline import Paths, read_report

TRES = REPO / "tests" / "fixtures" / "tres-ediciones"


@pytest.fixture(scope="module")
def three(three_build):
    """The synthetic three-edition project (2023, 2024, 2025), built once per session (read only here)."""
    return three_build


def test_deltas_between_editions_never_treat_blank_as_zero():
    report, diags = read_report(Paths.of(TRES))
    assert report is not None, diags
    e2023, e2024, e2025 = report.editions
    assert e2023.cambios is None
    texts24 = {k: d.text for k, d in e2024.cambios.agreements.items()}
    assert texts24 == {"AMB-01": "+12 pts", "AMB-02": "sin cambio", "SOC-01": "sin dato", "AMB-03": "nuevo"}
    texts25 = {k: d.text for k, d in e2025.cambios.agreements.items()}
    assert texts25 == {"AMB-01": "+8 pts", "AMB-02": "sin dato", "SOC-01": "sin cambio"}
    assert [a.id for a in e2025.cambios.dropped_agreements] == ["AMB-03"]
    assert [i.id for i in e2024.cambios.added_initiatives] == ["OE2-M1"]
    assert [i.id for i in e2024.cambios.dropped_initiatives] == ["OE1-M1"]
    assert [(p.id, what) for p, what in e2025.cambios.changed_projects] == [("5.3", "cambiaron sus etapas")]
    assert e2025.cambios.dimensions["ambiental"].text == "+2,5 pts"
    assert e2025.cambios.dimensions["social"].text == "sin dato"
    moved = [k for k, _ in e2024.cambios.moved()]
    assert moved == ["AMB-01"]


def test_every_edition_has_its_pages_and_the_archive_lists_them(three):
    site = three.site
    for year in ("2023", "2024", "2025"):
        assert (site / year / "acuerdos.html").is_file()
        assert (site / year / f"emra-informe-avance-{year}.pdf").is_file()
    assert not (site / "2023" / "cambios.html").exists()
    archive = (site / "ediciones.html").read_text(encoding="utf-8")
    for year in ("2023", "2024", "2025"):
        assert f'href="{year}/emra-informe-avance-{year}.pdf"' in archive
    assert 'href="2025/cambios.html">¿Qué cambió desde 2024?' in archive
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="2024/acuerdos.html"' in index and 'href="ediciones.html"' in index
    # On a phone the archive is one card per edition, like every table of three or more columns (site.css).
    assert '<table class="stack">' in archive
    assert re.findall(r'<td data-label="([^"]+)"', archive) == ["Fecha", "Informe", "Cambios"] * 3


def test_older_editions_carry_a_banner_to_the_same_page_in_the_latest(three):
    old = (three.site / "2023" / "proyectos.html").read_text(encoding="utf-8")
    assert 'class="old-edition"' in old and 'href="../2025/proyectos.html">Ver esta página en la edición más reciente' in old
    latest = (three.site / "2025" / "proyectos.html").read_text(encoding="utf-8")
    assert 'class="old-edition"' not in latest


def _header(html: str) -> tuple[str, str, str, str]:
    """(header edition name, header PDF href, <title>, footer edition line) of a built page."""
    footer = html[html.index('<footer class="site-footer">'):]
    return (re.search(r'<span class="brand-name">([^<]*)</span>', html)[1],
            re.search(r'<a class="header-pdf" href="([^"]+)"', html)[1],
            re.search(r"<title>([^<]*)</title>", html)[1],
            re.search(r"</strong>\. ([^<]*)</p>", footer)[1])


def test_every_page_of_an_edition_names_it_and_downloads_its_own_pdf(three):
    site = three.site
    for year in ("2023", "2024", "2025"):
        subtitle = f"Informe de avance {year} (edición sintética de prueba)"
        pdf = site / year / f"emra-informe-avance-{year}.pdf"
        pages = sorted((site / year).glob("*.html")) + [site / year / "datos" / "index.html"]
        assert len(pages) >= 3  # its sections (and its «¿Qué cambió?») and its Datos page
        for page in pages:
            name, href, title, footer = _header(page.read_text(encoding="utf-8"))
            assert name == f"EMRA 2023-2050 · {subtitle}", page
            assert title.endswith(subtitle), page
            assert (page.parent / href).resolve() == pdf.resolve() and pdf.is_file(), (page, href)
            assert footer == f"{subtitle}, 30 de junio de {year}.", page
    # The banner of an older edition still leads to the latest; pages of no edition name the latest.
    old = (site / "2023" / "datos" / "index.html").read_text(encoding="utf-8")
    assert 'class="old-edition"' in old and 'href="../../2025/datos/index.html">Ver esta página en la edición más reciente (2025)' in old
    for page in (site / "buscar.html", site / "ediciones.html", site / "index.html"):
        name, href, _, _ = _header(page.read_text(encoding="utf-8"))
        assert name.endswith("Informe de avance 2025 (edición sintética de prueba)") and href == "2025/emra-informe-avance-2025.pdf"


def test_changes_page_tables_and_pdf_show_the_comparison(three):
    page = (three.site / "2025" / "cambios.html").read_text(encoding="utf-8")
    assert "AMB-01 · Disminución al 60% al 2030 del uso de agua continental" in page and ">+8 pts<" in page
    assert "Sin dato en una de las dos ediciones: AMB-02." in page
    acuerdos = (three.site / "2025" / "acuerdos.html").read_text(encoding="utf-8")
    assert "Cambio desde 2024" in acuerdos and ">+8 pts<" in acuerdos
    text = "\n".join(p.extract_text() for p in PdfReader(three.site / "2025" / "emra-informe-avance-2025.pdf").pages)
    assert "¿Qué cambió desde 2024?" in text and "+8 pts" in text
    assert len(list((three.site / "2025" / "graficos").glob("cambios-*.svg"))) >= 2


def test_urls_of_an_edition_do_not_change_when_a_new_one_is_added(three, tmp_path):
    paths = copy_built(three, tmp_path / "dos")  # warm: only what the missing 2025 changes is rebuilt
    shutil.rmtree(paths.content / "2025")
    shutil.rmtree(paths.data / "2025")
    build(paths)
    before = {p.relative_to(paths.site).as_posix() for p in (paths.site / "2023").rglob("*")}
    after = {p.relative_to(three.site).as_posix() for p in (three.site / "2023").rglob("*")}
    assert before == after


def test_new_edition_on_a_copy_of_the_shipped_project(tmp_path):
    root = copy_inputs(tmp_path / "p")
    code, out = run_cli(["-C", str(root), "new-edition", "2026"])
    assert code == 0
    assert "data/2026/acuerdos.csv: complete «avance» en 18 filas" in out
    rows = (root / "data" / "2026" / "acuerdos.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "id;dimension;acuerdo;avance;origen_avance;avance_anterior"
    assert rows[1].startswith("AMB-01;ambiental;") and rows[1].endswith(";;;60")
    assert (root / "content" / "2026" / "resumen.md").read_text(encoding="utf-8").startswith("---\nrevisar: ")
    assert "anio: 2026" in (root / "content" / "2026" / "edition.yml").read_text(encoding="utf-8")
    # A copied edition is valid but flagged: check warns, --strict refuses to publish it.
    code, out = run_cli(["-C", str(root), "check"])
    assert code == 0 and "aún sin revisar" in out
    code, _ = run_cli(["-C", str(root), "--strict", "check"])
    assert code == 1
    # Never overwrite, never go back in time, always a year.
    assert run_cli(["-C", str(root), "new-edition", "2026"])[0] == 1
    assert run_cli(["-C", str(root), "new-edition", "2024"])[0] == 1
    assert run_cli(["-C", str(root), "new-edition", "dos"])[0] == 2


def test_the_single_real_edition_has_no_comparison(shipped_build):
    assert not (shipped_build.site / "2025" / "cambios.html").exists()
    assert not (shipped_build.site / "ediciones.html").exists()
    assert "Cambio desde" not in (shipped_build.site / "2025" / "acuerdos-transversales.html").read_text(encoding="utf-8")


# Issue 14: what a reader of an older edition gets on a phone and a desktop is what the shipped edition's readers get
# (tests/test_browser.py checks the shipped edition page by page).
# The pages only an edition archive has (the changes page, the archive) and an older edition's sections; the other
# templates are the shipped edition's, checked there. On a desktop, where nothing stacks, the archive's own pages.
OLDER_PAGES = {390: ["2023/acuerdos.html", "2023/proyectos.html", "2024/cambios.html", "ediciones.html"],
               1280: ["2023/proyectos.html", "2024/cambios.html", "ediciones.html"]}


@pytest.mark.parametrize("width", sorted(OLDER_PAGES))
def test_older_editions_read_well_on_a_phone_and_a_desktop(three, browser, width):
    """Every «Ver los datos» open: key table columns on screen, captions whole, ids on one line, chart text ≥ 12 px,
    no sideways scroll, and axe (WCAG 2.2 AA + best practices) finds nothing."""
    from axe_playwright_python.sync_playwright import Axe
    from test_browser import AXE_TAGS, CHART_TEXT_PX, TABLE_PROBLEMS

    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    problems, charts, axe = [], 0, Axe()
    try:
        for path in OLDER_PAGES[width]:
            page.goto((three.site / path).as_uri(), wait_until="load")
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            problems += [f"{path}: {p}" for p in page.evaluate(TABLE_PROBLEMS)]
            assert page.evaluate("document.documentElement.scrollWidth") == width, path
            assert page.evaluate(CHART_TEXT_PX) >= 12, path
            charts += page.locator("svg.chart-svg").count()
            results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
            assert results.violations_count == 0, f"{path}\n{results.generate_report()}"
        assert problems == []
        assert charts >= 2  # the fixture's older pages do show charts
    finally:
        context.close()
