"""The artifact as the web team receives it: valid HTML, page weight budget, Pages files, data for reuse."""

import json
import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, need_tool

# Issue 14, item 6: no page heavier than 150 KB with its charts. Bytes of HTML (its charts are inline SVGs) + CSS
# + JS per page, excluding the web fonts (shared and cached), photos and search chunks; tests/test_browser.py also
# checks what a first visit transfers, fonts included and text gzip-compressed as GitHub Pages serves it.
PAGE_BUDGET = 150 * 1024


def vnu_jar() -> Path:
    path = Path(os.environ.get("VNU_JAR", REPO / ".cache" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"))
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"vnu.jar is required in CI but was not found at {path}")
        pytest.skip("vnu.jar not installed (npm install vnu-jar)")
    return path


def test_every_page_passes_the_nu_html_checker(shipped_build):
    java = need_tool("java")
    pages = sorted(str(p) for p in shipped_build.site.rglob("*.html"))
    result = subprocess.run([java, "-jar", str(vnu_jar()), "--errors-only", "--format", "json", *pages],
                            check=False, capture_output=True, text=True, timeout=240)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert messages == [], "\n".join(f"{m.get('url')}:{m.get('lastLine')}: {m['message']}" for m in messages)
    assert len(pages) >= 10


def _page_weight(page: Path, site: Path) -> int:
    html = page.read_text(encoding="utf-8")
    total = len(html.encode("utf-8"))
    for ref in re.findall(r'<(?:link rel="stylesheet"|script[^>]*) (?:href|src)="([^"]+)"', html):
        target = site / ref.lstrip("/") if ref.startswith("/") else page.parent / ref  # 404.html is root-absolute
        total += target.resolve().stat().st_size
    return total


def test_every_page_fits_the_weight_budget(shipped_build):
    site = shipped_build.site
    weights = {p.relative_to(site).as_posix(): _page_weight(p, site) for p in site.rglob("*.html")
               if "pagefind" not in p.parts}
    assert weights and max(weights.values()) <= PAGE_BUDGET, weights
    search = site / "buscar.html"
    # The search page also loads Pagefind's own script; the index chunks it fetches are excluded.
    assert _page_weight(search, site) + (site / "pagefind" / "pagefind.js").stat().st_size <= PAGE_BUDGET


def test_pages_artifact_has_what_github_pages_needs(shipped_build):
    site = shipped_build.site
    assert (site / ".nojekyll").is_file()
    assert (site / "assets" / "favicon.svg").is_file()
    not_found = (site / "404.html").read_text(encoding="utf-8")
    assert 'href="/assets/css/site.css"' in not_found and 'href="/index.html"' in not_found
    names = [p.relative_to(site).as_posix() for p in site.rglob("*") if "pagefind" not in p.parts]
    assert [n for n in names if n != n.lower() or not n.isascii() or " " in n] == []
    assert (site / "pagefind" / "pagefind.js").is_file()


@pytest.mark.slow
def test_site_url_adds_canonical_open_graph_and_sitemap(url_build):
    paths = url_build  # the shipped build built again with https://org.github.io/emra (read only)
    page = (paths.site / "2025" / "resumen.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://org.github.io/emra/2025/resumen.html">' in page
    assert '<meta property="og:locale" content="es_CL">' in page
    # Every page is shared with its own card: a section its section's, the others the edition's.
    assert '<meta property="og:image" content="https://org.github.io/emra/2025/kit/tarjetas/seccion-resumen-1200x630.png">' in page
    home = (paths.site / "index.html").read_text(encoding="utf-8")
    assert '<meta property="og:image" content="https://org.github.io/emra/2025/kit/tarjetas/edicion-1200x630.png">' in home
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    for shared in (page, home):
        image = re.search(r'<meta property="og:image" content="https://org.github.io/emra/([^"]+)">', shared).group(1)
        assert (paths.site / image).read_bytes().startswith(b"\x89PNG")
        alt = re.search(r'<meta property="og:image:alt" content="([^"]+)">', shared).group(1)
        assert "Informe de avance 2025" in alt
    # The cards carry the site's address; the posts link to the page they promote.
    posts = (paths.site / "2025" / "kit" / "publicaciones.csv").read_text(encoding="utf-8-sig")
    assert "https://org.github.io/emra/2025/resumen.html #EMRA2050" in posts
    sitemap = (paths.site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://org.github.io/emra/2025/varios.html</loc>" in sitemap and "404.html" not in sitemap
    assert "<loc>https://org.github.io/emra/2025/kit/index.html</loc>" in sitemap
    assert "Sitemap: https://org.github.io/emra/sitemap.xml" in (paths.site / "robots.txt").read_text(encoding="utf-8")
    not_found = (paths.site / "404.html").read_text(encoding="utf-8")
    assert 'href="https://org.github.io/emra/index.html"' in not_found


def test_without_site_url_no_absolute_metadata_is_emitted(shipped_build):
    page = (shipped_build.site / "2025" / "resumen.html").read_text(encoding="utf-8")
    assert "canonical" not in page and "og:" not in page
    assert not (shipped_build.site / "sitemap.xml").exists()


def test_data_package_describes_every_table_and_the_zip_holds_everything(shipped_build):
    from emra_site.downloads import tidy_columns
    from emra_site.schema import TABLES

    datos = shipped_build.site / "2025" / "datos"
    package = json.loads((datos / "datapackage.json").read_text(encoding="utf-8"))
    assert package["profile"] == "tabular-data-package"
    resources = {r["name"]: r for r in package["resources"] if not r["name"].startswith("grafico-")}
    assert set(resources) == {t.name for t in TABLES}
    for t in TABLES:
        fields = resources[t.name]["schema"]["fields"]
        assert [f["name"] for f in fields] == [c.name for c in tidy_columns(t.columns)]
        assert all(f["description"] and f["type"] for f in fields)
        assert (datos / resources[t.name]["path"]).is_file()
    acuerdos = resources["acuerdos"]["schema"]
    assert acuerdos["foreignKeys"] == [{"fields": ["dimension"], "reference": {"resource": "dimensiones", "fields": ["id"]}}]
    avance = next(f for f in acuerdos["fields"] if f["name"] == "avance")
    assert avance["type"] == "number" and avance["constraints"] == {"minimum": 0, "maximum": 100}
    with zipfile.ZipFile(datos / "emra-datos-2025.zip") as archive:
        names = set(archive.namelist())
    assert {"datapackage.json", "acuerdos.csv", "acuerdos.json"} <= names
    assert any(n.startswith("graficos/") and n.endswith(".csv") for n in names)


def test_every_chart_offers_svg_png_and_csv(shipped_build):
    year = shipped_build.site / "2025"
    for svg in (year / "graficos").glob("*.svg"):
        assert svg.with_suffix(".png").read_bytes().startswith(b"\x89PNG")
        assert (year / "datos" / "graficos" / f"{svg.stem}.csv").is_file()
