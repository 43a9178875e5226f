"""Every chart kind renders a real SVG with marks, the expected labels and es-CL formats."""

import itertools
import json
import re
import xml.etree.ElementTree as ET

import pytest
from chart_geometry import collisions
from conftest import REPO
from helpers import spec_nodes

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


_DRAWN: dict[str, str] = {}


def draw(spec: dict) -> str:
    """The spec's SVG, drawn once for the whole module (the same spec is checked by several tests)."""
    key = json.dumps(spec, sort_keys=True)
    if key not in _DRAWN:
        _DRAWN[key] = render_svg(spec, FONTS)
    return _DRAWN[key]


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
    svg = draw(plan.spec)
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


def test_downloadable_charts_embed_their_font_subset(shipped_build):
    svgs = sorted((shipped_build.site / "2025" / "graficos").glob("*.svg"))
    assert len(svgs) == 11  # the 11 charts of the shipped edition, framed for download (the pages draw theirs inline)
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


# --- Chart text and the calendar's undated bars (issue 14, items 3 and 4) -------------------------

# Where each drawing is shown: the width of the column its inline <svg> fills (site.css), from the theme's scale.
DISPLAYED = {"escritorio": theme.CHART_WIDTH_WIDE, "movil": theme.CHART_WIDTH_NARROW}


@pytest.fixture(scope="module")
def drawn_charts(shipped_report):
    """Every chart kind drawn for desktops and phones from the shipped edition: {(kind, variant): svg}."""
    data = shipped_report.edition(2025).data
    drawn = {}
    for kind, (params, _, _) in CASES.items():
        plan = plan_chart(data, directive(kind, params), history=((2025, data),))
        drawn[(kind, "escritorio")] = draw(plan.spec)
        drawn[(kind, "movil")] = draw(plan.narrow_spec)
    return drawn


@pytest.fixture(scope="module")
def drawn_in_english(shipped_report):
    """Every chart kind drawn for desktops and phones from the shipped English 2025 edition: {(kind, variant): svg}."""
    from emra_site.i18n import ENGLISH, use_language

    [translated] = [t for t in shipped_report.translations if t.edition.anio == 2025 and t.language == ENGLISH]
    data = translated.edition.data
    drawn = {}
    with use_language(ENGLISH):
        for kind, (params, _, _) in CASES.items():
            plan = plan_chart(data, directive(kind, params), history=((2025, data),))
            drawn[(kind, "escritorio")] = draw(plan.spec)
            drawn[(kind, "movil")] = draw(plan.narrow_spec)
    return drawn


@pytest.mark.parametrize("language", ["es", "en"])
def test_no_label_runs_into_another_or_over_a_dot_in_any_chart(drawn_charts, drawn_in_english, language):
    """QA: on a phone «Recommendation and» ran over the private route's dot (labels wrapped by counting
    characters, and English words are wider), and «Económica» touched «Institucional» under their columns.
    Every text of every drawing is measured in the shipped fonts where it is drawn (tests/chart_geometry.py)."""
    drawn = drawn_charts if language == "es" else drawn_in_english
    found = {key: problems for key, svg in drawn.items() if (problems := collisions(svg, FONTS))}
    assert len(drawn) == 2 * len(CASES) and found == {}


CHART_SVG = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg.*?</svg>', re.DOTALL)


def test_no_label_collides_in_any_chart_of_any_published_page(shipped_build, three_build):
    """The same net over what readers get: every chart drawing (desktop and phone) inlined in every page of
    both languages, of the shipped edition and of the three-edition fixture."""
    found, charts = {}, 0
    for site in (shipped_build.site, three_build.site):
        for page in sorted(site.rglob("*.html")):
            for n, svg in enumerate(CHART_SVG.findall(page.read_text(encoding="utf-8"))):
                charts += 1
                if problems := collisions(svg, FONTS):
                    found[f"{page.relative_to(site.parent)} #{n}"] = problems
    assert charts > 150 and found == {}


def test_a_drawing_is_the_same_bytes_whatever_was_drawn_before_it(drawn_charts):
    """Vega numbers clip paths with a counter of the process (the process chart clips its names): the
    incremental build drew `clip1` where a clean build drew `clip8`. Every drawing numbers its own from 1."""
    from emra_site.charts.drawing import number_clips

    data_clips = [svg for svg in drawn_charts.values() if "clip-path=" in svg]
    assert data_clips, "the process chart clips its stage names"
    for svg in data_clips:
        ids = re.findall(r'<clipPath id="(clip\d+)"', svg)
        assert ids == [f"clip{n}" for n in range(1, len(ids) + 1)]
    assert number_clips('<clipPath id="clip8"/><g clip-path="url(#clip8)"/><clipPath id="clip12"/>x clip8') == (
        '<clipPath id="clip1"/><g clip-path="url(#clip1)"/><clipPath id="clip2"/>x clip8')


def test_the_collision_check_finds_overlapping_labels_and_labels_over_dots():
    dot = '<path transform="translate(100,50)" d="M12,0A12,12,0,1,1,-12,0A12,12,0,1,1,12,0"/>'
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"><g transform="translate(8,8)">'
           f'{dot}<text text-anchor="middle" transform="translate(100,54)" font-size="13px">2</text>'
           '<text transform="translate(10,52)" font-size="13px">Recommendation and</text>'
           '<text transform="translate(20,60)" font-size="13px">Económica</text>'
           '<text transform="translate(200,90)" font-size="13px" opacity="0">oculto</text>'
           '<text transform="translate(170,90)" font-size="13px">visible</text></g></svg>')
    assert collisions(svg, FONTS) == ["«2» overlaps «Recommendation and»", "«Recommendation and» overlaps «Económica»",
                                      "«Recommendation and» runs over the dot at (108, 58)"]


def rendered_min_font_px(svg: str, displayed_width: float) -> float:
    """The smallest text of a drawing as a reader sees it: font size × displayed width / SVG width."""
    root = ET.fromstring(svg)
    sizes = [float(t.get("font-size").removesuffix("px")) for t in root.iter(f"{SVG}text") if t.get("font-size")]
    assert sizes, "no sized text in the drawing"
    return min(sizes) * displayed_width / float(root.get("width"))


def test_chart_column_widths_are_the_stylesheet_ones():
    """The theme's widths are the columns site.css gives a chart's inline SVG at 1280 and at 360 px."""
    css = (REPO / "templates" / "static" / "css" / "site.css").read_text(encoding="utf-8")
    max_rem = float(re.search(r"\.chart-svg \{[^}]*max-width: ([\d.]+)rem", css).group(1))
    assert max_rem * 16 == theme.CHART_WIDTH_WIDE
    wrap_pad = float(re.search(r"\.wrap \{[^}]*padding: 0 ([\d.]+)rem", css).group(1)) * 16
    border = float(re.search(r"\.chart \{[^}]*border: ([\d.]+)px solid", css).group(1))
    phone = re.search(r"\.chart \{ padding: ([\d.]+)rem; margin-left: -([\d.]+)rem; margin-right: -([\d.]+)rem; \}",
                      css).groups()
    pad, left, right = (float(x) * 16 for x in phone)
    assert 360 - 2 * wrap_pad + left + right - 2 * pad - 2 * border == theme.CHART_WIDTH_NARROW


@pytest.mark.parametrize("variant", sorted(DISPLAYED))
@pytest.mark.parametrize("kind", sorted(CASES))
def test_chart_text_renders_at_least_12_px(drawn_charts, kind, variant):
    svg = drawn_charts[(kind, variant)]
    assert ET.fromstring(svg).get("width") == str(DISPLAYED[variant]), "the drawing is not as wide as its column"
    assert rendered_min_font_px(svg, DISPLAYED[variant]) >= theme.CHART_TEXT_MIN


@pytest.mark.parametrize("variant", sorted(DISPLAYED))
@pytest.mark.parametrize("kind", sorted(CASES))
def test_inline_chart_keeps_every_mark_and_text_and_drops_fonts_and_english_labels(drawn_charts, kind, variant):
    """The page shows the drawing itself, lean: same texts and shapes, one Spanish name, the page's font."""
    from emra_site.inline_svg import inline_svg

    svg = drawn_charts[(kind, variant)]
    shown = inline_svg(svg, 'Avance «47 %» & <más>', "chart-svg", "figura-1-ancho")
    root, drawn = ET.fromstring(shown), ET.fromstring(svg)
    # Its identifiers are its own on the page (the desktop and phone drawings share one document).
    assert all(e.get("id").startswith("figura-1-ancho-") for e in root.iter() if e.get("id"))
    assert root.get("role") == "img" and root.get("aria-label") == 'Avance «47 %» & <más>'
    assert (root.get("width"), root.get("height")) == (drawn.get("width"), drawn.get("height"))
    assert root.get("viewBox") == f"0 0 {drawn.get('width')} {drawn.get('height')}"
    assert drawn_text(shown) == drawn_text(svg)
    for shape in ("rect", "line", "text", "g"):
        assert len(list(root.iter(SVG + shape))) == len(list(drawn.iter(SVG + shape))), shape
    visible_paths = [p for p in drawn.iter(SVG + "path") if p.get("d") not in ("", "M0,0h0v0h0Z")]
    def geometry(paths):  # coordinates to the hundredth of a pixel the page keeps
        return [[round(float(x), 2) for x in re.findall(r"-?\d+(?:\.\d+)?", p.get("d"))] for p in paths]

    assert geometry(root.iter(SVG + "path")) == geometry(visible_paths)
    labelled = [el for el in root.iter() if el.get("aria-label") or el.get("role")]
    assert labelled == [root], "vl-convert's English aria-labels stay out of a Spanish page"
    assert "font-family" not in shown and "@font-face" not in shown
    assert len(shown) < 0.8 * len(svg)


def test_phone_drawing_takes_over_where_the_wide_one_would_shrink_text_below_the_minimum():
    """site.css swaps drawings by the chart's own width: the wide one only where its text stays ≥ 12 px."""
    css = (REPO / "templates" / "static" / "css" / "site.css").read_text(encoding="utf-8")
    narrow_below = float(re.search(r"@container \(max-width: ([\d.]+)rem\) \{\s*\.chart-wide \{ display: none", css)
                         .group(1)) * 16
    wide_from = float(re.search(r"@container \(min-width: ([\d.]+)rem\) \{\s*\.chart-wide \{ display: block", css)
                      .group(1)) * 16
    smallest_wide = wide_from * theme.CHART_FONT_SIZE / theme.CHART_WIDTH_WIDE
    assert smallest_wide >= theme.CHART_TEXT_MIN and narrow_below < wide_from <= narrow_below + 1
    narrow_max = float(re.search(r"\.chart-narrow \{ display: none; max-width: ([\d.]+)rem", css).group(1)) * 16
    assert narrow_max >= theme.CHART_WIDTH_NARROW


def colour_attr(el, name: str) -> str | None:
    value = el.get(name)
    return value if value and re.fullmatch(r"#[0-9a-fA-F]{6}", value) else None


@pytest.mark.parametrize("variant", sorted(DISPLAYED))
def test_calendar_names_undated_bars_and_keeps_their_contrast(drawn_charts, variant):
    from emra_site.charts.plan import MONTH_ABBR

    svg = drawn_charts[("calendario-comunicacional", variant)]
    root = ET.fromstring(svg)
    text = drawn_text(svg)
    assert theme.UNDATED_LABEL in text and theme.DATED_LABEL in text, "the legend must say what the light bars are"
    background = theme.altair_config()["background"]
    bars = [p for g in root.iter(f"{SVG}g") if "role-mark" in (g.get("class") or "") and "mark-rect" in g.get("class")
            for p in g.iter(f"{SVG}path")]  # the calendar has one layer: all its rects are bars
    undated = [p for p in bars if p.get("stroke-dasharray") == ",".join(map(str, theme.UNDATED_DASH))]
    assert undated and len(undated) < len(bars)
    for bar in bars:
        stroke = colour_attr(bar, "stroke")
        assert stroke and float(bar.get("stroke-width")) >= 2
        assert float(bar.get("opacity", "1")) == 1  # no faded bar: the outline keeps its full colour
        assert theme.contrast_ratio(stroke, background) >= 3, f"{stroke} outline below 3:1 on white"
    symbols = [p for g in root.iter(f"{SVG}g") if "role-legend-symbol" in (g.get("class") or "")
               for p in g.iter(f"{SVG}path")]
    dashed = [s for s in symbols if s.get("stroke-dasharray") == ",".join(map(str, theme.UNDATED_DASH))]
    assert len(dashed) == 1 and theme.contrast_ratio(colour_attr(dashed[0], "stroke"), background) >= 3
    months = [t for t in text if t in MONTH_ABBR]
    assert len(months) == len(set(months)) >= 6, f"ambiguous or missing month labels: {months}"
    assert not [t for t in text if len(t) == 1 and t.isalpha()], "a month written as one letter"


def test_undated_tint_and_contrast_helpers():
    assert theme.undated_tint("#000000") == "#d1d1d1"
    assert round(theme.contrast_ratio("#000000", "#ffffff"), 2) == 21
    assert all(theme.contrast_ratio(c, "#ffffff") >= 3 for c in theme.CALENDAR_COLORS.values())


def test_download_fonts_are_the_site_woff2_when_it_covers_the_text_else_a_subset_of_the_ttf():
    """The framed downloads embed a font: the site's Latin WOFF2 as it is (no work), or, for a character
    beyond it («CO₂»), a subset of the full TTF that has it."""
    import base64
    import io

    from fontTools.ttLib import TTFont

    from emra_site.svgfonts import font_style, web_font

    fonts = REPO / "templates" / "fonts"

    def embedded(style: str) -> list[bytes]:
        return [base64.b64decode(d) for d in re.findall(r"base64,([A-Za-z0-9+/=]+)\)", style)]

    plain = embedded(font_style(fonts, theme.FONT_FAMILY, " Avance (%)áéñ«»", (400, 600)))
    assert plain == [web_font(fonts, 400).read_bytes(), web_font(fonts, 600).read_bytes()]
    [subset] = embedded(font_style(fonts, theme.FONT_FAMILY, " CO₂", (400,)))
    assert subset != web_font(fonts, 400).read_bytes()
    assert {ord(c) for c in " CO₂"} <= set(TTFont(io.BytesIO(subset)).getBestCmap())


def test_phone_progress_rows_keep_each_label_close_to_its_own_bar(shipped_report):
    """QA: on a phone, AMB-06's four-line label sat right under AMB-05's bar while shorter labels floated between
    bars. Every label now starts the same distance below the bar above and ends 4 px above its own bar."""
    data = shipped_report.edition(2025).data
    plan = plan_chart(data, directive("avance-acuerdos", (("dimension", "ambiental"),)), history=((2025, data),))

    found = list({r["etiqueta"]: r for r in spec_nodes(plan.narrow_spec) if "y_texto" in r}.values())
    assert len(found) == 6 and len({r["etiqueta"].count("\n") for r in found}) > 1  # labels of 2 to 4 lines
    line, half_bar = 16, 7
    below_bar = [b["y_texto"] - (a["y_barra"] + half_bar) for a, b in itertools.pairwise(found)]
    above_bar = [r["y_barra"] - half_bar - (r["y_texto"] + line * (r["etiqueta"].count("\n") + 1)) for r in found]
    assert len(set(below_bar)) == 1 and set(above_bar) == {4} and below_bar[0] >= 3 * 4
