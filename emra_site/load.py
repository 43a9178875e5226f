"""Read input files into raw records that remember where each value came from."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import Diagnostic, SourceLoc, error, warning

DELIMITERS = (";", ",", "\t")
DELIMITER_NAMES = {";": "punto y coma", ",": "coma", "\t": "tabulación"}


@dataclass(frozen=True)
class RawRow:
    """One data row of a CSV file, cells as text, with its line number."""

    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class RawTable:
    """A CSV file as read: header, rows and the dialect found."""

    path: str
    header: tuple[str, ...]
    rows: tuple[RawRow, ...]
    delimiter: str
    header_line: int = 1


@dataclass(frozen=True)
class RawDocument:
    """A Markdown file split into front matter (as text values) and body."""

    path: str
    meta: dict | None  # None when the front matter could not be read (already reported)
    meta_lines: dict  # key -> line number of the key in the file
    body: str
    body_line: int  # line number of the first body line in the file


@dataclass(frozen=True)
class RawYaml:
    """A YAML file read with every scalar kept as text."""

    path: str
    data: dict
    lines: dict  # key -> line number


def relpath(path: Path, root: Path) -> str:
    """Path as shown to editors: relative to the project root, with forward slashes."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def decode_text(data: bytes, shown: str) -> tuple[str | None, list[Diagnostic]]:
    """Decode bytes saved by Excel or a text editor: UTF-8 (BOM or not), else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [error(SourceLoc(shown, 1), (
            "el archivo está en UTF-16 («Texto Unicode» de Excel); se esperaba UTF-8. "
            "En Excel use Guardar como › «CSV UTF-8 (delimitado por comas)»"))]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        text = data.decode("cp1252", errors="replace")
        return text, [warning(SourceLoc(shown, line), (
            "el archivo no está en UTF-8 (primer carácter no válido en esta línea); "
            "se leyó como Windows-1252. Guárdelo como «CSV UTF-8» para evitar letras cambiadas"))]


def pick_delimiter(header_line: str) -> str:
    """Decide the delimiter from the header line alone (csv.Sniffer fails on `47,5`)."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ";"


def read_csv(path: Path, root: Path) -> tuple[RawTable | None, list[Diagnostic]]:
    """Read one CSV file as Excel, LibreOffice or Google Sheets write it."""
    shown = relpath(path, root)
    text, diags = decode_text(path.read_bytes(), shown)
    if text is None:
        return None, diags
    # Only line breaks count as lines (also Excel for Mac's bare CR), as the editor's program shows them.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    lines = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    first = 1
    hinted = None
    if lines and lines[0].lstrip("\ufeff").lower().startswith("sep="):
        # Excel's "sep=;" hint line names the delimiter and is not the header (a tab must survive, so no strip).
        hinted = lines[0].lstrip("\ufeff")[4:5]
        if hinted not in DELIMITERS:
            return None, diags + [error(SourceLoc(shown, 1), (
                f"la primera línea «{lines[0].strip()}» indica un separador no admitido; "
                "se esperaba «sep=;», «sep=,» o un tabulador"))]
        lines, first = lines[1:], 2
    while lines and not lines[0].strip():
        lines, first = lines[1:], first + 1
    if not lines:
        return None, diags + [error(SourceLoc(shown, 1), "el archivo está vacío; se esperaba una fila de encabezados")]
    delimiter = hinted or pick_delimiter(lines[0])
    # strict: an opening quote never closed is an error, instead of silently swallowing the next rows.
    reader = csv.reader(io.StringIO("".join(lines)), delimiter=delimiter, strict=True)
    header: tuple[str, ...] = ()
    rows: list[RawRow] = []
    start = 1
    try:
        for cells in reader:
            line = start + first - 1
            start = reader.line_num + 1
            if not header:
                header = tuple(c.strip() for c in cells)
                continue
            if not any(c.strip() for c in cells):
                continue  # Excel leaves fully blank rows at the end of a sheet
            rows.append(RawRow(line, tuple(cells)))
    except csv.Error:
        diags.append(error(SourceLoc(shown, start + first - 1), (
            "comillas mal cerradas: una celda de esta fila abre comillas («\"») y no las cierra antes del "
            "separador o del fin del archivo; se esperaba un texto entre comillas completo")))
    return RawTable(shown, header, tuple(rows), delimiter, first), diags


def _cell_text(cell) -> str:
    """A workbook cell as the text a CSV export would hold."""
    import datetime as dt

    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sí" if value else "no"
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, (int, float)):
        if "%" in (cell.number_format or ""):
            value = value * 100
            return f"{round(value, 6):g}%"
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return str(value)


def read_xlsx(path: Path, root: Path) -> tuple[RawTable | None, list[Diagnostic]]:
    """Read the first sheet of an Excel workbook as if it were the CSV of the same name."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    shown = relpath(path, root)
    try:
        # data_only=False: a formula stays visible as "=…" and is refused like in a CSV.
        book = load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        return None, [error(SourceLoc(shown, 1), (
            f"no se pudo abrir el libro de Excel ({type(exc).__name__}); se esperaba un archivo .xlsx guardado por Excel"))]
    sheet = book.worksheets[0]
    where = f"{shown}:{sheet.title}"
    rows = list(sheet.iter_rows())
    book.close()
    # A read-only sheet's cells know their row; an empty row has no cell, so it takes its position.
    lines = [((r[0].row if r else None) or i + 1, tuple(_cell_text(c) for c in r)) for i, r in enumerate(rows)]
    lines = [(n, cells) for n, cells in lines if any(c.strip() for c in cells)]
    if not lines:
        return None, [error(SourceLoc(where, 1), "la hoja está vacía; se esperaba una fila de encabezados")]
    (header_line, header), data = lines[0], lines[1:]
    width = max(i + 1 for i, c in enumerate(header) if c.strip())
    header = tuple(c.strip() for c in header[:width])
    # Trailing empty cells are not ragged rows in a sheet; extra filled cells are.
    body = []
    for n, cells in data:
        last = max((i + 1 for i, c in enumerate(cells) if c.strip()), default=0)
        body.append(RawRow(n, cells[:max(width, last)]))
    return RawTable(where, header, tuple(body), ";", header_line), []


def _key_lines(node: yaml.Node | None, offset: int) -> dict:
    """Map each top-level key of a YAML mapping node to its line in the file."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + offset for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


YAML_PROBLEMS = {
    "mapping values are not allowed here": "hay dos puntos («:») donde no corresponde; si el valor lleva «:», escríbalo entre comillas",
    "found unexpected end of stream": "unas comillas se abren aquí y no se cierran",
    "could not find expected ':'": "falta «:» entre la clave y su valor",
    "found character '\\t' that cannot start any token": "hay un tabulador; use espacios para la sangría",
    "expected <block end>, but found '<block sequence start>'": "la sangría de la lista no coincide con la de la clave",
    "found undefined alias": "«*» al inicio de un valor; escriba el valor entre comillas",
}


def _parse_fast(text: str, offset: int) -> tuple[object, dict, list[Diagnostic]]:
    """Parse valid YAML once, with libyaml when PyYAML has it (the front matter of every section)."""
    loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, _key_lines(node, offset), []


def parse_yaml(text: str, shown: str, offset: int) -> tuple[object, dict, list[Diagnostic]]:
    """Parse YAML keeping every scalar as text (no YAML 1.1 `NO` → false traps).

    `offset` is the file line of the text's first line; errors point into the file.
    """
    try:
        return _parse_fast(text, offset)
    except (yaml.YAMLError, RecursionError):
        pass  # parsed again below by the pure-Python loader, whose messages the diagnostics translate
    try:
        node = yaml.compose(text, Loader=yaml.BaseLoader)
        data = yaml.load(text, Loader=yaml.BaseLoader)
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or exc.context or ""
        # An unclosed quote is noticed at the end of the text; its opening (context) is what to fix.
        mark = exc.context_mark if "end of stream" in problem and exc.context_mark else exc.problem_mark
        mark = mark or exc.context_mark
        loc = SourceLoc(shown, mark.line + offset, mark.column + 1) if mark else SourceLoc(shown, offset)
        words = YAML_PROBLEMS.get(problem, f"error de sintaxis: {problem}")
        return None, {}, [error(loc, f"YAML no válido: {words}; se esperaba «clave: valor», una por línea")]
    except yaml.YAMLError as exc:
        return None, {}, [error(SourceLoc(shown, offset), f"YAML no válido: {exc}")]
    except RecursionError:
        return None, {}, [error(SourceLoc(shown, offset), (
            "YAML no válido: listas o llaves anidadas demasiadas veces; se esperaba «clave: valor», una por línea"))]
    return data, _key_lines(node, offset), []


def read_yaml(path: Path, root: Path, charset: frozenset[int] | None = None) -> tuple[RawYaml | None, list[Diagnostic]]:
    """Read a YAML file such as `edition.yml`; with `charset`, report characters the fonts lack."""
    shown = relpath(path, root)
    text, diags = decode_text(path.read_bytes(), shown)
    if text is None:
        return None, diags
    if charset is not None:
        from .fonts import check_text

        diags += check_text(text, shown, charset)
    data, lines, more = parse_yaml(text, shown, 1)
    diags += more
    if more:
        return None, diags
    if not isinstance(data, dict):
        return None, diags + [error(SourceLoc(shown, 1), "se esperaba una lista de claves («clave: valor»)")]
    return RawYaml(shown, data, lines), diags


def read_markdown(path: Path, root: Path, charset: frozenset[int] | None = None) -> tuple[RawDocument | None, list[Diagnostic]]:
    """Read a Markdown file with YAML front matter between `---` lines; with `charset`, report
    characters the fonts lack."""
    shown = relpath(path, root)
    text, diags = decode_text(path.read_bytes(), shown)
    if text is None:
        return None, diags
    if charset is not None:
        from .fonts import check_text

        diags += check_text(text, shown, charset)
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return RawDocument(shown, {}, {}, text, 1), diags + [error(SourceLoc(shown, 1), (
            "falta el encabezado: el archivo debe empezar con una línea «---», "
            "las claves (titulo, numero, descripcion) y otra línea «---»"))]
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        return None, diags + [error(SourceLoc(shown, 1), "el encabezado empieza con «---» pero no se cierra con otra línea «---»")]
    meta, meta_lines, more = parse_yaml("".join(lines[1:end]), shown, 2)
    diags += more
    if meta is not None and not isinstance(meta, dict):
        diags.append(error(SourceLoc(shown, 2), "el encabezado debe ser una lista de claves («clave: valor»)"))
        meta = None  # already reported: no "missing key" errors on top
    return RawDocument(shown, meta, meta_lines, "".join(lines[end + 1:]), end + 2), diags


@dataclass(frozen=True)
class RawEdition:
    """Every input file of one edition, as read."""

    year: str
    meta: RawYaml | None
    documents: dict  # slug -> RawDocument
    tables: dict  # table name -> RawTable
    folder: Path | None = None  # the edition's content folder, where its images live


def load_edition(content_dir: Path, data_dir: Path, root: Path, table_names,
                 charset: frozenset[int] | None = None) -> tuple[RawEdition, list[Diagnostic]]:
    """Read `edition.yml`, every Markdown file and every declared CSV table of one edition.

    With `charset` (the code points the report's fonts cover, `fonts.covered`), every character
    outside it is an error at its place: the PDF and the charts could not draw it.
    """
    from .fonts import check_table

    diags: list[Diagnostic] = []
    meta = None
    meta_path = content_dir / "edition.yml"
    if meta_path.is_file():
        meta, more = read_yaml(meta_path, root, charset)
        diags += more
    else:
        diags.append(error(SourceLoc(relpath(meta_path, root)), (
            "falta edition.yml; se esperaba el archivo con titulo, anio, fecha_publicacion y secciones")))
    documents = {}
    for path in sorted(content_dir.glob("*.md")):
        doc, more = read_markdown(path, root, charset)
        diags += more
        if doc is not None:
            documents[path.stem] = doc
    tables = {}
    for name in table_names:
        path, book = data_dir / f"{name}.csv", data_dir / f"{name}.xlsx"
        if path.is_file() and book.is_file():
            diags.append(error(SourceLoc(relpath(book, root)), (
                f"hay dos versiones de la tabla: {name}.csv y {name}.xlsx; deje solo una")))
            continue
        if not path.is_file() and not book.is_file():
            diags.append(error(SourceLoc(relpath(path, root)), (
                f"falta la tabla {name}.csv (o {name}.xlsx); se esperaba en {relpath(data_dir, root)}/")))
            continue
        table, more = read_csv(path, root) if path.is_file() else read_xlsx(book, root)
        diags += more
        if table is not None:
            tables[name] = table
            if charset is not None:
                diags += check_table(table, charset)
    return RawEdition(content_dir.name, meta, documents, tables, content_dir), diags
