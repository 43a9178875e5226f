"""Data for reuse: every table as CSV and JSON, each chart's data and PNG, a Data Package and one zip."""

from __future__ import annotations

import csv
import io
import json
import os
import posixpath
import zipfile
from decimal import Decimal
from pathlib import Path

from . import schema as S
from .layout import LAYOUT
from .output import write_bytes, write_text
from .theme import month_name

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


def table_csv(table: S.TableSchema, rows: tuple[dict, ...]) -> str:
    """A table (rows as `Data.records` gives them) as CSV the way Excel opens it in Chile: `;`,
    decimal comma, UTF-8 with BOM."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.name for c in table.columns])
    for r in rows:
        writer.writerow([_csv_text(r[c.name], c) for c in table.columns])
    return "\ufeff" + buf.getvalue()


def table_json(table: S.TableSchema, rows: tuple[dict, ...]) -> str:
    """A table (rows as `Data.records` gives them) as a JSON list of objects keyed by the CSV headers."""
    data = [{c.name: _json_value(r[c.name], c) for c in table.columns} for r in rows]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def chart_csv(chart) -> str:
    """The data table of one chart as CSV, as shown under the chart."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(chart.plan.columns)
    writer.writerows(chart.plan.rows)
    return "\ufeff" + buf.getvalue()


def _field(column: S.Column) -> dict:
    field: dict[str, object] = {"name": column.name, "type": FRICTIONLESS_TYPES[column.type], "title": column.label,
             "description": column.description}
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


def data_package(edition) -> dict:
    """A Frictionless Tabular Data Package describing every table of the edition, in Spanish."""
    resources = []
    for table in edition.data.schemas():
        schema: dict[str, object] = {"fields": [_field(c) for c in table.columns]}
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
    return {
        "profile": "tabular-data-package",
        "name": f"emra-informe-avance-{edition.anio}",
        "title": f"{edition.titulo_corto}: {edition.subtitulo}",
        "description": edition.descripcion,
        "version": str(edition.anio),
        "created": f"{edition.fecha_publicacion.isoformat()}T00:00:00Z",
        "keywords": ["EMRA", "minería", "Antofagasta", "acuerdos transversales", str(edition.anio)],
        "contributors": [{"title": edition.organismo, "role": "publisher"}],
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


def chart_png(svg: str, font_dir: Path) -> bytes:
    """A chart as PNG for slides and documents."""
    from .charts import vl_convert_with_fonts

    return vl_convert_with_fonts(font_dir).svg_to_png(svg, scale=PNG_SCALE)


def write_downloads(edition, charts: dict, edition_dir: Path, font_dir: Path, cache=None) -> None:
    """Write the edition's `datos/` folder: tables, chart data and images, data package and zip."""
    from .cache import Cache
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
    put(LAYOUT.DATA_PACKAGE, (json.dumps(data_package(edition), ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    for chart in charts.values():
        put(posixpath.relpath(LAYOUT.chart_csv(chart.key), LAYOUT.DATA_DIR), chart_csv(chart).encode("utf-8"))
        write_text(edition_dir / chart.svg_path, chart.web_svg)
        write_text(edition_dir / chart.narrow_path, chart.web_narrow_svg)
        png = cache.through("png", png_key(fonts, chart.web_svg), lambda c=chart: chart_png(c.web_svg, font_dir))
        write_bytes(edition_dir / chart.png_path, png)
    stamp = edition.modified(os.environ.get("SOURCE_DATE_EPOCH"))
    write_bytes(datos / zip_name(edition), deterministic_zip(bundle, stamp))
