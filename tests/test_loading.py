"""Unit tests of the loader (CSV, YAML, Markdown) and of the cell parsers; nothing is rendered."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from helpers import CSV_FIXTURES, MINIMO

from emra_site.errors import ERROR, SourceLoc
from emra_site.load import RawRow, RawTable, parse_yaml, pick_delimiter, read_csv, read_markdown, read_yaml
from emra_site.markdown import split_blocks
from emra_site.schema import TABLES_BY_NAME
from emra_site.validate import coerce_table
from emra_site.values import (
    COMMA,
    POINT,
    ValueProblem,
    decimal_hint,
    looks_like_formula,
    parse_amount,
    parse_date,
    parse_integer,
    parse_month,
    parse_number,
    parse_percent,
)

DIMENSIONES = TABLES_BY_NAME["dimensiones"]


def load(name: str) -> tuple[RawTable | None, list]:
    """Read a CSV of tests/fixtures/csv/; paths in diagnostics are relative to that folder."""
    return read_csv(CSV_FIXTURES / name, CSV_FIXTURES)


def rows_of(typed) -> list[tuple]:
    """Row values of the columns the file has (optional columns it lacks are left out)."""
    return [tuple(v for k, v in r.values.items() if typed.col(k) is not None) for r in typed.rows]


def raw_table(header: tuple[str, ...], *rows: tuple[str, ...], delimiter: str = ";") -> RawTable:
    return RawTable("t.csv", header, tuple(RawRow(i + 2, r) for i, r in enumerate(rows)), delimiter)


# --- CSV dialects ----------------------------------------------------------------------------


DIMENSION_ROWS = [
    ("ambiental", "Ambiental", 7, Decimal("47.5")),
    ("social", "Social", 5, Decimal(17)),
    ("economica", "Económica", 1204, None),
    ("institucional", "Institucional", 3, Decimal("0.5")),
]


def test_semicolon_bom_decimal_comma_file():
    raw, diags = load("dimensiones_punto_y_coma.csv")
    assert diags == []
    assert raw.delimiter == ";"
    assert raw.header == ("id", "nombre", "acuerdos_declarados", "avance_reportado")  # BOM gone
    assert [r.line for r in raw.rows] == [2, 3, 4, 5]  # the trailing ";;;" row is dropped
    typed, diags = coerce_table(raw, DIMENSIONES)
    assert diags == []
    assert rows_of(typed) == DIMENSION_ROWS


def test_comma_file_with_decimal_point_gives_the_same_rows():
    semi, _ = load("dimensiones_punto_y_coma.csv")
    comma, diags = load("dimensiones_coma.csv")
    assert diags == []
    assert comma.delimiter == ","
    assert comma.header == semi.header
    a, da = coerce_table(semi, DIMENSIONES)
    b, db = coerce_table(comma, DIMENSIONES)
    assert da == db == []
    assert rows_of(a) == rows_of(b) == DIMENSION_ROWS
    assert [r.line for r in a.rows] == [r.line for r in b.rows]


def test_sep_hint_line_is_not_the_header_and_lines_stay_true():
    raw, diags = load("sep_punto_y_coma.csv")
    assert diags == []
    assert raw.delimiter == ";"
    assert raw.header_line == 2
    assert raw.header[0] == "id"
    # the first row's quoted cell spans lines 3-4, so the next row starts on line 5
    assert [r.line for r in raw.rows] == [3, 5]
    assert raw.rows[0].cells[2] == "Disminución del uso de agua,\ncontinental y de mar"
    _, diags = coerce_table(raw, TABLES_BY_NAME["acuerdos"])
    assert [str(d) for d in diags] == [
        "sep_punto_y_coma.csv:5:4: la columna «avance» tiene «mucho»: se esperaba un número como 47,5 o 1.234.567"]


def test_sep_hint_names_a_tab():
    """`sep=<TAB>` must select the tab; stripping the line must not eat the delimiter it names."""
    raw, diags = load("sep_tabulacion.csv")
    assert diags == []
    assert raw.delimiter == "\t"
    assert raw.header == ("id", "nombre", "acuerdos_declarados", "avance_reportado")
    typed, diags = coerce_table(raw, DIMENSIONES)
    assert diags == []
    assert rows_of(typed) == [("ambiental", "Ambiental", 7, Decimal("47.5"))]


def test_sep_hint_with_unusual_delimiter_is_refused_with_a_diagnostic():
    """A `sep=|` file is refused on line 1 with the accepted hints named, not a KeyError traceback."""
    raw, diags = load("sep_barra.csv")
    assert raw is None
    assert [(d.level, d.loc.line) for d in diags] == [(ERROR, 1)]
    assert "sep=;" in diags[0].message and "«sep=|»" in diags[0].message


def test_unclosed_quote_does_not_swallow_following_rows():
    """A quote opened in the last cell and never closed must be reported, not eat the file."""
    raw, diags = load("comillas_sin_cerrar.csv")
    # The quote opens in the «nota» of line 2 and never closes: reported there, once.
    assert [(d.level, d.loc.line) for d in diags] == [(ERROR, 2)], diags
    assert "comillas mal cerradas" in diags[0].message


def test_windows_1252_table_is_read_without_a_warning():
    """Excel's «CSV (delimitado por comas)» on Windows is Windows-1252: the README accepts it, so no warning."""
    raw, diags = load("windows_1252.csv")
    assert diags == []
    assert [r.cells[1] for r in raw.rows] == ["Ambiental", "Económica", "Pequeña minería"]


def test_utf16_is_refused_with_an_error():
    raw, diags = load("utf16.csv")
    assert raw is None
    assert len(diags) == 1
    assert diags[0].level == ERROR
    assert diags[0].loc == SourceLoc("utf16.csv", 1)
    assert "UTF-16" in diags[0].message and "UTF-8" in diags[0].message


def test_empty_and_header_only_files(tmp_path):
    (tmp_path / "vacio.csv").write_bytes(b"\n\n")
    raw, diags = read_csv(tmp_path / "vacio.csv", tmp_path)
    assert raw is None
    assert [str(d) for d in diags] == ["vacio.csv:1: el archivo está vacío; se esperaba una fila de encabezados"]

    (tmp_path / "solo.csv").write_bytes(b"\n" + b"id;nombre;acuerdos_declarados;avance_reportado\n;;;\n")
    raw, diags = read_csv(tmp_path / "solo.csv", tmp_path)
    assert diags == [] and raw.rows == () and raw.header_line == 2
    _, diags = coerce_table(raw, DIMENSIONES)
    assert [str(d) for d in diags] == ["solo.csv:2: la tabla tiene encabezados pero ninguna fila de datos"]


@pytest.mark.parametrize(("header", "expected"), [
    ("id;nombre;avance", ";"),
    ("id,nombre,avance", ","),
    ("id\tnombre\tavance", "\t"),
    ("id", ";"),
    ("id;nombre,apellido;avance", ";"),
])
def test_pick_delimiter(header, expected):
    assert pick_delimiter(header) == expected


# --- blanks ----------------------------------------------------------------------------------


def test_blank_cells_are_none_never_zero():
    raw = raw_table(
        ("id", "nombre", "acuerdos_declarados", "avance_reportado"),
        ("a", "A", "0", ""),
        ("b", "B", "1", "   "),
        ("c", "C", "2", "\u00a0"),
        ("d", "D", "3", "0"),
    )
    typed, diags = coerce_table(raw, DIMENSIONES)
    assert diags == []
    avance = [r.values["avance_reportado"] for r in typed.rows]
    assert avance[:3] == [None, None, None]
    assert all(v is None for v in avance[:3])
    assert avance[3] == 0 and avance[3] is not None
    assert typed.rows[0].values["acuerdos_declarados"] == 0


def test_blank_required_cell_is_an_error_not_a_zero():
    raw = raw_table(("id", "nombre", "acuerdos_declarados", "avance_reportado"), ("a", "A", "", "4"))
    typed, diags = coerce_table(raw, DIMENSIONES)
    assert typed.rows[0].values["acuerdos_declarados"] is None
    assert [str(d) for d in diags] == [
        ("t.csv:2:3: la columna «acuerdos_declarados» está vacía; se esperaba número de acuerdos que la "
        "estrategia declara para la dimensión.")]


def test_blanks_of_every_type_in_minimo_are_none():
    def typed(name):
        raw, diags = read_csv(MINIMO / "data" / "2025" / f"{name}.csv", MINIMO)
        assert diags == []
        t, diags = coerce_table(raw, TABLES_BY_NAME[name])
        assert diags == []
        return {r.values["id"]: r.values for r in t.rows}

    assert typed("dimensiones")["social"]["avance_reportado"] is None
    acuerdos = typed("acuerdos")
    assert acuerdos["SOC-01"]["avance"] is None and acuerdos["SOC-01"]["origen_avance"] is None
    assert acuerdos["AMB-01"]["avance"] == Decimal(60)
    assert acuerdos["AMB-02"]["avance"] == Decimal(51)
    proyectos = typed("proyectos")
    assert proyectos["5.1"]["diferencia_min_meses"] is None and proyectos["5.3"]["diferencia_min_meses"] == 12
    calendario = typed("calendario_comunicacional")
    assert calendario["hito-1"]["mes_inicio"] is None and calendario["campana-1"]["mes_fin"] == 3
    hitos = typed("hitos")
    assert hitos["apoyo-logistica"]["fecha_inicio"] is None
    assert hitos["ocde-encuentro"]["fecha_fin"] == dt.date(2025, 6, 18)
    assert typed("montos")["5.3-diseno"]["monto"] == Decimal(4222529)
    iniciativas = typed("iniciativas")  # the `,` file with a BOM and a quoted comma
    assert iniciativas["OE1-M1"]["iniciativa"] == "Salud, educación y vivienda en las comunidades de acogida"


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("47", Decimal(47)),
    ("47%", Decimal(47)),
    ("47 %", Decimal(47)),
    ("47\u00a0%", Decimal(47)),
    ("47,5", Decimal("47.5")),
    ("47,5%", Decimal("47.5")),
    (" 0,5 % ", Decimal("0.5")),
    ("100", Decimal(100)),
    ("0", Decimal(0)),
])
def test_parse_percent(text, expected):
    assert parse_percent(text) == expected


@pytest.mark.parametrize("text", ["101", "100,5", "-1", "mucho", "47.5", "", "%"])
def test_parse_percent_refuses(text):
    with pytest.raises(ValueProblem):
        parse_percent(text)


@pytest.mark.parametrize(("text", "decimal", "expected"), [
    ("47,5", COMMA, Decimal("47.5")),
    ("1.234.567", COMMA, Decimal(1234567)),
    ("1.234.567,89", COMMA, Decimal("1234567.89")),
    ("1\u00a0234\u00a0567", COMMA, Decimal(1234567)),
    ("1\u202f234\u202f567", COMMA, Decimal(1234567)),
    (" 4 222 529 ", COMMA, Decimal(4222529)),
    ("$4.222.529", COMMA, Decimal(4222529)),
    ("M$4.222.529", COMMA, Decimal(4222529)),
    ("-47,5", COMMA, Decimal("-47.5")),
    ("47.5", POINT, Decimal("47.5")),
    ("1,234,567", POINT, Decimal(1234567)),
    ("1,234.5", POINT, Decimal("1234.5")),
])
def test_parse_number(text, decimal, expected):
    assert parse_number(text, decimal) == expected


@pytest.mark.parametrize(("text", "decimal"), [
    ("47.5", COMMA),  # a point decimal in a comma file
    ("47,5", POINT),
    ("1.23.4", COMMA),
    ("12.34.567", COMMA),
    ("1,2,3", POINT),
    ("cuarenta", COMMA),
    ("4 7,5 x", COMMA),
])
def test_parse_number_refuses(text, decimal):
    with pytest.raises(ValueProblem):
        parse_number(text, decimal)


def test_integer_and_amount_rules():
    assert parse_integer("1.204") == 1204
    with pytest.raises(ValueProblem, match="entero"):
        parse_integer("47,5")
    assert parse_amount("0") == 0
    with pytest.raises(ValueProblem, match="positivo"):
        parse_amount("-4.222.529")


@pytest.mark.parametrize(("text", "expected"), [
    ("47,5", COMMA), ("1.234,5", COMMA), ("47,5%", COMMA),
    ("47.5", POINT), ("0.25", POINT), ("1,234.5", POINT), ("4,222,529.5", POINT),
    ("47", None), ("1.234", None), ("1,234", None), ("1.234.567", None), ("", None),
])
def test_decimal_hint(text, expected):
    assert decimal_hint(text) == expected


def test_file_with_thousands_commas_and_decimal_point_is_read_as_point_decimal():
    """`4,222,529.5` can only be a point-decimal number; the file convention must follow it."""
    raw, diags = load("montos_formato_ingles.csv")
    assert diags == []
    typed, diags = coerce_table(raw, TABLES_BY_NAME["montos"])
    assert [str(d) for d in diags] == []
    assert [r.values["monto"] for r in typed.rows] == [Decimal("4222529.5"), Decimal(176306356)]


def test_mixed_decimal_separators_is_one_error_per_file():
    raw = raw_table(("id", "nombre", "acuerdos_declarados", "avance_reportado"),
                    ("a", "A", "1", "47,5"), ("b", "B", "1", "12.5"), ("c", "C", "1", "3,5"))
    _, diags = coerce_table(raw, DIMENSIONES)
    mixed = [d for d in diags if "mezcla" in d.message]
    assert len(mixed) == 1
    assert mixed[0].loc == SourceLoc("t.csv", 3, 4)


@pytest.mark.parametrize(("text", "formula"), [
    ("=SUM(A1)", True), ("=A1*2", True), ("+A1", True), ("@SUMA(A1)", True), ("-A1", True), ("=(1+2)", True),
    ("-5", False), ("47", False), ("+56 9 1234 5678", False), ("Reunión = hito", False), ("", False),
])
def test_looks_like_formula(text, formula):
    assert looks_like_formula(text) is formula


# --- months and dates ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "month"), [
    ("enero", 1), ("Ene", 1), ("FEB.", 2), ("marzo", 3), ("mar", 3), ("abril", 4), ("Abr.", 4),
    ("mayo", 5), ("jun", 6), ("jul.", 7), ("agosto", 8), ("ago", 8), ("Septiembre", 9), ("sept.", 9),
    ("sep", 9), ("setiembre", 9), ("octubre ", 10), ("nov", 11), ("Diciembre", 12), ("dic.", 12),
    ("4", 4), ("04", 4), ("12", 12),
])
def test_parse_month(text, month):
    assert parse_month(text) == month


@pytest.mark.parametrize("text", ["ma", "ju", "13", "0", "", "primavera", "abril-mayo", "4,5"])
def test_parse_month_refuses(text):
    with pytest.raises(ValueProblem, match="mes"):
        parse_month(text)


@pytest.mark.parametrize(("text", "date"), [
    ("2025-06-16", dt.date(2025, 6, 16)),
    ("16-06-2025", dt.date(2025, 6, 16)),
    ("16/06/2025", dt.date(2025, 6, 16)),
    ("2025-6-5", dt.date(2025, 6, 5)),
    ("5/6/2025", dt.date(2025, 6, 5)),
    (" 2025-06-16 ", dt.date(2025, 6, 16)),
    ("29-02-2024", dt.date(2024, 2, 29)),
])
def test_parse_date(text, date):
    assert parse_date(text) == date


@pytest.mark.parametrize("text", ["2025-02-30", "29-02-2025", "31/04/2025", "2025-13-01", "00-01-2025"])
def test_parse_date_impossible(text):
    with pytest.raises(ValueProblem, match="no existe en el calendario"):
        parse_date(text)


@pytest.mark.parametrize("text", ["2025/06/16", "16.06.2025", "16-06-25", "junio 2025", "20250616", ""])
def test_parse_date_bad_format(text):
    with pytest.raises(ValueProblem, match="AAAA-MM-DD"):
        parse_date(text)


# --- YAML ------------------------------------------------------------------------------------


def test_yaml_keeps_every_scalar_as_text():
    data, lines, diags = parse_yaml("idioma: NO\nnumero: 010\nversion: 1.10\nvisible: yes\nanio: 2025\n"
                                    "fecha: 2025-06-30\nvacio: ~\n", "x.yml", 1)
    assert diags == []
    assert data == {"idioma": "NO", "numero": "010", "version": "1.10", "visible": "yes", "anio": "2025",
                    "fecha": "2025-06-30", "vacio": "~"}
    assert lines == {"idioma": 1, "numero": 2, "version": 3, "visible": 4, "anio": 5, "fecha": 6, "vacio": 7}


def test_yaml_error_points_into_the_file():
    data, _lines, diags = parse_yaml("a: 1\nb: c: d\n", "x.md", 10)
    assert data is None
    assert [d.loc for d in diags] == [SourceLoc("x.md", 11, 5)]
    assert diags[0].level == ERROR and "YAML no válido" in diags[0].message


def test_front_matter_and_edition_are_read_as_text(tmp_path):
    md = tmp_path / "s.md"
    md.write_text("---\ntitulo: NO\nnumero: 010\ndescripcion: 1.10\n---\n\n## Hola\n", encoding="utf-8")
    doc, diags = read_markdown(md, tmp_path)
    assert diags == []
    assert doc.meta == {"titulo": "NO", "numero": "010", "descripcion": "1.10"}
    assert doc.meta_lines == {"titulo": 2, "numero": 3, "descripcion": 4}
    assert doc.body_line == 6 and doc.body.startswith("\n## Hola")

    yml = tmp_path / "edition.yml"
    yml.write_text("anio: 2025\nidioma: NO\nsecciones:\n  - 010\n", encoding="utf-8")
    raw, diags = read_yaml(yml, tmp_path)
    assert diags == []
    assert raw.data == {"anio": "2025", "idioma": "NO", "secciones": ["010"]}
    assert raw.lines == {"anio": 1, "idioma": 2, "secciones": 3}


def test_markdown_without_front_matter_is_an_error(tmp_path):
    md = tmp_path / "s.md"
    md.write_text("## Hola\n", encoding="utf-8")
    doc, diags = read_markdown(md, tmp_path)
    assert doc.body == "## Hola\n"
    assert [(d.loc, d.level) for d in diags] == [(SourceLoc("s.md", 1), ERROR)]

    md.write_text("---\ntitulo: x\n", encoding="utf-8")
    doc, diags = read_markdown(md, tmp_path)
    assert doc is None and "no se cierra" in diags[0].message


# --- Markdown --------------------------------------------------------------------------------


def render(body: str, first_line: int = 1):
    blocks, headings, _xrefs, _images, diags = split_blocks(body, "s.md", first_line, {"dimensiones": {"ambiental"}})
    html = "".join(b.html for b in blocks if hasattr(b, "html"))
    return html, headings, diags


def test_raw_html_is_escaped():
    html, _, diags = render("Antes\n\n<script>alert(1)</script>\n\nTexto <b>negrita</b> e <img src=x onerror=y>.\n")
    assert "<script" not in html and "<b>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;negrita&lt;/b&gt;" in html
    # Never published as HTML, and never published at all: each piece is an error where it is written.
    assert [(str(d.loc), d.level) for d in diags] == [("s.md:3:1", ERROR), ("s.md:5:7", ERROR), ("s.md:5:24", ERROR)]
    assert all("no se admite HTML" in d.message for d in diags)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:x",
                                 "vbscript:x", "data:text/html,hola"])
def test_unsafe_links_are_not_rendered_and_are_reported(url):
    html, _, diags = render(f"Ver [aquí]({url}) y [allá](https://example.org/a).\n", first_line=7)
    assert "<a" in html and html.count("<a ") == 1
    assert 'href="https://example.org/a"' in html
    scheme = url.strip().split(":")[0].lower()
    assert f'href="{scheme}' not in html.lower()
    assert "[aquí]" in html  # shown as plain text, not as a link
    assert len(diags) == 1 and diags[0].level == ERROR
    assert diags[0].loc == SourceLoc("s.md", 7)
    assert "no permitido" in diags[0].message


def test_safe_links_are_rendered_without_diagnostics():
    html, _, diags = render("[a](https://x.cl) [b](http://x.cl) [c](mailto:a@x.cl) [d](datos.html) [e](#ancla)\n")
    assert diags == []
    assert html.count("<a href=") == 5


def test_heading_anchors_are_ascii_and_unique():
    body = ("## Dimensión ambiental\n\n## Dimensión ambiental\n\n## Año 2025: ¿qué pasó?\n\n"
            "## Ñandú & Cía.\n\n## ¿?\n\n## ¿!\n\n## Dimensión ambiental 2\n\n### Dimensión ambiental\n")
    html, headings, diags = render(body)
    anchors = [h.anchor for h in headings]
    assert anchors[:5] == ["dimension-ambiental", "dimension-ambiental-2", "ano-2025-que-paso", "nandu-cia",
                           "seccion"]
    assert len(set(anchors)) == len(anchors), anchors
    for anchor in anchors:
        assert anchor.isascii() and anchor == anchor.lower()
        assert all(c.isalnum() or c == "-" for c in anchor) and not anchor.startswith("-")
        assert f'id="{anchor}"' in html
    assert [h.level for h in headings] == [2, 2, 2, 2, 2, 2, 2, 3]
    assert diags == []


def test_level_one_heading_is_reported_on_its_line():
    _, headings, diags = render("Intro\n\n# Grande\n", first_line=6)
    assert [str(d.loc) for d in diags] == ["s.md:8"]
    assert headings[0].level == 1


def test_blocks_split_prose_and_directives():
    body = "Antes.\n\n```grafico\ntipo: avance-dimensiones\n```\n\nDespués.\n\n```python\nx = 1\n```\n"
    blocks, _, _xrefs, _images, diags = split_blocks(body, "s.md", 1, {})
    assert diags == []
    kinds = [type(b).__name__ for b in blocks]
    assert kinds == ["Prose", "Directive", "Prose"]
    assert blocks[1].name == "avance-dimensiones" and blocks[1].loc == SourceLoc("s.md", 4)
    assert "<code" in blocks[2].html and "x = 1" in blocks[2].html  # other fences stay code
