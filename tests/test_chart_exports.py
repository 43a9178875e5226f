"""Chart downloads a journalist can reuse and attribute: the SVG and PNG carry title, figure, source,
date, licence and address (like Our World in Data's grapher export)."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image, ImageFont

from emra_site import chart_export as X
from emra_site.downloads import PNG_SCALE
from emra_site.model import DEFAULT_LICENSE
from emra_site.text_metrics import text_width, wrap_text

FONTS = Path(__file__).resolve().parent.parent / "templates" / "fonts"
SVG = "{http://www.w3.org/2000/svg}"
LICENSE_TEXT = "Licencia: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/deed.es)"
SOURCE_TEXT = "Fuente: Informe de avance 2025 de la EMRA 2023-2050, Gobierno Regional de Antofagasta, 30 de junio de 2025."

# A small hand-made chart: one dark bar on white, 480 × 160 px.
BARE = ('<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="480" height="160" viewBox="0 0 480 160">'
        '<rect width="480" height="160" fill="#ffffff"/><rect x="40" y="30" width="300" height="100" fill="#0b4f6c"/>'
        "</svg>")
EDITION = SimpleNamespace(anio=2025, titulo_corto="EMRA 2023-2050", subtitulo="Informe de avance 2025",
                          organismo="Gobierno Regional de Antofagasta", fecha_publicacion=dt.date(2025, 6, 30),
                          licencia=DEFAULT_LICENSE)
SECTION = SimpleNamespace(slug="acuerdos-transversales", numero="2", titulo="Acuerdos transversales")


def _chart(title="Avance de los acuerdos transversales por dimensión", description="Barras: ambiental 47%."):
    return SimpleNamespace(number=2, svg=BARE, plan=SimpleNamespace(title=title, description=description))


def frame_texts(svg: str) -> list[str]:
    """The text of each <text> of the frame (not of the nested chart), in order, XML-unescaped."""
    root = ET.fromstring(svg)
    return [t.text or "" for t in root.findall(f"{SVG}text")]


def _framed(chart=None, site_url=None):
    chart = chart or _chart()
    frame = X.chart_frame(chart, EDITION, SECTION, site_url)
    return frame, X.framed_svg(chart.svg, frame, FONTS)


def test_the_framed_svg_shows_title_figure_source_date_licence_and_address():
    _, svg = _framed()
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == "Avance de los acuerdos transversales por dimensión"
    assert root.find(f"{SVG}desc").text == "Barras: ambiental 47%."
    shown = frame_texts(svg)
    assert shown[:2] == ["Avance de los acuerdos transversales por dimensión",
                         "Figura 2 · 2. Acuerdos transversales · EMRA 2023-2050, Informe de avance 2025"]
    assert shown[-2:] == [LICENSE_TEXT, "Disponible en: 2025/acuerdos-transversales.html#figura-2"]
    source = shown[2:-2]  # wrapped to the 480 px chart, the date whole on its line
    assert len(source) == 2 and " ".join(source) == SOURCE_TEXT and "30 de junio de 2025." in source[1]
    assert root.get("width") == str(480 + 2 * X.CHART_INSET)
    chart = root.find(f"{SVG}g")
    assert chart.get("transform").startswith(f"translate({X.CHART_INSET},")
    assert chart.find(f"{SVG}svg") is None, "a nested <svg> doubles resvg's drawing time"
    assert [r.get("width") for r in chart.findall(f"{SVG}rect")] == ["480", "300"]  # the chart's drawing, whole


def test_with_a_site_url_the_address_is_absolute():
    frame, svg = _framed(site_url="https://org.github.io/emra/")
    assert frame.address == "https://org.github.io/emra/2025/acuerdos-transversales.html#figura-2"
    assert "Disponible en: https://org.github.io/emra/2025/acuerdos-transversales.html#figura-2" in frame_texts(svg)


def test_text_from_the_report_is_escaped():
    _, svg = _framed(_chart(title='Montos <M$> & "plazos"', description="a < b & c"))
    root = ET.fromstring(svg)  # parses: nothing was left unescaped
    assert frame_texts(svg)[0] == 'Montos <M$> & "plazos"' and root.find(f"{SVG}desc").text == "a < b & c"
    assert "<M$>" not in svg


def test_a_long_title_wraps_within_the_width():
    title = ("Avance de los acuerdos transversales de la dimensión ambiental, social, económica e institucional "
             "según lo reportado por cada servicio")
    _, svg = _framed(_chart(title=title))
    width = int(ET.fromstring(svg).get("width"))
    lines = [t for t in ET.fromstring(svg).findall(f"{SVG}text") if t.get("font-size") == "20px"]
    assert len(lines) >= 3 and " ".join(t.text for t in lines) == title
    # Measured by FreeType (Pillow), not by the fontTools advances the wrapping used.
    semibold = ImageFont.truetype(str(FONTS / "source-sans-3-semibold.ttf"), 20)
    for t in lines:
        assert float(t.get("x")) + semibold.getlength(t.text) <= width - X.MARGIN
    baselines = [float(t.get("y")) for t in lines]
    assert [b - a for a, b in itertools.pairwise(baselines)] == pytest.approx([X.TITLE[2]] * (len(lines) - 1), abs=0.01)


def test_an_address_longer_than_a_line_is_cut_after_a_slash():
    lines = wrap_text("Disponible en: https://example.org/" + "/".join(["carpeta-larga"] * 12), 300, 13, 400, FONTS)
    assert len(lines) > 2 and all(text_width(line, 13, 400, FONTS) <= 300 for line in lines)
    assert all(line.endswith("/") for line in lines[1:-1])


def test_the_png_is_the_framed_svg_with_its_texts_as_chunks_and_the_same_bytes_each_time():
    frame, svg = _framed()
    png = X.framed_png(svg, frame, FONTS, PNG_SCALE)
    assert png == X.framed_png(svg, frame, FONTS, PNG_SCALE)
    image = Image.open(io.BytesIO(png))
    width, height = int(ET.fromstring(svg).get("width")), int(ET.fromstring(svg).get("height"))
    assert image.size == (round(PNG_SCALE * width), round(PNG_SCALE * height))
    assert image.height > PNG_SCALE * 160  # taller than the bare chart: the frame is drawn
    assert image.text == {
        "Title": "Avance de los acuerdos transversales por dimensión",
        "Description": "Barras: ambiental 47%.",
        "Author": "Gobierno Regional de Antofagasta",
        "Source": SOURCE_TEXT.removeprefix("Fuente: ") + " 2025/acuerdos-transversales.html#figura-2",
        "Copyright": f"Gobierno Regional de Antofagasta. {LICENSE_TEXT}",
        "Creation Time": "Mon, 30 Jun 2025 00:00:00 -0400",
    }
    top = _chart_top(svg)
    assert _dark_pixels(image, 0, round(top * PNG_SCALE)) > 500  # the title and subtitle are drawn
    assert _dark_pixels(image, round((top + 160) * PNG_SCALE), image.height) > 500  # and the footer


def _chart_top(svg: str) -> float:
    return float(re.search(rf'<g transform="translate\({X.CHART_INSET},([\d.]+)\)">', svg).group(1))


def _dark_pixels(image: Image.Image, top: int, bottom: int) -> int:
    band = image.convert("L").crop((0, top, image.width, bottom))
    return sum(band.point(lambda v: 255 if v < 128 else 0).histogram()[255:])


# --- the shipped edition's downloads (built without --site-url) ---

@pytest.fixture(scope="module")
def shipped_figure_2(shipped_build):
    folder = shipped_build.site / "2025" / "graficos"
    return (folder / "avance-dimensiones.svg").read_text(encoding="utf-8"), (folder / "avance-dimensiones.png").read_bytes()


def test_the_shipped_chart_downloads_are_framed(shipped_figure_2):
    svg, png = shipped_figure_2
    shown = frame_texts(svg)
    assert shown[:2] == ["Avance de los acuerdos transversales por dimensión",
                         "Figura 2 · 2. Avances de los acuerdos transversales · EMRA 2023-2050, Informe de avance 2025"]
    assert shown[-3:] == [SOURCE_TEXT, LICENSE_TEXT, "Disponible en: 2025/acuerdos-transversales.html#figura-2"]
    # Its own fonts, the frame's semibold title included, and no fetch from anywhere.
    for weight in (400, 600):
        assert f"@font-face{{font-family:'Source Sans 3';font-weight:{weight};src:url(data:font/woff2;base64," in svg
    image = Image.open(io.BytesIO(png))
    assert image.text["Title"] == "Avance de los acuerdos transversales por dimensión"
    assert image.text["Source"].endswith("30 de junio de 2025. 2025/acuerdos-transversales.html#figura-2")
    assert "CC BY 4.0" in image.text["Copyright"]
    framed_width = int(ET.fromstring(svg).get("width"))
    bare_height = float(ET.fromstring(svg).find(f"{SVG}g/{SVG}rect").get("height"))  # the chart's background
    assert framed_width == 768 + 2 * X.CHART_INSET and image.width == PNG_SCALE * framed_width
    assert image.height > PNG_SCALE * bare_height + 100
    assert _dark_pixels(image, 0, round(_chart_top(svg) * PNG_SCALE)) > 1000


def test_every_shipped_download_points_at_its_figure(shipped_build):
    site = shipped_build.site
    framed = [p for p in (site / "2025" / "graficos").glob("*.svg")]
    assert len(framed) == 11
    for path in framed:
        shown = frame_texts(path.read_text(encoding="utf-8"))
        number = int(re.match(r"Figura (\d+) · ", shown[1]).group(1))
        address = shown[-1].removeprefix("Disponible en: ")
        page, anchor = address.split("#")
        assert anchor == f"figura-{number}" and f'id="{anchor}"' in (site / page).read_text(encoding="utf-8")


def test_write_extras_frames_downloads_with_the_site_url(shipped_build, tmp_path, monkeypatch):
    """The site URL reaches the frames (warm cache, read only; the PNG drawing is left out)."""
    from emra_site.cache import Cache
    from emra_site.pipeline import render_all_charts, require_report, write_extras

    class ReadOnly(Cache):
        def put(self, kind, key, value):
            pass

    cache = ReadOnly(shipped_build.root / ".cache" / "emra")
    report, _ = require_report(shipped_build, cache)
    charts, translations = render_all_charts(shipped_build, report, cache)
    monkeypatch.setattr(X, "framed_png", lambda svg, frame, font_dir, scale: b"\x89PNG " + frame.address.encode())
    write_extras(shipped_build, report, charts, tmp_path, cache, site_url="https://org.github.io/emra",
                 translations=translations)
    svg = (tmp_path / "2025" / "graficos" / "avance-dimensiones.svg").read_text(encoding="utf-8")
    assert frame_texts(svg)[-1] == "Disponible en: https://org.github.io/emra/2025/acuerdos-transversales.html#figura-2"
    # The English frame names the English page, in the English folder.
    svg = (tmp_path / "en" / "2025" / "graficos" / "avance-dimensiones.svg").read_text(encoding="utf-8")
    assert frame_texts(svg)[-1] == "Available at: https://org.github.io/emra/en/2025/cross-cutting-agreements.html#figura-2"
