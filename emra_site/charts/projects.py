"""Project charts: a project's public and private routes, and its amounts with their unit."""

from __future__ import annotations

import math
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
    # A stage's name: at most MAX_LABEL_LINES lines, then «…» (the description and the table give it whole),
    # each line measured to fit the room its layout leaves it (`stage_name_px`).
    room = stage_name_px(ctx, list(routes.values()), last)
    values = [{"via": routes[s.via], "via_id": s.via, "orden": s.orden, "n": str(s.orden),
               "etapa": ctx.wrap_px(s.etapa, room, MAX_LABEL_LINES)} for s in stages]
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
    height = NARROW_STAGE_STEP * last if ctx.narrow else math.ceil(
        ROW_STEP * (len(routes) - 0.5) + NAME_DY + LABEL_LINE_HEIGHT * MAX_LABEL_LINES + NAME_DESCENT)
    return ChartPlan(ctx.finish(chart, height),
                     gettext("Proceso público y privado del proyecto {proyecto}").format(proyecto=project.id), desc,
                     (gettext("Vía"), gettext("N.º"), gettext("Etapa"), gettext("Nota")), rows)


NARROW_STAGE_STEP = 64  # px between two stages on a phone: MAX_LABEL_LINES lines and a gap
STAGE_GAP = 12  # px at least between two stage names side by side, or a name and the next route's dot
MAX_STAGE_PX = 124  # px: a wide chart with few stages still breaks a long name into a compact block
ROW_STEP = 125  # px from one route's row to the next on a wide chart
NAME_DY = 24  # px from a dot's centre down to the top of its stage's name, on a wide chart
NAME_DESCENT = 4  # px a name's last line reaches below its line box (descenders)
ROUTE_GAP = 16  # px between a route's name and the room of its first stage, on a wide chart
NARROW_DOT_X = 14  # px from a phone column's left edge to its dots' centre
NARROW_NAME_X = 32  # px from a phone column's left edge to where its stage names start
NARROW_DOT_AREA = 560  # px² of a dot on a phone (Vega-Lite's circle `size` is its area)


def _stage_step(ctx: ChartContext, routes: list[str], last: int) -> tuple[float, float]:
    """Wide chart: (px the route names take at the left of the plot, px from one stage to the next).

    The plot is the drawing less its padding: every mark stays inside it (the names are clipped to it),
    so Vega's own estimate of text widths, which is not the fonts', never moves the plot.
    """
    names = max(ctx.text_px(r, 600) for r in routes) + ROUTE_GAP
    return names, (ctx.layout.width - 2 * T.CHART_PADDING - names) / last


def stage_name_px(ctx: ChartContext, routes: list[str], last: int) -> float:
    """The width (px) a stage's name may take without reaching a neighbour, from the chart's geometry.

    Wide: the stages of a route sit one step apart (`_stage_step`) and a name is centred on its dot, so it
    gets one step less a gap. Phone: one column per route; a name starts right of its dot and must end a gap
    before the next column's dot. Measured in the chart's fonts, so English names wrap as safely as Spanish.
    """
    if ctx.narrow:
        column = (ctx.layout.width - 2 * T.CHART_PADDING) / max(len(routes), 1)
        return column - NARROW_NAME_X + NARROW_DOT_X - math.sqrt(NARROW_DOT_AREA / math.pi) - STAGE_GAP
    return min(MAX_STAGE_PX, _stage_step(ctx, routes, last)[1] - STAGE_GAP)


def _process_rows(alt, ctx: ChartContext, values, routes, color, last):
    """Wide process diagram: one row per route, its name at the left, stages left to right."""
    names_px, step = _stage_step(ctx, list(routes.values()), last)
    start = 0.5 - names_px / step  # the plot's left edge, in stages: the route names sit there
    x_scale = alt.Scale(domain=[start, last + 0.5], nice=False, zero=False)
    # Each row a band of ROW_STEP from the top; the plot runs on below the last one for its stages' names.
    y = alt.Y("via:N", sort=list(routes.values()), axis=None,
              scale=alt.Scale(range=[0, ROW_STEP * len(routes)], paddingInner=0, paddingOuter=0))
    base = alt.Chart(ctx.values(values)).encode(y=y)
    line = base.mark_rule(strokeWidth=2, color=T.GRID).encode(
        x=alt.X("min(orden):Q", scale=x_scale, axis=None), x2=alt.X2("max(orden):Q"))
    x = alt.X("orden:Q", scale=x_scale, axis=None)
    dots = base.mark_circle(size=700, opacity=1).encode(x=x, color=color)
    numbers = base.mark_text(color="#ffffff", fontWeight=700, fontSize=T.CHART_FONT_SIZE_EMPHASIS).encode(x=x, text=alt.Text("n:N"))
    names = base.mark_text(dy=NAME_DY, baseline="top", lineBreak="\n", lineHeight=LABEL_LINE_HEIGHT, clip=True,
                           fontSize=T.CHART_FONT_SIZE).encode(x=x, text=alt.Text("etapa:N"))
    route_names = alt.Chart(ctx.values([{"via": r} for r in routes.values()])).mark_text(
        align="left", baseline="middle", fontWeight=600, clip=True).encode(
        y=y, x=alt.X(datum=start, type="quantitative", scale=x_scale), text=alt.Text("via:N"))
    return line + dots + numbers + names + route_names


def _process_columns(alt, ctx: ChartContext, values, routes, color, last):
    """Narrow process diagram: one column per route, stages top to bottom, names beside the dots."""
    x = alt.X("via:N", sort=list(routes.values()), bandPosition=0, scale=alt.Scale(paddingInner=0, paddingOuter=0),
              axis=alt.Axis(title=None, orient="top", labelFontWeight=600, labelAlign="left", labelAngle=0,
                            labelPadding=8, domain=False, ticks=False, bandPosition=0))
    y_scale = alt.Scale(domain=[0.5, last + 0.5], reverse=True)
    base = alt.Chart(ctx.values(values)).encode(x=x)
    line = base.mark_rule(strokeWidth=2, color=T.GRID, xOffset=NARROW_DOT_X).encode(
        y=alt.Y("min(orden):Q", scale=y_scale, axis=None), y2=alt.Y2("max(orden):Q"))
    y = alt.Y("orden:Q", scale=y_scale, axis=None)
    dots = base.mark_circle(size=NARROW_DOT_AREA, opacity=1, xOffset=NARROW_DOT_X).encode(y=y, color=color)
    numbers = base.mark_text(color="#ffffff", fontWeight=700, fontSize=T.CHART_FONT_SIZE, xOffset=NARROW_DOT_X).encode(
        y=y, text=alt.Text("n:N"))
    # Clipped to the plot, which they fit (`stage_name_px`): Vega's estimate of their width would shrink it.
    names = base.mark_text(align="left", baseline="middle", lineBreak="\n", lineHeight=LABEL_LINE_HEIGHT, clip=True,
                           fontSize=T.CHART_FONT_SIZE, xOffset=NARROW_NAME_X).encode(
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
