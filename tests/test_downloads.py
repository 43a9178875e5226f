"""Downloads a reader can reuse: tidy, numeric chart and table data, a column dictionary and a licence."""

from __future__ import annotations

import csv
import io
import json
from types import SimpleNamespace

import pytest

from emra_site import downloads as D
from emra_site import schema as S
from emra_site.model import DEFAULT_LICENSE
from emra_site.validate import parse_license

CC_BY_URL = "https://creativecommons.org/licenses/by/4.0/deed.es"


def _chart(columns, rows, key="prueba"):
    return SimpleNamespace(key=key, number=1, plan=SimpleNamespace(columns=columns, rows=rows, title="Prueba"))


def _read_csv(text: str) -> list[dict]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def test_chart_data_is_read_back_as_numbers_with_a_status_column_and_no_total_row():
    chart = _chart(("Dimensión", "Avance reportado"),
                   (("Ambiental", "47,5%"), ("Institucional", "sin dato"), ("Total", "30%")))
    rows = json.loads(D.chart_json(chart, S.TABLES))
    assert rows == [
        {"nombre": "Ambiental", "avance_reportado": 47.5, "estado_avance_reportado": None},
        {"nombre": "Institucional", "avance_reportado": None, "estado_avance_reportado": "sin dato"},
    ]
    assert _read_csv(D.chart_csv(chart, S.TABLES)) == [
        {"nombre": "Ambiental", "avance_reportado": "47,5", "estado_avance_reportado": ""},
        {"nombre": "Institucional", "avance_reportado": "", "estado_avance_reportado": "sin dato"},
    ]


def test_amounts_and_computed_counts_lose_their_display_text():
    amounts = _chart(("Concepto", "Monto", "Unidad"), (("Diseño", "M$4.222.529", "miles de pesos"),))
    assert json.loads(D.chart_json(amounts, S.TABLES)) == [
        {"concepto": "Diseño", "monto": 4222529, "unidad": "miles de pesos"}]
    counts = _chart(("Objetivo", "Corto plazo", "Total"), (("OE1", "4", "8"), ("OE2", "3", "6")))
    columns, _ = D.chart_table(counts, S.TABLES)
    assert [(c.name, c.type, c.unit) for c in columns] == [
        ("objetivo", S.TEXTO, None), ("corto_plazo", S.ENTERO, "iniciativas"), ("total", S.ENTERO, "iniciativas")]
    assert json.loads(D.chart_json(counts, S.TABLES))[0] == {"objetivo": "OE1", "corto_plazo": 4, "total": 8}


def test_a_chart_across_editions_has_one_row_per_edition():
    chart = _chart(("Id", "Acuerdo", "2024", "2025"), (("AMB-01", "Agua", "40%", "sin dato"),))
    assert json.loads(D.chart_json(chart, S.TABLES)) == [
        {"id": "AMB-01", "acuerdo": "Agua", "edicion": 2024, "avance": 40, "estado_avance": None},
        {"id": "AMB-01", "acuerdo": "Agua", "edicion": 2025, "avance": None, "estado_avance": "sin dato"},
    ]


def test_table_downloads_say_sin_dato_in_a_status_column():
    table = S.TABLES_BY_NAME["acuerdos"]
    rows = ({"id": "A", "dimension": "d", "acuerdo": "x", "avance": None, "origen_avance": None, "avance_anterior": None},)
    (row,) = _read_csv(D.table_csv(table, rows))
    assert row["avance"] == "" and row["estado_avance"] == "sin dato"
    assert json.loads(D.table_json(table, rows))[0]["estado_avance"] == "sin dato"


@pytest.mark.parametrize(("text", "name", "url"), [
    ("CC BY 4.0", "CC BY 4.0", CC_BY_URL),
    ("cc-by-sa  4.0", "CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/deed.es"),
    ("Licencia Abierta de Chile, https://example.org/licencia", "Licencia Abierta de Chile", "https://example.org/licencia"),
])
def test_licencia_is_a_known_licence_or_a_name_and_address(text, name, url):
    lic, problem = parse_license(text)
    assert not problem and (lic.name, lic.url) == (name, url)


def test_a_licencia_without_address_is_refused_in_spanish():
    lic, problem = parse_license("todos los derechos")
    assert lic is None and "«licencia»" in problem and "CC BY 4.0" in problem
    assert DEFAULT_LICENSE.url == CC_BY_URL


def test_shipped_downloads_are_numeric_and_described(shipped_build):
    datos = shipped_build.site / "2025" / "datos"
    package = json.loads((datos / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"] == [{"name": "CC-BY-4.0", "path": CC_BY_URL,
                                    "title": "Creative Commons Atribución 4.0 Internacional"}]
    charts = [r for r in package["resources"] if r["name"].startswith("grafico-")]
    assert len(charts) == len(list((datos / "graficos").glob("*.csv"))) > 0
    for resource in package["resources"]:
        fields = resource["schema"]["fields"]
        assert all({"name", "type", "description", "unit"} <= set(f) and f["description"] for f in fields)
        rows = _read_csv((datos / resource["path"]).read_text(encoding="utf-8"))
        assert [f["name"] for f in fields] == list(rows[0])
        records = json.loads((datos / resource["path"]).with_suffix(".json").read_text(encoding="utf-8"))
        for f in fields:
            values = [r[f["name"]] for r in records]
            if f["type"] in ("integer", "number"):
                assert all(v is None or isinstance(v, int | float) for v in values), (resource["name"], f["name"])
        assert not any(str(r.get(fields[0]["name"], "")).lower() == "total" for r in records)
        text = (datos / resource["path"]).read_text(encoding="utf-8")
        assert "%" not in "".join(r[f["name"]] for r in rows for f in fields if f["type"] == "number")
        assert "M$" not in "".join(r[f["name"]] for r in rows for f in fields if f["type"] == "number"), text[:80]
    dims = json.loads((datos / "graficos" / "avance-dimensiones.json").read_text(encoding="utf-8"))
    assert {"nombre": "Institucional", "avance_reportado": None, "estado_avance_reportado": "sin dato"} in dims


def test_licence_is_shown_in_the_footer_and_on_the_datos_page(shipped_build):
    for page in ("index.html", "2025/resumen.html", "2025/datos/index.html"):
        html = (shipped_build.site / page).read_text(encoding="utf-8")
        assert f'<a href="{CC_BY_URL}" rel="license">CC BY 4.0</a>' in html, page
    datos = (shipped_build.site / "2025" / "datos" / "index.html").read_text(encoding="utf-8")
    assert 'id="licencia"' in datos and "graficos/avance-dimensiones.json" in datos


def test_a_licencia_with_an_http_address_says_to_write_https():
    lic, problem = parse_license("Licencia Abierta X, http://example.org/licencia")
    assert lic is None and "http://" in problem and "https://" in problem


def test_a_blank_licencia_is_the_default_licence():
    from types import SimpleNamespace

    from emra_site.validate import check_edition_meta

    data = {"titulo": "T", "subtitulo": "S", "anio": "2025", "fecha_publicacion": "2025-06-30", "idioma": "es-CL",
            "organismo": "O", "descripcion": "D", "secciones": ["resumen"], "licencia": "  ",
            "hashtags": ["EMRA2050"], "contacto_prensa": "Prensa"}
    meta, diags = check_edition_meta(SimpleNamespace(data=data, lines={}, path="content/2025/edition.yml"), "2025")
    assert diags == [] and "licencia" not in meta  # the model then takes DEFAULT_LICENSE
