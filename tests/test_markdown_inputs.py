"""Markdown that editors write the Word way is published right, or stopped where it is written.

Issue 13, kind 1 (cases pdf-md-17, pdf-md-11, pdf-md-13, editor-06, editor-07, editor-12): footnotes,
sub-lists, images with spaces, SVG images, links between sections, HTML and bare URLs; and the net
that reads what was rendered (pages and the laid-out PDF) for Markdown syntax left as text.
Unit tests on the parser and the net; `check` on a small project; one small build for the outputs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import MINIMO, copy_project, diagnostic_lines, run_cli

from emra_site.errors import ERROR, WARNING, BuildError
from emra_site.leftovers import MarkdownSource, Net, document_text, find_hits, html_text
from emra_site.markdown import Prose, split_blocks
from emra_site.section_links import Outline, check_section_links

YEAR = "2025"  # the minimo fixture's edition
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")
OUTLINE = Outline("varios", (("resumen", "1"), ("varios", "6")))


def parse(body: str, first_line: int = 1, folder: Path | None = None, outline: Outline | None = OUTLINE):
    """split_blocks on `body` as content/2025/varios.md, its text starting at `first_line`."""
    return split_blocks(body, "content/2025/varios.md", first_line, {}, folder, outline)


def web(blocks) -> str:
    return "".join(b.html for b in blocks if isinstance(b, Prose))


def pdf(blocks) -> str:
    return "".join(b.print_html for b in blocks if isinstance(b, Prose))


def shown(diags) -> list[str]:
    """Diagnostics as the CLI prints them."""
    return [str(d) for d in diags]


# --- pdf-md-17: footnotes ------------------------------------------------------------------------------

FOOTNOTE = ("Las cifras de avance provienen del informe de la Secretaría Técnica.[^1]\n\n"
            "[^1]: Informe entregado al Consejo Regional en mayo de 2025.\n")


def test_footnote_is_a_note_at_the_end_of_the_page_and_a_footnote_in_the_pdf():
    blocks, _, _, _, diags = parse(FOOTNOTE)
    assert diags == []
    site, printed = web(blocks), pdf(blocks)
    assert "[^" not in site and "[^" not in printed
    assert ('Técnica.<sup class="nota-llamada"><a href="#nota_1" id="llamada_1" role="doc-noteref" '
            'aria-label="Nota 1">1</a></sup></p>') in site
    notes = site[site.index('<section class="notas"'):]
    assert '<li id="nota_1"><p>Informe entregado al Consejo Regional en mayo de 2025. ' in notes
    assert 'href="#llamada_1"' in notes
    # In the PDF the note is written at its call; print CSS floats it to the foot of the page.
    assert printed == ('<p>Las cifras de avance provienen del informe de la Secretaría Técnica.<span class="nota">'
                       'Informe entregado al Consejo Regional en mayo de 2025.</span></p>\n')


def test_footnotes_are_numbered_by_first_call_with_unique_ids_and_end_the_last_prose_run():
    body = ("Uno[^b] y dos[^a], otra vez uno[^b].\n\n```tabla\ndatos: hitos\n```\n\n"
            "[^a]: Nota A, con *cursiva*.\n\n    Su segundo párrafo.\n\n[^b]: Nota B.\n")
    blocks, _, _, _, diags = split_blocks(body, "content/2025/varios.md", 1, {"hitos": set()}, None, OUTLINE)
    assert diags == []
    assert [type(b).__name__ for b in blocks] == ["Prose", "Directive", "Prose"]
    assert blocks[2].print_html == ""  # the notes' run is for the site only: the PDF has them at their calls
    site = web(blocks)
    assert re.findall(r'id="(llamada_[\d_]+)"', site) == ["llamada_1", "llamada_2", "llamada_1_2"]
    assert re.findall(r'<li id="(nota_\d)"', site) == ["nota_1", "nota_2"]
    assert site.index("Nota B.") < site.index("Nota A")  # [^b] is called first: it is note 1
    assert pdf(blocks).count('<span class="nota">Nota B.</span>') == 2
    assert '<span class="nota">Nota A, con <em>cursiva</em>.<br>Su segundo párrafo.</span>' in pdf(blocks)


def test_a_call_without_its_note_is_an_error_and_an_unused_note_a_warning():
    body = "Texto.\n\nUna cifra[^fuente] y otra[^2].\n\n[^fuente]: La fuente.\n\n[^3]: Nadie la llama.\n"
    _, _, _, _, diags = parse(body, first_line=6)
    assert shown(diags) == [
        "content/2025/varios.md:8:26: la llamada a nota «[^2]» no tiene su nota; escriba la nota en un párrafo "
        "aparte que empiece con «[^2]: », por ejemplo «[^2]: Fuente: informe de la Secretaría Técnica.»",
        "content/2025/varios.md:12: aviso: la nota «[^3]» no se publicará: ningún texto la llama; escriba «[^3]» "
        "donde corresponde o borre la nota",
    ]


def test_a_note_holding_a_list_is_an_error_on_the_list():
    body = "Texto[^1].\n\n[^1]: Nota con lista:\n\n    - uno\n    - dos\n"
    _, _, _, _, diags = parse(body)
    assert [(str(d.loc), d.level) for d in diags] == [("content/2025/varios.md:5", ERROR)]
    assert "la nota «[^1]» tiene una lista" in diags[0].message


# --- pdf-md-11: sub-lists ---------------------------------------------------------------------------------

STEPS = ("## Pasos para el próximo informe\n\n"
         "1. Revisar los acuerdos con cada comisión:\n"
         "  1. dimensión ambiental;\n"
         "  2. dimensión social.\n"
         "2. Actualizar las cifras de avance:\n"
         "   - con la Secretaría Técnica;\n"
         "     - validando cada porcentaje con su fuente.\n"
         "3. Publicar el informe.\n")


def test_sub_list_indented_two_spaces_under_a_number_warns_with_the_fix():
    blocks, _, _, _, diags = parse(STEPS, first_line=20)
    assert shown(diags) == [
        "content/2025/varios.md:23:3: aviso: este elemento tiene 2 espacio(s) de sangría: se publicará como el "
        "punto 2 de la lista de arriba, no como sublista. Para una sublista use 3 espacios (el ancho de «1. »)",
        "content/2025/varios.md:24:3: aviso: este elemento tiene 2 espacio(s) de sangría: se publicará como el "
        "punto 3 de la lista de arriba, no como sublista. Para una sublista use 3 espacios (el ancho de «1. »)",
    ]
    fixed, _, _, _, diags = parse(STEPS.replace("\n  1.", "\n   1.").replace("\n  2.", "\n   2."))
    assert diags == []
    html = web(fixed)
    assert html.count("<ol>") == 2 and html.count("<ul>") == 2  # the numbered sub-list nests now
    assert "<li>Publicar el informe.</li>" in html and "<ol>\n<li>dimensión ambiental;" in html


@pytest.mark.parametrize(("body", "expected"), [
    ("- uno\n - dos\n", "varios.md:2:2: aviso: este elemento tiene 1 espacio(s) de sangría: se publicará como un "
                        "elemento más de la lista de arriba, no como sublista. Para una sublista use 2 espacios "
                        "(el ancho de «- »)"),
    ("10. diez\n  1. sub\n", "varios.md:2:3: aviso: este elemento tiene 2 espacio(s) de sangría: se publicará como "
                             "el punto 11 de la lista de arriba, no como sublista. Para una sublista use 4 espacios "
                             "(el ancho de «10. »)"),
    ("1. uno\n\tnada\n2. dos\n", None),  # a tab is 4 columns: continuation text of item 1, as it looks
])
def test_sub_list_indentation_of_other_markers(body, expected):
    _, _, _, _, diags = parse(body)
    assert [s.removeprefix("content/2025/") for s in shown(diags)] == ([expected] if expected else [])


def test_a_line_that_looks_like_an_item_but_joins_the_paragraph_warns():
    _, _, _, _, diags = parse("- Revisar la lista\n      - esta línea queda unida\n")
    assert [(str(d.loc), d.level) for d in diags] == [("content/2025/varios.md:2:7", WARNING)]
    assert diags[0].message.startswith("«- esta línea queda unida» parece un elemento de lista, pero se publicará "
                                       "unido al texto de la línea anterior.")


# --- editor-06, pdf-md-13: images ----------------------------------------------------------------------


def test_image_name_with_spaces_says_how_to_write_it_and_the_angle_bracket_form_is_published(tmp_path):
    folder = tmp_path / "content" / YEAR
    (folder / "img").mkdir(parents=True)
    (folder / "img" / "mapa región.png").write_bytes(PNG)
    blocks, _, _, images, diags = parse("Texto.\n\n![Mapa de la región de Antofagasta](img/mapa región.png)\n",
                                        first_line=9, folder=folder)
    assert shown(diags) == [
        "content/2025/varios.md:11:1: imagen «img/mapa región.png»: el nombre del archivo tiene espacios y así no "
        "se reconoce como imagen (se publicaría el texto tal cual); escriba la ruta entre < >: "
        "![Mapa de la región de Antofagasta](<img/mapa región.png>), o cambie el nombre del archivo por uno sin "
        "espacios («mapa-region.png»)"]
    blocks, _, _, images, diags = parse("![Mapa de la región](<img/mapa región.png>)\n", folder=folder)
    assert diags == []
    assert [(i.source, i.target) for i in images] == [(f"{YEAR}/img/mapa región.png", "imagenes/img-mapa-region.png")]
    assert '<img src="imagenes/img-mapa-region.png" alt="Mapa de la región"' in web(blocks)


def test_a_link_with_spaces_in_its_address_says_how_to_write_it():
    _, _, _, _, diags = parse("Vea el [anexo](anexo final.md).\n")
    assert shown(diags) == [
        "content/2025/varios.md:1:8: enlace «anexo final.md»: la dirección tiene espacios y así no se reconoce "
        "como enlace (se publicaría el texto tal cual); escríbala entre < >: [anexo](<anexo final.md>), o quite "
        "los espacios"]


def test_svg_image_is_refused_saying_why_and_what_to_do(tmp_path):
    folder = tmp_path / "content" / YEAR
    (folder / "img").mkdir(parents=True)
    (folder / "img" / "mapa.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"/>')
    _, _, _, images, diags = parse("![Esquema de la región](img/mapa.svg)\n", first_line=24, folder=folder)
    assert images == []
    assert shown(diags) == [
        "content/2025/varios.md:24: imagen «img/mapa.svg»: no se aceptan imágenes SVG: un SVG puede llevar programas "
        "que se ejecutarían al abrirlo desde el sitio. Exporte el SVG como PNG (en Inkscape o Illustrator: "
        "Exportar › PNG, al doble de su tamaño) y escriba el nombre del .png"]


# --- editor-07: links between sections -----------------------------------------------------------------

LINKS = "Vea también el [resumen](resumen.md), el [apartado](resumen.md#Dimensión-ambiental) y [aquí](#pasos).\n"


def test_links_to_sections_go_to_their_page_on_the_site_and_their_chapter_in_the_pdf():
    blocks, _, refs, _, diags = parse("## Pasos\n\n" + LINKS, first_line=20)
    assert diags == []
    cols = [LINKS.index(written) + 1 for written in ("resumen.md)", "resumen.md#", "#pasos")]  # each destination
    assert [(r.slug, r.anchor, str(r.loc)) for r in refs] == [
        ("resumen", "", f"content/2025/varios.md:22:{cols[0]}"),
        ("resumen", "dimension-ambiental", f"content/2025/varios.md:22:{cols[1]}"),
        ("varios", "pasos", f"content/2025/varios.md:22:{cols[2]}")]
    assert ('<a href="resumen.html">resumen</a>, el <a href="resumen.html#dimension-ambiental">apartado</a> y '
            '<a href="#pasos">aquí</a>') in web(blocks)
    assert ('<a href="#cap-resumen" class="seccion-ref" data-seccion="1">resumen</a>, el '
            '<a href="#resumen-dimension-ambiental" class="seccion-ref" data-seccion="1">apartado</a> y '
            '<a href="#varios-pasos" class="seccion-ref" data-seccion="6">aquí</a>') in pdf(blocks)


def test_a_link_to_a_missing_section_or_heading_is_an_error_with_the_choices():
    _, _, refs, _, diags = parse("[a](noexiste.md) [b](Resumen.md) [c](resumen.md#objetivo) [d](resumen.html)\n")
    assert diags == []
    problems = check_section_links(refs, {"resumen": ["objetivos", "proyectos"], "varios": []})
    assert shown(problems) == [
        "content/2025/varios.md:1:5: enlace «noexiste.md»: no hay ninguna sección «noexiste» publicada en esta "
        "edición; se esperaba el nombre del archivo .md de una de estas: resumen.md, varios.md.",
        "content/2025/varios.md:1:22: enlace «Resumen.md»: no hay ninguna sección «Resumen» publicada en esta "
        "edición; se esperaba el nombre del archivo .md de una de estas: resumen.md, varios.md. "
        "¿Quiso decir «resumen»?",
        "content/2025/varios.md:1:38: enlace «resumen.md#objetivo»: la sección «resumen» no tiene un apartado con "
        "el ancla «#objetivo»; el ancla es el título del apartado en minúsculas, sin tildes y con guiones. "
        "Apartados: #objetivos, #proyectos. ¿Quiso decir «objetivos»?",
    ]  # «resumen.html», what the site shows, is a section link too


@pytest.mark.parametrize(("href", "why"), [
    ("anexo.pdf", "no es una sección del informe ni una dirección web"),
    ("../2024/resumen.md", "solo se puede enlazar a secciones de esta edición"),
    ("datos/index.html", "solo se puede enlazar a secciones de esta edición"),
])
def test_a_relative_link_that_is_no_section_is_an_error(href, why):
    _, _, refs, _, diags = parse(f"Texto [x]({href}).\n", first_line=3)
    assert refs == []
    assert [(str(d.loc), d.level) for d in diags] == [("content/2025/varios.md:3:11", ERROR)]
    assert diags[0].message.startswith(f"enlace «{href}»: {why}")


# --- editor-12: HTML, bare URLs, tables --------------------------------------------------------------


def test_html_is_an_error_at_its_column_with_what_to_write_instead():
    body = "Texto con <b>negrita HTML</b> y un salto<br>de línea.\n\n<!-- pendiente -->\n\n<div>bloque</div>\n"
    blocks, _, _, _, diags = parse(body, first_line=22)
    assert shown(diags) == [
        "content/2025/varios.md:22:11: no se admite HTML («<b>»); se publicaría como texto. Para negrita escriba "
        "**texto**",
        "content/2025/varios.md:22:41: no se admite HTML («<br>»); se publicaría como texto. Para un salto de línea "
        "termine la línea con una barra invertida «\\»; para un párrafo nuevo, deje una línea en blanco",
        "content/2025/varios.md:24:1: no se admite HTML («<!-- pendiente -->»); se publicaría como texto. Los "
        "comentarios no se admiten: bórrelo (el texto que deba quedar sin publicar, guárdelo en otro archivo)",
        "content/2025/varios.md:26:1: no se admite HTML («<div>bloque</div>»); se publicaría como texto. Escriba el "
        "texto sin formato (o **negrita**)",
    ]
    assert "<b>" not in web(blocks) and "<div>" not in web(blocks) and "&lt;b&gt;" in web(blocks)


def test_bare_urls_and_emails_become_links_but_file_names_stay_text():
    blocks, _, _, _, diags = parse(
        "Vea https://www.gob.cl/informe, www.goreantofagasta.cl y escriba a ana@gore.cl; edite resumen.md.\n\n"
        "| Región | Monto |\n|---|---|\n| Antofagasta | 1.000 |\n")
    assert diags == []
    html = web(blocks)
    # Each link with its text (the URL may carry line-break opportunities: the visible text is what counts).
    links = {href: html_text(text) for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', html)}
    assert links == {"https://www.gob.cl/informe": "https://www.gob.cl/informe",
                     "http://www.goreantofagasta.cl": "www.goreantofagasta.cl", "mailto:ana@gore.cl": "ana@gore.cl"}
    assert "edite resumen.md." in html_text(html)  # «.md» is also a country's domain: not a link
    assert "<td>Antofagasta</td>" in html


def test_a_misspelled_block_is_an_error_and_indented_text_a_warning():
    body = "```grafic\ntipo: avance-dimensiones\n```\n\nTexto.\n\n    sangrado por error\n\n```python\nx = 1\n```\n"
    _, _, _, _, diags = parse(body, first_line=10)
    assert shown(diags) == [
        "content/2025/varios.md:10:1: bloque «```grafic» desconocido; se publicaría como código. Se esperaba "
        "```grafico o ```tabla, solo esa palabra en la línea. ¿Quiso decir «grafico»?",
        "content/2025/varios.md:16: aviso: este texto tiene 4 o más espacios (o un tabulador) de sangría y se "
        "publicará como código, no como párrafo; quite la sangría (en una lista, alinéelo con el texto del elemento)",
    ]


def test_headings_show_their_text_without_markup():
    _, headings, _, _, _ = parse("## **Importante**: el `avance`[^1]\n\n[^1]: Nota.\n")
    assert [(h.text, h.anchor) for h in headings] == [("Importante: el avance", "importante-el-avance")]


# --- The net -------------------------------------------------------------------------------------------

SOURCE = """---
titulo: Título con **asteriscos** de texto simple
numero: "6"
descripcion: D
---
Texto con **bien** y ** mal** aquí.

##Sin espacio

Escapado \\*\\* y \\[^1] y `**código**`.

```tabla
datos: hitos
titulo: Tabla con **asteriscos**
```

Una [[figura:Mal]] al final.
"""


@pytest.mark.parametrize(("text", "names"), [
    ("Técnica.[^1]", ["nota"]),
    ("![Mapa](img/mapa región.png)", ["imagen", "enlace"]),
    ("[texto](resumen.md)", ["enlace"]),
    ("** mal**", ["negrita", "negrita"]),
    ("```grafico", ["bloque"]),
    ("Texto con <b>negrita</b> y <!-- x -->", ["html", "html", "html"]),
    ("[[figura:Mal]]", ["referencia"]),
    ("##Título", ["titulo"]),
    ("| a | b |\n|--|--|", ["tabla"]),
    ("otro [sin definir][nodef]", ["referencia-enlace"]),
    ("y `código sin cerrar y ``otro", ["codigo", "codigo"]),
    ("[ ] tarea\n[x] hecha y [x] no", ["casilla", "casilla"]),
    ("Sin nada: 5 < 6, C#, «comillas», a_b, 3 * 4 y [corchetes] (paréntesis).", []),
])
def test_the_net_finds_each_leftover_construct(text, names):
    assert [h.marker.name for h in find_hits(text)] == names


def test_page_text_leaves_out_code_scripts_and_the_head():
    html = ("<html><head><title>**t**</title></head><body><p>Uno <code>**c**</code> <strong>dos</strong></p>"
            "<pre><code>```grafico</code></pre><script>a[^1]</script><p>tres &lt;b&gt;</p></body></html>")
    assert html_text(html) == "Uno dos\ntres <b>"


def test_a_hit_is_located_in_the_markdown_body_and_plain_text_fields_are_left_alone(tmp_path):
    file = tmp_path / "content" / YEAR / "varios.md"
    file.parent.mkdir(parents=True)
    file.write_text(SOURCE, encoding="utf-8")
    source = MarkdownSource.read(file, tmp_path)
    blocks, *_ = split_blocks(SOURCE.split("---\n", 2)[2], source.path, 6, {"hitos": set()})
    page = ("<h1>6. Título con **asteriscos** de texto simple</h1>" + web(blocks)
            + "<figcaption>Tabla con **asteriscos**</figcaption><td>celda **de datos**</td>")
    net = Net(tmp_path / "content", tmp_path)
    net.scan(html_text(page), "en la página 2025/varios.html", [source])
    col = {marker: SOURCE.split("\n")[line - 1].index(marker) + 1 for marker, line in (("** mal", 6), ("[[", 17))}
    assert col == {"** mal": 22, "[[": 5}
    assert shown(net.diagnostics) == [
        "content/2025/varios.md:6:22: «**» se publicaría tal cual (en la página 2025/varios.html): Markdown no lo "
        "reconoció. La negrita se escribe **texto**, sin espacios entre los asteriscos y el texto",
        "content/2025/varios.md:6:28: «**» se publicaría tal cual (en la página 2025/varios.html): Markdown no lo "
        "reconoció. La negrita se escribe **texto**, sin espacios entre los asteriscos y el texto",
        "content/2025/varios.md:8:1: «##» se publicaría tal cual (en la página 2025/varios.html): Markdown no lo "
        "reconoció. Un apartado se escribe «## Título», con un espacio después de los #, al comienzo de la línea",
        "content/2025/varios.md:17:5: «[[» se publicaría tal cual (en la página 2025/varios.html): Markdown no lo "
        "reconoció. Una referencia se escribe [[figura:id]] o [[tabla:id]], con el id del bloque en minúsculas y "
        "con guiones",
    ]  # escaped \*\* and \[^1], code, the front matter, the block's title and a data cell are not reported
    with pytest.raises(BuildError) as raised:
        net.raise_if_found()
    assert len(raised.value.diagnostics) == 4  # both «**» of line 6: every stray one is reported (QA 9g)


def _tables_only_project(root: Path, extra: str) -> Path:
    """The minimo project with text and tables only (no chart to draw), and `extra` at the end of proyectos.md."""
    project = copy_project(MINIMO, root)
    doc = project / "content" / YEAR / "acuerdos.md"
    doc.write_text(doc.read_text(encoding="utf-8").split("```grafico")[0], encoding="utf-8")
    doc = project / "content" / YEAR / "proyectos.md"
    text = doc.read_text(encoding="utf-8")
    text = re.sub(r"```grafico\n.*?```\n", "", text, flags=re.S)
    doc.write_text(text + extra, encoding="utf-8")
    return project


def test_the_net_over_the_rendered_pages_stops_the_site_at_the_line_written(tmp_path, monkeypatch):
    """render_site scans every page it writes (no chart here: nothing to draw); reading the text
    (`check`) runs the same net over each section's prose first."""
    from emra_site.paths import Paths
    from emra_site.pipeline import read_report
    from emra_site.render_html import render_site

    project = _tables_only_project(tmp_path / "p", "\nLa negrita ** mal cerrada** queda así.\n")
    paths = Paths.of(project)
    lines = (project / "content" / YEAR / "proyectos.md").read_text(encoding="utf-8").split("\n")
    line = next(i for i, text in enumerate(lines, start=1) if "mal cerrada" in text)
    col, col2 = lines[line - 1].index("** mal") + 1, lines[line - 1].index("a** ") + 2  # both «**»
    where = [f"content/{YEAR}/proyectos.md:{line}:{col}", f"content/{YEAR}/proyectos.md:{line}:{col2}"]
    report, diags = read_report(paths)
    assert report is None and [str(d.loc) for d in diags] == where
    # Were it missed when the text is read, the net over the written pages still stops the site.
    monkeypatch.setattr("emra_site.markdown.check_rendered", lambda *args: [])
    report, diags = read_report(paths)
    assert report is not None and diags == []
    with pytest.raises(BuildError) as raised:
        render_site(report, {int(YEAR): {}}, paths.templates, paths.content, tmp_path / "sitio", None)
    assert [str(d.loc) for d in raised.value.diagnostics] == where
    assert "en la página 2025/proyectos.html" in raised.value.diagnostics[0].message


def test_the_net_over_the_laid_out_pdf_names_the_page_and_the_line(tmp_path):
    """The text of WeasyPrint's laid-out boxes, code left out, each page read against its chapter's file."""
    from weasyprint import HTML

    from emra_site.layout import LAYOUT

    file = tmp_path / "content" / YEAR / "varios.md"
    file.parent.mkdir(parents=True)
    file.write_text(SOURCE, encoding="utf-8")
    blocks, *_ = split_blocks(SOURCE.split("---\n", 2)[2], f"content/{YEAR}/varios.md", 6, {"hitos": set()})
    html = (f'<section id="{LAYOUT.chapter_anchor("resumen")}"><p>Sin problemas.</p></section>'
            f'<section id="{LAYOUT.chapter_anchor("varios")}" style="break-before: page">{pdf(blocks)}</section>')
    document = HTML(string=html).render()
    texts = document_text(document)
    assert len(texts) == 2 and "**código**" not in texts[1] and "** mal**" in texts[1]

    class Section:
        def __init__(self, slug):
            self.slug = slug

    class Edition:
        anio = int(YEAR)
        sections = (Section("resumen"), Section("varios"))

    net = Net(tmp_path / "content", tmp_path)
    net.scan_document(document, Edition())
    assert [(str(d.loc), "en el PDF, página 2" in d.message) for d in net.diagnostics] == [
        ("content/2025/varios.md:6:22", True), ("content/2025/varios.md:6:28", True),
        ("content/2025/varios.md:8:1", True), ("content/2025/varios.md:17:5", True)]


# --- What an editor sees: `check`, and one small build -------------------------------------------------


def test_check_reports_every_case_at_its_place(tmp_path):
    project = copy_project(MINIMO, tmp_path / "p")
    folder = project / "content" / YEAR
    (folder / "img").mkdir()
    (folder / "img" / "mapa región.png").write_bytes(PNG)
    (folder / "img" / "mapa.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"/>')
    doc = folder / "proyectos.md"
    first = len(doc.read_text(encoding="utf-8").split("\n"))  # the file ends with a line break
    added = [
        "Las cifras provienen de la Secretaría Técnica.[^1]",  # no note written
        "",
        "![Mapa de la región](img/mapa región.png)",
        "",
        "Vea el [resumen](acuerdos.md) y [otra](noexiste.md).",
        "",
        "Texto con <b>negrita HTML</b>.",
        "",
        "![Esquema](img/mapa.svg)",
        "",
        "1. Revisar:",
        "  1. ambiental;",
        "",
    ]
    doc.write_text(doc.read_text(encoding="utf-8") + "\n".join(added), encoding="utf-8")
    code, out = run_cli(["-C", str(project), "check"])
    where = f"content/{YEAR}/proyectos.md"

    def at(index: int, written: str | None = None) -> str:
        return f"{where}:{first + index}" + (f":{added[index].index(written) + 1}" if written else "")

    assert code == 1
    assert [line.split(": ", 1)[0] for line in diagnostic_lines(out)] == [
        at(0, "[^1]"), at(2, "!["), at(4, "noexiste.md"), at(6, "<b>"), at(8), at(11, "1.")]
    assert "1 aviso(s)" in out and "5 error(es)" in out


@pytest.mark.slow
def test_a_small_build_publishes_footnotes_section_links_images_and_sub_lists(tmp_path):
    """One build of the minimo project with the cases written the accepted way: nothing raw in the site or the PDF."""
    from pypdf import PdfReader

    from emra_site.app import build
    from emra_site.pipeline import Paths

    project = _tables_only_project(tmp_path / "p", "")  # no chart to draw: a quicker build
    folder = project / "content" / YEAR
    (folder / "img").mkdir()
    (folder / "img" / "mapa región.png").write_bytes(PNG)
    doc = folder / "acuerdos.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n".join([
        "",
        "Las cifras provienen de la Secretaría Técnica.[^1] Más en [proyectos](proyectos.md#reuniones-e-hitos)",
        "y en www.goreantofagasta.cl.",
        "",
        "![Mapa de la región](<img/mapa región.png>)",
        "",
        "1. Revisar los acuerdos:",
        "   1. dimensión ambiental;",
        "   2. dimensión social.",
        "2. Publicar.",
        "",
        "[^1]: Informe entregado al Consejo Regional en mayo de 2025.",
        "",
    ]), encoding="utf-8")
    paths = Paths.of(project)
    diagnostics = build(paths)
    assert [d for d in diagnostics if d.level != "nota"] == []
    page = (paths.site / YEAR / "acuerdos.html").read_text(encoding="utf-8")
    text = html_text(page)
    assert find_hits(text) == []
    assert '<a href="proyectos.html#reuniones-e-hitos">proyectos</a>' in page
    assert '<a href="http://www.goreantofagasta.cl">' in page
    assert '<img src="imagenes/img-mapa-region.png" alt="Mapa de la región"' in page
    assert (paths.site / YEAR / "imagenes" / "img-mapa-region.png").read_bytes() == PNG
    assert '<li id="nota_1"><p>Informe entregado al Consejo Regional en mayo de 2025.' in page
    assert re.search(r"<ol>\s*<li>Revisar los acuerdos:\s*<ol>\s*<li>dimensión ambiental;", page)
    reader = PdfReader(paths.site / YEAR / f"emra-informe-avance-{YEAR}-cap-1.pdf")
    chapter = "\n".join(p.extract_text() or "" for p in reader.pages)
    pages = [p.extract_text() or "" for p in PdfReader(paths.site / YEAR / f"emra-informe-avance-{YEAR}.pdf").pages]
    target = max(n for n, t in enumerate(pages, start=1) if "Reuniones e hitos" in t)  # the heading, after the contents
    assert f"proyectos (sección 2, página {target})" in re.sub(r"\s+", " ", chapter)
    assert re.search(r"Técnica\.\s*1\b", chapter)  # the call…
    assert re.search(r"^1\. Informe entregado al Consejo Regional en mayo de 2025\.", chapter, re.M)  # …its footnote
    assert "[^" not in chapter and "](" not in chapter


# --- QA of issue 13: syntax left as text, found by `check` at its line and column -----------------------


@pytest.mark.parametrize(("body", "expected"), [
    ("otro [sin definir][nodef] y más.\n",
     "content/2025/varios.md:1:6: el enlace «[sin definir][nodef]» usa la referencia «nodef», que no está escrita "
     "en ninguna parte: se publicaría tal cual. Escriba el enlace con su dirección, [sin definir](https://…), o "
     "agregue en una línea aparte «[nodef]: https://…»"),
    ("Vea el [informe][] hoy.\n",
     "content/2025/varios.md:1:8: el enlace «[informe][]» usa la referencia «informe», que no está escrita en "
     "ninguna parte: se publicaría tal cual. Escriba el enlace con su dirección, [informe](https://…), o agregue "
     "en una línea aparte «[informe]: https://…»"),
    ("y `código sin cerrar.\n",
     "content/2025/varios.md:1:3: la comilla invertida «`» abre un código que no se cierra: se publicaría tal "
     "cual. Cierre el código con otra «`» (`código`), o, si quería mostrar la comilla, escríbala \\`"),
    ("Uno `a` dos\ny ``b fin.\n",
     "content/2025/varios.md:2:3: la comilla invertida «``» abre un código que no se cierra: se publicaría tal "
     "cual. Cierre el código con otra «``» (`código`), o, si quería mostrar la comilla, escríbala \\`"),
    ("| a | b |\n|---|---|\n| `x|y` | 2 |\n",
     "content/2025/varios.md:3:3: en una tabla, «|» separa columnas también dentro de un código: «`x|y`» se "
     "partiría en dos celdas y se publicarían las comillas invertidas. Escriba la barra como \\|: `x\\|y`"),
    ("| a | b |\n|---|---|\n| 1 | ver `p|q|r` |\n",
     "content/2025/varios.md:3:11: en una tabla, «|» separa columnas también dentro de un código: «`p|q|r`» se "
     "partiría en dos celdas y se publicarían las comillas invertidas. Escriba la barra como \\|: `p\\|q\\|r`"),
    ("- [ ] tarea\n",
     "content/2025/varios.md:1:3: la casilla «[ ]» de una lista de tareas no se admite: se publicaría tal cual. "
     "Escriba el estado en palabras, por ejemplo «- Pendiente: tarea»"),
    ("Lista:\n\n1. [X] hecha la revisión\n",
     "content/2025/varios.md:3:4: la casilla «[X]» de una lista de tareas no se admite: se publicaría tal cual. "
     "Escriba el estado en palabras, por ejemplo «- Hecho: hecha la revisión»"),
])
def test_syntax_markdown_leaves_as_text_is_an_error_at_its_column_with_what_to_write(body, expected):
    _, _, _, _, diags = parse(body)
    assert shown(diags) == [expected]


@pytest.mark.parametrize(("body", "html"), [
    ("[informe][ref] hoy.\n\n[ref]: https://www.gob.cl\n", '<a href="https://www.gob.cl">informe</a> hoy.'),
    ("Escapada \\` y ``a`b`` y `c`.\n", "Escapada ` y <code>a`b</code> y <code>c</code>."),
    ("| a | b |\n|---|---|\n| `x\\|y` | 2 |\n", "<td><code>x|y</code></td>"),
    ("- Pendiente: tarea\n- [enlace](https://www.gob.cl) al inicio\n", "<li>Pendiente: tarea</li>"),
])
def test_the_accepted_forms_are_published_without_a_message(body, html):
    blocks, _, _, _, diags = parse(body)
    assert diags == [] and html in web(blocks)


def test_a_note_written_twice_is_an_error_at_the_second():
    _, _, _, _, diags = parse("nota.[^dos]\n\n[^dos]: Primera.\n\n[^dos]: Segunda.\n", first_line=4)
    assert shown(diags) == [
        "content/2025/varios.md:8:1: la nota «[^dos]» está escrita dos veces (también en la línea 6); solo se "
        "publicaría esta, y el texto de la primera se perdería. Deje una sola nota «[^dos]: …», o dé a esta otra "
        "etiqueta (por ejemplo «[^dos-2]: …») y llámela con «[^dos-2]» donde corresponde"]


def test_the_net_runs_when_the_text_is_read_so_check_reports_every_stray_marker():
    """What the build's net finds in the prose, split_blocks (hence `check`) finds too: each «**» of a line."""
    _, _, _, _, diags = parse("Intro.\n\nEsto es ** espaciado ** y **bien**.\n", first_line=22)
    advice = ("se publicaría tal cual (en el texto de la sección): Markdown no lo reconoció. La negrita se "
              "escribe **texto**, sin espacios entre los asteriscos y el texto")
    assert shown(diags) == [f"content/2025/varios.md:24:9: «**» {advice}",
                            f"content/2025/varios.md:24:22: «**» {advice}"]
    _, _, _, _, diags = parse("Texto.[^mi nota]\n\n[^mi nota]: Texto de la nota.\n")
    assert [d.loc.line for d in diags] == [1, 3] and all("«[^»" in d.message for d in diags)


def test_a_heading_with_a_note_call_has_its_own_text_as_pdf_bookmark():
    import weasyprint

    blocks, headings, _, _, diags = parse("## Título[^h]\n\nTexto.\n\n[^h]: nota\n")
    assert diags == [] and headings[0].text == "Título"
    printed = pdf(blocks)
    assert printed.startswith('<h2 id="titulo" data-marcador="Título" style="bookmark-label: attr(data-marcador)">'
                              'Título<span class="nota">nota</span></h2>')
    css = weasyprint.CSS(string="h2 { bookmark-level: 2 } .nota { float: footnote }")
    document = weasyprint.HTML(string=printed).render(stylesheets=[css])
    assert [label for label, *_ in document.make_bookmark_tree()] == ["Título"]
    assert "data-marcador" not in web(blocks) and 'data-marcador' not in pdf(parse("## Otro\n")[0])


def test_check_finds_what_the_build_net_finds_and_says_the_pdf_is_checked_by_the_build(tmp_path):
    project = copy_project(MINIMO, tmp_path / "p")
    code, out = run_cli(["-C", str(project), "check"])
    assert code == 0
    assert out.strip().split("\n")[-1] == (
        "Sin errores ni avisos: listo para publicar, también en GitHub Pages (--strict), salvo el PDF: que nada "
        "se salga de la página se revisa al compilar; ejecute «python build.py» antes de publicar.")
    doc = project / "content" / YEAR / "proyectos.md"
    first = len(doc.read_text(encoding="utf-8").split("\n"))
    doc.write_text(doc.read_text(encoding="utf-8") + "Esto es ** espaciado **.\n", encoding="utf-8")
    code, out = run_cli(["-C", str(project), "check"])
    assert code == 1
    assert [line.split(": ", 1)[0] for line in diagnostic_lines(out)] == [
        f"content/{YEAR}/proyectos.md:{first}:9", f"content/{YEAR}/proyectos.md:{first}:22"]


def test_a_phrase_in_another_language_is_marked_and_any_other_attribute_is_an_error():
    """Issue 18: `[…]{lang=en}` is a span with its language; braces hold nothing else (no silent drop)."""
    from emra_site.markdown import parser

    assert '<span lang="en">Regions and Cities at a Glance</span>' in parser().render(
        "Véase [Regions and Cities at a Glance]{lang=en}.")
    body = "Primera línea.\n\nVéase [Regions]{lang=en}, [x]{.resaltado} y [y]{lang=inglés}.\n"
    *_, diags = split_blocks(body, "content/2025/varios.md", 1, {}, None, OUTLINE)
    assert [d.loc.line for d in diags] == [3, 3]
    assert "no se admite «{.resaltado}»" in diags[0].message
    assert "no se entendió «{lang=inglés}»" in diags[1].message
    *_, diags = split_blocks("Véase [y]{lang=english}.\n", "content/2025/varios.md", 1, {}, None, OUTLINE)
    assert len(diags) == 1 and "«{lang=english}» no es un código de idioma" in diags[0].message
    # QA: a space before the brace, or no closing brace, left the braces on the page without a word.
    for written, shown in (("[Fifth Meeting] {lang=en}", "{lang=en}"), ("[Fifth Meeting]{lang=en y más", "{lang=en y más")):
        *_, diags = split_blocks(f"Véase {written}.\n", "content/2025/varios.md", 1, {}, None, OUTLINE)
        assert [d.loc.line for d in diags] == [1] and f"no se entendió «{shown}" in diags[0].message, written
