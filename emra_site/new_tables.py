"""Editors' own tables: files in `data/<year>/` beyond the declared ones, and what each of them is.

A CSV or workbook that a ```tabla``` block names (`datos: presupuesto`) is a *new table*: shown as
it is, each column typed by an optional header suffix (`monto:monto`) or inferred from its cells,
with the same downloads as the declared tables. Any other file in the folder is an error, never
silence: a copy of a declared table (`acuerdos (1).csv`, `acuerdos_2026_final.csv`,
`Acuerdos.CSV`) names the table it resembles, and an unused file says how to publish or remove it.
Hidden files and Excel's lock files (`~$acuerdos.xlsx`, there while the workbook is open) are
not the editor's and are skipped.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass

from . import schema as S
from .errors import Diagnostic, SourceLoc, error
from .layout import RESERVED_TABLE_NAMES
from .load import RawTable
from .values import COMMA, POINT, ValueProblem, decimal_hint, fold, is_no_data, looks_like_formula, parse_typed

TABLE_SUFFIXES = (".csv", ".xlsx")
# A new table's name is its file name, its `datos:` value and the name of its downloads.
NAME = re.compile(r"[a-z0-9]+(?:[_-][a-z0-9]+)*")
# Type words of the optional header suffix, folded (no accents, lower case): `monto:monto`.
TYPE_WORDS = {
    "texto": S.TEXTO, "entero": S.ENTERO, "numero": S.NUMERO, "porcentaje": S.PORCENTAJE,
    "monto": S.MONTO, "fecha": S.FECHA, "mes": S.MES,
}
TYPE_DESCRIPTIONS = {
    S.TEXTO: "Texto.", S.ENTERO: "Número entero.", S.NUMERO: "Número.",
    S.PORCENTAJE: "Porcentaje (0 a 100).", S.MONTO: "Monto en pesos.", S.FECHA: "Fecha.", S.MES: "Mes.",
}
_TYPED_HEADER = re.compile(r"(?P<name>.+?)\s*:\s*(?P<type>[^\s:]+)")
_NUMBER_LIKE = re.compile(r"[+-]?\s*(?:M?\$)?\s*[\d.,\s\u00a0\u202f]+%?")


def is_skipped(file_name: str) -> bool:
    """Files a computer leaves in a folder by itself: hidden ones and Excel's `~$…` lock files."""
    return file_name.startswith((".", "~$")) or file_name.lower() in ("thumbs.db", "desktop.ini")


def table_stem(file_name: str) -> str | None:
    """The table a file would hold (`presupuesto.csv` → `presupuesto`); None for other files.

    The suffix may be in capitals (`Acuerdos.CSV`): such a file is a table saved under another name.
    """
    for suffix in TABLE_SUFFIXES:
        if file_name.lower().endswith(suffix):
            return file_name[: -len(suffix)]
    return None


def resembled(file_name: str, known) -> str | None:
    """The declared table a misnamed file looks like a copy of, if any.

    `acuerdos (1).csv`, `Copia de acuerdos.csv`, `acuerdos_2026_final.csv`, `Acuerdos.CSV`,
    `acuerdo.csv` all resemble `acuerdos`: the name, folded, is the table's or contains it as a
    word, or is a near spelling of it.
    """
    stem = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
    words = re.sub(r"[^a-z0-9]+", "_", fold(stem)).strip("_")
    inside = [k for k in known if words == k or f"_{words}_".find(f"_{k}_") >= 0]
    if inside:
        return max(inside, key=len)
    close = difflib.get_close_matches(words, sorted(known), n=1, cutoff=0.8)
    return close[0] if close else None


def split_header(cell: str) -> tuple[str, str | None, str | None]:
    """A new table's header cell: `monto:monto` → ("monto", "monto", None); `partida` → ("partida", None, None).

    The word after the last «:» names the column's type; a word that is no type is a problem
    (third item, for the editor). A suffix of several words is part of the name.
    """
    m = _TYPED_HEADER.fullmatch(cell.strip())
    if not m:
        return cell.strip(), None, None
    name, word = m.group("name").strip(), fold(m.group("type"))
    if word in TYPE_WORDS:
        return name, TYPE_WORDS[word], None
    return name, None, (f"el tipo «{m.group('type')}» de la columna «{name}» no existe; se esperaba uno de: "
                        f"{', '.join(TYPE_WORDS)} (por ejemplo «{name}:numero»), o el nombre sin «:»")


def _decimal(raw: RawTable) -> str:
    """The decimal separator the cells are inferred with: the comma, as written in Chile, unless a
    number shows both separators with the point last (`1,234.5`) and none reveals a decimal comma.

    «5.3» alone proves nothing (project `5.3`, a code): read with the comma it stays text, as written.
    """
    cells = [c.strip() for r in raw.rows for c in r.cells if _NUMBER_LIKE.fullmatch(c.strip())]
    hints = {decimal_hint(c) for c in cells}
    english = any("," in c and "." in c and decimal_hint(c) == POINT for c in cells)
    return POINT if english and COMMA not in hints else COMMA


def _parses_one(kind: str, cell: str, decimal: str) -> bool:
    try:
        parse_typed(kind, cell, decimal)
    except ValueProblem:
        return False
    return True


def _parses(kind: str, cells: list[str], decimal: str) -> bool:
    return all(_parses_one(kind, c, decimal) for c in cells)


_DATE_SHAPE = re.compile(r"\d{1,4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,4}")
_YEAR = re.compile(r"(19|20)\d\d")


def _evidence(kind: str, cell: str, decimal: str) -> bool:
    """Whether one cell, by itself, says its column is `kind` (a `$` for amounts, a `%` for percentages)."""
    if kind == S.PORCENTAJE and not cell.endswith("%"):
        return False
    if kind == S.MONTO and not cell.startswith("$"):
        return False
    if kind in (S.ENTERO, S.NUMERO) and (any(ch in cell for ch in "$%Mm") or re.fullmatch(r"0\d+", cell)):
        return False
    return _parses_one(kind, cell, decimal)


def infer_type(name: str, cells: list[str], decimal: str) -> str:
    """The type of a column from its cells, so the table shows its numbers es-CL and its dates in words.

    Blank and «sin dato» cells say nothing. `id`, codes with leading zeros (`007`) and years
    (four digits, 1900-2100) stay text; `$…` is an amount, `…%` a percentage; whole numbers are
    «entero», other numbers «número», dates «fecha»; anything else is text.

    A column is not retyped to text by one mistyped cell: when every cell is shaped like one type
    (all `$…`, all `…%`, all dates such as `31-02-2025`) or more than half of the filled cells
    (at least two) are of one type, the column has that type and each cell that does not fit is an
    error at its place (`coerce_table`), never published as written.
    """
    filled = [c.strip() for c in cells if not is_no_data(c)]
    if name.lower() == "id" or not filled or any(looks_like_formula(c) for c in filled):
        return S.TEXTO
    if _parses(S.FECHA, filled, decimal) or all(_DATE_SHAPE.fullmatch(c) for c in filled):
        return S.FECHA
    if all(c.endswith("%") for c in filled):
        return S.PORCENTAJE
    if all(c.startswith("$") for c in filled):
        return S.MONTO
    if any(re.fullmatch(r"0\d+", c) for c in filled) or all(_YEAR.fullmatch(c) for c in filled):
        return S.TEXTO  # codes and years: «007» and «2026», never «7» or «2.026»
    if not any(ch in c for c in filled for ch in "$%M"):
        for kind in (S.ENTERO, S.NUMERO):
            if _parses(kind, filled, decimal):
                return kind
    # Most cells of one type: the others are mistakes to fix, not a reason to publish all as text.
    for kind in (S.FECHA, S.PORCENTAJE, S.MONTO, S.NUMERO):
        sure = [c for c in filled if _evidence(kind, c, decimal)]
        if len(sure) >= 2 and 2 * len(sure) > len(filled) and not all(_YEAR.fullmatch(c) for c in sure):
            if kind == S.NUMERO and all(_evidence(S.ENTERO, c, decimal) for c in sure):
                return S.ENTERO
            return kind
    return S.TEXTO


# What an error about a cell of an inferred column adds: why the column has its type, and the way out.
def inferred_hint(column: str, kind: str) -> str:
    """The end of the message about a cell that does not fit a column typed from its other cells."""
    shown = {S.FECHA: "fechas", S.PORCENTAJE: "porcentajes", S.MONTO: "montos", S.ENTERO: "números enteros",
             S.NUMERO: "números"}[kind]
    return (f" (las demás celdas de «{column}» son {shown}). Corrija la celda, o escriba «-» si no hay dato; "
            f"si la columna debe publicarse como texto, escriba «{column}:texto» en el encabezado")


def new_table_schema(raw: RawTable, name: str) -> tuple[S.TableSchema, RawTable, list[Diagnostic]]:
    """The schema of a new table from its header and cells, and the table with typed headers made plain.

    Returns (schema, raw table whose header is the column names, diagnostics about the header).
    """
    diags: list[Diagnostic] = []
    decimal = _decimal(raw)
    names: list[str] = []
    columns: list[S.Column] = []
    for i, cell in enumerate(raw.header):
        column, kind, problem = split_header(cell)
        names.append(column)
        if problem:
            diags.append(error(SourceLoc(raw.path, raw.header_line, i + 1), problem))
        if not column or column in names[:-1]:
            continue  # no name, or a repeated one: coerce_table reports it
        kind = kind or infer_type(column, [r.cells[i] for r in raw.rows if i < len(r.cells)], decimal)
        # The header as written, with a capital like the declared tables' labels; downloads keep the name.
        columns.append(S.Column(column, kind, column[:1].upper() + column[1:], TYPE_DESCRIPTIONS[kind], required=False))
    file_name = raw.path.split(":", 1)[0].rsplit("/", 1)[-1]
    schema = S.TableSchema(name, name, f"Tabla agregada por el equipo editorial ({file_name}), tal como está.",
                           tuple(columns), show_id=True)
    return schema, dataclasses.replace(raw, header=tuple(names)), diags


@dataclass(frozen=True)
class ExtraFile:
    """A file of `data/<year>/` that is not a declared table, as the loader found it."""

    name: str  # as saved: `presupuesto.csv`, `acuerdos (1).csv`, `notas.txt`
    path: str  # as shown to editors
    table: RawTable | None  # the read table; None when it is no table or could not be read (reported)

    @property
    def stem(self) -> str | None:
        """The `datos:` value that shows it, when its name can be a new table's."""
        stem = table_stem(self.name)
        usable = stem and NAME.fullmatch(stem) and stem not in RESERVED_TABLE_NAMES and stem not in S.TABLES_BY_NAME
        return stem if usable else None


def not_a_table(name: str, folder: str, known) -> str:
    """Why a file that is no CSV or workbook cannot stay in the data folder, and what to do."""
    like = resembled(name, known)
    if name.lower().endswith((".xls", ".ods", ".numbers")) or like:
        target = f"{like}.csv" if like else "un .csv"
        return (f"«{name}» no es una tabla que el publicador lea; se esperaba un .csv o .xlsx. "
                f"En Excel use Guardar como › «CSV UTF-8 (delimitado por comas)» como {target}"
                + (f" (¿quiso decir {like}.csv?)" if like else "") + " y borre este archivo")
    return (f"«{name}» no es una tabla; {folder}/ solo debe contener las tablas de la edición (.csv o .xlsx). "
            f"Muévalo fuera de {folder}/")


def unused_table(extra: ExtraFile, folder: str, known) -> str:
    """Why a CSV or workbook that no `tabla` block shows is an error, and what to do."""
    like = resembled(extra.name, known)
    head = f"«{extra.name}» no es una de las tablas del informe y ningún bloque «tabla» la muestra, así que no se publica"
    if like:
        return (f"{head}; ¿quiso decir {like}.csv? Si este archivo tiene los datos buenos, copie su contenido en "
                f"{like}.csv (o cámbiele el nombre a {like}.csv) y borre la copia")
    stem = extra.stem
    if stem is None:
        suggestion = re.sub(r"[^a-z0-9]+", "_", fold(table_stem(extra.name) or extra.name)).strip("_") or "tabla"
        if suggestion in RESERVED_TABLE_NAMES:
            suggestion += "_1"
        return (f"{head}; para publicarla como tabla nueva, póngale un nombre en minúsculas, sin tildes ni espacios "
                f"(por ejemplo «{suggestion}.csv») y muéstrela con un bloque «tabla» con «datos: {suggestion}»; "
                f"si no la necesita, sáquela de {folder}/")
    return (f"{head}; para publicarla como tabla nueva, muéstrela con un bloque «tabla» con «datos: {stem}»; "
            f"si no la necesita, sáquela de {folder}/")


@dataclass(frozen=True)
class NewTables:
    """The extra files of one edition, read as new tables where their names allow it.

    `typed` holds (typed table, its diagnostics) per name; the diagnostics count only when a
    block shows the table (`settle`): an unused file gets one error, not one per cell.
    """

    extras: tuple[ExtraFile, ...]
    folder: str  # `data/<year>`, as shown to editors
    typed: dict  # name -> (validate.TypedTable, [Diagnostic])

    @classmethod
    def read(cls, extras, folder: str) -> NewTables:
        """Infer and check every extra table whose name can be a new table's."""
        from .validate import check_table_rules, coerce_table

        typed = {}
        for extra in extras:
            if extra.stem is None or extra.table is None:
                continue
            schema, raw, diags = new_table_schema(extra.table, extra.stem)
            declared = {split_header(h)[0] for h in extra.table.header if split_header(h)[1]}
            hints = {c.name: inferred_hint(c.name, c.type) for c in schema.columns
                     if c.type != S.TEXTO and c.name not in declared}
            table, more = coerce_table(raw, schema, hints)
            typed[extra.stem] = (table, diags + more + check_table_rules({extra.stem: table}))
        return cls(tuple(extras), folder, typed)

    def ids(self) -> dict[str, set]:
        """What a `tabla` block may name beyond the declared tables: each new table and its ids."""
        found: dict[str, set] = {}
        for extra in self.extras:
            if extra.stem is not None:
                table = self.typed.get(extra.stem, (None,))[0]
                found[extra.stem] = {r.values["id"] for r in table.rows if r.values.get("id")} if table else set()
        return found

    def settle(self, blocks) -> tuple[dict, list[Diagnostic]]:
        """The new tables the blocks show (name -> typed table) and the diagnostics of every extra file.

        A table takes the title of the first block that shows it; a file no block shows is an error.
        """
        from .directives import TABLE, Directive

        titles: dict[str, str] = {}
        for b in blocks:
            if isinstance(b, Directive) and b.kind == TABLE:
                titles.setdefault(b.name, b.titulo or b.name)
        shown: dict = {}
        diags: list[Diagnostic] = []
        known = S.TABLES_BY_NAME
        for extra in self.extras:
            if table_stem(extra.name) is None:
                diags.append(error(SourceLoc(extra.path), not_a_table(extra.name, self.folder, known)))
            elif extra.stem not in titles:
                diags.append(error(SourceLoc(extra.path), unused_table(extra, self.folder, known)))
            elif extra.stem in self.typed:
                table, more = self.typed[extra.stem]
                schema = dataclasses.replace(table.schema, title=titles[extra.stem])
                shown[extra.stem] = dataclasses.replace(table, schema=schema)
                diags += more
        return shown, diags
