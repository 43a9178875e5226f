"""Project charts: a project's public and private routes, and its amounts with their unit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import theme as T
from ..i18n import gettext, ngettext
from .altair_helpers import LABEL_LINE_HEIGHT, MAX_LABEL_LINES, ChartContext, band_step, wrapped_axis
from .base import ChartPlan, sentence_list

if TYPE_CHECKING:
    from ..directives import Directive
    from ..model import Data


def _project(data: Data, d: Directive):
    """The project the block names: `proyecto` is required, so the block's check made sure it is a known id."""
    return data.get("proyectos", d.param("proyecto") or "")


def chart_process(data: Data, d: Directive, ctx: ChartContext) -> ChartPlan:
    """The public and private routes of a project, stage by stage."""
    import altair as alt

    project = _project(data, d)
    stages = [s for s in data.etapas_proyecto if s.proyecto == project.id]
    # Each route's label by its code in the data (`via`); the colours stay keyed by the code.
    routes = {"pública": gettext("Vía pública"), "privada": gettext("Vía privada")}
    last = max([s.orden for s in stages] or [1])
    # A stage's name: at most MAX_LABEL_LINES lines, then «…» (the description and the table give it whole);
    # on a wide chart each line is as long as the room between two stages allows.
    wide_chars = max(MIN_STAGE_CHARS, min(20, int((ctx.layout.width - ROUTE_LABELS_PX) / last / STAGE_CHAR_PX)))
    values = [{"via": routes[s.via], "via_id": s.via, "orden": s.orden, "n": str(s.orden),
               "etapa": ctx.wrap(s.etapa, wide_chars, 18, MAX_LABEL_LINES)} for s in stages]
    color = alt.Color("via_id:N", legend=None,
                      scale=alt.Scale(domain=list(routes), range=list(T.ROUTE_COLORS.values())))
    if ctx.narrow:
        chart = _process_columns(alt, ctx, values, routes, color, last)
    else:
        chart = _process_rows(alt, ctx, values, routes, color, last)
    gap = ""
    if project.diferencia_min_meses is not None:
        gap = gettext("Diferencia estimada entre ambas vías: {minimo} a {maximo} meses en la primera etapa").format(
            minimo=project.diferencia_min_meses, maximo=project.diferencia_max_meses)
        title = ctx.wrap(gap, 200, 44).split("\n")
        chart = chart.properties(title=alt.Title(title, anchor="start", fontSize=T.CHART_FONT_SIZE, fontWeight=600, color=T.ACCENT))
    by_route = {r: [s for s in stages if s.via == r] for r in routes}
    # Translators: Spanish keeps one form for every number; give the singular and the plural.
    parts = [ngettext("{via} en {n} etapas ({etapas})", "{via} en {n} etapas ({etapas})", len(ss)).format(
        via=routes[r].lower(), n=len(ss), etapas=", ".join(f"{s.orden}. {s.etapa.lower()}" for s in ss))
             for r, ss in by_route.items() if ss]
    desc = gettext("Diagrama del proceso del proyecto {proyecto}: {vias}.").format(
        proyecto=project.id, vias="; ".join(parts))
    if gap:
        desc += f" {gap}."
    rows = tuple((routes[s.via], str(s.orden), s.etapa, s.nota or "") for s in stages)
    return ChartPlan(ctx.finish(chart, NARROW_STAGE_STEP * last if ctx.narrow else 250),
                     gettext("Proceso público y privado del proyecto {proyecto}").format(proyecto=project.id), desc,
                     (gettext("Vía"), gettext("N.º"), gettext("Etapa"), gettext("Nota")), rows)


STAGE_CHAR_PX = 6.1  # px a character of a stage's name takes on average (13 px Source Sans 3: 5.6–5.9)
ROUTE_LABELS_PX = 110  # px the route names («Vía privada») and the padding take left of the stages
MIN_STAGE_CHARS = 10  # a narrower name would break most words
NARROW_STAGE_STEP = 64  # px between two stages on a phone: MAX_LABEL_LINES lines and a gap


def _process_rows(alt, ctx: ChartContext, values, routes, color, last):
    """Wide process diagram: one row per route, stages left to right."""
    x_scale = alt.Scale(domain=[0.5, last + 0.5])
    base = alt.Chart(ctx.values(values)).encode(
        y=alt.Y("via:N", sort=list(routes.values()),
                axis=alt.Axis(title=None, labelFontWeight=600, domain=False, ticks=False)))
    line = base.mark_rule(strokeWidth=2, color=T.GRID).encode(
        x=alt.X("min(orden):Q", scale=x_scale, axis=None), x2=alt.X2("max(orden):Q"))
    x = alt.X("orden:Q", scale=x_scale, axis=None)
    dots = base.mark_circle(size=700, opacity=1).encode(x=x, color=color)
    numbers = base.mark_text(color="#ffffff", fontWeight=700, fontSize=T.CHART_FONT_SIZE_EMPHASIS).encode(x=x, text=alt.Text("n:N"))
    names = base.mark_text(dy=24, baseline="top", lineBreak="\n", lineHeight=LABEL_LINE_HEIGHT,
                           fontSize=T.CHART_FONT_SIZE).encode(x=x, text=alt.Text("etapa:N"))
    return line + dots + numbers + names


def _process_columns(alt, ctx: ChartContext, values, routes, color, last):
    """Narrow process diagram: one column per route, stages top to bottom, names beside the dots."""
    x = alt.X("via:N", sort=list(routes.values()), bandPosition=0, scale=alt.Scale(paddingInner=0, paddingOuter=0),
              axis=alt.Axis(title=None, orient="top", labelFontWeight=600, labelAlign="left", labelAngle=0,
                            labelPadding=8, domain=False, ticks=False, bandPosition=0))
    y_scale = alt.Scale(domain=[0.5, last + 0.5], reverse=True)
    base = alt.Chart(ctx.values(values)).encode(x=x)
    line = base.mark_rule(strokeWidth=2, color=T.GRID, xOffset=14).encode(
        y=alt.Y("min(orden):Q", scale=y_scale, axis=None), y2=alt.Y2("max(orden):Q"))
    y = alt.Y("orden:Q", scale=y_scale, axis=None)
    dots = base.mark_circle(size=560, opacity=1, xOffset=14).encode(y=y, color=color)
    numbers = base.mark_text(color="#ffffff", fontWeight=700, fontSize=T.CHART_FONT_SIZE, xOffset=14).encode(y=y, text=alt.Text("n:N"))
    names = base.mark_text(align="left", baseline="middle", lineBreak="\n", lineHeight=LABEL_LINE_HEIGHT,
                           fontSize=T.CHART_FONT_SIZE, xOffset=32).encode(
        y=y, text=alt.Text("etapa:N"))
    return line + dots + numbers + names


INSIDE_LABEL_SHARE = 0.6  # on a phone, a bar longer than this share of the largest one has its amount inside


def chart_amounts(data: Data, d: Directive, ctx: ChartContext) -> ChartPlan:
    """A project's amounts, with their unit in the axis, the labels and the description."""
    import altair as alt

    project = _project(data, d)
    amounts = [a for a in data.montos if a.proyecto == project.id]
    units = sorted({a.unidad for a in amounts})
    unit = units[0] if len(units) == 1 else None  # None: the project's amounts come in several units
    names = ctx.band_labels([a.concepto for a in amounts], 24, 12)
    values = [{"concepto": name, "monto": float(a.monto), "texto": T.fmt_amount(a.monto, a.unidad, on_chart=True)}
              for a, name in zip(amounts, names, strict=True)]
    top = max([float(a.monto) for a in amounts] or [1.0])
    base = alt.Chart(ctx.values(values)).encode(
        y=alt.Y("concepto:N", sort=None, axis=wrapped_axis(alt)),
        x=alt.X("monto:Q", scale=alt.Scale(domain=[0, top * 1.35]), axis=alt.Axis(
            title=_amount_title(unit), format=",.0f", tickCount=4)))
    bars = base.mark_bar(color=T.ACCENT, height={"band": 0.6})
    labels = base.mark_text(align="left", dx=6, fontWeight=600).encode(text=alt.Text("texto:N"))
    if ctx.narrow:  # a phone has no room right of the longest bars: their amount goes inside, in white
        inside = f"datum.monto > {top * INSIDE_LABEL_SHARE}"
        labels = alt.layer(
            labels.transform_filter(f"!({inside})"),
            base.mark_text(align="right", dx=-6, fontWeight=600, color="#ffffff").encode(
                text=alt.Text("texto:N")).transform_filter(inside))
    # Translators: one amount in the list of a project's amounts; {unidad} is its unit («miles de pesos»).
    parts = [gettext("{concepto} {monto} ({unidad})").format(
        concepto=a.concepto.lower(), monto=T.fmt_amount(a.monto, a.unidad), unidad=gettext(a.unidad)) for a in amounts]
    desc = gettext("Gráfico de barras con los montos del proyecto {proyecto}: {montos}.").format(
        proyecto=project.id, montos=sentence_list(parts))
    rows = tuple((a.concepto, T.fmt_amount(a.monto, a.unidad), gettext(a.unidad), a.nota or "") for a in amounts)
    step = band_step(names, 60)
    return ChartPlan(ctx.finish(alt.layer(bars, labels), step * len(values)),
                     gettext("Montos del proyecto {proyecto}").format(proyecto=project.id),
                     desc, (gettext("Concepto"), gettext("Monto"), gettext("Unidad"), gettext("Nota")), rows)


def _amount_title(unit: str | None) -> str:
    """The amount axis's title, with the unit of the project's amounts (`unit` None: several units)."""
    if unit is None:
        return gettext("Monto (varias unidades)")
    if unit == "miles de pesos":  # the labels read «M$…»: the title says what M$ is
        return gettext("Monto (miles de pesos, M$)")
    return gettext("Monto ({unidad})").format(unidad=gettext(unit))
