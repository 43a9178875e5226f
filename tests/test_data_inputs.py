"""Cells and files as Excel users write them (issue 13, part 3), and tables editors add themselves.

Encodings and delimiters the README accepts are read without a word; «sin dato» markers are no
value; workbook cells are read as Excel shows them; every file of data/<año>/ is a table or an
error; a blank «origen_avance» beside a value is a warning; a CSV shown by a ```tabla``` block
is published as it is. Unit tests on the functions, `check` on the small project, one build.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import MINIMO, copy_project, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from emra_site.errors import ERROR, WARNING, SourceLoc
from emra_site.load import read_csv, read_markdown, read_xlsx, read_yaml
from emra_site.schema import TABLES_BY_NAME
from emra_site.validate import check_explained, coerce_table
from emra_site.values import is_no_data
from emra_site.xlsx_cells import shown_number

set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "emra-hypothesis")  # its caches stay out of the work tree

ACUERDOS = TABLES_BY_NAME["acuerdos"]
TEXT_ADVICE = "Guárdelo con codificación UTF-8 (Bloc de notas: Guardar como › Codificación: UTF-8)"
ACUERDOS_CSV = (
    "id;dimension;acuerdo;avance;origen_avance\r\n"
    "AMB-01;ambiental;Disminución del uso de agua;47,5;fuente\r\n"
    "SOC-01;social;Ciudades sustentables con niñas y niños;47 %;asignado por orden en la fuente\r\n"
)


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def typed_rows(raw, schema=ACUERDOS) -> tuple[list[dict], list]:
    typed, diags = coerce_table(raw, schema)
    return [r.values for r in typed.rows], diags


# --- Encodings: what Excel and Notepad save -----------------------------------------------------


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_windows_1252_csv_from_excel_is_read_without_any_message(tmp_path, delimiter):
    """Excel's «CSV (delimitado por punto y coma)» on Windows writes Windows-1252: accepted as UTF-8 is."""
    text = ACUERDOS_CSV.replace(";", delimiter) if delimiter != ";" else ACUERDOS_CSV
    text = text.replace("47,5", '"47,5"') if delimiter == "," else text
    raw, diags = read_csv(write(tmp_path / "acuerdos.csv", text.encode("cp1252")), tmp_path)
    assert diags == []
    rows, diags = typed_rows(raw)
    assert diags == []
    assert [(r["acuerdo"], r["avance"]) for r in rows] == [
        ("Disminución del uso de agua", Decimal("47.5")), ("Ciudades sustentables con niñas y niños", Decimal(47))]


def test_markdown_and_yaml_in_windows_1252_warn_with_a_text_editor_advice(tmp_path):
    md = write(tmp_path / "resumen.md", "---\ntitulo: Resumen\n---\n\nLa región de Antofagasta.\n".encode("cp1252"))
    yml = write(tmp_path / "edition.yml", "titulo: Estrategia Minera de la Región\n".encode("cp1252"))
    doc, md_diags = read_markdown(md, tmp_path)
    data, yml_diags = read_yaml(yml, tmp_path)
    assert "región" in doc.body and data.data["titulo"] == "Estrategia Minera de la Región"
    expected = ("el archivo no está en UTF-8 (primer carácter no válido en esta línea); se leyó como Windows-1252. "
                f"{TEXT_ADVICE} para evitar letras cambiadas")
    assert [(d.level, d.loc, d.message) for d in md_diags] == [(WARNING, SourceLoc("resumen.md", 5), expected)]
    assert [(d.level, d.loc, d.message) for d in yml_diags] == [(WARNING, SourceLoc("edition.yml", 1), expected)]
    assert "CSV" not in expected


def test_utf16_markdown_is_refused_with_the_text_editor_advice(tmp_path):
    md = write(tmp_path / "resumen.md", "\ufeff---\ntitulo: Región\n---\n".encode("utf-16"))
    doc, diags = read_markdown(md, tmp_path)
    assert doc is None
    assert [str(d) for d in diags] == [
        f"resumen.md:1: el archivo está en UTF-16 («Unicode»); se esperaba UTF-8. {TEXT_ADVICE}"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_gets_the_utf16_message_not_nul_characters(tmp_path, encoding):
    """`iconv -t utf-16le acuerdos.csv` writes no BOM: the NUL bytes in every other place tell."""
    path = write(tmp_path / "acuerdos.csv", ACUERDOS_CSV.encode(encoding))
    raw, diags = read_csv(path, tmp_path)
    assert raw is None
    assert [str(d) for d in diags] == [
        ("acuerdos.csv:1: el archivo está en UTF-16 («Texto Unicode» de Excel); se esperaba UTF-8. "
         "En Excel use Guardar como › «CSV UTF-8 (delimitado por comas)»")]
    md = write(tmp_path / "resumen.md", "---\ntitulo: Región\n---\n".encode(encoding))
    assert [str(d) for d in read_markdown(md, tmp_path)[1]] == [
        f"resumen.md:1: el archivo está en UTF-16 («Unicode»); se esperaba UTF-8. {TEXT_ADVICE}"]


def test_a_file_mixing_utf8_and_windows_1252_is_an_error_not_mojibake(tmp_path):
    data = "id;nombre\r\nAMB-01;Región\r\n".encode() + "SOC-01;Económica\r\n".encode("cp1252")
    raw, diags = read_csv(write(tmp_path / "t.csv", data), tmp_path)
    assert raw is None
    assert [str(d) for d in diags] == [
        ("t.csv:3: el archivo mezcla dos codificaciones: la línea 2 está en UTF-8 y esta no; las letras con tilde "
        "saldrían cambiadas. Corrija esta línea y en Excel use Guardar como › «CSV UTF-8 (delimitado por comas)»")]


def test_a_mac_csv_and_bytes_no_encoding_has_are_errors(tmp_path):
    for word, sign in (("Café", "Ž"), ("Económica", "—"), ("Pequeña", "–")):
        mac = write(tmp_path / "mac.csv", f"id;nombre\nAMB-01;O’Higgins\nAMB-02;{word}\n".encode("mac_roman"))
        raw, diags = read_csv(mac, tmp_path)
        assert raw is None and [(d.level, d.loc) for d in diags] == [(ERROR, SourceLoc("mac.csv", 3))]
        assert "«CSV (Macintosh)»" in diags[0].message and f"«{sign}»" in diags[0].message
    # The same signs as Windows-1252 punctuation, where Spanish text has them, are no Mac letters.
    punctuation = write(tmp_path / "ok.csv", "id;nombre\nA;O’Higgins — Norte–Sur, 2023–2050\n".encode("cp1252"))
    assert read_csv(punctuation, tmp_path)[1] == []
    odd = write(tmp_path / "raro.csv", b"id;nombre\nAMB-01;agua\x81\n")
    raw, diags = read_csv(odd, tmp_path)
    assert raw is None and [(d.level, d.loc) for d in diags] == [(ERROR, SourceLoc("raro.csv", 2))]
    assert "ni en Windows-1252" in diags[0].message


# --- Empty columns and header cells ---------------------------------------------------------------


def test_empty_trailing_columns_excel_adds_are_ignored_silently(tmp_path):
    """`;;` at the end of every line, header included: Excel adds them once cells to the right were formatted."""
    text = "".join(line + ";;\r\n" for line in ACUERDOS_CSV.splitlines()) + ";;;;;;\r\n"
    raw, diags = read_csv(write(tmp_path / "acuerdos.csv", "\ufeff" + text), tmp_path)
    assert diags == [] and raw.header == ("id", "dimension", "acuerdo", "avance", "origen_avance")
    rows, diags = typed_rows(raw)
    assert diags == [] and [r["avance"] for r in rows] == [Decimal("47.5"), Decimal(47)]


def test_empty_rows_and_columns_around_the_table_are_ignored(tmp_path):
    """A table that starts at B3 in Excel: the empty rows above and the empty column A are no data."""
    text = "\ufeff;;;;;;\r\n;;;;;;\r\n" + "".join(f";{line};\r\n" for line in ACUERDOS_CSV.splitlines())
    raw, diags = read_csv(write(tmp_path / "acuerdos.csv", text), tmp_path)
    assert diags == [] and raw.header_line == 3 and [r.line for r in raw.rows] == [4, 5]
    rows, diags = typed_rows(raw)
    assert diags == [] and [r["avance"] for r in rows] == [Decimal("47.5"), Decimal(47)]
    typed, _ = coerce_table(raw, ACUERDOS)
    assert typed.col("avance") == 5  # column E, as Excel shows it


def test_unnamed_columns_with_data_and_repeated_names_are_errors(tmp_path):
    text = ("id;;dimension;acuerdo;avance;origen_avance;avance\n"
            "AMB-01;;ambiental;Agua;50;fuente;\n"
            "AMB-02;ojo;ambiental;Aire;60;fuente;\n")
    raw, _ = read_csv(write(tmp_path / "acuerdos.csv", text), tmp_path)
    _, diags = typed_rows(raw)
    assert [str(d) for d in diags] == [
        ("acuerdos.csv:1:2: la columna B no tiene encabezado pero tiene datos (línea 3: «ojo»); escriba su nombre en "
        "la fila de encabezados o borre la columna en Excel"),
        "acuerdos.csv:1:7: la columna «avance» aparece dos veces en el encabezado (columnas E y G); deje una sola",
    ]


def test_an_unnamed_empty_column_in_the_middle_is_ignored(tmp_path):
    text = "id;;dimension;acuerdo;avance;origen_avance\nAMB-01;;ambiental;Agua;50;fuente\n"
    raw, _ = read_csv(write(tmp_path / "acuerdos.csv", text), tmp_path)
    rows, diags = typed_rows(raw)
    assert diags == [] and rows[0]["avance"] == Decimal(50)


# --- «Sin dato» markers ---------------------------------------------------------------------------


MARKERS = ["", "  ", "-", " - ", "—", "–", "−", "--", "s/d", "S/D", "s / d", "n/d", "N/D", "N/A", "n/a",
           "sin dato", "Sin Dato", "SIN  DATOS", "s.d.", "n.d."]


@pytest.mark.parametrize("marker", MARKERS)
def test_no_data_markers_are_blank_never_zero_nor_a_formula(marker):
    assert is_no_data(marker)
    from emra_site.load import RawRow, RawTable

    raw = RawTable("acuerdos.csv", ("id", "dimension", "acuerdo", "avance", "origen_avance"),
                   (RawRow(2, ("AMB-01", "ambiental", "Agua", marker, marker)),), ";")
    rows, diags = typed_rows(raw)
    assert diags == []
    assert rows[0]["avance"] is None and rows[0]["origen_avance"] is None


@pytest.mark.parametrize("text", ["0", "-5", "=A1", "nada", "NA", "sd", "- 5", "s/d 2024"])
def test_values_that_are_no_marker(text):
    assert not is_no_data(text)


def test_a_marker_in_a_required_column_is_reported_as_no_data():
    from emra_site.load import RawRow, RawTable

    raw = RawTable("acuerdos.csv", ("id", "dimension", "acuerdo", "avance", "origen_avance"),
                   (RawRow(2, ("AMB-01", "ambiental", "s/d", "-", "")),), ";")
    _, diags = typed_rows(raw)
    assert [str(d) for d in diags] == [
        "acuerdos.csv:2:3: la columna «acuerdo» dice «s/d» (sin dato); se esperaba texto del acuerdo."]


# --- Workbook cells as Excel shows them --------------------------------------------------------


@pytest.mark.parametrize(("number_format", "value", "shown"), [
    ("0.0%", 0.4753, "47,5%"),
    ("0%", 0.6, "60%"),
    ("0.00%", 1, "100%"),
    ("#,##0", 4222529.4, "4222529"),
    ("#,##0.00", 2.5, "2,50"),
    ("[$-es-CL]#.##0,00", 1234.5678, "1234,57"),  # typed in a Spanish Excel: «.» groups, «,» decimals
    ("[$-es-CL]#.##0", 4222529.4, "4222529"),
    ("#,##0,", 4222529, "4223"),  # a trailing comma shows thousands
    ('"$"#,##0', 1000, "$1000"),
    ("[$$-340A]#,##0;[Red]-[$$-340A]#,##0", -5, "-$5"),
    ('_-* #,##0_-;-* #,##0_-;_-* "-"_-;_-@_-', 0, "0"),  # accounting: the dash is a real zero
    ("#,##0.00;(#,##0.00)", -5.5, "-5,50"),
    ("General", 0.1 + 0.2, "0,3"),
    ("General", 5.3, "5,3"),
    ("General", 65, "65"),
    ("@", 7, "7"),
    ("0.00E+00", 12345, "12345"),
    (None, 47.5, "47,5"),
])
def test_a_number_reads_as_excel_shows_it(number_format, value, shown):
    assert shown_number(value, number_format) == shown


# No example database (nothing written into the work tree); deterministic in CI, like tests/test_fuzz.py.
@settings(max_examples=200, deadline=None, database=None, derandomize=bool(os.environ.get("CI")))
@given(value=st.one_of(st.integers(-10**15, 10**15), st.floats(allow_nan=False, allow_infinity=False)),
       number_format=st.one_of(st.sampled_from(["0.0%", "#,##0,,", '[$-es-CL]#.##0,00;[Red]-#.##0,00;"-"', "0.00E+00",
                                                "# ?/?", "General", "@", "dd/mm/yyyy"]),
                               st.text(alphabet='0#?.,;%$"\\_*[]-E+@ ab', max_size=20)))
def test_any_number_under_any_format_reads_back_as_a_number(value, number_format):
    """Whatever the format, the text is a number the cell parsers read (sign, digits, comma, «$», «%»)."""
    text = shown_number(value, number_format)
    assert re.fullmatch(r"-?\$?\d+(,\d+)?%?", text), (value, number_format, text)


def _workbook(path: Path, rows: list[list], formats: dict[str, str]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Hoja1"
    for row in rows:
        sheet.append(row)
    for cell, number_format in formats.items():
        sheet[cell].number_format = number_format
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def test_workbook_cells_with_custom_formats_are_read_as_shown(tmp_path):
    hitos = _workbook(tmp_path / "hitos.xlsx", [
        ["id", "fecha_inicio", "fecha_fin", "hito", "nota"],
        ["a", dt.datetime(2025, 6, 16), dt.datetime(2025, 6, 18), "Encuentro", "—"],
        ["b", dt.datetime(2025, 4, 11), None, "Reunión", "s/d"],
    ], {"B2": '[$-es-CL]d" de "mmmm" de "yyyy', "C2": "dd/mm/yyyy", "B3": "[$-340A]dd-mm-yyyy;@"})
    raw, diags = read_xlsx(hitos, tmp_path)
    assert diags == []
    rows, diags = typed_rows(raw, TABLES_BY_NAME["hitos"])
    assert diags == []
    assert [(r["fecha_inicio"], r["fecha_fin"], r["nota"]) for r in rows] == [
        (dt.date(2025, 6, 16), dt.date(2025, 6, 18), None), (dt.date(2025, 4, 11), None, None)]
    acuerdos = _workbook(tmp_path / "acuerdos.xlsx", [
        ["id", "dimension", "acuerdo", "avance", "origen_avance"],
        ["AMB-01", "ambiental", "Agua", 0.4753, "fuente"],
        ["AMB-02", "ambiental", "Aire", 0.33333333, "fuente"],
        ["AMB-03", "ambiental", "Suelo", 47.5, "fuente"],
        ["AMB-04", "ambiental", "Mar", "-", None],
    ], {"D2": "0.0%", "D3": "0%", "D4": "#,##0.0"})
    raw, diags = read_xlsx(acuerdos, tmp_path)
    rows, more = typed_rows(raw)
    assert diags == more == []
    assert [r["avance"] for r in rows] == [Decimal("47.5"), Decimal(33), Decimal("47.5"), None]
    montos = _workbook(tmp_path / "montos.xlsx", [
        ["id", "proyecto", "concepto", "monto", "unidad", "nota"],
        ["m1", "5.3", "Diseño", 4222529, "miles de pesos", None],
        ["m2", "5.3", "Obra", 176306356.4, "pesos", None],
    ], {"D2": "#,##0", "D3": "[$-es-CL]#.##0"})
    raw, _ = read_xlsx(montos, tmp_path)
    rows, diags = typed_rows(raw, TABLES_BY_NAME["montos"])
    assert diags == [] and [r["monto"] for r in rows] == [Decimal(4222529), Decimal(176306356)]


def test_a_sheet_whose_table_starts_at_c3_is_read_with_its_true_cells(tmp_path):
    """Empty rows above and columns left of the table: read, and problems point at Excel's cells."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Datos"
    for r, row in enumerate([["id", "dimension", "acuerdo", "avance", "origen_avance"],
                             ["AMB-01", "ambiental", "Agua", 0.475, "fuente"],
                             ["AMB-02", "ambiental", "Aire", 150, "fuente"]], start=3):
        for c, value in enumerate(row, start=3):
            sheet.cell(r, c, value)
    sheet["F4"].number_format = "0.0%"
    book.save(tmp_path / "acuerdos.xlsx")
    raw, diags = read_xlsx(tmp_path / "acuerdos.xlsx", tmp_path)
    assert diags == [] and raw.header_line == 3
    rows, diags = typed_rows(raw)
    assert rows[0]["avance"] == Decimal("47.5")
    assert [str(d) for d in diags] == [
        "acuerdos.xlsx:Datos!F5: la columna «avance» tiene «150»: se esperaba un porcentaje entre 0 y 100"]


# --- «origen_avance» beside a value --------------------------------------------------------------


def test_a_value_without_its_origin_is_a_warning_at_the_origin_cell(tmp_path):
    text = ("id;dimension;acuerdo;avance;origen_avance\n"
            "AMB-01;ambiental;Agua;65;\nAMB-02;ambiental;Aire;;\nAMB-03;ambiental;Mar;40;fuente\n")
    raw, _ = read_csv(write(tmp_path / "acuerdos.csv", text), tmp_path)
    typed, diags = coerce_table(raw, ACUERDOS)
    assert diags == []
    assert [(d.level, str(d)) for d in check_explained({"acuerdos": typed})] == [(WARNING, (
        "acuerdos.csv:2:5: aviso: «avance» tiene un valor pero «origen_avance» está vacía; escriba «fuente» o "
        "«asignado por orden en la fuente» (si no, la tabla publicada muestra «sin dato» en «Origen del avance»)"))]


def test_editor_11_new_edition_todo_names_origen_avance_and_its_values(tmp_path):
    project = copy_project(MINIMO, tmp_path / "p")
    code, out = run_cli(["-C", str(project), "new-edition", "2026"])
    assert code == 0
    line = next(x for x in out.splitlines() if "data/2026/acuerdos.csv" in x)
    assert line == ("  - data/2026/acuerdos.csv: complete «avance» en 3 filas (el valor de 2025 quedó en "
                    "«avance_anterior» como referencia) y, junto a cada valor, «origen_avance»: «fuente» o "
                    "«asignado por orden en la fuente»")


# --- The editor cases on the small project, with `--strict check` as GitHub Pages runs it -----------


def _strict_check(project: Path) -> tuple[int, list[str]]:
    code, out = run_cli(["-C", str(project), "--strict", "check"])
    assert "Traceback" not in out
    return code, [line for line in out.splitlines() if line.startswith(("data/", "content/"))]


def test_editor_01_every_table_saved_as_windows_1252_csv_publishes_under_strict(tmp_path):
    root = copy_project(MINIMO, tmp_path / "p")
    for table in sorted((root / "data" / "2025").glob("*.csv")):
        text = table.read_text(encoding="utf-8-sig")
        table.write_bytes(text.replace("\n", "\r\n").encode("cp1252"))
    assert _strict_check(root) == (0, [])


def test_editor_02_empty_trailing_columns_publish_under_strict(tmp_path):
    root = copy_project(MINIMO, tmp_path / "p")
    table = root / "data" / "2025" / "acuerdos.csv"
    table.write_text("".join(f"{line};;\n" for line in table.read_text(encoding="utf-8").splitlines()),
                     encoding="utf-8-sig")
    assert _strict_check(root) == (0, [])


def test_editor_10_a_new_table_shown_by_a_block_passes_strict_check(tmp_path):
    root = copy_project(MINIMO, tmp_path / "p")
    write(root / "data" / "2025" / "presupuesto.csv", "id;partida;monto\npresup-1;Estudios;1.000.000\n")
    doc = root / "content" / "2025" / "proyectos.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n```tabla\ndatos: presupuesto\ntitulo: Presupuesto\n```\n",
                   encoding="utf-8")
    assert _strict_check(root) == (0, [])
    from emra_site.pipeline import Paths, read_report
    from emra_site.tables import plan_table

    report, _ = read_report(Paths.of(root))
    edition = report.edition(2025)
    block = next(b for _, b in edition.directives() if b.name == "presupuesto")
    plan = plan_table(edition.data, block)
    assert [c.text for c in plan.headers] == ["Id", "Partida", "Monto"]
    assert [[c.text for c in row] for row in plan.rows] == [["presup-1", "Estudios", "1.000.000"]]


def test_editor_11_a_value_without_origin_warns_and_strict_refuses(tmp_path):
    root = copy_project(MINIMO, tmp_path / "p")
    table = root / "data" / "2025" / "acuerdos.csv"
    table.write_text(table.read_text(encoding="utf-8").replace(";51 %;fuente", ";51 %;"), encoding="utf-8")
    code, lines = _strict_check(root)
    assert code == 1
    assert lines == [("data/2025/acuerdos.csv:3:5: aviso: «avance» tiene un valor pero «origen_avance» está vacía; "
                     "escriba «fuente» o «asignado por orden en la fuente» (si no, la tabla publicada muestra "
                     "«sin dato» en «Origen del avance»)")]
    assert run_cli(["-C", str(root), "check"])[0] == 0  # a warning: published without --strict


def test_a_new_edition_with_its_progress_still_blank_is_a_warning_not_ready(tmp_path):
    """After `new-edition` (and the «revisar» lines deleted), every «avance» is blank: each agreement
    would publish «sin dato», so `check` warns, says how many rows and what to fill."""
    root = copy_project(MINIMO, tmp_path / "p")
    assert run_cli(["-C", str(root), "new-edition", "2026"])[0] == 0
    for md in (root / "content" / "2026").glob("*.md"):
        md.write_text(re.sub(r"(?m)^revisar:.*\n", "", md.read_text(encoding="utf-8")), encoding="utf-8")
    code, out = run_cli(["-C", str(root), "check"])
    warnings = [line for line in out.splitlines() if ": aviso: " in line]
    assert code == 0 and "listo para publicar" not in out
    assert warnings == [
        ("data/2026/acuerdos.csv:1:4: aviso: la columna «avance» está vacía en las 3 filas, así que todas se "
         "publicarían «sin dato»; complete «avance» (avance del acuerdo, de 0 a 100) y, junto a cada valor, "
         "«origen_avance» con los valores de esta edición (el valor de la edición anterior está en «avance_anterior» "
         "como referencia). Si de verdad una fila no tiene dato, escriba «s/d»"),
        ("data/2026/dimensiones.csv:1:4: aviso: la columna «avance_reportado» está vacía en las 2 filas, así que "
         "todas se publicarían «sin dato»; complete «avance_reportado» (avance de la dimensión tal como lo reporta el "
         "informe, de 0 a 100) con los valores de esta edición (el valor de la edición anterior está en "
         "«avance_anterior» como referencia). Si de verdad una fila no tiene dato, escriba «s/d»"),
    ]
    # One value written (or a deliberate «s/d») is the editor's answer: no warning for that table.
    table = root / "data" / "2026" / "acuerdos.csv"
    table.write_text(table.read_text(encoding="utf-8").replace(";;;", ";s/d;;", 1), encoding="utf-8")
    out = run_cli(["-C", str(root), "check"])[1]
    assert "acuerdos.csv:1:4: aviso" not in out and "dimensiones.csv:1:4: aviso" in out


def test_editor_16_a_section_saved_as_ansi_gets_the_notepad_advice(tmp_path):
    root = copy_project(MINIMO, tmp_path / "p")
    doc = root / "content" / "2025" / "acuerdos.md"
    doc.write_bytes(doc.read_text(encoding="utf-8").encode("cp1252"))
    code, lines = _strict_check(root)
    assert code == 1
    assert lines == [("content/2025/acuerdos.md:4: aviso: el archivo no está en UTF-8 (primer carácter no válido en "
                     f"esta línea); se leyó como Windows-1252. {TEXT_ADVICE} para evitar letras cambiadas")]


# --- Files of data/<año>/: a table or an error ------------------------------------------------------


def _check(project: Path) -> tuple[int, list[str]]:
    """`check`'s exit code and its diagnostic lines (file names here may hold spaces and parentheses)."""
    code, out = run_cli(["-C", str(project), "check"])
    assert "Traceback" not in out
    return code, [line for line in out.splitlines() if line.startswith(("data/", "content/"))]


def test_editor_09_copies_and_misnamed_tables_are_errors_that_name_the_table(tmp_path):
    project = copy_project(MINIMO, tmp_path / "p")
    data = project / "data" / "2025"
    acuerdos = (data / "acuerdos.csv").read_bytes()
    for name in ("acuerdos (1).csv", "acuerdos_2026_final.csv", "Copia de montos.xlsx", "hitos.xls", "notas.txt"):
        write(data / name, acuerdos)
    (data / "Acuerdos.CSV").write_bytes(acuerdos)
    (data / "acuerdos.csv").unlink()
    for skipped in (".DS_Store", "~$montos.xlsx", "Thumbs.db"):
        write(data / skipped, b"\x00")
    code, lines = _check(project)
    assert code == 1
    copy = ("no es una de las tablas del informe y ningún bloque «tabla» la muestra, así que no se publica; "
            "¿quiso decir {t}.csv? Si este archivo tiene los datos buenos, copie su contenido en {t}.csv "
            "(o cámbiele el nombre a {t}.csv) y borre la copia")
    assert lines == [
        "data/2025/Acuerdos.CSV: «Acuerdos.CSV» " + copy.format(t="acuerdos"),
        "data/2025/Copia de montos.xlsx: «Copia de montos.xlsx» " + copy.format(t="montos"),
        "data/2025/acuerdos (1).csv: «acuerdos (1).csv» " + copy.format(t="acuerdos"),
        ("data/2025/acuerdos.csv: falta la tabla acuerdos.csv (o acuerdos.xlsx); se esperaba en data/2025/. Hay un "
        "archivo parecido: «Acuerdos.CSV»; si es esta tabla, cámbiele el nombre a acuerdos.csv"),
        "data/2025/acuerdos_2026_final.csv: «acuerdos_2026_final.csv» " + copy.format(t="acuerdos"),
        ("data/2025/hitos.xls: «hitos.xls» no es una tabla que el publicador lea; se esperaba un .csv o .xlsx. En Excel "
        "use Guardar como › «CSV UTF-8 (delimitado por comas)» como hitos.csv (¿quiso decir hitos.csv?) y borre este "
        "archivo"),
        ("data/2025/notas.txt: «notas.txt» no es una tabla; data/2025/ solo debe contener las tablas de la edición "
        "(.csv o .xlsx). Muévalo fuera de data/2025/"),
    ]


def test_an_unused_table_file_says_how_to_show_it(tmp_path):
    project = copy_project(MINIMO, tmp_path / "p")
    write(project / "data" / "2025" / "presupuesto.csv", "id;partida\np1;Estudios\n")
    write(project / "data" / "2025" / "Presupuesto Regional.csv", "id;partida\np1;Estudios\n")
    code, lines = _check(project)
    assert code == 1
    head = "no es una de las tablas del informe y ningún bloque «tabla» la muestra, así que no se publica; "
    assert lines == [
        (f"data/2025/Presupuesto Regional.csv: «Presupuesto Regional.csv» {head}para publicarla como tabla nueva, "
        "póngale un nombre en minúsculas, sin tildes ni espacios (por ejemplo «presupuesto_regional.csv») y muéstrela "
        "con un bloque «tabla» con «datos: presupuesto_regional»; si no la necesita, sáquela de data/2025/"),
        (f"data/2025/presupuesto.csv: «presupuesto.csv» {head}para publicarla como tabla nueva, muéstrela con un "
        "bloque «tabla» con «datos: presupuesto»; si no la necesita, sáquela de data/2025/"),
    ]


def test_a_block_naming_a_missing_table_says_how_to_add_one(tmp_path):
    project = copy_project(MINIMO, tmp_path / "p")
    doc = project / "content" / "2025" / "proyectos.md"
    text = doc.read_text(encoding="utf-8") + "\n```tabla\ndatos: presupuesto\n```\n"
    doc.write_text(text, encoding="utf-8")
    code, lines = _check(project)
    assert code == 1
    (line,) = lines
    assert re.fullmatch(
        r"content/2025/proyectos\.md:\d+: «datos» tiene «presupuesto»; se esperaba uno de: acuerdos, .*, proyectos\. "
        r"Para mostrar una tabla nueva, guárdela como presupuesto\.csv \(o presupuesto\.xlsx\) en la carpeta de datos "
        r"de la edición \(data/<año>/\)", line), line


# --- New tables ------------------------------------------------------------------------------------


def test_column_types_come_from_the_header_or_the_cells():
    from emra_site import schema as S
    from emra_site.new_tables import infer_type, split_header

    assert split_header("monto:monto") == ("monto", S.MONTO, None)
    assert split_header("Avance : Porcentaje") == ("Avance", S.PORCENTAJE, None)
    assert split_header("fecha:número") == ("fecha", S.NUMERO, None)
    assert split_header("partida") == ("partida", None, None)
    assert split_header("Nota: de la fuente") == ("Nota: de la fuente", None, None)
    name, kind, problem = split_header("monto:dinero")
    assert (name, kind) == ("monto", None) and problem.startswith("el tipo «dinero» de la columna «monto» no existe")
    cases = {
        ("monto", ("1.000.000", "250.000", "-")): S.ENTERO,
        ("monto", ("$1.000", "$25")): S.MONTO,
        ("toneladas", ("3,5", "12", "s/d")): S.NUMERO,
        ("avance", ("47%", "52,5 %")): S.PORCENTAJE,
        ("fecha", ("2025-06-16", "16/06/2025")): S.FECHA,
        ("año", ("2025", "2026")): S.TEXTO,
        ("codigo", ("007", "12")): S.TEXTO,
        ("id", ("1", "2")): S.TEXTO,
        ("monto", ("M$1.000", "M$2")): S.TEXTO,
        ("partida", ("Estudios", "12")): S.TEXTO,
        ("vacía", ("", "-")): S.TEXTO,
    }
    for (name, cells), kind in cases.items():
        assert infer_type(name, list(cells), ",") == kind, (name, cells)


def test_a_new_table_keeps_project_numbers_as_text_and_reads_amounts_chilean(tmp_path):
    """«5.3» is a project, not five point three; «1.000.000» is a million; «1,234.5» reveals an English file."""
    from emra_site import schema as S
    from emra_site.new_tables import new_table_schema

    raw, _ = read_csv(write(tmp_path / "avance.csv", "proyecto;monto;peso\n5.3;1.000.000;2,5\n5.1;250.000;3\n"),
                      tmp_path)
    schema, _, diags = new_table_schema(raw, "avance")
    assert diags == [] and [(c.name, c.type) for c in schema.columns] == [
        ("proyecto", S.TEXTO), ("monto", S.ENTERO), ("peso", S.NUMERO)]
    raw, _ = read_csv(write(tmp_path / "en.csv", 'monto,peso\n"1,234.5",2.5\n'), tmp_path)
    schema, _, _ = new_table_schema(raw, "en")
    assert [c.type for c in schema.columns] == [S.NUMERO, S.NUMERO]
    rows, diags = typed_rows(raw, schema)
    assert diags == [] and rows == [{"monto": Decimal("1234.5"), "peso": Decimal("2.5")}]


def test_one_mistyped_cell_is_an_error_not_a_column_retyped_to_text(tmp_path):
    """A date that does not exist or a letter O in an amount is an error at its cell; the column keeps
    its type, so its dates are still shown in words and «–» is still «sin dato»."""
    from emra_site import schema as S
    from emra_site.new_tables import ExtraFile, NewTables, infer_type

    raw, _ = read_csv(write(tmp_path / "presupuesto.csv", (
        "id;fecha;monto;toneladas\n"
        "p1;16-06-2025;$1.000.000;3\n"
        "p2;–;$250.00O;12\n"
        "p3;01-12-2025;$12.000;1O\n"
        "p4;31-02-2025;$5;7\n")), tmp_path)
    tables = NewTables.read([ExtraFile("presupuesto.csv", raw.path, raw)], "data/2025")
    table, diags = tables.typed["presupuesto"]
    assert [(c.name, c.type) for c in table.schema.columns] == [
        ("id", S.TEXTO), ("fecha", S.FECHA), ("monto", S.MONTO), ("toneladas", S.ENTERO)]
    hint = ("(las demás celdas de «{c}» son {k}). Corrija la celda, o escriba «-» si no hay dato; si la columna "
            "debe publicarse como texto, escriba «{c}:texto» en el encabezado")
    assert [str(d) for d in diags] == [
        ("presupuesto.csv:3:3: la columna «monto» tiene «$250.00O»: se esperaba un número como 47,5 o 1.234.567 "
         + hint.format(c="monto", k="montos")),
        ("presupuesto.csv:4:4: la columna «toneladas» tiene «1O»: se esperaba un número como 47,5 o 1.234.567 "
         + hint.format(c="toneladas", k="números enteros")),
        ("presupuesto.csv:5:2: la columna «fecha» tiene «31-02-2025»: esa fecha no existe en el calendario "
         + hint.format(c="fecha", k="fechas")),
    ]
    assert table.rows[0].values["fecha"] == dt.date(2025, 6, 16) and table.rows[1].values["fecha"] is None
    from emra_site.theme import fmt_value
    assert fmt_value(table.rows[1].values["fecha"], S.FECHA) == "sin dato"
    # A declared «:texto» keeps every cell as written; a column of words with a few numbers stays text.
    assert infer_type("monto", ["$1.000", "$2.00O"], ",") == S.MONTO
    assert infer_type("periodo", ["2025", "2026", "2025-2026"], ",") == S.TEXTO
    assert infer_type("partida", ["Estudios", "12", "Obras"], ",") == S.TEXTO
    assert infer_type("proyecto", ["5.3", "5.1", "5.3-PUB-2"], ",") == S.TEXTO
    raw, _ = read_csv(write(tmp_path / "otra.csv", "id;monto:texto\np1;$250.00O\np2;$1.000\np3;$5\n"), tmp_path)
    table, diags = NewTables.read([ExtraFile("otra.csv", raw.path, raw)], "data/2025").typed["otra"]
    assert diags == [] and table.rows[0].values["monto"] == "$250.00O"


def test_a_new_table_header_with_an_unknown_type_is_an_error(tmp_path):
    project = copy_project(MINIMO, tmp_path / "p")
    write(project / "data" / "2025" / "presupuesto.csv", "id;monto:dinero\np1;5\n")
    doc = project / "content" / "2025" / "proyectos.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n```tabla\ndatos: presupuesto\n```\n", encoding="utf-8")
    code, lines = _check(project)
    assert code == 1
    assert lines == [("data/2025/presupuesto.csv:1:2: el tipo «dinero» de la columna «monto» no existe; se esperaba "
                     "uno de: texto, entero, numero, porcentaje, monto, fecha, mes (por ejemplo «monto:numero»), "
                     "o el nombre sin «:»")]


@pytest.mark.slow
def test_editor_00_01_02_10_excel_inputs_and_a_new_table_publish_as_shown(tmp_path):
    """One build of the small project with every kind at once: a Windows-1252 CSV with empty
    trailing columns and «sin dato» markers, workbooks with custom formats, Excel's lock file, and
    a new table with typed columns shown by a block; published with --strict (no warning): the site
    and its downloads (the PDF renders the same table plans)."""
    from emra_site.app import Plan, run
    from emra_site.pipeline import Paths

    project = copy_project(MINIMO, tmp_path / "p")
    data = project / "data" / "2025"
    acuerdos = (data / "acuerdos.csv").read_text(encoding="utf-8").splitlines()
    acuerdos[2] = acuerdos[2].replace(";51 %;fuente", ";s/d;")
    (data / "acuerdos.csv").write_bytes("".join(f"{line};;\r\n" for line in acuerdos).encode("cp1252"))
    (data / "montos.csv").unlink()
    _workbook(data / "montos.xlsx", [
        ["id", "proyecto", "concepto", "monto", "unidad", "nota"],
        ["5.3-diseno", "5.3", "Diseño (monto aproximado)", 4222529.4, "miles de pesos", "—"],
        ["5.3-ejecucion", "5.3", "Diseño y ejecución", 176306356, "miles de pesos", None],
    ], {"D2": "[$-es-CL]#.##0", "D3": "#,##0"})
    write(data / "~$montos.xlsx", b"\x00")
    (data / "presupuesto.csv").write_bytes((
        "id;partida;monto:monto;avance;fecha;toneladas\r\n"
        "p1;Estudios de diseño;$1.000.000;47,5%;16-06-2025;3,25\r\n"
        "p2;Difusión;—;N/A;s/d;12\r\n").encode("cp1252"))
    doc = project / "content" / "2025" / "proyectos.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n```tabla\ndatos: presupuesto\ntitulo: Presupuesto 2025\n```\n",
                   encoding="utf-8")
    paths = Paths.of(project)
    diagnostics = run(paths, Plan(strict=True, pdfs=False))  # the PDF reads the same tables: not needed here
    assert [d for d in diagnostics if d.level != "nota"] == []
    site = paths.site / "2025"
    page = (site / "proyectos.html").read_text(encoding="utf-8")
    table = page[page.index("Presupuesto 2025</caption>"):]
    table = table[: table.index("</table>")]
    cells = re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", table)
    assert cells == ["Id", "Partida", "Monto", "Avance", "Fecha", "Toneladas",
                     "p1", "Estudios de diseño", "$1.000.000", "47,5%", "16 de junio de 2025", "3,25",
                     "p2", "Difusión", "sin dato", "sin dato", "sin dato", "12"]
    assert 'href="datos/presupuesto.csv"' in page and 'href="datos/presupuesto.json"' in page
    assert "M$4.222.529" in page and "M$176.306.356" in page  # montos.xlsx, read as shown
    assert (site / "datos" / "presupuesto.csv").read_bytes().decode("utf-8") == (
        # Tidy (issue 14): a number that may be blank has a status column saying «sin dato».
        "\ufeffid;partida;monto;estado_monto;avance;estado_avance;fecha;toneladas;estado_toneladas\r\n"
        "p1;Estudios de diseño;1000000;;47,5;;2025-06-16;3,25;\r\n"
        "p2;Difusión;;sin dato;;sin dato;;12;\r\n")
    assert json.loads((site / "datos" / "presupuesto.json").read_text(encoding="utf-8"))[1] == {
        "id": "p2", "partida": "Difusión", "monto": None, "estado_monto": "sin dato", "avance": None,
        "estado_avance": "sin dato", "fecha": None, "toneladas": 12, "estado_toneladas": None}
    package = json.loads((site / "datos" / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == "presupuesto")
    assert resource["title"] == "Presupuesto 2025" and resource["path"] == "presupuesto.csv"
    assert [(f["name"], f["type"]) for f in resource["schema"]["fields"]] == [
        ("id", "string"), ("partida", "string"), ("monto", "number"), ("estado_monto", "string"),
        ("avance", "number"), ("estado_avance", "string"), ("fecha", "date"), ("toneladas", "number"),
        ("estado_toneladas", "string")]
    assert "Presupuesto 2025" in (site / "datos" / "index.html").read_text(encoding="utf-8")
    agreements = (site / "acuerdos.html").read_text(encoding="utf-8")
    block = agreements[agreements.index("Acuerdos de la dimensión ambiental</caption>"):]
    amb02 = block[block.index("AMB-02"):]
    # «s/d» and a blank origin: «sin dato» in «Avance» and «Origen del avance»
    assert re.findall(r"<td[^>]*>([^<]*)</td>", amb02[: amb02.index("</tr>")])[1:] == ["sin dato", "sin dato"]
