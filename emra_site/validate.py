"""Check raw tables against their schema and each other; collect every problem, never stop early."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import schema as S
from .errors import Diagnostic, SourceLoc, column_letter, error, suggest, warning
from .layout import RESERVED_SLUGS  # the generated pages and folders of an edition
from .load import DELIMITER_NAMES, RawTable
from .values import (
    COMMA,
    POINT,
    ValueProblem,
    decimal_hint,
    is_no_data,
    looks_like_formula,
    parse_date,
    parse_typed,
)

NUMERIC = (S.ENTERO, S.NUMERO, S.PORCENTAJE, S.MONTO)


@dataclass(frozen=True)
class TypedRow:
    """A row whose cells have been read as their column types (None = no data)."""

    line: int
    values: dict


@dataclass(frozen=True)
class TypedTable:
    """A validated table, ready for the model."""

    schema: S.TableSchema
    path: str
    rows: tuple[TypedRow, ...]
    positions: dict  # column name -> 1-based column in the file, for diagnostics

    def col(self, name: str) -> int | None:
        """Column number of `name` in the file as the editor saved it."""
        return self.positions.get(name)


def _decimal_convention(raw: RawTable, numeric_idx: list[int]) -> tuple[str, list[Diagnostic]]:
    """Decide one decimal separator for the whole file, never per cell."""
    seen: dict[str, tuple[int, int]] = {}
    for row in raw.rows:
        for i in numeric_idx:
            if i < len(row.cells):
                hint = decimal_hint(row.cells[i])
                if hint and hint not in seen:
                    seen[hint] = (row.line, i + 1)
    if len(seen) == 2:
        line, col = max(seen.values())
        return COMMA, [error(SourceLoc(raw.path, line, col), (
            "el archivo mezcla coma y punto como separador decimal; "
            "use una sola convención en todo el archivo (en Chile, coma: 47,5)"))]
    return (POINT if POINT in seen else COMMA), []


def _parse(col: S.Column, text: str, decimal: str):
    """Read one non-blank cell as its column type."""
    value = parse_typed(col.type, text, decimal)
    if col.type == S.OPCION and value not in col.choices:
        raise ValueProblem("se esperaba uno de: " + ", ".join(f"«{c}»" for c in col.choices) + suggest(value, col.choices))
    return value


def coerce_table(raw: RawTable, table: S.TableSchema, hints: dict | None = None) -> tuple[TypedTable, list[Diagnostic]]:
    """Read every cell of a raw table as its declared type, reporting all problems.

    `hints` (column name -> text) ends the message about a cell that does not fit its column
    (a new table's column typed from its other cells says so).
    """
    hints = hints or {}
    diags: list[Diagnostic] = []
    header_loc = SourceLoc(raw.path, raw.header_line)
    names = [c.name for c in table.columns]
    index = {name: i for i, name in enumerate(raw.header)}
    for col in table.columns:
        if col.name not in index and not col.may_be_absent:
            diags.append(error(header_loc, (
                f"falta la columna «{col.name}» ({col.description}); "
                f"encabezados encontrados: {', '.join(h for h in raw.header if h) or 'ninguno'}"
                + suggest(col.name, [h for h in raw.header if h not in names]))))
    diags += check_header_cells(raw)
    for i, name in enumerate(raw.header):
        if name and name not in names:
            diags.append(warning(SourceLoc(raw.path, raw.header_line, i + 1),
                                 f"columna desconocida «{name}»; se ignora." + suggest(name, names)))
    if not raw.rows:
        diags.append(error(header_loc, "la tabla tiene encabezados pero ninguna fila de datos"))
    numeric_idx = [index[c.name] for c in table.columns if c.type in NUMERIC and c.name in index]
    decimal, more = _decimal_convention(raw, numeric_idx)
    diags += more
    rows: list[TypedRow] = []
    for row in raw.rows:
        if len(row.cells) != len(raw.header):
            diags.append(error(SourceLoc(raw.path, row.line), (
                f"la fila tiene {len(row.cells)} celdas y el encabezado {len(raw.header)}; "
                f"revise que el separador sea {DELIMITER_NAMES[raw.delimiter]} y que no falten ni sobren celdas")))
        values: dict[str, object] = {}
        for col in table.columns:
            at = index.get(col.name)
            text = row.cells[at] if at is not None and at < len(row.cells) else ""
            loc = SourceLoc(raw.path, row.line, (at or 0) + 1)
            if is_no_data(text):  # blank, «-», «s/d», «N/A»…: no value, never 0 nor a formula
                values[col.name] = None
                if col.required and at is not None:
                    found = "está vacía" if not text.strip() else f"dice «{text.strip()}» (sin dato)"
                    diags.append(error(loc, f"la columna «{col.name}» {found}; se esperaba {col.description[0].lower()}{col.description[1:]}"))
                continue
            if looks_like_formula(text):
                diags.append(error(loc, f"la columna «{col.name}» contiene una fórmula («{text.strip()}»); escriba el valor, no la fórmula"))
                values[col.name] = None
                continue
            try:
                values[col.name] = _parse(col, text, decimal)
            except ValueProblem as exc:
                diags.append(error(loc, f"la columna «{col.name}» tiene «{text.strip()}»: {exc}{hints.get(col.name, '')}"))
                values[col.name] = None
        rows.append(TypedRow(row.line, values))
    return TypedTable(table, raw.path, tuple(rows), {name: i + 1 for name, i in index.items()}), diags


def check_header_cells(raw: RawTable) -> list[Diagnostic]:
    """Header cells an editor must fix: a name written twice, a column with data but no name.

    A column with neither name nor data is what Excel leaves after cells were formatted: ignored.
    """
    diags = []
    seen: dict[str, int] = {}
    for i, name in enumerate(raw.header):
        if name and name in seen:
            diags.append(error(SourceLoc(raw.path, raw.header_line, i + 1), (
                f"la columna «{name}» aparece dos veces en el encabezado (columnas {column_letter(seen[name] + 1)} "
                f"y {column_letter(i + 1)}); deje una sola")))
        seen.setdefault(name, i)
        if name:
            continue
        filled = next((r for r in raw.rows if i < len(r.cells) and r.cells[i].strip()), None)
        if filled is not None:
            diags.append(error(SourceLoc(raw.path, raw.header_line, i + 1), (
                f"la columna {column_letter(i + 1)} no tiene encabezado pero tiene datos (línea {filled.line}: "
                f"«{filled.cells[i].strip()}»); escriba su nombre en la fila de encabezados o borre la columna en Excel")))
    return diags


def check_explained(tables: dict[str, TypedTable]) -> list[Diagnostic]:
    """A value whose explaining column (`Column.explains`, e.g. «origen_avance») is blank: a warning.

    The published table would show the value with «sin dato» beside it.
    """
    diags = []
    for _, table in sorted(tables.items()):
        for col in table.schema.columns:
            if not col.explains or table.col(col.explains) is None or table.col(col.name) is None:
                continue  # a missing column is reported once, by coerce_table
            allowed = " o ".join(f"«{c}»" for c in col.choices)
            for row in table.rows:
                value = row.values.get(col.explains)
                if value is not None and row.values.get(col.name) is None:
                    diags.append(warning(SourceLoc(table.path, row.line, table.col(col.name)), (
                        f"«{col.explains}» tiene un valor pero «{col.name}» está vacía; escriba {allowed} "
                        f"(si no, la tabla publicada muestra «sin dato» en «{col.label}»)")))
    return diags


def check_progress_filled(tables: dict[str, TypedTable], raw_tables: dict) -> list[Diagnostic]:
    """A progress column blank in every row (a new edition not filled in yet): a warning.

    Each row would be published «sin dato»; `check` must not call that ready. A column where the
    editor wrote a «sin dato» marker (`s/d`, `-`) in some row says so on purpose and is not flagged.
    """
    from .editions import CARRIED

    diags = []
    for name, (column, companions) in sorted(CARRIED.items()):
        table, raw = tables.get(name), raw_tables.get(name)
        if table is None or raw is None or not raw.rows:
            continue
        at = table.col(column)
        if at is None:
            continue
        if any(at - 1 < len(r.cells) and r.cells[at - 1].strip() for r in raw.rows):
            continue
        what = table.schema.column(column).description.split(";")[0].strip().replace(" (0 a 100)", ", de 0 a 100")
        n = len(raw.rows)
        also = "".join(f" y, junto a cada valor, «{c}»" for c in companions if table.col(c) is not None)
        before = (" (el valor de la edición anterior está en «avance_anterior» como referencia)"
                  if table.col("avance_anterior") is not None else "")
        diags.append(warning(SourceLoc(raw.path, raw.header_line, at), (
            f"la columna «{column}» está vacía en {'la única fila' if n == 1 else f'las {n} filas'}, así que "
            f"{'la fila se publicaría' if n == 1 else 'todas se publicarían'} «sin dato»; complete «{column}» "
            f"({what[:1].lower()}{what[1:]}){also} con los valores de esta edición{before}. "
            "Si de verdad una fila no tiene dato, escriba «s/d»")))
    return diags


def check_table_rules(tables: dict[str, TypedTable]) -> list[Diagnostic]:
    """Checks across rows and tables: unique ids, references that resolve, ranges in order."""
    diags: list[Diagnostic] = []
    ids: dict[str, dict] = {name: {} for name in tables}
    for name, table in sorted(tables.items()):
        for row in table.rows:
            value = row.values.get("id")
            if value is None:
                continue
            if value in ids[name]:
                diags.append(error(SourceLoc(table.path, row.line, table.col("id")), (
                    f"el id «{value}» está repetido (ya aparece en la línea {ids[name][value]}); "
                    "cada fila necesita un id único")))
            else:
                ids[name][value] = row.line
    for name, table in sorted(tables.items()):
        for col in table.schema.columns:
            if not col.ref or col.ref not in tables:
                continue
            known = ids[col.ref]
            for row in table.rows:
                value = row.values.get(col.name)
                if value is not None and value not in known:
                    diags.append(error(SourceLoc(table.path, row.line, table.col(col.name)), (
                        f"«{value}» no existe en {col.ref}.csv; se esperaba uno de: "
                        + ", ".join(sorted(known)) + suggest(value, known))))
    for table in tables.values():
        cols = {c.name for c in table.schema.columns}
        for lo, hi in (("minimo", "maximo"), ("mes_inicio", "mes_fin"), ("fecha_inicio", "fecha_fin"),
                       ("diferencia_min_meses", "diferencia_max_meses")):
            if lo not in cols or hi not in cols:
                continue
            for row in table.rows:
                a, b = row.values.get(lo), row.values.get(hi)
                # Months wrap from March back to April: the plan's year runs April to March.
                if lo == "mes_inicio" and a is not None and b is not None:
                    a, b = (a - 4) % 12, (b - 4) % 12
                if a is not None and b is not None and a > b:
                    diags.append(error(SourceLoc(table.path, row.line), (
                        f"«{lo}» es mayor que «{hi}»; se esperaba {lo} ≤ {hi}")))
    return diags


@dataclass(frozen=True)
class ValidEdition:
    """An edition whose every input passed validation (or has only warnings)."""

    meta: dict
    tables: dict  # name -> TypedTable
    sections: tuple  # (slug, front matter dict, blocks, headings)


EDITION_KEYS = {
    "titulo": True, "titulo_corto": False, "subtitulo": True, "anio": True, "fecha_publicacion": True,
    "idioma": True, "organismo": True, "descripcion": True, "secciones": True,
    "correcciones": False, "notas": False, "responsables": False, "licencia": False,
    "hashtags": False, "contacto_prensa": False,
}
LIST_KEYS = ("secciones", "correcciones", "notas", "responsables", "hashtags")
# The press kit quotes these; without them it still builds, with a warning that names the key.
KIT_KEYS = {
    "hashtags": "las publicaciones sugeridas del kit de prensa saldrán sin hashtags. Agregue «hashtags:» con una "
                "línea «- EMRA2050» por hashtag (sin «#», o entre comillas: «- \"#EMRA2050\"»)",
    "contacto_prensa": "la nota de prensa del kit saldrá con un espacio por completar. Agregue «contacto_prensa:» "
                       "con el nombre, correo o teléfono de quien atiende a la prensa",
}
HASHTAG = re.compile(r"#?[^\W_][\w]*", re.UNICODE)
# `numero` is optional: a section's number is its place in `secciones` (see `section_numbers`).
FRONT_MATTER_KEYS = {"titulo": True, "numero": False, "descripcion": True, "revisar": False}


def check_keys(data: dict, spec: dict, lines: dict, path: str, what: str) -> list[Diagnostic]:
    """Required keys present; an unknown key is an error with the valid ones and a suggestion.

    Keys arrive canonical (`Título` is `titulo`, see `yamltext.canonical_key`); a key still
    unknown is refused rather than ignored, since what it meant to say would be lost.
    """
    diags = []
    for key, required in spec.items():
        if required and (key not in data or data[key] in ("", None)):
            diags.append(error(SourceLoc(path, 1), f"falta la clave «{key}» en {what}"))
    for key in data:
        if key not in spec:
            diags.append(error(SourceLoc(path, lines.get(key, 1)), (
                f"la clave «{key}» no existe en {what}; claves válidas: {', '.join(spec)}. "
                "Corrija el nombre o borre la línea." + suggest(key, spec))))
    for key in spec:
        if key in data and key not in LIST_KEYS and not isinstance(data[key], str):
            diags.append(error(SourceLoc(path, lines.get(key, 1)), f"«{key}» debe ser un texto de una línea"))
    return diags


def check_edition_meta(raw, year: str) -> tuple[dict, list[Diagnostic]]:
    """Check `edition.yml` and read its typed values."""
    data, lines, path = raw.data, raw.lines, raw.path
    diags = check_keys(data, EDITION_KEYS, lines, path, "edition.yml")
    meta: dict[str, object] = {k: v for k, v in data.items() if k in EDITION_KEYS and isinstance(v, str)}
    at = lambda key: SourceLoc(path, lines.get(key, 1))
    if isinstance(data.get("anio"), str):
        if data["anio"].strip() != year:
            diags.append(error(at("anio"), f"«anio» dice «{data['anio']}» pero la carpeta es {year}; deben coincidir"))
        meta["anio"] = int(year) if year.isdigit() else 0
    if isinstance(data.get("fecha_publicacion"), str):
        try:
            meta["fecha_publicacion"] = parse_date(data["fecha_publicacion"])
        except ValueProblem as exc:
            diags.append(error(at("fecha_publicacion"), f"«fecha_publicacion» tiene «{data['fecha_publicacion']}»: {exc}"))
    if isinstance(data.get("licencia"), str) and not data["licencia"].strip():
        del meta["licencia"]  # «licencia:» left blank: the default licence, as when the line is absent
    elif isinstance(data.get("licencia"), str):
        license_, problem = parse_license(data["licencia"])
        if problem:
            diags.append(error(at("licencia"), problem))
        meta["licencia"] = license_
    for key in LIST_KEYS:
        if key == "hashtags":
            continue  # its own check, below: a YAML comment hides what the editor wrote
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            diags.append(error(at(key), f"«{key}» debe ser una lista, una línea «- …» por elemento"))
            value = []
        meta[key] = tuple(v.strip() for v in value)
    meta["hashtags"], more = check_hashtags(data.get("hashtags"), at("hashtags"))
    diags += more
    for key, consequence in KIT_KEYS.items():
        if key not in data:
            diags.append(warning(SourceLoc(path, 1), f"falta la clave «{key}»: {consequence}."))
        elif data[key] in (None, "", []):
            # «hashtags: #EMRA2050» on one line is a key followed by a YAML comment: empty.
            hint = (" (si escribió los hashtags en la misma línea, YAML leyó un comentario desde el «#»)"
                    if key == "hashtags" else "")
            diags.append(warning(at(key), f"la clave «{key}» está vacía{hint}: {consequence}."))
    return meta, diags


def check_hashtags(value, loc: SourceLoc) -> tuple[tuple[str, ...], list[Diagnostic]]:
    """`hashtags` of edition.yml, each written with its «#» («EMRA2050» and «#EMRA2050» are both accepted).

    In YAML an unquoted «- #EMRA2050» is a comment, so it arrives as an empty item: that gets its own
    message, since the editor wrote exactly what a hashtag looks like.
    """
    if value in (None, ""):
        return (), []
    if not isinstance(value, list):
        return (), [error(loc, "«hashtags» debe ser una lista, una línea «- EMRA2050» por hashtag")]
    tags, diags = [], []
    for item in value:
        if item is None or (isinstance(item, str) and not item.strip()):
            diags.append(error(loc, (
                "«hashtags» tiene un elemento vacío: en YAML, lo que sigue a «#» sin comillas es un comentario. "
                "Escriba el hashtag sin «#» («- EMRA2050») o entre comillas («- \"#EMRA2050\"»)")))
        elif not isinstance(item, str):
            continue  # the list check above already reported it
        elif not HASHTAG.fullmatch(item.strip()):
            joined = "#" + "".join(w[:1].upper() + w[1:] for w in re.split(r"[\s_.,-]+", item.strip().lstrip("#")) if w)
            diags.append(error(loc, (
                f"«hashtags» tiene «{item.strip()}»: un hashtag es una sola palabra de letras y números, sin espacios "
                f"ni signos. Escriba, por ejemplo, «{joined}»")))
        else:
            tags.append("#" + item.strip().lstrip("#"))
    # #EMRA2050 and #emra2050 are one hashtag to every network: the first spelling stays.
    return tuple({t.casefold(): t for t in reversed(tags)}[k] for k in dict.fromkeys(t.casefold() for t in tags)), diags


def parse_license(text: str):
    """`licencia` of edition.yml: a known licence by its name («CC BY 4.0») or «Nombre, https://…».

    Returns (License or None, problem in Spanish or "").
    """
    from .model import KNOWN_LICENSES, License

    text = " ".join(text.split())
    known = {k.upper().replace("-", " "): v for k, v in KNOWN_LICENSES.items()}
    if text.upper().replace("-", " ") in known:
        return known[text.upper().replace("-", " ")], ""
    name, _, url = text.rpartition(",")
    name, url = name.strip(), url.strip()
    if name and re.fullmatch(r"https://[^\s<>\"]+", url):
        return License(name, name, url), ""
    if name and url.startswith("http://"):
        return None, (f"«licencia» tiene la dirección «{url}», que empieza con http://: escriba la dirección segura "
                      "del texto legal, que empieza con https://")
    return None, (f"«licencia» tiene «{text}»: escriba una de {', '.join(KNOWN_LICENSES)} "
                  "o «Nombre de la licencia, https://dirección-del-texto-legal»")


SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
XREF_KINDS = {"figura": "grafico", "tabla": "tabla"}


def check_selections(blocks, tables: dict) -> list[Diagnostic]:
    """A block whose selection matches no row would publish an empty chart or table: an error."""
    from .charts.registry import CHART_KINDS
    from .directives import Directive

    diags = []
    for b in blocks:
        if not isinstance(b, Directive):
            continue
        # A chart kind whose parameters pick rows of one table says which (ChartKind.selects).
        name = b.name if b.kind == "tabla" else CHART_KINDS[b.name].selects
        if name is None or name not in tables or not tables[name].rows:
            continue  # an empty table is already reported once, in its own file
        rows = [r for r in tables[name].rows if all(r.values.get(k) == v for k, v in b.params)]
        if not rows:
            chosen = ", ".join(f"{k}: {v}" for k, v in b.params) or "sin filtros"
            diags.append(error(b.loc, (
                f"el bloque «{b.kind}» ({b.name}; {chosen}) no encuentra ninguna fila en {name}.csv; "
                "se esperaba al menos una. Revise los filtros o agregue las filas")))
    return diags


# A `grafico` or `tabla` block as written, and an «id:» line in it: what a block that could not be
# read (its own error says why) was meant to be called, so that a reference to it is no second error.
_BLOCK = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})[ \t]*(grafico|tabla)[ \t]*\n(.*?)^[ ]{0,3}\1", re.M | re.S)
_ID_LINE = re.compile(r"""^[ \t]*id[ \t]*:[ \t]*["']?([a-z0-9-]+)""", re.M | re.I)


def written_block_ids(bodies) -> set[tuple[str, str]]:
    """(kind, id) of every block of the given Markdown bodies, read leniently, broken blocks too."""
    return {(m.group(2), key.lower()) for body in bodies for m in _BLOCK.finditer(body)
            for key in _ID_LINE.findall(m.group(3))}


def check_block_keys(blocks, xrefs, written: set | frozenset = frozenset()) -> list[Diagnostic]:
    """Block ids are unique, and every cross-reference names an existing chart or table id.

    `written` (see `written_block_ids`): ids of blocks as written; a reference to the id of a block
    that could not be read is not reported, since the block's own error is the one to fix.
    """
    from .directives import Directive

    diags = []
    keys: dict[tuple[str, str], Directive] = {}
    for b in blocks:
        if isinstance(b, Directive) and b.key:
            if (b.kind, b.key) in keys:
                first = keys[(b.kind, b.key)].loc
                diags.append(error(b.loc, f"el id «{b.key}» ya se usa en {first}; cada bloque necesita un id distinto"))
            keys.setdefault((b.kind, b.key), b)
    for ref in xrefs:
        if (XREF_KINDS[ref.kind], ref.key) not in keys and (XREF_KINDS[ref.kind], ref.key) not in written:
            known = sorted(k for kind, k in keys if kind == XREF_KINDS[ref.kind])
            diags.append(error(ref.loc, (
                f"«[[{ref.kind}:{ref.key}]]» no corresponde a ningún bloque «{XREF_KINDS[ref.kind]}» con «id: {ref.key}»; "
                f"ids disponibles: {', '.join(known) or 'ninguno (agregue «id:» al bloque)'}" + suggest(ref.key, known))))
    return diags


def section_numbers(listed) -> dict[str, str]:
    """Each section's number: its place in `secciones`, from 1 (the first place of a repeated name)."""
    numbers: dict[str, str] = {}
    for i, slug in enumerate(listed, start=1):
        numbers.setdefault(slug, str(i))
    return numbers


def check_section_listing(raw, listed, readable: bool) -> list[Diagnostic]:
    """Every section file is listed in `secciones` once: a file left out or a name repeated is an error.

    `readable` is False when edition.yml could not be read: that is reported once, not once per file.
    """
    if not readable:
        return []
    diags = []
    where = SourceLoc(raw.meta.path, raw.meta.lines.get("secciones", 1))
    for slug in sorted({s for s in listed if listed.count(s) > 1}):
        diags.append(error(where, (
            f"la sección «{slug}» está {listed.count(slug)} veces en «secciones»; deje una sola línea «  - {slug}»")))
    for slug, doc in sorted(raw.documents.items()):
        if slug not in listed:
            diags.append(error(SourceLoc(doc.path, 1), (
                f"{slug}.md no está en «secciones» de {raw.meta.path}; para publicarla agregue la línea "
                f"«  - {slug}» a «secciones», en el lugar que le toca en el índice (su número sale de ese orden); "
                "si no es una sección del informe, saque el archivo de la carpeta")))
    return diags


def check_numero(doc, number: str, edition_path: str) -> list[Diagnostic]:
    """A `numero` written in the front matter must be the section's place in `secciones`.

    The number comes from that order, so a section inserted in the middle renumbers the later
    ones by itself; a `numero` that says otherwise (a copy left unchanged, two sections with the
    same number) would publish a wrong index and a wrong chapter PDF, so it is refused.
    """
    written = doc.meta.get("numero")
    if not isinstance(written, str) or not written.strip() or (written.strip().lstrip("0") or "0") == number:
        return []  # «03» is 3
    return [error(SourceLoc(doc.path, doc.meta_lines.get("numero", 1)), (
        f"«numero» dice «{written.strip()}», pero esta es la sección {number} según el orden de «secciones» "
        f"en {edition_path}; borre la línea «numero» (el número sale de ese orden) o escriba numero: \"{number}\""))]


def validate_edition(raw, root_tables) -> tuple[ValidEdition | None, list[Diagnostic]]:
    """Check every input of one edition; return it typed when nothing is wrong."""
    from .markdown import slugify, split_blocks
    from .new_tables import NewTables
    from .section_links import Outline, SectionLink, check_section_links

    diags: list[Diagnostic] = []
    tables = {}
    for name, table in sorted(raw.tables.items()):
        typed, more = coerce_table(table, root_tables[name])
        diags += more
        tables[name] = typed
    diags += check_table_rules(tables)
    diags += check_explained(tables)
    diags += check_progress_filled(tables, raw.tables)
    ids = {name: {r.values["id"] for r in t.rows if r.values.get("id")} for name, t in tables.items()}
    new_tables = NewTables.read(raw.extras, raw.data_folder)  # editors' own tables a `tabla` block may show
    ids.update(new_tables.ids())
    meta: dict = {}
    if raw.meta is not None:
        meta, more = check_edition_meta(raw.meta, raw.year)
        diags += more
    sections = []
    xrefs = []
    listed = meta.get("secciones", ())
    for slug in listed:
        if slug in RESERVED_SLUGS:
            diags.append(error(SourceLoc(raw.meta.path, raw.meta.lines.get("secciones", 1)), (
                f"«{slug}» está reservado para una página que genera el publicador; use otro nombre de sección")))
            continue
        if not SLUG.fullmatch(slug):
            diags.append(error(SourceLoc(raw.meta.path, raw.meta.lines.get("secciones", 1)), (
                f"«{slug}» no sirve como nombre de página web; se esperaba minúsculas sin tildes ni espacios, "
                f"con guiones (por ejemplo «{slugify(slug)}»), igual que el nombre del archivo .md")))
            continue
        if slug not in raw.documents and slug not in getattr(raw, "unreadable", ()):
            folder = raw.meta.path.rsplit("/", 1)[0]
            diags.append(error(SourceLoc(raw.meta.path, raw.meta.lines.get("secciones", 1)), (
                f"la sección «{slug}» está en «secciones» pero no existe {folder}/{slug}.md; "
                f"cree el archivo o borre la línea «  - {slug}» de «secciones»"
                + suggest(slug, [s for s in raw.documents if s not in listed]))))
    diags += check_section_listing(raw, listed, "secciones" in meta)
    # Without a readable «secciones» (its error is reported), every section file is still checked, in
    # the order of the file names, so that one run shows every problem; the numbers are then unknown.
    checked = tuple(listed) if listed else tuple(sorted(raw.documents))
    numbers = section_numbers(checked)
    for slug, doc in sorted(raw.documents.items()):
        if slug not in checked:
            continue  # reported by check_section_listing
        if doc.meta is not None:
            diags += check_keys(doc.meta, FRONT_MATTER_KEYS, doc.meta_lines, doc.path, "el encabezado")
            if listed:
                diags += check_numero(doc, numbers[slug], raw.meta.path)
            if doc.meta.get("revisar"):
                # new-edition marks copied text; it must not be published unread (--strict refuses it).
                diags.append(warning(SourceLoc(doc.path, doc.meta_lines.get("revisar", 1)), (
                    f"sección copiada de la edición anterior y aún sin revisar ({doc.meta['revisar']}); "
                    "actualice el texto y borre la línea «revisar»")))
        outline = Outline(slug, tuple((s, n) for s, n in numbers.items() if s in raw.documents))
        blocks, headings, refs, images, more = split_blocks(doc.body, doc.path, doc.body_line, ids, raw.folder, outline)
        diags += more
        xrefs += refs
        sections.append((slug, {**(doc.meta or {}), "numero": numbers[slug]}, tuple(blocks), tuple(headings),
                         tuple(images)))
    diags += check_block_keys([b for s in sections for b in s[2]], [r for r in xrefs if r.kind in XREF_KINDS],
                              written_block_ids(raw.documents[s[0]].body for s in sections))
    diags += check_section_links([r for r in xrefs if isinstance(r, SectionLink)],
                                 {s[0]: [h.anchor for h in s[3]] for s in sections})
    shown, more = new_tables.settle([b for s in sections for b in s[2]])
    tables.update(shown)
    diags += more
    diags += check_selections([b for s in sections for b in s[2]], tables)
    order = {slug: i for i, slug in enumerate(checked)}
    sections.sort(key=lambda s: order[s[0]])
    return ValidEdition(meta, tables, tuple(sections)), diags
