"""Read input files into raw records that remember where each value came from."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostic, SourceLoc, error, warning
from .yamltext import parse_yaml  # front matter, edition.yml and blocks read YAML alike

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


# Where to go in the program that saved the file, for each kind of file an editor saves.
SAVE_AS_TABLE = "En Excel use Guardar como › «CSV UTF-8 (delimitado por comas)»"
SAVE_AS_TEXT = "Guárdelo con codificación UTF-8 (Bloc de notas: Guardar como › Codificación: UTF-8)"
# A well-formed UTF-8 sequence of two to four bytes; Windows-1252 Spanish text practically never has one.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# á, é, ú, ó, ñ saved by a Mac («CSV (Macintosh)») read as Windows-1252: ‡ Ž œ after a letter (Caf‡,
# CafŽ), or a dash between two lower-case letters (Econ—mica, Peque–a), which Spanish text never holds.
_MAC_ROMAN_INSIDE_WORD = re.compile(r"(?<=[^\W\d_])[‡Žœ]|(?<=[a-záéíóúñü])[—–](?=[a-záéíóúñü])")


_EMPTY_ROW = re.compile(r"[\s;,\ufeff]")  # what a row without any cell is made of (tab is whitespace)


def _line_of(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 saved without its BOM (`iconv -t utf-16le`, some exports): text of Latin letters has
    a NUL byte in every other position, all even (big-endian) or all odd (little-endian)."""
    sample = data[:4096]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    return max(even, odd) >= half * 0.3 and min(even, odd) <= max(even, odd) * 0.1


def decode_text(data: bytes, shown: str, table: bool = False) -> tuple[str | None, list[Diagnostic]]:
    """Decode bytes saved by Excel or a text editor: UTF-8 (with or without BOM), else Windows-1252.

    A table (`table=True`, a CSV) in Windows-1252 is what Excel on Windows writes for «CSV
    (delimitado por comas)» and «… punto y coma»: accepted as it is. A Markdown or YAML file in
    Windows-1252 («ANSI» in Notepad) is read with a warning. Refused with an error (text None when
    unreadable): UTF-16, bytes that neither encoding has, a file mixing UTF-8 with another
    encoding, and a table saved by a Mac in its own encoding; each would publish wrong letters.
    """
    advice = SAVE_AS_TABLE if table else SAVE_AS_TEXT
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data):
        kind = "«Texto Unicode» de Excel" if table else "«Unicode»"
        return None, [error(SourceLoc(shown, 1), f"el archivo está en UTF-16 ({kind}); se esperaba UTF-8. {advice}")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        bad = _line_of(data, exc.start)
    utf8 = _UTF8_SEQUENCE.search(data)
    if utf8 is not None:
        return None, [error(SourceLoc(shown, bad), (
            f"el archivo mezcla dos codificaciones: la línea {_line_of(data, utf8.start())} está en UTF-8 y esta no; "
            f"las letras con tilde saldrían cambiadas. Corrija esta línea y {advice[0].lower()}{advice[1:]}"))]
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        return None, [error(SourceLoc(shown, _line_of(data, exc.start)), (
            f"el archivo no está en UTF-8 ni en Windows-1252 (hay un carácter que ninguna de las dos tiene en "
            f"esta línea); se esperaba UTF-8. {advice}"))]
    mac = _MAC_ROMAN_INSIDE_WORD.search(text) if table else None
    if mac is not None:
        return None, [error(SourceLoc(shown, text[: mac.start()].count("\n") + 1), (
            f"el archivo parece guardado como «CSV (Macintosh)»: «{mac.group()}» dentro de una palabra es una letra "
            f"con tilde en otra codificación; se esperaba UTF-8. {advice}"))]
    if table:
        return text, []
    return text, [warning(SourceLoc(shown, bad), (
        f"el archivo no está en UTF-8 (primer carácter no válido en esta línea); se leyó como Windows-1252. "
        f"{advice} para evitar letras cambiadas"))]


def pick_delimiter(header_line: str) -> str:
    """Decide the delimiter from the header line alone (csv.Sniffer fails on `47,5`)."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ";"


def read_csv(path: Path, root: Path) -> tuple[RawTable | None, list[Diagnostic]]:
    """Read one CSV file as Excel, LibreOffice or Google Sheets write it."""
    shown = relpath(path, root)
    text, diags = decode_text(path.read_bytes(), shown, table=True)
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
    # Rows left empty above the header (`;;;;` once Excel saved them) are not the header.
    while lines and not _EMPTY_ROW.sub("", lines[0]):
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
    header, rows = _without_empty_trailing_columns(header, rows)
    return RawTable(shown, header, tuple(rows), delimiter, first), diags


def _without_empty_trailing_columns(header: tuple[str, ...], rows: list[RawRow]) -> tuple[tuple[str, ...], list[RawRow]]:
    """Drop the columns right of the last named one while they are empty in every row.

    Excel writes `;;` at the end of each line once cells to the right were formatted: such
    columns are no data. A filled cell there is kept (the row is then too long: reported).
    """
    width = max((i + 1 for i, c in enumerate(header) if c), default=0)
    trimmed = [RawRow(r.line, r.cells[:max(width, max((i + 1 for i, c in enumerate(r.cells) if c.strip()), default=0))])
               if len(r.cells) > width else r for r in rows]
    return header[:width], trimmed


def _cell_text(cell) -> str:
    """A workbook cell as Excel shows it (see `xlsx_cells`), as the CSV of the same table would hold it."""
    from .xlsx_cells import cell_text

    return cell_text(cell.value, getattr(cell, "number_format", None))


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
    # An empty cell (left of a table that starts in column B, say) has no row: another cell of it tells.
    lines = [(next((c.row for c in r if getattr(c, "row", None)), None) or i + 1, tuple(_cell_text(c) for c in r))
             for i, r in enumerate(rows)]
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
        return None, diags + [error(SourceLoc(shown, 1), (
            "el encabezado empieza con «---» pero no se cierra: se esperaba otra línea «---» después de la última "
            "clave (titulo, descripcion) y antes del texto; agréguela"))]
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
    extras: tuple = ()  # new_tables.ExtraFile: every other file of the data folder, sorted by name
    data_folder: str = ""  # the edition's data folder as shown to editors (`data/2026`)
    unreadable: tuple = ()  # slugs of the .md files there that could not be read (already reported)


def load_edition(content_dir: Path, data_dir: Path, root: Path, table_names,
                 charset: frozenset[int] | None = None) -> tuple[RawEdition, list[Diagnostic]]:
    """Read `edition.yml`, every Markdown file and every declared CSV table of one edition.

    With `charset` (the code points the report's fonts cover, `fonts.covered`), every character
    outside it is an error at its place: the PDF and the charts could not draw it.
    """
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
    unreadable = []
    for path in sorted(content_dir.glob("*.md")):
        doc, more = read_markdown(path, root, charset)
        diags += more
        if doc is not None:
            documents[path.stem] = doc
        else:
            unreadable.append(path.stem)  # its error is enough: never also «no existe»
    tables, extras, more = _load_data_folder(data_dir, root, table_names, charset)
    diags += more
    return RawEdition(content_dir.name, meta, documents, tables, content_dir, extras, relpath(data_dir, root),
                      tuple(unreadable)), diags


def _load_data_folder(data_dir: Path, root: Path, table_names,
                      charset: frozenset[int] | None) -> tuple[dict, tuple, list[Diagnostic]]:
    """Read the declared tables of `data_dir` and every other file there that could be a new table.

    Files are matched by their exact names as listed (never by asking the disk for a name, which
    ignores capitals on Windows and macOS), so `Acuerdos.CSV` is the same mistake on every machine.
    Returns (table name -> RawTable, the other files as `new_tables.ExtraFile`, diagnostics).
    """
    from .fonts import check_table
    from .i18n import TRANSLATIONS
    from .new_tables import ExtraFile, is_skipped, resembled, table_stem

    diags: list[Diagnostic] = []
    # A language's folder (`data/2025/en/`) holds the translated texts of these tables (`translations.py`).
    translations = {language.code for language in TRANSLATIONS}
    entries = sorted(p for p in data_dir.iterdir() if not is_skipped(p.name)
                     and not (p.name in translations and p.is_dir())) if data_dir.is_dir() else []
    present = {p.name for p in entries}
    folder = relpath(data_dir, root)

    def read(path: Path) -> RawTable | None:
        table, more = read_csv(path, root) if path.suffix.lower() == ".csv" else read_xlsx(path, root)
        diags.extend(more)
        if table is not None and charset is not None:
            diags.extend(check_table(table, charset))
        return table

    tables = {}
    declared = {f"{name}{suffix}" for name in table_names for suffix in (".csv", ".xlsx")}
    for name in table_names:
        path, book = data_dir / f"{name}.csv", data_dir / f"{name}.xlsx"
        if path.name in present and book.name in present:
            diags.append(error(SourceLoc(relpath(book, root)), (
                f"hay dos versiones de la tabla: {name}.csv y {name}.xlsx; deje solo una")))
        elif path.name not in present and book.name not in present:
            alike = [p.name for p in entries if p.name not in declared and resembled(p.name, table_names) == name]
            hint = (f". Hay un archivo parecido: «{alike[0]}»; si es esta tabla, cámbiele el nombre a {name}.csv"
                    if alike else "")
            diags.append(error(SourceLoc(relpath(path, root)), (
                f"falta la tabla {name}.csv (o {name}.xlsx); se esperaba en {folder}/{hint}")))
        else:
            table = read(path if path.name in present else book)
            if table is not None:
                tables[name] = table
    extras = []
    stems = [table_stem(p.name) for p in entries if p.name not in declared]
    for path in entries:
        if path.name in declared:
            continue
        shown = relpath(path, root)
        extra = ExtraFile(path.name + ("/" if path.is_dir() else ""), shown, None)
        if extra.stem is not None and stems.count(extra.stem) > 1:
            versions = [p.name for p in entries if table_stem(p.name) == extra.stem]
            if path.name == versions[-1]:  # once per table, on the last version
                diags.append(error(SourceLoc(shown), (
                    f"hay dos versiones de la tabla: {' y '.join(versions)}; deje solo una")))
        elif extra.stem is not None and path.is_file():
            extra = ExtraFile(extra.name, shown, read(path))
        extras.append(extra)
    return tables, tuple(extras), diags

