"""Property tests: the readers, the cell parsers and the Markdown splitter never crash on any input.

Every reader must turn bad input into diagnostics with a place (path and line) and Spanish words,
never into a Python exception. Hypothesis feeds them arbitrary bytes and text, and also input
built from the pieces real files are made of (delimiters, quotes, BOMs, `sep=` lines, Windows-1252
bytes, YAML front matter, ```grafico blocks). No full build here: the whole file runs in seconds.
"""

from __future__ import annotations

import os
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import MINIMO, copy_project, run_cli
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from emra_site import values as V
from emra_site.errors import Diagnostic
from emra_site.load import RawTable, read_csv, read_markdown, read_yaml
from emra_site.markdown import split_blocks
from emra_site.schema import MONTHS, TABLES
from emra_site.validate import coerce_table

# Hypothesis keeps caches (and failing-example patches) outside the work tree.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "emra-hypothesis")

# Deterministic in CI (a red build must be reproducible), random on a developer's machine.
# No example database: nothing is written into the work tree.
FUZZ = {
    "deadline": None,
    "database": None,
    "derandomize": bool(os.environ.get("CI")),
    "phases": [Phase.explicit, Phase.generate, Phase.shrink],
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
}

PYTHON_WORDS = ("Traceback", "KeyError", "ValueError", "TypeError", "IndexError", "AttributeError",
                "RecursionError", "OSError", "Exception", "object at 0x", "invalid literal", "NoneType")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """One folder for the whole module: hypothesis runs many examples per test function."""
    return tmp_path_factory.mktemp("fuzz")


def spanish(d: Diagnostic) -> bool:
    """A diagnostic worded for an editor: non-empty, with no Python exception text in it."""
    return bool(d.message.strip()) and not any(w in d.message for w in PYTHON_WORDS)


def assert_located(diags, path: str | None = None, max_line: int | None = None) -> None:
    for d in diags:
        assert isinstance(d, Diagnostic), d
        assert d.loc.path, d
        if path is not None:
            assert d.loc.path.startswith(path), d
        assert d.loc.line is not None and d.loc.line >= 1, d
        if max_line is not None:
            assert d.loc.line <= max_line, (d, max_line)
        assert d.loc.col is None or d.loc.col >= 1, d
        assert d.level in ("error", "aviso"), d
        assert spanish(d), d


# --- CSV bytes -----------------------------------------------------------------------------------

TEXT_PIECES = [";", ",", "\t", '"', '""', "\ufeff", "\r", "\n", "\r\n", "\n\n", " ", "sep=;", "sep=,", "sep=\t",
               "sep=|", "SEP=;", "id", "nombre", "avance", "AMB-01", "47,5", "1.234.567", "47.5", "1,234.5", "100%",
               "abril", "2025-06-16", "16/06/2025", "=SUM(A1:A2)", "+cmd", "-", "sin dato", "ñandú", "«»", "€",
               "\x00", "\x0c", "\u2028", "\x85"]
BYTE_PIECES = [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x80", b"\x81", b"\xe9", b"\xf1", b"\xc3", b"\xc3\xb1",
               b"\xe2\x80", b"\xff", b"\x00"]

csv_piece = st.one_of(st.sampled_from(TEXT_PIECES).map(lambda s: s.encode("utf-8")), st.sampled_from(BYTE_PIECES),
                      st.text(max_size=6).map(lambda s: s.encode("utf-8")))
plausible_csv = st.lists(csv_piece, max_size=40).map(b"".join)
any_csv_bytes = st.one_of(st.binary(max_size=300), plausible_csv)


def header_of(table) -> bytes:
    return ";".join(c.name for c in table.columns).encode("utf-8")


# A header that matches a schema, then rows made of plausible and hostile cells.
CELLS = ["", " ", "AMB-01", "ambiental", "OE1", "5.3", "47", "47,5", "47.5", "1.234", "1,234.5", "150", "-3", "abc",
         "100 %", "$4.222.529", "M$ 12", "2025-06-16", "31-02-2025", "16/06/2025", "abril", "sept.", "setiembre",
         "13", "fuente", "corto", "mediano", "pública", "privada", "canal", "hito", "campaña", "pesos",
         "miles de pesos", "=SUM(A1)", "@cmd", '"comillas"', "<b>x</b>", "٣", "１２", "²", "ñ"]
cell = st.one_of(st.sampled_from(CELLS), st.text(max_size=8))


@st.composite
def schema_csv(draw) -> bytes:
    table = draw(st.sampled_from(TABLES))
    names = [c.name for c in table.columns]
    if draw(st.booleans()):
        names = draw(st.permutations(names))
    if draw(st.booleans()):
        names = names[: draw(st.integers(0, len(names)))] + draw(st.lists(st.sampled_from(["extra", "Id", "nombre "]),
                                                                          max_size=2))
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    rows = draw(st.lists(st.lists(cell, min_size=max(0, len(names) - 1), max_size=len(names) + 1), max_size=6))

    def quote(text: str) -> str:
        if any(ch in text for ch in (delimiter, '"', "\n", "\r")):
            return '"' + text.replace('"', '""') + '"'
        return text

    lines = [delimiter.join(names)] + [delimiter.join(quote(c) for c in row) for row in rows]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    data = newline.join(lines).encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"])), errors="replace")
    return data


def read_bytes_as_csv(workdir: Path, data: bytes, name: str = "tabla.csv"):
    path = workdir / "data" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return read_csv(path, workdir)


@settings(max_examples=300, **FUZZ)
@given(data=st.one_of(any_csv_bytes, schema_csv()))
@example(data=b"")
@example(data=b"\xff\xfe" + "id;nombre\n".encode("utf-16-le"))
@example(data=b"sep=")
@example(data=b"sep=;\n")
@example(data=b'id;nombre\n"abierta;x\n')
@example(data=b"\xef\xbb\xbfsep=;\r\nid;nombre\r\n\r\nA;\xe9\r\n")
def test_read_csv_never_raises_and_locates_every_problem(workdir, data):
    table, diags = read_bytes_as_csv(workdir, data)
    assert table is None or isinstance(table, RawTable)
    assert_located(diags, path="data/tabla.csv")
    if table is not None:
        assert table.path == "data/tabla.csv"
        assert table.delimiter in (";", ",", "\t")
        assert table.header_line >= 1
        lines = [r.line for r in table.rows]
        assert all(n >= 2 for n in lines), lines
        assert all(n > table.header_line for n in lines), (table.header_line, lines)
        assert lines == sorted(set(lines)), lines  # strictly increasing
        assert all(isinstance(c, str) for r in table.rows for c in r.cells)


@settings(max_examples=150, **FUZZ)
@given(data=st.one_of(schema_csv(), any_csv_bytes))
def test_coerce_table_never_raises_for_any_schema(workdir, data):
    raw, _ = read_bytes_as_csv(workdir, data)
    if raw is None:
        return
    for schema in TABLES:
        typed, diags = coerce_table(raw, schema)
        assert typed.schema is schema
        assert len(typed.rows) == len(raw.rows)
        assert_located(diags, path="data/tabla.csv")
        sorted(diags)  # the pipeline sorts every diagnostic before printing them


# --- Cell parsers --------------------------------------------------------------------------------

NUMBER_TEXT = st.one_of(
    st.text(max_size=20),
    st.text(alphabet="0123456789.,-+$M% \u00a0\u202feE", max_size=20),
    st.lists(st.sampled_from(["1", "12", "123", ".", ",", "000", "-", "%", "$", " ", "M", "٣", "１", "²"]),
             max_size=10).map("".join),
)
PARSERS = [V.parse_number, V.parse_percent, V.parse_amount, V.parse_integer]


@settings(max_examples=300, **FUZZ)
@given(text=st.one_of(NUMBER_TEXT, st.sampled_from(MONTHS), st.text(alphabet="0123456789-/ ", max_size=12)),
       decimal=st.sampled_from([V.COMMA, V.POINT]))
@example(text="1.234,5", decimal=V.COMMA)
@example(text="2025-02-30", decimal=V.POINT)
def test_value_parsers_return_a_value_or_raise_value_problem(text, decimal):
    outcomes = [
        *(lambda f=f: f(text, decimal) for f in PARSERS),
        lambda: V.parse_date(text),
        lambda: V.parse_month(text),
    ]
    for run in outcomes:
        try:
            run()
        except V.ValueProblem as exc:
            assert type(exc) is V.ValueProblem
            assert str(exc) and not any(w in str(exc) for w in PYTHON_WORDS)
        # anything else (ValueError, IndexError, …) escapes and fails the test


@pytest.mark.parametrize(("parser", "text"), [
    (V.parse_month, "፩"),  # ETHIOPIC DIGIT ONE: str.isdigit() is true, int() refuses it
    (V.parse_month, "9" * 5000),  # more digits than int() converts from text (Python ≥ 3.11)
    (V.parse_integer, "9" * 5000),
], ids=["month-ethiopic-digit", "month-5000-digits", "integer-5000-digits"])
def test_exotic_digits_and_huge_numbers_raise_value_problem(parser, text):
    with pytest.raises(V.ValueProblem):
        parser(text)


def chilean(d: Decimal) -> str:
    whole, _, frac = f"{d:f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return grouped + ("," + frac if frac else "")


def us(d: Decimal) -> str:
    whole, _, frac = f"{d:f}".partition(".")
    return f"{int(whole):,}" + ("." + frac if frac else "")


money = st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2, allow_nan=False,
                    allow_infinity=False).map(abs)
whole_money = st.integers(0, 10**12).map(Decimal)


@settings(max_examples=150, **FUZZ)
@given(d=st.one_of(money, whole_money))
@example(d=Decimal(0))
@example(d=Decimal("1234567.5"))
@example(d=Decimal(1000))
def test_numbers_round_trip_in_both_conventions(d):
    assert V.parse_number(chilean(d), V.COMMA) == d
    assert V.parse_number(us(d), V.POINT) == d
    assert V.parse_amount(chilean(d), V.COMMA) == d
    assert V.parse_amount("$" + chilean(d), V.COMMA) == d
    assert V.parse_amount(us(d), V.POINT) == d
    if d <= 100:
        assert V.parse_percent(chilean(d) + "%", V.COMMA) == d
        assert V.parse_percent(us(d) + " %", V.POINT) == d
    if d == d.to_integral_value():
        assert V.parse_integer(chilean(d), V.COMMA) == int(d)
        assert V.parse_integer(us(d), V.POINT) == int(d)


@settings(max_examples=100, **FUZZ)
@given(date=st.dates(min_value=__import__("datetime").date(1, 1, 1)))
def test_dates_round_trip_in_both_orders(date):
    if date.year < 1000:
        return  # four-digit years only
    assert V.parse_date(date.isoformat()) == date
    assert V.parse_date(date.strftime("%d-%m-%Y")) == date
    assert V.parse_date(date.strftime("%d/%m/%Y")) == date


@settings(max_examples=30, **FUZZ)
@given(n=st.integers(1, 12), style=st.sampled_from(["name", "title", "upper", "short", "number"]))
def test_months_round_trip(n, style):
    name = MONTHS[n - 1]
    text = {"name": name, "title": name.title(), "upper": name.upper(), "short": name[:4] + ".",
            "number": str(n)}[style]
    assert V.parse_month(text) == n


# --- Markdown files ------------------------------------------------------------------------------

YAML_PIECES = ["titulo", "numero", "descripcion", ": ", ":", " ", "  ", "\t", "'", '"', "- ", "[", "]", "{", "}",
               ",", "&a ", "*a", "*b", "!!python/object/apply:os.system", "!!str ", "#", "|", ">", "? ", "---",
               "...", "%YAML 1.1", "ñ", "«", "»", "\\", "\r", "\u2028", "0x1F", "NO", "~", "null"]
yaml_line = st.one_of(st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=5), max_size=8).map("".join),
                      st.text(max_size=30))
front_matter = st.lists(yaml_line, max_size=8).map(lambda ls: "---\n" + "".join(line + "\n" for line in ls) + "---\n")
markdown_body = st.one_of(st.text(max_size=300), st.lists(st.sampled_from(
    ["## Título\n", "# Uno\n", "texto ", "[enlace](https://a.cl)", "[x](javascript:alert(1))", "![img](foto.png)",
     "[[figura:a]]", "[[tabla:b]]", "\n", "\n\n", "- item\n", "> cita\n", "```grafico\n", "```tabla\n", "```\n",
     "tipo: avance-dimensiones\n", "datos: acuerdos\n", "dimension: ambiental\n", "id: a\n", "<script>", "|a|b|\n",
     "|-|-|\n"]), max_size=30).map("".join))


def markdown_file(workdir: Path, data: bytes) -> Path:
    path = workdir / "content" / "2025" / "seccion.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def line_count(data: bytes) -> int:
    """Lines as the most generous editor counts them (every Unicode line break), plus the empty last one."""
    text = data.decode("utf-8-sig", errors="replace")
    return len(text.splitlines()) + 1


@settings(max_examples=200, **FUZZ)
@given(text=st.one_of(st.text(max_size=200), st.tuples(front_matter, markdown_body).map("".join)))
@example(text="---\ntitulo: 'sin cerrar\n---\n")
@example(text="---\n- a\n- b\n---\n")
@example(text="---\ntitulo: !!python/object/apply:os.system ['true']\n---\n")
def test_read_markdown_never_raises_and_points_inside_the_file(workdir, text):
    data = text.encode("utf-8")
    doc, diags = read_markdown(markdown_file(workdir, data), workdir)
    assert_located(diags, path="content/2025/seccion.md", max_line=line_count(data))
    if doc is not None:
        assert doc.body_line >= 1
        assert doc.meta is None or isinstance(doc.meta, dict)
        assert all(isinstance(n, int) and 2 <= n <= line_count(data) for n in doc.meta_lines.values())


@settings(max_examples=100, **FUZZ)
@given(data=st.binary(max_size=200))
def test_read_markdown_never_raises_on_bytes(workdir, data):
    _, diags = read_markdown(markdown_file(workdir, data), workdir)
    assert_located(diags, path="content/2025/seccion.md", max_line=line_count(data))


IDS = {"dimensiones": {"ambiental", "social"}, "objetivos": {"OE1"}, "proyectos": {"5.3"}}
fence_body = st.lists(st.one_of(yaml_line, st.sampled_from(
    ["tipo: avance-acuerdos", "tipo: proceso-proyecto", "tipo: nada", "datos: acuerdos", "datos: montos",
     "dimension: ambiental", "dimension: [a, b]", "proyecto: '5.3'", "proyecto: 9", "plazo: corto", "id: Mal Id",
     "id: bien", "titulo: <b>x</b>", "descripcion: \"comillas\"", "titulo: [lista]"])), max_size=6).map("\n".join)


@st.composite
def markdown_with_blocks(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["grafico", "tabla", "grafico ", "python", ""]))
        fence = draw(st.sampled_from(["```", "~~~", "````"]))
        parts.append(draw(markdown_body))
        parts.append(f"\n{fence}{kind}\n{draw(fence_body)}\n{fence}\n")
    parts.append(draw(markdown_body))
    return "".join(parts)


@settings(max_examples=200, **FUZZ)
@given(body=st.one_of(markdown_with_blocks(), st.text(max_size=300)), first_line=st.integers(1, 50))
@example(body="![foto](foto.png)\n", first_line=1)
def test_split_blocks_never_raises(workdir, body, first_line):
    folder = workdir / "content" / "2025"
    folder.mkdir(parents=True, exist_ok=True)
    result = split_blocks(body, "content/2025/seccion.md", first_line, IDS, folder)
    diags = result[-1]
    body_lines = len(body.splitlines()) + 1
    assert_located(diags, path="content/2025/seccion.md", max_line=first_line + body_lines)
    assert all(d.loc.line >= first_line for d in diags)


DEEP = "[" * 1000  # PyYAML recurses once per nesting level


def test_deeply_nested_front_matter_is_a_diagnostic_not_a_crash(workdir):
    data = f"---\ntitulo: {DEEP}\n---\ncuerpo\n".encode()
    doc, diags = read_markdown(markdown_file(workdir, data), workdir)
    assert doc is None or doc.meta is None
    assert [d.loc.line for d in diags] == [2]


def test_deeply_nested_edition_yml_is_a_diagnostic_not_a_crash(workdir):
    path = workdir / "content" / "2025" / "edition.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"titulo: {DEEP}\n", encoding="utf-8")
    meta, diags = read_yaml(path, workdir)
    assert meta is None
    assert [d.loc.line for d in diags] == [1]


def test_deeply_nested_chart_block_is_a_diagnostic_not_a_crash():
    result = split_blocks(f"Texto.\n\n```grafico\ntipo: {DEEP}\n```\n", "content/2025/s.md", 5, IDS)
    diags = result[-1]
    assert diags and all(d.loc.line == 8 for d in diags), diags


def test_image_with_a_file_name_longer_than_the_system_allows_is_a_diagnostic(workdir):
    folder = workdir / "content" / "2025"
    folder.mkdir(parents=True, exist_ok=True)
    result = split_blocks("Texto.\n\n![Mapa](" + "a" * 300 + ".png)\n", "content/2025/s.md", 5, IDS, folder)
    diags = result[-1]
    assert [(d.loc.line, d.level) for d in diags] == [(7, "error")], diags


# --- Plausible CSV files that break line counting or the reader ----------------------------------


def test_csv_with_classic_mac_line_endings_is_read_row_by_row(workdir):
    """Excel for Mac's «CSV (Macintosh)» ends lines with a bare CR; every row must still be read."""
    table, diags = read_bytes_as_csv(workdir, b"id;nombre\rAMB-01;agua\rSOC-01;empleo\r")
    assert diags == []
    assert table.header == ("id", "nombre")
    assert [(r.line, r.cells) for r in table.rows] == [(2, ("AMB-01", "agua")), (3, ("SOC-01", "empleo"))]


def test_csv_line_numbers_count_only_line_breaks_an_editor_shows(workdir):
    """A form feed before the header is not a line of its own: the header is on line 2, the row on 3."""
    table, _ = read_bytes_as_csv(workdir, b"\x0c\nid;nombre\nAMB-01;agua\n")
    assert table.header_line == 2
    assert [r.line for r in table.rows] == [3]


# --- The CLI on a small project whose CSV is replaced by random bytes ----------------------------


@pytest.fixture(scope="module")
def minimo_copy(tmp_path_factory) -> Path:
    return copy_project(MINIMO, tmp_path_factory.mktemp("minimo") / "p")


TABLE_NAMES = [t.name for t in TABLES]


@settings(max_examples=10, **FUZZ)
@given(name=st.sampled_from(TABLE_NAMES), data=st.one_of(any_csv_bytes, schema_csv()))
def test_cli_check_on_random_csv_exits_cleanly(minimo_copy, name, data):
    target = minimo_copy / "data" / "2025" / f"{name}.csv"
    original = (MINIMO / "data" / "2025" / f"{name}.csv").read_bytes()
    target.write_bytes(data)
    try:
        code, out = run_cli(["-C", str(minimo_copy), "check"])
    finally:
        target.write_bytes(original)
    assert code in (0, 1), out
    assert "Traceback" not in out
    assert "Error interno" not in out, out


def test_cli_check_reports_a_misspelled_header_instead_of_crashing(tmp_path):
    """«nombr» for «nombre»: a missing column (no column number) and an unknown one (column 2) on line 1."""
    project = copy_project(MINIMO, tmp_path / "p")
    table = project / "data" / "2025" / "dimensiones.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("nombre", "nombr", 1), encoding="utf-8")
    code, out = run_cli(["-C", str(project), "check"])
    assert "Error interno" not in out, out
    assert code == 1
    assert "data/2025/dimensiones.csv:1: falta la columna «nombre»" in out, out
    assert "data/2025/dimensiones.csv:1:2: aviso: columna desconocida «nombr»" in out, out


def test_cli_check_reports_exotic_digits_and_huge_numbers_as_cell_errors(tmp_path):
    """A month written with an Ethiopic digit and a 5000-digit integer are cell errors, not crashes."""
    project = copy_project(MINIMO, tmp_path / "p")
    calendar = project / "data" / "2025" / "calendario_comunicacional.csv"
    calendar.write_text(calendar.read_text(encoding="utf-8").replace(";abril;", ";፩;", 1), encoding="utf-8")
    targets = project / "data" / "2025" / "metas_contenido.csv"
    lines = targets.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(";")
    cells = lines[1].split(";")
    cells[header.index("minimo")] = "9" * 5000
    lines[1] = ";".join(cells)
    targets.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = run_cli(["-C", str(project), "check"])
    assert "Error interno" not in out, out
    assert code == 1
    assert "data/2025/calendario_comunicacional.csv:2:4: la columna «mes_inicio» tiene «፩»" in out, out
    assert "data/2025/metas_contenido.csv:2:" in out, out
