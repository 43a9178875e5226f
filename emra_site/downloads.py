"""Data for reuse: every table as CSV and JSON, each chart's data and PNG, a Data Package and one zip.

Column names, codes (`plazo`, `via`, …) and the file format are the same in every language; what the
active language changes is what is written for people: month names, the status column's «sin dato»,
and the Data Package's titles, descriptions and units (`datapackage.json`). A chart's data is read back
from the texts it shows, so its numbers are read in the active language's format.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import posixpath
import re
import unicodedata
import zipfile
from decimal import Decimal
from pathlib import Path

from . import schema as S
from .i18n import N_, active, gettext
from .layout import LAYOUT
from .theme import AMOUNT_PATTERNS, month_name, no_data

PNG_SCALE = 1.5
FRICTIONLESS_TYPES = {
    S.TEXTO: "string", S.OPCION: "string", S.MES: "string",
    S.ENTERO: "integer", S.NUMERO: "number", S.PORCENTAJE: "number", S.MONTO: "number", S.FECHA: "date",
}


def _csv_text(value, column: S.Column) -> str:
    """One cell as Excel in Chile reads it: decimal comma, ISO dates, month names, blank = no data."""
    if value is None:
        return ""
    if column.type == S.MES:
        return month_name(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f").replace(".", ",")
    return str(value)


def _json_value(value, column: S.Column):
    """One cell for JSON: plain numbers, ISO dates, month names, null for no data."""
    if value is None:
        return None
    if column.type == S.MES:
        return month_name(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


NUMERIC_TYPES = (S.ENTERO, S.NUMERO, S.PORCENTAJE, S.MONTO)


def _status_of(column: S.Column) -> S.Column | None:
    """The status column beside a number that may be blank: `estado_avance` says «sin dato» (in the active
    language), its label and description worded from `column`'s as given (`shown` for the Data Package)."""
    if column.required or column.type not in NUMERIC_TYPES:
        return None
    return S.Column(f"estado_{column.name}", S.OPCION,
                    gettext("Estado: {columna}").format(columna=column.label.lower()),
                    gettext("«{sin_dato}» cuando «{columna}» está vacía (la fuente no da el valor); vacía si hay "
                            "valor.").format(sin_dato=no_data(), columna=column.name),
                    required=False, choices=(no_data(),))


def shown(column: S.Column) -> S.Column:
    """A schema column with its label, description and unit in the active language (the schema's are the
    catalog's msgids); its name and choices are codes and stay as they are."""
    return dataclasses.replace(column, label=gettext(column.label), description=gettext(column.description),
                               unit=gettext(column.unit) if column.unit else column.unit)


def tidy_columns(columns) -> tuple[S.Column, ...]:
    """The columns of a download: each number that may be blank followed by its status column."""
    out: list[S.Column] = []
    for c in columns:
        out.append(c)
        status = _status_of(c)
        if status is not None:
            out.append(status)
    return tuple(out)


def _tidy_rows(columns, rows: tuple[dict, ...]) -> list[dict]:
    """Rows keyed by column name with every status column filled from its number."""
    out = []
    for r in rows:
        row = {}
        for c in columns:
            row[c.name] = r.get(c.name)
            status = _status_of(c)
            if status is not None:
                row[status.name] = no_data() if r.get(c.name) is None else None
        out.append(row)
    return out


def _csv(columns, rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    for r in rows:
        writer.writerow([_csv_text(r[c.name], c) for c in columns])
    return "\ufeff" + buf.getvalue()


def _json(columns, rows: list[dict]) -> str:
    data = [{c.name: _json_value(r[c.name], c) for c in columns} for r in rows]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def table_csv(table: S.TableSchema, rows: tuple[dict, ...]) -> str:
    """A table (rows as `Data.records` gives them) as CSV the way Excel opens it in Chile: `;`,
    decimal comma, UTF-8 with BOM, a status column beside each number that may be blank."""
    return _csv(tidy_columns(table.columns), _tidy_rows(table.columns, rows))


def table_json(table: S.TableSchema, rows: tuple[dict, ...]) -> str:
    """A table (rows as `Data.records` gives them) as a JSON list of objects keyed by the CSV headers."""
    return _json(tidy_columns(table.columns), _tidy_rows(table.columns, rows))


# --- a chart's data, tidy: its table read back from the text shown under the chart ---------

TOTAL_LABELS = (N_("Total"),)  # a chart's total row, as it shows it (compared without case)
_YEAR = re.compile(r"^\d{4}$")


def _slug(label: str) -> str:
    """`Mínimo al mes` → `minimo_al_mes`: a column name without accents, spaces or signs."""
    folded = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", folded).strip("_") or "valor"


def _number_forms() -> tuple[str, str, re.Pattern, list[tuple[str, str]]]:
    """How the active language writes numbers: its decimal symbol, its group symbol, a pattern of a number
    (`4.222.529`, `4,5` in Spanish; `4,222,529`, `4.5` in English) and each amount's text around the
    number (Spanish `M$` before it; English `CLP ` before and ` thousand` after), the longest first."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    locale = active().locale
    decimal, group = get_decimal_symbol(locale), get_group_symbol(locale)
    number = re.compile(rf"(\d{{1,3}}({re.escape(group)}\d{{3}})*|\d+)({re.escape(decimal)}\d+)?")
    amounts = []
    for pattern in AMOUNT_PATTERNS.values():
        before, _, after = gettext(pattern).partition("{n}")
        amounts.append((before, after))
    amounts.sort(key=lambda a: -len(a[0] + a[1]))
    return decimal, group, number, amounts


def _read(text: str) -> tuple[Decimal, str, bool] | None:
    """A shown number, its kind (PORCENTAJE for `47%`, MONTO for `M$4.222.529`, else ENTERO) and whether it
    has decimals (`4,5`), in the active language's format; None for anything else."""
    decimal, group, number, amounts = _number_forms()
    body, kind = text.strip(), S.ENTERO
    for before, after in amounts:
        if len(body) > len(before) + len(after) and body.startswith(before) and body.endswith(after):
            body, kind = body[len(before):len(body) - len(after)], S.MONTO
            break
    if kind != S.MONTO and body.endswith("%"):
        body, kind = body[:-1], S.PORCENTAJE
    if not number.fullmatch(body):
        return None
    return Decimal(body.replace(group, "").replace(decimal, ".")), kind, decimal in body


def _read_number(text: str) -> Decimal | None:
    """`47%`, `M$4.222.529`, `4,5` → the number (English: `47%`, `CLP 4,222,529 thousand`, `4.5`); else None."""
    read = _read(text)
    return None if read is None else read[0]


def _inferred_type(texts: list[str]) -> str:
    """The type of a column no table declares, from its shown cells («sin dato» aside)."""
    values = [t for t in texts if t and t != no_data()]
    read = [_read(t) for t in values]
    if not values or any(r is None for r in read):
        return S.TEXTO
    kinds = [r[1] for r in read if r is not None]
    if all(k == S.PORCENTAJE for k in kinds):
        return S.PORCENTAJE
    if all(k == S.MONTO for k in kinds):
        return S.MONTO
    return S.NUMERO if any(r[2] for r in read if r is not None) else S.ENTERO


def _declared_columns(headers, schemas) -> dict[str, S.Column]:
    """Headers of the chart that are labels of one table (as the active language shows them): the table
    matching most of them wins. The columns come back with their texts in the active language (`shown`)."""
    best: dict[str, S.Column] = {}
    for table in schemas:
        by_label = {gettext(c.label): shown(c) for c in table.columns}
        found = {h: by_label[h] for h in headers if h in by_label}
        if len(found) > len(best):
            best = found
    return best


def _chart_column(header: str, texts: list[str], declared: dict[str, S.Column]) -> S.Column:
    if header in declared:
        c = declared[header]
        return S.Column(c.name, c.type, c.label, c.description, required=c.required, unit=c.unit)
    kind = _inferred_type(texts)
    # A computed count's header as the active language shows it -> its Spanish label, which names the column
    # in every language (`declarados`, `corto_plazo`).
    computed = {gettext(label): label for label in S.CHART_COLUMNS}
    label = computed.get(header)
    if label is not None:
        description, unit = S.CHART_COLUMNS[label]
        description, unit = gettext(description), gettext(unit) if unit else unit
    else:
        label, description, unit = header, gettext("{columna}, tal como lo muestra el gráfico.").format(
            columna=header), None
    if unit is None and kind == S.PORCENTAJE:
        unit = gettext(S.PERCENT_UNIT)
    # A computed count is always there; a column showing «sin dato» gets its status column.
    return S.Column(_slug(label), kind, header, description, required=no_data() not in texts, unit=unit)


def _months() -> list[str]:
    """The months' names as the active language writes them in a cell (Spanish: `schema.MONTHS`)."""
    return [month_name(m) for m in range(1, 13)]


def _cell(text: str, column: S.Column):
    """A shown cell read back as its column's value; «sin dato» and blanks are None."""
    if text == no_data() or text == "":
        return None
    if column.type in NUMERIC_TYPES:
        value = _read_number(text)
        return int(value) if column.type == S.ENTERO and value is not None else value
    if column.type == S.MES:
        months = _months()
        return months.index(text) + 1 if text in months else None
    return text


def chart_table(chart, schemas=()) -> tuple[tuple[S.Column, ...], list[dict]]:
    """A chart's data as tidy rows: machine names, numbers as numbers, no total row, «sin dato» as
    a blank with a status column, and one row per edition where the chart has a column per year."""
    headers = list(chart.plan.columns)
    totals = {gettext(t).lower() for t in TOTAL_LABELS} | {t.lower() for t in TOTAL_LABELS}
    rows = [r for r in chart.plan.rows if not (r and r[0].strip().lower() in totals)]
    years = [i for i, h in enumerate(headers) if _YEAR.match(h)]
    declared = _declared_columns(headers, schemas)
    keep = [i for i in range(len(headers)) if i not in years]
    columns = [_chart_column(headers[i], [r[i] for r in rows], declared) for i in keep]
    if years:
        texts = [r[i] for r in rows for i in years]
        kind = _inferred_type(texts)
        value = S.Column("avance" if kind == S.PORCENTAJE else "valor", kind,
                         gettext("Avance") if kind == S.PORCENTAJE else gettext("Valor"),
                         gettext("Avance reportado en esa edición (0 a 100); vacío = sin dato.")
                         if kind == S.PORCENTAJE else gettext("Valor reportado en esa edición; vacío = sin dato."),
                         required=False, unit=gettext(S.PERCENT_UNIT) if kind == S.PORCENTAJE else None)
        base = columns
        columns = [*base, shown(S.EDITION_COLUMN), value]
        records = [{**{c.name: _cell(r[i], c) for c, i in zip(base, keep)},
                    "edicion": int(headers[y]), value.name: _cell(r[y], value)} for r in rows for y in years]
    else:
        records = [{c.name: _cell(r[i], c) for c, i in zip(columns, keep)} for r in rows]
    return tuple(columns), _tidy_rows(columns, tuple(records))


def chart_csv(chart, schemas=()) -> str:
    """The data of one chart as tidy CSV (see `chart_table`), `;` and decimal comma for Excel in Chile."""
    columns, rows = chart_table(chart, schemas)
    return _csv(tidy_columns(columns), rows)


def chart_json(chart, schemas=()) -> str:
    """The data of one chart as a JSON list of objects, numbers as numbers."""
    columns, rows = chart_table(chart, schemas)
    return _json(tidy_columns(columns), rows)


def chart_json_path(chart) -> str:
    """Where the JSON beside a chart's CSV goes."""
    return LAYOUT.chart_csv(chart.key).removesuffix(".csv") + ".json"


def _field(column: S.Column) -> dict:
    """A column as a Data Package field; its texts as given (`shown`: in the active language)."""
    field: dict[str, object] = {"name": column.name, "type": FRICTIONLESS_TYPES[column.type], "title": column.label,
             "description": column.description, "unit": column.unit}
    if column.type == S.FECHA:
        field["format"] = "%Y-%m-%d"
    if column.type in (S.NUMERO, S.PORCENTAJE, S.MONTO):
        field["decimalChar"] = ","
    constraints: dict[str, object] = {}
    if column.required:
        constraints["required"] = True
    if column.choices:
        constraints["enum"] = list(column.choices)
    if column.type == S.MES:
        constraints["enum"] = _months()
    if column.type == S.PORCENTAJE:
        constraints.update(minimum=0, maximum=100)
    if column.type == S.MONTO:
        constraints["minimum"] = 0
    if column.name == "id":
        constraints["unique"] = True
    if constraints:
        field["constraints"] = constraints
    return field


def _chart_resource(chart, schemas) -> dict:
    columns, _ = chart_table(chart, schemas)
    return {
        "name": f"grafico-{chart.key}",
        "path": posixpath.relpath(LAYOUT.chart_csv(chart.key), LAYOUT.DATA_DIR),
        "title": gettext("Figura {numero}. {titulo}").format(numero=chart.number, titulo=chart.plan.title),
        "description": gettext("Datos de la figura {numero}, en formato ordenado: una fila por observación.").format(
            numero=chart.number),
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",
        "dialect": {"delimiter": ";", "header": True},
        "schema": {"fields": [_field(c) for c in tidy_columns(columns)], "missingValues": [""]},
    }


def license_entry(edition) -> dict:
    """The edition's licence as a Data Package declares it."""
    lic = edition.licencia
    entry = {"name": lic.spdx, "path": lic.url, "title": lic.title}
    return {k: v for k, v in entry.items() if v}


def data_package(edition, charts=()) -> dict:
    """A Frictionless Tabular Data Package describing every table and chart of the edition, in the active
    language (names and codes as in the files)."""
    resources = []
    for table in edition.data.schemas():
        schema: dict[str, object] = {"fields": [_field(c) for c in tidy_columns(tuple(map(shown, table.columns)))]}
        if any(c.name == "id" for c in table.columns):
            schema["primaryKey"] = ["id"]
        schema["missingValues"] = [""]
        foreign = [{"fields": [c.name], "reference": {"resource": c.ref, "fields": ["id"]}}
                   for c in table.columns if c.ref]
        if foreign:
            schema["foreignKeys"] = foreign
        resources.append({
            "name": table.name,
            "path": table.filename,
            "title": gettext(table.title),
            "description": gettext(table.description),
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8-sig",
            "dialect": {"delimiter": ";", "header": True},
            "schema": schema,
        })
    resources += [_chart_resource(chart, edition.data.schemas()) for chart in charts]
    return {
        "profile": "tabular-data-package",
        "name": f"emra-informe-avance-{edition.anio}",
        "title": f"{edition.titulo_corto}: {edition.subtitulo}",
        "description": edition.descripcion,
        "version": str(edition.anio),
        "created": f"{edition.fecha_publicacion.isoformat()}T00:00:00Z",
        "keywords": ["EMRA", gettext("minería"), "Antofagasta", gettext("acuerdos transversales"), str(edition.anio)],
        "contributors": [{"title": edition.organismo, "role": "publisher"}],
        "licenses": [license_entry(edition)],
        "resources": resources,
    }


def deterministic_zip(files: list[tuple[str, bytes]], date) -> bytes:
    """A zip whose bytes depend only on the files: sorted names, fixed dates and permissions."""
    buf = io.BytesIO()
    stamp = (date.year, date.month, date.day, 0, 0, 0)
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buf.getvalue()


def zip_name(edition) -> str:
    """File name of the edition's zip of data."""
    return LAYOUT.data_zip_name(edition.anio)


def _frames(edition, charts: dict, site_url: str | None) -> list:
    from .chart_export import chart_frame

    section_of = {block: section for section in edition.sections for block in section.blocks}
    return [chart_frame(chart, edition, section_of[block], site_url) for block, chart in charts.items()]


def download_files(edition, charts: dict, edition_dir: Path, font_dir: Path, cache=None,
                   site_url: str | None = None) -> dict[Path, bytes]:
    """The edition's downloads but the chart PNGs, {path: bytes}: each table as CSV and JSON, each chart's
    data as CSV and JSON and its SVG framed for reuse (`chart_export`: title, figure and section, source,
    date, licence and the address of its page, absolute with `site_url`), the data package and the zip of
    the data."""
    from .cache import Cache
    from .chart_export import framed_svg, with_fonts

    cache = cache or Cache(None)
    datos = edition_dir / LAYOUT.DATA_DIR
    files: dict[Path, bytes] = {}
    bundle: list[tuple[str, bytes]] = []

    def put(relative: str, data: bytes) -> None:
        files[datos / relative] = data
        bundle.append((relative, data))

    for table in edition.data.schemas():
        rows = edition.data.records(table.name)
        put(table.filename, table_csv(table, rows).encode("utf-8"))
        put(f"{table.name}.json", table_json(table, rows).encode("utf-8"))
    schemas = edition.data.schemas()
    package = data_package(edition, tuple(charts.values()))
    put(LAYOUT.DATA_PACKAGE, (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    framed = [framed_svg(chart.svg, frame, font_dir) for chart, frame in zip(charts.values(),
                                                                             _frames(edition, charts, site_url))]
    for chart, styled in zip(charts.values(), with_fonts(framed, font_dir, cache)):
        put(posixpath.relpath(LAYOUT.chart_csv(chart.key), LAYOUT.DATA_DIR), chart_csv(chart, schemas).encode("utf-8"))
        put(posixpath.relpath(chart_json_path(chart), LAYOUT.DATA_DIR), chart_json(chart, schemas).encode("utf-8"))
        files[edition_dir / chart.svg_path] = styled.encode("utf-8")
    stamp = edition.modified(os.environ.get("SOURCE_DATE_EPOCH"))
    files[datos / zip_name(edition)] = deterministic_zip(bundle, stamp)
    return files


def chart_pngs(edition, charts: dict, edition_dir: Path, font_dir: Path, cache=None,
               site_url: str | None = None) -> dict[Path, bytes]:
    """Each chart's framed drawing as PNG (`chart_export.framed_png`), {path: bytes}; cached by the framed
    SVG. Unstyled: resvg draws with the shipped fonts, not an embedded subset."""
    from .cache import Cache
    from .chart_export import framed_png, framed_svg
    from .keys import fonts_fingerprint, png_key

    cache = cache or Cache(None)
    fonts = fonts_fingerprint(font_dir)
    files: dict[Path, bytes] = {}
    for chart, frame in zip(charts.values(), _frames(edition, charts, site_url)):
        svg = framed_svg(chart.svg, frame, font_dir)
        files[edition_dir / chart.png_path] = cache.through(
            "png", png_key(fonts, svg), lambda s=svg, f=frame: framed_png(s, f, font_dir, PNG_SCALE))
    return files
