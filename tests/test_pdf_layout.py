"""PDF layout that must not break silently (issue 13, kind 2), and the layout net over every page.

Fast tests lay out small documents with the real print stylesheet and fonts; one slow test builds
the PDF of a copy of tests/fixtures/minimo that holds the cases at once (edition 2025).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO
from helpers import MINIMO, spec_nodes
from markupsafe import Markup

from emra_site.errors import ERROR, WARNING, SourceLoc, error, warning
from emra_site.literals import Literal, for_print, literal, literal_breaks, split_literals
from emra_site.pdf_layout import (
    Place,
    Places,
    allow_breaks,
    layout_diagnostics,
    lone_headings,
    offenders,
    unsplittable_overflows,
)

TEMPLATES = REPO / "templates"
PRINT_CSS = TEMPLATES / "print" / "print.css"
# The case pdf-md-01's address and code (a URL with hyphens, a long code with underscores).
URL = ("https://www.goreantofagasta.cl/documentos/estrategia-minera-regional/anexos/"
       "ficha-tecnica-acuerdo-ambiental-agua-continental-2025-version-final.pdf")
CODE = "EMRA_AMB01_AGUA_CONTINENTAL_FICHA_TECNICA_VERSION_FINAL_2025_REVISADA"
# The case pdf-md-03's activity name (110 characters).
LONG_NAME = ("Campaña 1: difusión de los acuerdos transversales en radios comunitarias, medios regionales "
             "y redes de juntas de vecinos")
CHAPTER = Place("el capítulo 6 «Varios»", SourceLoc("content/2025/varios.md"), chapter=True)
TABLE = Place("la tabla 3", SourceLoc("content/2025/varios.md", 12))
IMAGE = Place("la imagen «img/infografia.png»", SourceLoc("content/2025/img/infografia.png"))
PLACES = Places(Place("el informe", SourceLoc("templates/print")), {"cap-varios": CHAPTER, "tabla-3": TABLE},
                {"imagenes/infografia.png": IMAGE})


# --- URLs, e-mail addresses, ids and codes -------------------------------------------------------------

def test_text_splits_into_plain_text_and_literals():
    pieces = split_literals(f"Ver {URL} y escribir a ana.perez@gore.cl sobre {CODE}, OE1-C1, AMB-01, OE3 y 2023-2050.")
    assert [p.text for p in pieces if isinstance(p, Literal)] == [URL, "ana.perez@gore.cl", CODE, "OE1-C1", "AMB-01"]
    assert "".join(p if isinstance(p, str) else p.text for p in pieces).endswith(", OE3 y 2023-2050.")


def test_a_literal_breaks_only_after_a_slash_or_before_a_dot_and_keeps_hyphenated_pieces_whole():
    assert literal("https://www.gore.cl/documentos/ficha-tecnica.pdf").parts == (
        ("https://", True), ("www", False), (".gore", False), (".cl/", False), ("documentos/", False),
        ("ficha-tecnica", True), (".pdf", False))
    assert literal("OE1-C1").parts == (("OE1-C1", True),)
    # A piece no line could hold may still break at its hyphens rather than run off the page.
    assert literal("https://x.cl/" + "-".join(["palabra"] * 12)).parts[-1] == ("-".join(["palabra"] * 12), False)


def test_table_cells_mark_ids_and_escape_everything_else():
    assert literal_breaks("<b>OE1-C1</b>") == Markup(
        '&lt;b&gt;<span class="literal"><span class="literal-part">OE1-C1</span></span>&lt;/b&gt;')
    assert literal_breaks("Mejorar la calidad de vida") == Markup("Mejorar la calidad de vida")
    assert literal_breaks("www.gore.cl/a") == Markup('<span class="literal">www<wbr>.gore<wbr>.cl/<wbr>a</span>')


def test_narrative_marks_literals_for_print_in_text_and_links_but_not_in_alt_text_or_code():
    from emra_site.markdown import PARSER

    source = f"Código {CODE} en <{URL}>. ![Mapa OE1-C1](img/mapa.png) `OE1-C1`"
    html = PARSER.render(source, {"print": True})
    assert f'Código <span class="literal">{CODE}</span> en <a href="{URL}"><span class="literal">' in html
    assert '<span class="literal-part">ficha-tecnica-acuerdo-ambiental-agua-continental-2025-version-final</span><wbr>.pdf' in html
    assert 'alt="Mapa OE1-C1"' in html and "<code>OE1-C1</code>" in html
    assert for_print(html).count("\u200b") == html.count("<wbr>") > 0 and "<wbr>" not in for_print(html)
    # The site's rendering is untouched: a browser does not hyphenate.
    assert PARSER.render(source) == (f'<p>Código {CODE} en <a href="{URL}">{URL}</a>. <img src="img/mapa.png" '
                                     'alt="Mapa OE1-C1" /> <code>OE1-C1</code></p>\n')


# --- small documents laid out with the print stylesheet and the shipped fonts ---------------------------

@pytest.fixture(scope="module")
def lay_out():
    """Lay out `body` (HTML) as the report's print document would be; `css` replaces print.css."""
    from emra_site.fonts import font_dir, only_shipped_fonts
    from emra_site.render_pdf import import_weasyprint

    import_weasyprint(TEMPLATES)
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    with only_shipped_fonts(font_dir(TEMPLATES)):
        fonts = FontConfiguration()
    print_css = CSS(filename=str(PRINT_CSS), font_config=fonts)

    def run(body: str, base: Path | None = None, css: str | None = None, source=None):
        html = source or HTML(string=f'<html lang="es"><body>{for_print(body)}</body></html>',
                              base_url=(base or REPO).as_uri() + "/")
        sheet = print_css if css is None else CSS(string=css, font_config=fonts)
        return html.render(stylesheets=[sheet], font_config=fonts), html

    return run


def _lines(document) -> list[list[str]]:
    """The text of each line of each page, running headers and footers left out."""
    from weasyprint.formatting_structure import boxes

    pages = []
    for page in document.pages:
        lines = []
        for box in page._page_box.children[0].descendants():  # the document, not the margin boxes
            if isinstance(box, boxes.LineBox):
                lines.append("".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox)))
        pages.append(lines)
    return pages


@pytest.fixture(scope="module")
def infographic(tmp_path_factory) -> Path:
    """The case pdf-md-15's image: 800 × 2000 px, green bands and a red band at the bottom."""
    from PIL import Image, ImageDraw

    folder = tmp_path_factory.mktemp("imagen")
    image = Image.new("RGB", (800, 2000), "#e4eef8")
    draw = ImageDraw.Draw(image)
    for i in range(8):
        draw.rectangle((0, i * 230, 800, i * 230 + 20), fill="#1e7045")
    draw.rectangle((0, 1880, 800, 2000), fill="#c81e1e")
    (folder / "imagenes").mkdir()
    image.save(folder / "imagenes" / "infografia.png")
    return folder


INFOGRAPHIC_CHAPTER = ('<section class="chapter" id="cap-varios"><h1>6 Varios</h1>'
                       + "<p>Texto del capítulo.</p>" * 30
                       + '<div class="prose"><h2>Infografía</h2><p><img src="imagenes/infografia.png" '
                         'alt="Infografía vertical"></p><p>Texto después de la infografía.</p></div></section>')
BARE_PAGE = "@page { size: A4; margin: 22mm 18mm 22mm 24mm; }"


def test_net_reports_an_image_past_the_margin_and_its_lone_heading(lay_out, infographic):
    document, _ = lay_out(INFOGRAPHIC_CHAPTER, infographic, css=BARE_PAGE)  # no image rule: the old template
    image, heading = layout_diagnostics(document, PLACES)
    # 800 px from the body's 8 px margin, in a text block of 168 mm (635 px): 4.6 cm past the right margin;
    # 2000 px from the top of a 253 mm (956 px) text block: 27.6 cm past its bottom, over the footer.
    assert image == error(IMAGE.loc, (
        "en el PDF, la imagen «img/infografia.png» en el capítulo 6 «Varios» sale del área de impresión en la "
        "página 4: sobresale 4,6 cm por la derecha y 27,6 cm por abajo, sobre el margen o fuera del papel. Todo debe "
        "caber dentro de los márgenes de la página (16,8 × 25,3 cm); use una imagen más pequeña o divídala en partes"))
    assert heading == warning(CHAPTER.loc, (
        "en el PDF, el título «Infografía» queda solo al pie de la página 3 y lo que presenta empieza en la página 4: "
        "lo que sigue al título no cabe con él en una página. Se esperaba el título junto a su contenido; acorte o "
        "divida lo que sigue al título"))


def test_print_css_fits_the_image_in_the_text_block_and_keeps_its_heading_with_it(lay_out, infographic):
    document, _ = lay_out(INFOGRAPHIC_CHAPTER, infographic)
    assert layout_diagnostics(document, PLACES) == []
    img = next(b for p in document.pages for b in p._page_box.descendants() if b.element_tag == "img")
    page = next(i for i, p in enumerate(document.pages) if img in list(p._page_box.descendants()))
    assert round(img.height * 25.4 / 96) == 200  # at most 200 mm high…
    assert img.width / img.height == pytest.approx(800 / 2000, rel=0.01)  # …and not distorted
    assert "Infografía" in _lines(document)[page]  # the heading is on the image's page


def test_net_names_a_word_that_cannot_break_with_its_table_chapter_and_block(lay_out):
    word = "x" * 160
    body = (f'<section class="chapter" id="cap-varios"><div aria-labelledby="tabla-3"><table><caption id="tabla-3">'
            f"Tabla 3</caption><tr><td>{word}</td></tr></table></div></section>")
    document, _ = lay_out(body, css=BARE_PAGE + " td { white-space: nowrap }")
    [diag] = layout_diagnostics(document, PLACES)
    assert diag.loc == TABLE.loc and diag.level == ERROR
    assert diag.message.startswith(f"en el PDF, el texto «{'x' * 37}…» en la tabla 3 en el capítulo 6 «Varios» sale "
                                   "del área de impresión en la página 1: sobresale ")
    assert diag.message.endswith("ese texto no tiene dónde cortarse (ni espacios ni «/»): acórtelo, agregue espacios o, "
                                 "si es una dirección web, escríbala como enlace: [texto](https://…)")


def test_net_names_the_line_of_a_long_word_in_a_chapter_heading_or_paragraph(lay_out, tmp_path):
    """QA 9a: a 90-character word in a heading said only «content/2025/varios.md: en el PDF, el texto …»."""
    word, other = "largasSinEspacios" * 5 + "Final", "otraPalabraSinCortes" * 5
    markdown = tmp_path / "varios.md"
    markdown.write_text(f"---\ntitulo: Varios\n---\n\nTexto.\n\n## Anexo {word}\n\nOtra {other} aquí.\n",
                        encoding="utf-8")
    chapter = Place("el capítulo 6 «Varios»", SourceLoc("content/2025/varios.md"), chapter=True, source=markdown)
    places = Places(PLACES.document, {"cap-varios": chapter})
    body = (f'<section class="chapter" id="cap-varios"><div class="prose"><h2>Anexo {word}</h2>'
            f"<p>Otra {other} aquí.</p></div></section>")
    document, _ = lay_out(body, css=BARE_PAGE)
    diags = layout_diagnostics(document, places)
    assert [str(d.loc) for d in diags] == ["content/2025/varios.md:7:10", "content/2025/varios.md:9:6"], diags
    assert diags[0].message.startswith("en el PDF, el texto «largasSinEspacios")
    # Not in the file (a generated text): no line, the message keeps the chapter's file.
    from emra_site.pdf_layout import _text_line

    assert _text_line(chapter, "nada parecido") is None


def test_net_says_a_table_with_too_many_columns_needs_fewer_columns(lay_out):
    """QA 9b: a 13-column table blamed one header («Indicador_2_2024») and advised shortening it."""
    heads = "".join(f"<th>{literal_breaks(f'Indicador_{i}_2024')}</th>" for i in range(13))
    cells = "".join(f"<td>{i},5</td>" for i in range(13))
    body = (f'<section class="chapter" id="cap-varios"><div aria-labelledby="tabla-3"><table><caption id="tabla-3">'
            f"Tabla 3</caption><thead><tr>{heads}</tr></thead><tbody><tr>{cells}</tr></tbody></table></div></section>")
    document, _ = lay_out(body, css=BARE_PAGE)
    [diag] = layout_diagnostics(document, PLACES)
    assert diag.loc == TABLE.loc
    assert diag.message.startswith("en el PDF, la tabla 3 en el capítulo 6 «Varios» sale del área de impresión en la "
                                   "página 1: sobresale "), diag.message
    assert diag.message.endswith("la tabla tiene 13 columnas y no caben una al lado de la otra en el ancho de la "
                                 "página, aunque se acorte un encabezado o una celda: muestre menos columnas (deje en "
                                 "el archivo solo las que el informe necesita o divídalo en dos tablas)")


def test_urls_and_codes_are_never_hyphenated_and_break_only_after_slash_or_before_dot(lay_out):
    text = f"La ficha técnica está en {URL} y su código interno es {CODE}, del acuerdo AMB-01 y la iniciativa OE1-C1."
    body = f'<div class="prose"><p>{literal_breaks(text)}</p></div>'
    document, _ = lay_out(body)
    lines = [line.replace("\u200b", "") for line in _lines(document)[0]]
    assert len(lines) >= 3
    assert " ".join(lines).replace("/ ", "/").replace(" .", ".") == text  # no hyphen added
    for line, after in itertools.pairwise(lines):
        assert not line.endswith("-"), line  # neither a hyphen added nor a break at the address's own
        joined = line.rsplit(" ", 1)[-1] + after.split(" ", 1)[0]
        if joined in URL:
            assert line.endswith("/") or after.startswith("."), (line, after)
    assert any("AMB-01" in line for line in lines) and any("OE1-C1" in line for line in lines)
    assert layout_diagnostics(document, PLACES) == []


def test_ids_in_a_narrow_table_column_stay_whole(lay_out):
    rows = "".join(f"<tr><th>{literal_breaks(i)}</th><td>{'Mejorar la calidad de vida de la región ' * 3}</td></tr>"
                   for i in ("OE1-C1", "OE1-M10", "AMB-01"))
    document, _ = lay_out(f"<table><thead><tr><th>Id</th><th>Iniciativa</th></tr></thead><tbody>{rows}</tbody></table>")
    lines = _lines(document)[0]
    assert {"OE1-C1", "OE1-M10", "AMB-01"} <= set(lines)


def _table(rows: int, long_cell: str) -> str:
    body = "".join(f"<tr><th>{literal_breaks(f'OE1-M{i}')}</th><td>mediano</td><td>Iniciativa adicional número {i}</td>"
                   "</tr>" for i in range(1, rows + 1))
    body += f"<tr><th>{literal_breaks(f'OE1-M{rows + 1}')}</th><td>mediano</td><td>{long_cell}</td></tr>"
    return ('<table><caption>Tabla 6. Iniciativas</caption><thead><tr><th>Id</th><th>Plazo</th><th>Iniciativa</th>'
            f"</tr></thead><tbody>{body}</tbody></table>")


def test_a_row_taller_than_a_page_breaks_with_the_header_on_every_page_and_no_gap(lay_out):
    long_cell = "Desarrollar un programa plurianual de mejoramiento de la infraestructura comunitaria. " * 70
    document, source = lay_out(_table(30, long_cell))
    [element] = unsplittable_overflows(document)
    assert element.tag == "tr" and "".join(element.itertext()).startswith("OE1-M31")
    allow_breaks([element])
    document, _ = lay_out("", source=source)
    assert unsplittable_overflows(document) == []
    pages = _lines(document)
    assert len(pages) >= 3
    assert all({"Id", "Plazo", "Iniciativa"} <= set(lines) for lines in pages)  # the header's cells
    first = next(i for i, lines in enumerate(pages) if "OE1-M31" in lines)
    assert "OE1-M30" in pages[first]  # the long row starts right after the last short one: no gap
    assert layout_diagnostics(document, PLACES) == []


def test_a_heading_left_alone_at_the_foot_of_a_page_is_a_warning(lay_out):
    body = ('<section class="chapter" id="cap-varios">' + "<p>Texto.</p>" * 25
            + '<h2>Infografía</h2><div style="height: 250mm; break-inside: avoid">cuadro</div></section>')
    document, _ = lay_out(body)
    assert lone_headings(document, PLACES) == [warning(CHAPTER.loc, (
        "en el PDF, el título «Infografía» queda solo al pie de la página 2 y lo que presenta empieza en la página 3: "
        "lo que sigue al título no cabe con él en una página. Se esperaba el título junto a su contenido; acorte o "
        "divida lo que sigue al título"))]


LONG_TITLE = "Avances de los acuerdos transversales " * 20


def test_net_reports_a_running_header_that_spills_out_of_its_margin(lay_out):
    css = BARE_PAGE[:-1] + " @top-left { content: string(chapter) } } h1 { string-set: chapter content(text) }"
    document, _ = lay_out(f'<section class="chapter" id="cap-varios"><h1>{LONG_TITLE}</h1></section>', css=css)
    [diag] = layout_diagnostics(document, PLACES)
    assert diag.loc == CHAPTER.loc
    # Wrapped to many lines in a 22 mm margin, centred: it reaches past both edges of its box.
    assert diag.message == (
        "en el PDF, el texto «Avances de los acuerdos transversales…» del capítulo 6 «Varios» no cabe en el "
        "encabezado o el pie de la página 1: sobresale 1,4 cm por abajo y 1,4 cm por arriba, sobre el texto o fuera "
        "del papel; el título del capítulo, que se repite arriba de cada página, no cabe en el encabezado: "
        "acórtelo (titulo: en el encabezado del archivo)")


def test_print_css_cuts_a_long_running_header_on_one_line(lay_out):
    from weasyprint.formatting_structure import boxes

    document, _ = lay_out(f'<section class="chapter" id="cap-varios"><h1>{LONG_TITLE}</h1></section>')
    assert layout_diagnostics(document, PLACES) == []
    [header] = [b for b in document.pages[0]._page_box.children
                if isinstance(b, boxes.MarginBox) and b.at_keyword == "@top-left"]
    assert len([b for b in header.descendants() if isinstance(b, boxes.LineBox)]) == 1


def test_the_shipped_print_css_leaves_nothing_outside_on_an_ordinary_page(lay_out):
    body = ('<section class="cover"><p class="cover-title">Informe</p></section>'
            '<section class="chapter" id="cap-varios"><h1>6 Varios</h1><p>Texto.</p></section>')
    document, _ = lay_out(body)
    assert offenders(document, PLACES) == []  # the cover (297 mm high with its padding) fits its page too


# --- chart labels ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def long_texts():
    """The minimo edition's data with every name and note 110 characters long (each one different)."""
    from emra_site import schema as S
    from emra_site.pipeline import Paths, read_report

    report, _ = read_report(Paths.of(MINIMO))
    data = report.edition(2025).data
    changes = {}
    for table in S.TABLES:
        names = [c.name for c in table.columns
                 if c.type == S.TEXTO and c.name != "id" and not c.ref and not c.choices]
        changes[table.name] = tuple(
            dataclasses.replace(row, **{n: f"{i} {LONG_NAME}" for n in names if getattr(row, n, None)})
            for i, row in enumerate(getattr(data, table.name)))
    return dataclasses.replace(data, **changes)


def _band_axes(spec):
    """(field, labels, band height) of each wrapped band axis of a Vega-Lite spec."""
    fields = {n["y"]["field"] for n in spec_nodes(spec) if isinstance(n.get("y"), dict) and n["y"].get("type") == "nominal"
              and "split" in str((n["y"].get("axis") or {}).get("labelExpr", ""))}
    for field in fields:
        labels = list(dict.fromkeys(r[field] for rows in spec["datasets"].values() for r in rows if field in r))
        yield field, labels, spec["height"] / len(labels)


def _line_broken_texts(spec):
    """(field, texts) of each text mark of a Vega-Lite spec that breaks its text into lines (`lineBreak`)."""
    layers = spec.get("layer", [spec])
    for layer in layers:
        mark, text = layer.get("mark"), layer.get("encoding", {}).get("text", {})
        if isinstance(mark, dict) and mark.get("lineBreak") and "field" in text:
            field = text["field"]
            yield field, [r[field] for rows in spec["datasets"].values() for r in rows if field in r]


# Kinds that show a name whole, their rows growing with its lines: an agreement's text is the agreement.
WHOLE_TEXT_KINDS = {"avance-acuerdos", "avance-dimensiones"}


def test_long_labels_fit_their_band_in_every_chart_kind(long_texts):
    from emra_site.charts import plan_chart
    from emra_site.charts.altair_helpers import LABEL_LINE_HEIGHT, MAX_LABEL_LINES
    from emra_site.charts.registry import CHART_KINDS
    from emra_site.directives import Directive

    checked, texts = 0, 0
    for kind in CHART_KINDS.values():
        params = tuple((p.name, getattr(getattr(long_texts, kind.selects)[0], p.name)) for p in kind.params if p.required)
        plan = plan_chart(long_texts, Directive("grafico", kind.name, params, None, None, None, SourceLoc("x.md", 1)),
                          history=((2025, long_texts),))
        for spec in (plan.spec, plan.narrow_spec):
            for field, labels, band in _band_axes(spec):
                lines = max(label.count("\n") + 1 for label in labels)
                assert LABEL_LINE_HEIGHT * lines + 4 <= band, (kind.name, field, lines, band)
                checked += 1
            for field, labels in _line_broken_texts(spec):  # names drawn as text marks (proceso-proyecto)
                if kind.name in WHOLE_TEXT_KINDS:
                    continue
                assert max(label.count("\n") + 1 for label in labels) <= MAX_LABEL_LINES, (kind.name, field, labels)
                texts += 1
    assert checked >= 8  # the band charts, wide and narrow
    assert texts >= 2  # the process chart's stage names, wide and narrow


def test_long_names_never_run_into_each_other_or_over_a_dot_in_any_chart_kind(long_texts):
    """QA: a 110-character dimension name above its bar on a phone was one line, and Vega squeezed the plot to
    nothing to make room for it; long stage names ran past their neighbours. Drawn, every text measured."""
    from chart_geometry import collisions

    from emra_site.charts import plan_chart, render_svg
    from emra_site.charts.registry import CHART_KINDS
    from emra_site.directives import Directive

    found, drawn = {}, 0
    for kind in CHART_KINDS.values():
        params = tuple((p.name, getattr(getattr(long_texts, kind.selects)[0], p.name)) for p in kind.params if p.required)
        plan = plan_chart(long_texts, Directive("grafico", kind.name, params, None, None, None, SourceLoc("x.md", 1)),
                          history=((2025, long_texts),))
        for variant, spec in (("wide", plan.spec), ("narrow", plan.narrow_spec)):
            drawn += 1
            if problems := collisions(render_svg(spec, REPO / "templates" / "fonts"), REPO / "templates" / "fonts"):
                found[(kind.name, variant)] = problems
    assert drawn == 2 * len(CHART_KINDS) and found == {}


def test_process_chart_shortens_a_long_stage_and_keeps_it_whole_in_description_and_table(long_texts):
    """QA: a 134-character stage ran to 9 lines over the other route's circle and label."""
    from emra_site.charts import plan_chart
    from emra_site.charts.altair_helpers import LABEL_LINE_HEIGHT, MAX_LABEL_LINES
    from emra_site.charts.projects import NAME_DY, NARROW_STAGE_STEP, ROW_STEP
    from emra_site.directives import Directive

    stage = long_texts.etapas_proyecto[0]
    d = Directive("grafico", "proceso-proyecto", (("proyecto", stage.proyecto),), None, None, None, SourceLoc("x.md", 1))
    plan = plan_chart(long_texts, d)
    for spec in (plan.spec, plan.narrow_spec):
        [(_, names)] = list(_line_broken_texts(spec))
        assert names[0].count("\n") + 1 == MAX_LABEL_LINES and names[0].endswith("…"), names[0]
    assert LABEL_LINE_HEIGHT * MAX_LABEL_LINES + 8 <= NARROW_STAGE_STEP
    # Wide: a name starts 24 px under its circle (radius 15) and ends before the next row's.
    assert NAME_DY + LABEL_LINE_HEIGHT * MAX_LABEL_LINES <= ROW_STEP - 15
    assert stage.etapa.lower() in plan.description
    assert stage.etapa in [row[2] for row in plan.rows]


def test_calendar_shortens_a_long_name_and_keeps_it_whole_in_description_and_table(long_texts):
    from emra_site.charts import plan_chart
    from emra_site.directives import Directive

    d = Directive("grafico", "calendario-comunicacional", (), None, None, None, SourceLoc("x.md", 1))
    plan = plan_chart(long_texts, d)
    [(_, labels, band)] = list(_band_axes(plan.spec))
    assert labels[0] == ("0 Campaña 1: difusión de los acuerdos\ntransversales en radios comunitarias,\n"
                         "medios regionales y redes de juntas …")
    assert band == 53  # three lines of 15 px and 8 px between two labels
    assert f"0 {LONG_NAME} de " in plan.description
    assert plan.rows[0][0] == f"0 {LONG_NAME}"


def test_two_names_alike_once_shortened_keep_their_own_bands():
    from emra_site.charts.altair_helpers import ChartContext

    first, second = LONG_NAME + " (primera etapa)", LONG_NAME + " (segunda etapa)"
    labels = ChartContext().band_labels([first, second, "Sitio web"], 40, 16)
    assert labels[2] == "Sitio web"
    assert labels[0] != labels[1] and "…" not in labels[0] + labels[1]
    assert labels[0].replace("\n", " ") == first


# --- one build with the cases at once ----------------------------------------------------------------------

CASES_MD = f"""---
titulo: Avances de los acuerdos transversales
numero: "1"
descripcion: Avance reportado por dimensión y por acuerdo.
---

## Fichas

La ficha técnica está en {URL} y su código interno es {CODE}.

Enlace directo a la ficha del acuerdo ambiental de agua: <{URL}>.

{"Texto de relleno para acercar el título al pie de la página. " * 40}

## Infografía

![Infografía vertical de las etapas del proceso, que termina en una franja roja](img/infografia.png)

Texto después de la infografía.

```tabla
datos: iniciativas
objetivo: OE1
titulo: Iniciativas del OE1
```
"""


@pytest.mark.slow
def test_minimo_pdf_holds_the_cases_within_its_pages(tmp_path, infographic):
    from pypdf import PdfReader

    from emra_site.app import Plan, run
    from emra_site.paths import Paths

    root = tmp_path / "proyecto"
    shutil.copytree(MINIMO, root)
    content = root / "content" / "2025"
    (content / "img").mkdir()
    shutil.copyfile(infographic / "imagenes" / "infografia.png", content / "img" / "infografia.png")
    (content / "acuerdos.md").write_text(CASES_MD, encoding="utf-8")
    (content / "proyectos.md").write_text("---\ntitulo: Proyectos\nnumero: \"2\"\ndescripcion: Nada más.\n---\n\nTexto.\n",
                                          encoding="utf-8")
    csv = root / "data" / "2025" / "iniciativas.csv"
    long_row = "Desarrollar un programa plurianual de mejoramiento de la infraestructura comunitaria. " * 65
    rows = "".join(f"OE1-M{i},OE1,mediano,Iniciativa adicional número {i}\n" for i in range(2, 47))
    csv.write_text(csv.read_text(encoding="utf-8") + rows + f'OE1-M50,OE1,mediano,"{long_row.strip()}"\n',
                   encoding="utf-8")

    diagnostics = run(Paths.of(root), Plan(pages=False, extras=False, use_cache=False))  # the PDFs only

    assert [d for d in diagnostics if d.level in (ERROR, WARNING)] == []  # the net found nothing outside
    reader = PdfReader(root / "output" / "site" / "2025" / "emra-informe-avance-2025.pdf")
    pages = [p.extract_text() for p in reader.pages]
    text = "\n".join(pages)
    # pdf-md-01: the address and the code are whole, with no hyphen added at a line end.
    assert URL.replace("/", "") in re.sub(r"\s+", "", text).replace("/", "")
    assert CODE in text and not re.search(r"(fi|estra|AM)-\n", text)
    # pdf-md-15: the heading, the infographic between them and the text after it share a page.
    [heading_page] = [i for i, p in enumerate(pages) if re.search(r"(^|\n)Infografía\n", p)]
    assert "Texto después de la infografía." in pages[heading_page]
    # pdf-md-02: the header on every page the table spans, and the long row right after the others.
    spanned = [i for i, p in enumerate(pages) if re.search(r"OE1-[CM]\d+|infraestructura comunitaria", p)]
    assert len(spanned) >= 4 and all("Id Plazo Iniciativa" in pages[i] for i in spanned)
    assert "OE1-M46" in pages[next(i for i in spanned if "OE1-M50" in pages[i])]
