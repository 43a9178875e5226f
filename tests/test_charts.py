"""Every chart kind renders a real SVG with marks, the expected labels and es-CL formats."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from conftest import REPO

from emra_site import theme
from emra_site.charts import BUILDERS, plan_chart, render_svg
from emra_site.directives import CHART_KINDS, Directive
from emra_site.errors import SourceLoc
from emra_site.schema import TABLES_BY_NAME

FONTS = REPO / "templates" / "fonts"
SVG = "{http://www.w3.org/2000/svg}"

# kind -> (parameters, labels that must be drawn, text the description must contain)
CASES = {
    "avance-dimensiones": ((), ["47%", "17%", "11%", "sin dato", "Ambiental", "Institucional"],
                           ["Ambiental 47%", "Institucional sin dato"]),
    "avance-acuerdos": ((("dimension", "social"),), ["25%", "31%", "sin dato", "SOC-05"],
                        ["SOC-01 25%", "SOC-05 sin dato", "asignaron según el orden"]),
    "acuerdos-por-dimension": ((), ["7", "6", "Declarados", "Nombrados en el informe"],
                               ["19 declarados y 18 nombrados"]),
    "iniciativas-por-objetivo": ((), ["OE1", "OE5", "Corto plazo (2023-2030)"], ["38 iniciativas", "OE3 4 de corto y 5 de mediano"]),
    "calendario-comunicacional": ((), ["abr", "mar", "Campaña 7", "Mes de la minería"],
                                  ["Sitio web de abril a mayo", "Mes de la minería en agosto"]),
    "metas-contenido": ((), ["40–48", "Reels o videos cortos"], ["40 a 48"]),
    "proceso-proyecto": ((("proyecto", "5.3"),), ["Vía pública", "Vía privada", "12 a 18 meses"],
                         ["vía pública en 5 etapas", "vía privada en 4 etapas"]),
    "montos-proyecto": ((("proyecto", "5.3"),), ["M$4.222.529", "M$176.306.356", "100.000.000", "miles de pesos"],
                        ["M$176.306.356 (miles de pesos)"]),
    "evolucion-dimensiones": ((), ["2025", "Ambiental", "Edición"], ["Ambiental: 2025 47%", "Institucional: 2025 sin dato"]),
    "evolucion-acuerdos": ((("dimension", "social"),), ["2025", "SOC-01"], ["SOC-01: 2025 25%", "SOC-05: 2025 sin dato"]),
}


def directive(kind, params=(), **texts):
    return Directive("grafico", kind, tuple(params), texts.get("titulo"), texts.get("descripcion"), None,
                     SourceLoc("prueba.md", 1))


def drawn_text(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_every_declared_kind_has_a_builder_and_a_test():
    assert set(CHART_KINDS) == set(BUILDERS) == set(CASES)


@pytest.mark.parametrize("kind", sorted(CASES))
def test_chart_renders_marks_labels_and_description(report_2025, kind):
    params, labels, described = CASES[kind]
    data = report_2025.edition(2025).data
    plan = plan_chart(data, directive(kind, params), history=((2025, data),))
    svg = render_svg(plan.spec, FONTS)
    root = ET.fromstring(svg)
    mark_groups = [g for g in root.iter(f"{SVG}g") if "role-mark" in (g.get("class") or "")]
    assert mark_groups, "no mark layer in the SVG"
    drawn = sum(1 for g in mark_groups for el in g.iter() if el.tag in (f"{SVG}path", f"{SVG}text"))
    assert drawn > 0, "the chart has mark layers but nothing drawn in them"
    text = " ".join(drawn_text(svg))
    for label in labels:
        assert label in text, f"{label!r} not drawn in {kind}"
    for words in described:
        assert words in plan.description
    assert plan.rows and all(len(r) == len(plan.columns) for r in plan.rows)


@pytest.mark.parametrize("kind", sorted(CASES))
def test_spec_is_valid_vega_lite_with_inline_data_only(report_2025, kind):
    import altair as alt

    data = report_2025.edition(2025).data
    plan = plan_chart(data, directive(kind, CASES[kind][0]), history=((2025, data),))
    alt.LayerChart.from_dict(plan.spec) if "layer" in plan.spec else alt.Chart.from_dict(plan.spec)
    dumped = json.dumps(plan.spec)
    assert '"url"' not in dumped, "charts must carry their data inline, never a URL"


def test_editor_title_and_description_override_generated_ones(report_2025):
    plan = plan_chart(report_2025.edition(2025).data,
                      directive("avance-dimensiones", titulo="Mi título", descripcion="Mi descripción"))
    assert (plan.title, plan.description) == ("Mi título", "Mi descripción")


def test_blank_value_is_never_drawn_as_zero(report_2025):
    plan = plan_chart(report_2025.edition(2025).data, directive("avance-dimensiones"))
    rows = next(iter(plan.spec["datasets"].values()))
    institutional = next(r for r in rows if r["grupo"] == "institucional")
    assert institutional["avance"] is None and institutional["texto"] == "sin dato"


def test_rendered_charts_embed_their_font_subset(shipped_build):
    svgs = sorted((shipped_build.site / "2025" / "graficos").glob("*.svg"))
    assert len(svgs) == 22  # the 11 charts of the shipped edition, each wide and for phones
    for path in svgs:
        svg = path.read_text(encoding="utf-8")
        assert re.search(r"@font-face\{font-family:'Source Sans 3';font-weight:400;src:url\(data:font/woff2;base64,", svg)
        assert "http://" not in svg.replace("http://www.w3.org", "")


# --- One list of chart kinds, one palette ------------------------------------------------------


def readme_chart_table() -> dict[str, tuple[str, dict[str, bool]]]:
    """The README's «Tipos de gráfico» table: tipo -> (muestra, {parameter: required})."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    after = text[text.index("Tipos de gráfico (`tipo`):"):]
    lines = [line for line in after.splitlines()[1:] if line.strip()]
    table = []
    for line in lines:
        if not line.startswith("|"):
            break
        table.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    assert table[0] == ["tipo", "muestra", "parámetros"] and set(table[1][0]) == {"-"}
    kinds = {}
    for tipo, shows, params in table[2:]:
        found = dict(re.findall(r"`([a-z_]+)` \((obligatorio|opcional)", params))
        assert found or params == "—", f"unreadable parameters for {tipo}: {params!r}"
        kinds[tipo.strip("`")] = (shows, {name: word == "obligatorio" for name, word in found.items()})
    return kinds


def test_readme_lists_exactly_the_registered_chart_kinds():
    registered = {name: (kind.shows, {p.name: p.required for p in kind.params}) for name, kind in CHART_KINDS.items()}
    assert readme_chart_table() == registered


def test_registered_kinds_name_existing_tables():
    for name, kind in CHART_KINDS.items():
        assert kind.name == name
        assert set(kind.tables) <= set(TABLES_BY_NAME), name
        assert kind.selects is None or kind.selects in kind.tables, name
        assert all(p.table in kind.tables for p in kind.params), name


def css_variables(path) -> dict[str, str]:
    """The custom properties declared in a stylesheet's first :root rule, lower-cased."""
    root = re.search(r":root\s*\{([^}]*)\}", path.read_text(encoding="utf-8")).group(1)
    return {name: value.strip().lower() for name, value in re.findall(r"--([\w-]+)\s*:\s*([^;]+);", root)}


@pytest.mark.parametrize("stylesheet", ["static/css/site.css", "print/print.css"])
def test_stylesheet_colours_are_the_theme_palette(stylesheet):
    """theme.py is the palette's one source: the charts use it, and the stylesheets repeat it."""
    palette = {"ink": theme.INK, "muted": theme.MUTED, "primary": theme.PRIMARY, "accent": theme.ACCENT,
               "primary-dark": theme.PRIMARY_DARK, **theme.DIMENSION_COLORS}
    declared = css_variables(REPO / "templates" / stylesheet)
    assert {"ink", "muted", "primary", "accent", "primary-dark"} <= set(declared)
    if stylesheet == "static/css/site.css":  # the site colours each dimension; the PDF does not
        assert set(theme.DIMENSION_COLORS) <= set(declared)
    assert {k: v for k, v in declared.items() if k in palette} == {
        k: v.lower() for k, v in palette.items() if k in declared}
