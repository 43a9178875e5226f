"""Data for reuse: every table as CSV and JSON, each chart's data and PNG, a Data Package and one zip."""

from __future__ import annotations

import csv
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
from .layout import LAYOUT
from .output import write_bytes, write_text
from .theme import NO_DATA, month_name

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
    """The status column beside a number that may be blank: `estado_avance` says «sin dato»."""
    if column.required or column.type not in NUMERIC_TYPES:
        return None
    return S.Column(f"estado_{column.name}", S.OPCION, f"Estado: {column.label.lower()}",
                    f"«{NO_DATA}» cuando «{column.name}» está vacía (la fuente no da el valor); vacía si hay valor.",
                    required=False, choices=(NO_DATA,))


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
                row[status.name] = NO_DATA if r.get(c.name) is None else None
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

TOTAL_LABELS = ("total",)
_NUMBER_TEXT = re.compile(r"^(M?\$)?(\d{1,3}(\.\d{3})*|\d+)(,\d+)?(%)?$")
_YEAR = re.compile(r"^\d{4}$")


def _slug(label: str) -> str:
    """`Mínimo al mes` → `minimo_al_mes`: a column name without accents, spaces or signs."""
    folded = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", folded).strip("_") or "valor"


def _read_number(text: str) -> Decimal | None:
    """`47%`, `M$4.222.529`, `4,5` → the number; anything else → None."""
    m = _NUMBER_TEXT.match(text.strip())
    if not m:
        return None
    digits = text.strip().removeprefix("M$").removeprefix("$").rstrip("%").replace(".", "").replace(",", ".")
    return Decimal(digits)


def _inferred_type(texts: list[str]) -> str:
    """The type of a column no table declares, from its shown cells («sin dato» aside)."""
    values = [t for t in texts if t and t != NO_DATA]
    if not values or any(_read_number(t) is None for t in values):
        return S.TEXTO
    if all(t.endswith("%") for t in values):
        return S.PORCENTAJE
    if all("$" in t for t in values):
        return S.MONTO
    return S.ENTERO if all("," not in t for t in values) else S.NUMERO


def _declared_columns(headers, schemas) -> dict[str, S.Column]:
    """Headers of the chart that are labels of one table: the table matching most of them wins."""
    best: dict[str, S.Column] = {}
    for table in schemas:
        by_label = {c.label: c for c in table.columns}
        found = {h: by_label[h] for h in headers if h in by_label}
        if len(found) > len(best):
            best = found
    return best


def _chart_column(header: str, texts: list[str], declared: dict[str, S.Column]) -> S.Column:
    if header in declared:
        c = declared[header]
        return S.Column(c.name, c.type, c.label, c.description, required=c.required, unit=c.unit)
    kind = _inferred_type(texts)
    description, unit = S.CHART_COLUMNS.get(header, (f"{header}, tal como lo muestra el gráfico.", None))
    if unit is None and kind == S.PORCENTAJE:
        unit = S.PERCENT_UNIT
    # A computed count is always there; a column showing «sin dato» gets its status column.
    return S.Column(_slug(header), kind, header, description, required=NO_DATA not in texts, unit=unit)


def _cell(text: str, column: S.Column):
    """A shown cell read back as its column's value; «sin dato» and blanks are None."""
    if text == NO_DATA or text == "":
        return None
    if column.type in NUMERIC_TYPES:
        value = _read_number(text)
        return int(value) if column.type == S.ENTERO and value is not None else value
    if column.type == S.MES:
        return S.MONTHS.index(text) + 1 if text in S.MONTHS else None
    return text


def chart_table(chart, schemas=()) -> tuple[tuple[S.Column, ...], list[dict]]:
    """A chart's data as tidy rows: machine names, numbers as numbers, no total row, «sin dato» as
    a blank with a status column, and one row per edition where the chart has a column per year."""
    headers = list(chart.plan.columns)
    rows = [r for r in chart.plan.rows if not (r and r[0].strip().lower() in TOTAL_LABELS)]
    years = [i for i, h in enumerate(headers) if _YEAR.match(h)]
    declared = _declared_columns(headers, schemas)
    keep = [i for i in range(len(headers)) if i not in years]
    columns = [_chart_column(headers[i], [r[i] for r in rows], declared) for i in keep]
    if years:
        texts = [r[i] for r in rows for i in years]
        kind = _inferred_type(texts)
        value = S.Column("avance" if kind == S.PORCENTAJE else "valor", kind,
                         "Avance" if kind == S.PORCENTAJE else "Valor",
                         "Avance reportado en esa edición (0 a 100); vacío = sin dato." if kind == S.PORCENTAJE
                         else "Valor reportado en esa edición; vacío = sin dato.", required=False,
                         unit=S.PERCENT_UNIT if kind == S.PORCENTAJE else None)
        base = columns
        columns = [*base, S.EDITION_COLUMN, value]
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
        constraints["enum"] = list(S.MONTHS)
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
        "title": f"Figura {chart.number}. {chart.plan.title}",
        "description": f"Datos de la figura {chart.number}, en formato ordenado: una fila por observación.",
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
    """A Frictionless Tabular Data Package describing every table and chart of the edition, in Spanish."""
    resources = []
    for table in edition.data.schemas():
        schema: dict[str, object] = {"fields": [_field(c) for c in tidy_columns(table.columns)]}
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
            "title": table.title,
            "description": table.description,
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
        "keywords": ["EMRA", "minería", "Antofagasta", "acuerdos transversales", str(edition.anio)],
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


def write_downloads(edition, charts: dict, edition_dir: Path, font_dir: Path, cache=None,
                    site_url: str | None = None) -> None:
    """Write the edition's `datos/` folder: tables, chart data and images, data package and zip.

    Each chart's SVG and PNG are framed for reuse (`chart_export`): title, figure and section,
    source, date, licence and the address of its page (absolute with `site_url`).
    """
    from .cache import Cache
    from .chart_export import chart_frame, framed_png, framed_svg, with_fonts
    from .keys import fonts_fingerprint, png_key

    cache = cache or Cache(None)
    fonts = fonts_fingerprint(font_dir)
    datos = edition_dir / LAYOUT.DATA_DIR
    bundle: list[tuple[str, bytes]] = []

    def put(relative: str, data: bytes) -> None:
        write_bytes(datos / relative, data)
        bundle.append((relative, data))

    for table in edition.data.schemas():
        rows = edition.data.records(table.name)
        put(table.filename, table_csv(table, rows).encode("utf-8"))
        put(f"{table.name}.json", table_json(table, rows).encode("utf-8"))
    schemas = edition.data.schemas()
    package = data_package(edition, tuple(charts.values()))
    put(LAYOUT.DATA_PACKAGE, (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    section_of = {block: section for section in edition.sections for block in section.blocks}
    frames = [chart_frame(chart, edition, section_of[block], site_url) for block, chart in charts.items()]
    # Unstyled for the PNG and its key: resvg draws with the shipped fonts, not the embedded subset.
    framed = [framed_svg(chart.svg, frame, font_dir) for chart, frame in zip(charts.values(), frames)]
    for chart, frame, svg, styled in zip(charts.values(), frames, framed, with_fonts(framed, font_dir, cache)):
        put(posixpath.relpath(LAYOUT.chart_csv(chart.key), LAYOUT.DATA_DIR), chart_csv(chart, schemas).encode("utf-8"))
        put(posixpath.relpath(chart_json_path(chart), LAYOUT.DATA_DIR), chart_json(chart, schemas).encode("utf-8"))
        write_text(edition_dir / chart.svg_path, styled)
        png = cache.through("png", png_key(fonts, svg), lambda s=svg, f=frame: framed_png(s, f, font_dir, PNG_SCALE))
        write_bytes(edition_dir / chart.png_path, png)
    stamp = edition.modified(os.environ.get("SOURCE_DATE_EPOCH"))
    write_bytes(datos / zip_name(edition), deterministic_zip(bundle, stamp))
