"""One builder per chart kind: data → Vega-Lite spec, Spanish description and data table; then SVG."""

from __future__ import annotations

import functools
import hashlib
import json
import textwrap
from dataclasses import dataclass
from pathlib import Path

from . import theme as T
from .directives import Directive
from .errors import BuildError, SourceLoc, error
from .fonts import only_shipped_fonts
from .model import Data
from .svgfonts import embed_style

MONTH_ABBR = ("abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic", "ene", "feb", "mar")


@dataclass(frozen=True)
class Layout:
    """How wide a chart is drawn: the wide one serves desktops and the PDF, the narrow one phones."""

    width: int
    narrow: bool

    def wrap(self, text: str, wide_chars: int, narrow_chars: int) -> str:
        """Break a label into lines sized for this layout."""
        return wrap(text, narrow_chars if self.narrow else wide_chars)


WIDE = Layout(560, False)
NARROW = Layout(300, True)


@dataclass(frozen=True)
class ChartPlan:
    """What a chart shows: its spec, its text alternative and its data as a table."""

    spec: dict
    title: str
    description: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    narrow_spec: dict | None = None


@dataclass(frozen=True)
class RenderedChart:
    """A chart placed in an edition: its drawings, their file names (relative to the edition folder) and fonts."""

    key: str
    plan: ChartPlan
    svg_path: str
    svg: str  # bare, as vl-convert drew it: what the PDF lays out
    number: int
    narrow_path: str
    narrow_svg: str
    font_style: str = ""  # the <style> with the font subset the published files carry

    @property
    def web_svg(self) -> str:
        """The published SVG: an <img> cannot use the page's fonts, so it carries its own."""
        return embed_style(self.svg, self.font_style) if self.font_style else self.svg

    @property
    def web_narrow_svg(self) -> str:
        return embed_style(self.narrow_svg, self.font_style) if self.font_style else self.narrow_svg

    @property
    def width(self) -> int:
        return svg_size(self.svg)[0]

    @property
    def height(self) -> int:
        return svg_size(self.svg)[1]

    @property
    def png_path(self) -> str:
        return self.svg_path[:-4] + ".png"

    @property
    def narrow_size(self) -> tuple[int, int]:
        return svg_size(self.narrow_svg)


def wrap(text: str, width: int = 34) -> str:
    """Break a long label into lines for a Vega axis (split on \\n by labelExpr)."""
    return "\n".join(textwrap.wrap(text, width)) or text


def _sentence_list(items: list[str]) -> str:
    """«a, b y c»."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " y " + items[-1]


_datasets: dict[str, list[dict]] = {}  # rows of the charts being built, by dataset name


def _values(chart_rows: list[dict]):
    """A reference to the rows by name; _finish puts the rows themselves in the spec's `datasets`.

    Altair deep-copies and hashes inline rows at every layer and encoding; a name costs nothing.
    """
    import altair as alt

    name = "datos-" + hashlib.sha256(json.dumps(chart_rows, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]
    _datasets[name] = chart_rows
    return alt.NamedData(name=name)


def _data_names(node) -> set[str]:
    """Names of the datasets a spec refers to."""
    names = set()
    if isinstance(node, dict):
        data = node.get("data")
        if isinstance(data, dict) and "name" in data:
            names.add(data["name"])
        for value in node.values():
            names |= _data_names(value)
    elif isinstance(node, list):
        for value in node:
            names |= _data_names(value)
    return names


def _finish(chart, height: int, layout: Layout, narrow_width: int | None = None) -> dict:
    """The chart as a Vega-Lite dict with the shared theme; validated in the tests, not per build.

    `narrow_width` shrinks the plot on phones when axis labels take part of the width.
    """
    width = narrow_width if layout.narrow and narrow_width else layout.width
    spec = chart.properties(width=width, height=height).to_dict(validate=False)
    spec["datasets"] = {name: _datasets.pop(name) for name in sorted(_data_names(spec))}
    spec["config"] = T.altair_config()
    if layout.narrow:
        spec["config"]["legend"]["columns"] = 1  # stack legend entries: a phone has no room for a row
    return spec


def _wrapped_axis(alt, title: str | None = None):
    return alt.Axis(title=title, labelExpr="split(datum.label, '\\n')", labelLineHeight=15, labelPadding=8,
                    labelLimit=420)


def _percent_bars(values: list[dict], colors: dict, layout: Layout, min_step: int = 26) -> dict:
    """Horizontal 0–100 bars with a light track, value labels and «sin dato» where blank.

    Wide: labels on the left axis. Narrow: each label sits right above its bar, so phones get full width.
    """
    import altair as alt

    lines = max([v["etiqueta"].count("\n") + 1 for v in values] or [1])
    scale = alt.Scale(domain=[0, 100])
    x_axis = alt.Axis(title="Avance (%)", values=[0, 25, 50, 75, 100], labelExpr="datum.value + '%'", grid=False)
    color = alt.Color("grupo:N", legend=None, scale=alt.Scale(domain=list(colors), range=list(colors.values())))
    if layout.narrow:
        return _percent_bars_stacked_labels(values, color, scale, x_axis, lines, layout)
    step = max(min_step, 16 * lines + 18)
    y = alt.Y("etiqueta:N", sort=None, axis=_wrapped_axis(alt))
    base = alt.Chart(_values(values))
    track = base.mark_bar(color="#eef1f4", height={"band": 0.7}).encode(
        y=y, x=alt.X(datum=100, type="quantitative", scale=scale, axis=x_axis))
    bars = base.mark_bar(height={"band": 0.7}).transform_filter("isValid(datum.avance)").encode(
        y=y, x=alt.X("avance:Q", scale=scale), color=color)
    labels = base.mark_text(align="left", dx=6, fontWeight=600, color=T.INK).encode(
        y=y, x=alt.X("posicion:Q", scale=scale), text=alt.Text("texto:N"))
    return _finish(alt.layer(track, bars, labels), step * len(values), layout)


def _percent_bars_stacked_labels(values, color, scale, x_axis, lines: int, layout: Layout) -> dict:
    """Narrow variant: rows placed in pixels, each label's last line just above its bar."""
    import altair as alt

    line, bar = 16, 14
    step = line * lines + bar + 16
    rows = []
    for i, v in enumerate(values):
        own = v["etiqueta"].count("\n") + 1
        top = i * step + line * (lines - own)
        rows.append(dict(v, y_texto=top, y_barra=i * step + line * lines + 4 + bar / 2, inicio=0, fin=100))
    height = step * len(values)
    # A reversed domain makes the y value the pixel offset from the top.
    y_scale = alt.Scale(domain=[height, 0], nice=False, zero=False)
    base = alt.Chart(_values(rows))
    y_bar = alt.Y("y_barra:Q", scale=y_scale, axis=None)
    track = base.mark_rule(color="#eef1f4", strokeWidth=bar, strokeCap="butt").encode(
        y=y_bar, x=alt.X("inicio:Q", scale=scale, axis=x_axis), x2=alt.X2("fin:Q"))
    bars = base.mark_rule(strokeWidth=bar, strokeCap="butt").transform_filter("isValid(datum.avance)").encode(
        y=y_bar, x=alt.X("inicio:Q", scale=scale), x2=alt.X2("avance:Q"), color=color)
    values_text = base.mark_text(align="left", baseline="middle", dx=6, fontWeight=600, color=T.INK).encode(
        y=y_bar, x=alt.X("posicion:Q", scale=scale), text=alt.Text("texto:N"))
    names = base.mark_text(align="left", baseline="top", lineBreak="\n", lineHeight=line, color=T.INK).encode(
        y=alt.Y("y_texto:Q", scale=y_scale, axis=None), x=alt.X(datum=0, type="quantitative", scale=scale),
        text=alt.Text("etiqueta:N"))
    return _finish(alt.layer(track, bars, values_text, names), height, layout)


def chart_dimension_progress(data: Data, d: Directive, layout: Layout = WIDE) -> ChartPlan:
    """Reported progress of each dimension; the blank one is marked «sin dato»."""
    values = [
        {"etiqueta": dim.nombre, "grupo": dim.id,
         "avance": float(dim.avance_reportado) if dim.avance_reportado is not None else None,
         "posicion": float(dim.avance_reportado or 0), "texto": T.fmt_percent(dim.avance_reportado)}
        for dim in data.dimensiones
    ]
    colors = {dim.id: T.DIMENSION_COLORS.get(dim.id, T.PRIMARY) for dim in data.dimensiones}
    parts = [f"{dim.nombre} {T.fmt_percent(dim.avance_reportado)}" for dim in data.dimensiones]
    desc = "Gráfico de barras del avance reportado de cada dimensión de los acuerdos transversales: " + _sentence_list(parts) + "."
    rows = tuple((dim.nombre, T.fmt_percent(dim.avance_reportado)) for dim in data.dimensiones)
    return ChartPlan(_percent_bars(values, colors, layout, 44), "Avance de los acuerdos transversales por dimensión",
                     desc, ("Dimensión", "Avance reportado"), rows)


def chart_agreement_progress(data: Data, d: Directive, layout: Layout = WIDE) -> ChartPlan:
    """Progress of each agreement of one dimension, or of all."""
    dim_id = d.param("dimension")
    dims = {x.id: x for x in data.dimensiones}
    agreements = [a for a in data.acuerdos if dim_id is None or a.dimension == dim_id]
    values = [
        {"etiqueta": layout.wrap(f"{a.id} · {a.acuerdo}", 44, 42), "grupo": a.dimension,
         "avance": float(a.avance) if a.avance is not None else None,
         "posicion": float(a.avance or 0), "texto": T.fmt_percent(a.avance)}
        for a in agreements
    ]
    colors = {x.id: T.DIMENSION_COLORS.get(x.id, T.PRIMARY) for x in data.dimensiones}
    scope = f"de la dimensión {dims[dim_id].nombre.lower()}" if dim_id else "de todas las dimensiones"
    parts = [f"{a.id} {T.fmt_percent(a.avance)}" for a in agreements]
    desc = f"Gráfico de barras del avance de {len(agreements)} acuerdos {scope}: " + _sentence_list(parts) + "."
    if any(a.origen_avance == "asignado por orden en la fuente" for a in agreements):
        desc += " Los porcentajes se asignaron según el orden en que aparecen en la fuente."
    spec = _percent_bars(values, colors, layout)
    rows = tuple((a.id, a.acuerdo, T.fmt_percent(a.avance)) for a in agreements)
    return ChartPlan(spec, f"Avance de los acuerdos {scope}", desc, ("Id", "Acuerdo", "Avance"), rows)


def chart_agreements_per_dimension(data: Data, d: Directive, layout: Layout = WIDE) -> ChartPlan:
    """Agreements declared by the strategy vs agreements named in the report, per dimension."""
    import altair as alt

    named = {dim.id: sum(1 for a in data.acuerdos if a.dimension == dim.id) for dim in data.dimensiones}
    series = ["Declarados", "Nombrados en el informe"]
    values = []
    for dim in data.dimensiones:
        values.append({"dimension": dim.nombre, "serie": series[0], "n": dim.acuerdos_declarados})
        values.append({"dimension": dim.nombre, "serie": series[1], "n": named[dim.id]})
    base = alt.Chart(_values(values)).encode(
        x=alt.X("dimension:N", sort=None, axis=alt.Axis(title=None, labelAngle=0)),
        y=alt.Y("n:Q", axis=alt.Axis(title="Número de acuerdos", tickMinStep=1)),
        xOffset=alt.XOffset("serie:N", sort=series))
    bars = base.mark_bar().encode(color=alt.Color("serie:N", sort=series, title=None,
                                                  scale=alt.Scale(domain=series, range=[T.PRIMARY, "#7fb2c9"])))
    labels = base.mark_text(dy=-8, fontWeight=600).encode(text=alt.Text("n:Q"))
    total_declared = sum(dim.acuerdos_declarados for dim in data.dimensiones)
    total_named = sum(named.values())
    parts = [f"{dim.nombre} {dim.acuerdos_declarados} declarados y {named[dim.id]} nombrados" for dim in data.dimensiones]
    desc = (f"Gráfico de barras con los acuerdos transversales por dimensión: {total_declared} declarados y "
            f"{total_named} nombrados en el informe. " + _sentence_list(parts) + ".")
    rows = tuple((dim.nombre, str(dim.acuerdos_declarados), str(named[dim.id])) for dim in data.dimensiones)
    rows += (("Total", str(total_declared), str(total_named)),)
    return ChartPlan(_finish(alt.layer(bars, labels), 240, layout), "Acuerdos transversales por dimensión", desc,
                     ("Dimensión", "Declarados", "Nombrados en el informe"), rows)


def chart_initiatives(data: Data, d: Directive, layout: Layout = WIDE) -> ChartPlan:
    """Initiatives per objective, stacked by horizon."""
    import altair as alt

    horizons = {"corto": "Corto plazo (2023-2030)", "mediano": "Mediano plazo (2023-2040)"}
    counts = {(o.id, h): sum(1 for i in data.iniciativas if i.objetivo == o.id and i.plazo == h)
              for o in data.objetivos for h in horizons}
    label = (lambda o: o.id) if layout.narrow else (lambda o: wrap(f"{o.id} · {o.comision}", 30))
    values = [{"objetivo": label(o), "plazo": horizons[h], "orden": k, "n": counts[(o.id, h)]}
              for o in data.objetivos for k, h in enumerate(horizons)]
    base = alt.Chart(_values(values)).encode(
        y=alt.Y("objetivo:N", sort=None, axis=_wrapped_axis(alt)),
        x=alt.X("n:Q", stack="zero", axis=alt.Axis(title="Número de iniciativas", tickMinStep=1)),
        order=alt.Order("orden:Q"))
    bars = base.mark_bar(height={"band": 0.7}).encode(color=alt.Color(
        "plazo:N", title=None, sort=list(horizons.values()),
        scale=alt.Scale(domain=list(horizons.values()), range=list(T.HORIZON_COLORS.values()))))
    labels = base.mark_text(dx=-8, align="right", fontWeight=600).transform_filter("datum.n > 0").encode(
        detail=alt.Detail("plazo:N"), text=alt.Text("n:Q"),
        color=alt.ColorValue(T.INK, condition={"test": "datum.orden == 0", "value": "#ffffff"}))
    total = len(data.iniciativas)
    parts = [f"{o.id} {counts[(o.id, 'corto')]} de corto y {counts[(o.id, 'mediano')]} de mediano plazo" for o in data.objetivos]
    desc = f"Gráfico de barras apiladas con las {total} iniciativas por objetivo estratégico y plazo: " + _sentence_list(parts) + "."
    rows = tuple((o.id, o.comision, str(counts[(o.id, "corto")]), str(counts[(o.id, "mediano")]),
                  str(counts[(o.id, "corto")] + counts[(o.id, "mediano")])) for o in data.objetivos)
    return ChartPlan(_finish(alt.layer(bars, labels), 50 * len(data.objetivos), layout), "Iniciativas por objetivo estratégico y plazo",
                     desc, ("Objetivo", "Comisión", "Corto plazo", "Mediano plazo", "Total"), rows)


def _plan_month(number: int) -> int:
    """Position of a month in the plan's April–March year (abril = 0)."""
    return (number - 4) % 12


def chart_calendar(data: Data, d: Directive, layout: Layout = WIDE) -> ChartPlan:
    """The communications plan's April–March timeline."""
    import altair as alt

    kinds = {"canal": "Canal", "campaña": "Campaña", "hito": "Hito"}
    items = data.calendario_comunicacional
    values = [{"actividad": layout.wrap(i.actividad, 40, 16), "tipo": kinds[i.tipo], "inicio": _plan_month(i.mes_inicio),
               "fin": _plan_month(i.mes_fin or i.mes_inicio) + 1, "aproximado": bool(i.nota)}
              for i in items if i.mes_inicio is not None]
    months = [m[0].upper() for m in MONTH_ABBR] if layout.narrow else MONTH_ABBR
    month_labels = "[" + ",".join(f"'{m}'" for m in months) + "][datum.value]"
    chart = alt.Chart(_values(values)).mark_bar(height={"band": 0.7}, cornerRadius=3).encode(
        y=alt.Y("actividad:N", sort=None, axis=_wrapped_axis(alt)),
        x=alt.X("inicio:Q", scale=alt.Scale(domain=[0, 12], nice=False), axis=alt.Axis(
            title="Mes del plan (abril a marzo)", values=list(range(12)), labelExpr=month_labels,
            labelAlign="left", labelOffset=4)),
        x2=alt.X2("fin:Q"),
        color=alt.Color("tipo:N", title=None, sort=list(kinds.values()),
                        scale=alt.Scale(domain=list(kinds.values()), range=list(T.CALENDAR_COLORS.values()))),
        opacity=alt.OpacityValue(1, condition={"test": "datum.aproximado", "value": 0.45}))

    def span(item):
        if item.mes_inicio is None:
            return f"{item.actividad} sin mes indicado"
        if item.mes_fin in (None, item.mes_inicio):
            return f"{item.actividad} en {T.month_name(item.mes_inicio)}"
        return f"{item.actividad} de {T.month_name(item.mes_inicio)} a {T.month_name(item.mes_fin)}"
    desc = "Línea de tiempo del plan comunicacional, de abril a marzo: " + _sentence_list([span(i) for i in items]) + "."
    if any(i.nota for i in items):
        desc += " Las barras claras marcan actividades cuyas fechas la fuente no precisa."
    rows = tuple((i.actividad, kinds[i.tipo], T.month_name(i.mes_inicio), T.month_name(i.mes_fin), i.nota or "")
                 for i in items)
    return ChartPlan(_finish(chart, (34 if layout.narrow else 30) * len(values), layout, 190), "Calendario del plan comunicacional (abril a marzo)", desc,
                     ("Actividad", "Tipo", "Desde", "Hasta", "Nota"), rows)


def chart_content_targets(data: Data, d: Directive, layout: Layout = WIDE) -> ChartPlan:
    """Monthly content targets as ranges."""
    import altair as alt

    def label(t):
        return f"{t.minimo}–{t.maximo}" if t.minimo != t.maximo else str(t.minimo)
    values = [{"contenido": layout.wrap(t.contenido, 40, 14), "minimo": t.minimo, "maximo": t.maximo, "texto": label(t)}
              for t in data.metas_contenido]
    base = alt.Chart(_values(values)).encode(y=alt.Y("contenido:N", sort=None, axis=_wrapped_axis(alt)))
    x_axis = alt.Axis(title="Cantidad al mes (aproximada)", tickMinStep=1)
    rng = base.mark_bar(height=14, cornerRadius=7, color=T.PRIMARY).encode(
        x=alt.X("minimo:Q", axis=x_axis), x2=alt.X2("maximo:Q"))
    low = base.mark_point(filled=True, size=120, color=T.PRIMARY, opacity=1).encode(x=alt.X("minimo:Q"))
    high = base.mark_point(filled=True, size=120, color=T.PRIMARY, opacity=1).encode(x=alt.X("maximo:Q"))
    labels = base.mark_text(align="left", dx=12, fontWeight=600).encode(x=alt.X("maximo:Q"), text=alt.Text("texto:N"))
    parts = [f"{t.contenido.lower()} {label(t).replace('–', ' a ')}" for t in data.metas_contenido]
    desc = "Gráfico de rangos con las metas mensuales aproximadas de contenido: " + _sentence_list(parts) + "."
    rows = tuple((t.contenido, str(t.minimo), str(t.maximo), t.frecuencia or "", t.nota or "") for t in data.metas_contenido)
    return ChartPlan(_finish(alt.layer(rng, low, high, labels), 52 * len(values), layout, 170), "Metas mensuales de contenido", desc,
                     ("Contenido", "Mínimo al mes", "Máximo al mes", "Frecuencia", "Nota"), rows)


def chart_process(data: Data, d: Directive, layout: Layout = WIDE) -> ChartPlan:
    """The public and private routes of a project, stage by stage."""
    import altair as alt

    project = data.get("proyectos", d.param("proyecto"))
    stages = [s for s in data.etapas_proyecto if s.proyecto == project.id]
    routes = {"pública": "Vía pública", "privada": "Vía privada"}
    values = [{"via": routes[s.via], "via_id": s.via, "orden": s.orden, "n": str(s.orden),
               "etapa": layout.wrap(s.etapa, 16, 13)} for s in stages]
    last = max([s.orden for s in stages] or [1])
    color = alt.Color("via_id:N", legend=None,
                      scale=alt.Scale(domain=list(routes), range=list(T.ROUTE_COLORS.values())))
    if layout.narrow:
        chart = _process_columns(alt, values, routes, color, last)
    else:
        chart = _process_rows(alt, values, routes, color, last)
    gap = ""
    if project.diferencia_min_meses is not None:
        gap = (f"Diferencia estimada entre ambas vías: {project.diferencia_min_meses} a "
               f"{project.diferencia_max_meses} meses en la primera etapa")
        title = layout.wrap(gap, 200, 44).split("\n")
        chart = chart.properties(title=alt.Title(title, anchor="start", fontSize=13, fontWeight=600, color=T.ACCENT))
    by_route = {r: [s for s in stages if s.via == r] for r in routes}
    parts = [f"{routes[r].lower()} en {len(ss)} etapas ({', '.join(f'{s.orden}. {s.etapa.lower()}' for s in ss)})"
             for r, ss in by_route.items() if ss]
    desc = f"Diagrama del proceso del proyecto {project.id}: " + "; ".join(parts) + "."
    if gap:
        desc += f" {gap}."
    rows = tuple((routes[s.via], str(s.orden), s.etapa, s.nota or "") for s in stages)
    return ChartPlan(_finish(chart, 64 * last if layout.narrow else 250, layout), f"Proceso público y privado del proyecto {project.id}", desc,
                     ("Vía", "N.º", "Etapa", "Nota"), rows)


def _process_rows(alt, values, routes, color, last):
    """Wide process diagram: one row per route, stages left to right."""
    x_scale = alt.Scale(domain=[0.5, last + 0.5])
    base = alt.Chart(_values(values)).encode(
        y=alt.Y("via:N", sort=list(routes.values()),
                axis=alt.Axis(title=None, labelFontWeight=600, domain=False, ticks=False)))
    line = base.mark_rule(strokeWidth=2, color=T.GRID).encode(
        x=alt.X("min(orden):Q", scale=x_scale, axis=None), x2=alt.X2("max(orden):Q"))
    x = alt.X("orden:Q", scale=x_scale, axis=None)
    dots = base.mark_circle(size=700, opacity=1).encode(x=x, color=color)
    numbers = base.mark_text(color="#ffffff", fontWeight=700, fontSize=14).encode(x=x, text=alt.Text("n:N"))
    names = base.mark_text(dy=24, baseline="top", lineBreak="\n", fontSize=12).encode(x=x, text=alt.Text("etapa:N"))
    return line + dots + numbers + names


def _process_columns(alt, values, routes, color, last):
    """Narrow process diagram: one column per route, stages top to bottom, names beside the dots."""
    x = alt.X("via:N", sort=list(routes.values()), bandPosition=0, scale=alt.Scale(paddingInner=0, paddingOuter=0),
              axis=alt.Axis(title=None, orient="top", labelFontWeight=600, labelAlign="left", labelAngle=0,
                            labelPadding=8, domain=False, ticks=False, bandPosition=0))
    y_scale = alt.Scale(domain=[0.5, last + 0.5], reverse=True)
    base = alt.Chart(_values(values)).encode(x=x)
    line = base.mark_rule(strokeWidth=2, color=T.GRID, xOffset=14).encode(
        y=alt.Y("min(orden):Q", scale=y_scale, axis=None), y2=alt.Y2("max(orden):Q"))
    y = alt.Y("orden:Q", scale=y_scale, axis=None)
    dots = base.mark_circle(size=560, opacity=1, xOffset=14).encode(y=y, color=color)
    numbers = base.mark_text(color="#ffffff", fontWeight=700, fontSize=13, xOffset=14).encode(y=y, text=alt.Text("n:N"))
    names = base.mark_text(align="left", baseline="middle", lineBreak="\n", fontSize=12, xOffset=32).encode(
        y=y, text=alt.Text("etapa:N"))
    return line + dots + numbers + names


def chart_amounts(data: Data, d: Directive, layout: Layout = WIDE) -> ChartPlan:
    """A project's amounts, with their unit in the axis, the labels and the description."""
    import altair as alt

    project = data.get("proyectos", d.param("proyecto"))
    amounts = [a for a in data.montos if a.proyecto == project.id]
    units = sorted({a.unidad for a in amounts})
    unit = units[0] if len(units) == 1 else "varias unidades"
    values = [{"concepto": layout.wrap(a.concepto, 24, 12), "monto": float(a.monto), "texto": T.fmt_amount(a.monto, a.unidad)}
              for a in amounts]
    top = max([v["monto"] for v in values] or [1])
    base = alt.Chart(_values(values)).encode(
        y=alt.Y("concepto:N", sort=None, axis=_wrapped_axis(alt)),
        x=alt.X("monto:Q", scale=alt.Scale(domain=[0, top * 1.35]), axis=alt.Axis(
            title=f"Monto ({unit}{', M$' if unit == 'miles de pesos' else ''})", format=",.0f", tickCount=4)))
    bars = base.mark_bar(color=T.ACCENT, height={"band": 0.6})
    labels = base.mark_text(align="left", dx=6, fontWeight=600).encode(text=alt.Text("texto:N"))
    parts = [f"{a.concepto.lower()} {T.fmt_amount(a.monto, a.unidad)} ({a.unidad})" for a in amounts]
    desc = f"Gráfico de barras con los montos del proyecto {project.id}: " + _sentence_list(parts) + "."
    rows = tuple((a.concepto, T.fmt_amount(a.monto, a.unidad), a.unidad, a.nota or "") for a in amounts)
    return ChartPlan(_finish(alt.layer(bars, labels), 60 * len(values), layout, 210), f"Montos del proyecto {project.id}", desc,
                     ("Concepto", "Monto", "Unidad", "Nota"), rows)


def _evolution(values: list[dict], colors: dict, title_y: str, layout: Layout) -> dict:
    """Lines across editions; a blank value is left out, never drawn as 0."""
    import altair as alt

    base = alt.Chart(_values(values)).transform_filter("isValid(datum.avance)").encode(
        x=alt.X("edicion:O", title="Edición", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("avance:Q", title=title_y, scale=alt.Scale(domain=[0, 100]),
                axis=alt.Axis(values=[0, 25, 50, 75, 100], labelExpr="datum.value + '%'")),
        color=alt.Color("serie:N", title=None, sort=list(colors),
                        scale=alt.Scale(domain=list(colors), range=list(colors.values()))))
    lines = base.mark_line(strokeWidth=2.5) + base.mark_point(filled=True, size=70, opacity=1)
    return _finish(lines, 260, layout)


def chart_dimension_history(data: Data, d: Directive, layout: Layout = WIDE, history=()) -> ChartPlan:
    """Each dimension's reported progress in every edition so far."""
    history = history or ((0, data),)
    colors = {dim.nombre: T.DIMENSION_COLORS.get(dim.id, T.PRIMARY) for dim in data.dimensiones}
    values, rows = [], []
    for dim in data.dimensiones:
        series = []
        for year, past in history:
            match = next((x for x in past.dimensiones if x.id == dim.id), None)
            value = match.avance_reportado if match else None
            series.append((year, value))
            values.append({"edicion": str(year), "serie": dim.nombre,
                           "avance": float(value) if value is not None else None})
        rows.append((dim.nombre, *(T.fmt_percent(v) for _, v in series)))
    desc = ("Gráfico de líneas del avance reportado por dimensión en cada edición: "
            + "; ".join(f"{r[0]}: " + ", ".join(f"{y} {v}" for (y, _), v in zip(history, r[1:])) for r in rows) + ".")
    return ChartPlan(_evolution(values, colors, "Avance reportado (%)", layout),
                     "Avance reportado por dimensión en cada edición", desc,
                     ("Dimensión", *(str(y) for y, _ in history)), tuple(rows))


def chart_agreement_history(data: Data, d: Directive, layout: Layout = WIDE, history=()) -> ChartPlan:
    """Each agreement's progress in every edition so far (one dimension or all)."""
    history = history or ((0, data),)
    dim_id = d.param("dimension")
    agreements = [a for a in data.acuerdos if dim_id is None or a.dimension == dim_id]
    colors = {a.id: T.EXTRA_COLORS[i % len(T.EXTRA_COLORS)] for i, a in enumerate(agreements)}
    values, rows = [], []
    for a in agreements:
        series = []
        for year, past in history:
            match = next((x for x in past.acuerdos if x.id == a.id), None)
            value = match.avance if match else None
            series.append(value)
            values.append({"edicion": str(year), "serie": a.id, "avance": float(value) if value is not None else None})
        rows.append((a.id, a.acuerdo, *(T.fmt_percent(v) for v in series)))
    dims = {x.id: x.nombre.lower() for x in data.dimensiones}
    scope = f"de la dimensión {dims[dim_id]}" if dim_id else "de todas las dimensiones"
    desc = (f"Gráfico de líneas del avance de los acuerdos {scope} en cada edición: "
            + "; ".join(f"{r[0]}: " + ", ".join(f"{y} {v}" for (y, _), v in zip(history, r[2:])) for r in rows) + ".")
    return ChartPlan(_evolution(values, colors, "Avance (%)", layout), f"Avance de los acuerdos {scope} en cada edición",
                     desc, ("Id", "Acuerdo", *(str(y) for y, _ in history)), tuple(rows))


HISTORY_KINDS = {"evolucion-dimensiones", "evolucion-acuerdos"}

BUILDERS = {
    "avance-dimensiones": chart_dimension_progress,
    "avance-acuerdos": chart_agreement_progress,
    "acuerdos-por-dimension": chart_agreements_per_dimension,
    "iniciativas-por-objetivo": chart_initiatives,
    "calendario-comunicacional": chart_calendar,
    "metas-contenido": chart_content_targets,
    "proceso-proyecto": chart_process,
    "montos-proyecto": chart_amounts,
    "evolucion-dimensiones": chart_dimension_history,
    "evolucion-acuerdos": chart_agreement_history,
}


def plan_chart(data: Data, d: Directive, history=()) -> ChartPlan:
    """Build a chart's plan, letting the editor's title and description override the generated ones.

    `history` is ((year, Data), …) for every edition up to this one, for the charts across editions.
    """
    builder = BUILDERS[d.name]
    if d.name in HISTORY_KINDS:
        builder = functools.partial(builder, history=history)
    plan = builder(data, d, WIDE)
    narrow = builder(data, d, NARROW).spec
    return ChartPlan(plan.spec, d.titulo or plan.title, d.descripcion or plan.description, plan.columns, plan.rows, narrow)


_fonts_registered: dict[str, str] = {}
_drawn_here = False  # vl-convert has drawn in this process: a fork from now on would hang in it


def vl_convert_with_fonts(font_dir: Path):
    """vl-convert, about to draw, with the shipped fonts registered (every drawing must measure with them)."""
    global _drawn_here
    vlc = register_fonts(font_dir)
    _drawn_here = True
    return vlc


def register_fonts(font_dir: Path):
    """vl-convert with the shipped fonts registered; forking is still safe after this, not after a drawing.

    vl-convert keeps the fonts it loaded for the life of the process, so a font file changed
    under a running preview cannot be picked up: say so rather than draw with the old one.
    """
    import vl_convert as vlc

    from .cache import fingerprint_files

    fingerprint = fingerprint_files(font_dir.glob("*.ttf"))
    known = _fonts_registered.get(str(font_dir))
    if known is None:
        # The first call builds vl-convert's font database for the life of the process: it must
        # read the project's fontconfig file, so no system font can stand in for a glyph.
        with only_shipped_fonts(font_dir):
            vlc.register_font_directory(str(font_dir))
        _fonts_registered[str(font_dir)] = fingerprint
    elif known != fingerprint:
        raise BuildError([error(SourceLoc(str(font_dir)), (
            "las fuentes cambiaron mientras el publicador seguía abierto; vuelva a ejecutar el comando "
            "(por ejemplo, reinicie «serve») para dibujar los gráficos con ellas"))])
    return vlc


def render_svg(spec: dict, font_dir: Path) -> str:
    """Render a Vega-Lite spec to SVG with no network access and es-CL number formats."""
    vlc = vl_convert_with_fonts(font_dir)
    svg = vlc.vegalite_to_svg(
        json.loads(json.dumps(spec, sort_keys=True)),
        allowed_base_urls=[],
        format_locale=T.D3_FORMAT_LOCALE,
        time_format_locale=T.D3_TIME_LOCALE,
    )
    return svg


def svg_size(svg: str) -> tuple[int, int]:
    """Width and height declared on the root <svg>, to reserve the image's space in the page."""
    import re

    m = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', svg)
    return (round(float(m.group(1))), round(float(m.group(2)))) if m else (WIDE.width, 300)


@dataclass(frozen=True)
class ChartJob:
    """A chart block to draw: where it sits, its file key and the cache key of its drawings."""

    block: Directive
    key: str
    cache_key: str


_digests: dict[int, tuple[Data, str]] = {}


def data_digest(data: Data) -> str:
    """Hash of an edition's data, computed once per object (27 editions each see all earlier ones)."""
    known = _digests.get(id(data))
    if known is not None and known[0] is data:  # the object is kept, so its id cannot be reused
        return known[1]
    if len(_digests) > 512:
        _digests.clear()
    digest = hashlib.sha256(repr(data).encode("utf-8")).hexdigest()
    _digests[id(data)] = (data, digest)
    return digest


def chart_jobs(edition, font_dir: Path, history=()) -> list[ChartJob]:
    """Every chart block of an edition, in reading order."""
    from .cache import Cache, fingerprint_files

    fonts = fingerprint_files(font_dir.glob("*.ttf"))
    current, past = data_digest(edition.data), tuple((year, data_digest(data)) for year, data in history)
    jobs = []
    for section in edition.sections:
        n = 0
        for block in section.blocks:
            if isinstance(block, Directive) and block.kind == "grafico":
                n += 1
                # The block's place in the file (loc) is left out: moving a chart does not redraw it.
                identity = (block.kind, block.name, block.params, block.titulo, block.descripcion)
                cache_key = Cache.key("grafico", fonts, identity, current, past if block.name in HISTORY_KINDS else "")
                jobs.append(ChartJob(block, block.key or f"{section.slug}-{n}", cache_key))
    return jobs


def _draw_each(items, draw_one, kind: str, cache) -> list:
    """Draw each item missing from the cache; report every chart vl-convert refuses, all at once."""
    problems, out = [], []
    for job, item in items:
        result = cache.get(kind, job.cache_key)
        if result is None:
            try:
                result = draw_one(item)
            except ValueError:  # vl-convert reports every failure as ValueError, in English
                problems.append(error(job.block.loc, (
                    f"el gráfico «{job.block.name}» no se pudo dibujar con estos datos y parámetros; "
                    "revise el bloque y las tablas que usa, y si todo está bien avise al equipo técnico")))
                continue
            cache.put(kind, job.cache_key, result)
        out.append(result)
    if problems:
        raise BuildError(problems)
    return out


def draw_wide(edition, font_dir: Path, history=(), cache=None) -> list[tuple]:
    """Each chart of an edition as (job, plan, wide SVG): all the PDF needs, so it can start early.

    A chart whose block, data and code are unchanged comes from the cache, not planned or drawn
    again (and Altair and vl-convert are not even imported when nothing changed).
    """
    from .cache import Cache

    cache = cache or Cache(None)
    jobs = chart_jobs(edition, font_dir, history)

    def draw_one(job):
        plan = plan_chart(edition.data, job.block, history)
        return plan, drawing(plan.spec, font_dir, cache)

    missing = [j for j in jobs if cache.get("graficos", j.cache_key) is None]
    ahead = _draw_on_both_cores(missing, draw_one, font_dir)
    drawn = _draw_each([(j, j) for j in jobs], lambda j: ahead.get(j.cache_key) or draw_one(j), "graficos", cache)
    return [(job, plan, svg) for job, (plan, svg) in zip(jobs, drawn, strict=True)]


def drawing(spec: dict, font_dir: Path, cache) -> str:
    """The SVG of a spec, drawn only if this very spec (with these fonts) was never drawn before.

    Charts are cached by their data first (no Altair at all when nothing changed); when the
    data changed, a chart whose spec came out the same is still not drawn again.
    """
    from .cache import Cache, fingerprint_files

    key = Cache.key("svg", fingerprint_files(font_dir.glob("*.ttf")), json.dumps(spec, sort_keys=True))
    return cache.through("svg", key, lambda: render_svg(spec, font_dir))


def _draw_on_both_cores(missing: list[ChartJob], draw_one, font_dir: Path) -> dict:
    """Draw every other missing chart in a forked child while this process draws the rest.

    vl-convert holds the GIL, so threads do not help, and a process cannot be forked once
    vl-convert has drawn in it: this only happens for the first charts a process draws (a cold
    build). Altair is imported first, so the child shares it. Whatever the child fails to draw
    is left out and drawn here by the caller, where its error is reported.
    """
    from .forked import Forked

    if len(missing) < 4 or _drawn_here:
        return {}
    import altair  # noqa: F401 - loaded once, before the fork, for both processes

    register_fonts(font_dir)

    def draw_some(jobs):
        out = {}
        for job in jobs:
            try:
                out[job.cache_key] = draw_one(job)
            except ValueError:
                pass
        return out

    child = Forked(lambda: draw_some(missing[1::2]))
    drawn = draw_some(missing[0::2])
    drawn.update(child.result() or {})
    return drawn


def draw_narrow(wide: list[tuple], font_dir: Path, cache=None) -> list[tuple]:
    """Add each chart's phone drawing: (block, key, plan, wide SVG, narrow SVG)."""
    from .cache import Cache

    cache = cache or Cache(None)
    narrow = _draw_each([(job, plan) for job, plan, _ in wide], lambda plan: drawing(plan.narrow_spec, font_dir, cache),
                        "graficos-movil", cache)
    return [(job.block, job.key, plan, svg, small) for (job, plan, svg), small in zip(wide, narrow, strict=True)]


def finish_charts(drawn: list[tuple], font_dir: Path | None, cache=None) -> dict:
    """The placed charts, numbered, with the font subset their published SVGs carry.

    Without `font_dir` there is no subset: enough for the PDF, which lays the bare SVGs out with
    its own fonts (the same family; the PDF's bytes are the same either way).
    """
    from .cache import Cache, fingerprint_files
    from .svgfonts import font_style, used_glyphs

    style = ""
    if font_dir is not None:
        cache = cache or Cache(None)
        # One subset of the font for the whole edition, embedded in each SVG: an <img> cannot use
        # the page's web fonts, and system fallbacks would not match the widths vl-convert measured.
        glyphs = used_glyphs([svg for *_, svg, _ in drawn] + [small for *_, small in drawn])
        fonts = fingerprint_files(font_dir.glob("*.ttf"))
        style = cache.through("fuentes", Cache.key("estilo", fonts, glyphs),
                              lambda: font_style(font_dir, T.FONT_FAMILY, *glyphs))
    return {
        block: RenderedChart(key, plan, f"graficos/{key}.svg", svg, number, f"graficos/{key}-movil.svg", small, style)
        for number, (block, key, plan, svg, small) in enumerate(drawn, start=1)
    }
