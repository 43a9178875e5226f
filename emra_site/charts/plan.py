"""Communications-plan charts: the April–March calendar and the monthly content targets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import theme as T
from .altair_helpers import ChartContext, band_step, wrapped_axis
from .base import ChartPlan, sentence_list

if TYPE_CHECKING:
    from ..directives import Directive
    from ..model import Data

# The plan's year runs April to March: its months in that order, as the axis shows them.
MONTH_ABBR = ("abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic", "ene", "feb", "mar")


def _plan_month(number: int) -> int:
    """Position of a month (1–12) in the plan's April–March year (abril = 0)."""
    return (number - 4) % 12


def chart_calendar(data: Data, d: Directive, ctx: ChartContext) -> ChartPlan:
    """The communications plan's April–March timeline."""
    import altair as alt

    kinds = {"canal": "Canal", "campaña": "Campaña", "hito": "Hito"}
    items = data.calendario_comunicacional
    dated = [i for i in items if i.mes_inicio is not None]
    names = ctx.band_labels([i.actividad for i in dated], 40, 16)
    values = [{"actividad": name, "tipo": kinds[i.tipo], "inicio": _plan_month(start),
               "fin": _plan_month(i.mes_fin or start) + 1,
               "fecha": T.UNDATED_LABEL if i.nota else T.DATED_LABEL}
              for i, name in zip(dated, names, strict=True) if (start := i.mes_inicio) is not None]
    # A phone has room for every other month's name, never for a letter that two months share.
    shown = range(0, 12, 2) if ctx.narrow else range(12)
    month_labels = "[" + ",".join(f"'{m if k in shown else ''}'" for k, m in enumerate(MONTH_ABBR)) + "][datum.value]"
    kind_scale = alt.Scale(domain=list(kinds.values()), range=list(T.CALENDAR_COLORS.values()))
    undated = any(v["fecha"] == T.UNDATED_LABEL for v in values)
    dates = [T.DATED_LABEL, T.UNDATED_LABEL]
    # Bars without a date in the source: a light tint inside a dashed outline in their colour.
    # Its symbols in grey: solid, and the same tint inside the dashed outline (evaluated per entry).
    symbol_fill = alt.ExprRef(f"datum.value === '{T.UNDATED_LABEL}' ? '{T.undated_tint(T.MUTED)}' : '{T.MUTED}'")
    date_legend = alt.Legend(title=None, symbolFillColor=symbol_fill, symbolStrokeColor=T.INK, symbolSize=256,
                             symbolStrokeWidth=T.UNDATED_STROKE_WIDTH) if undated else None
    chart = alt.Chart(ctx.values(values)).mark_bar(
        height={"band": 0.7}, cornerRadius=3, strokeWidth=T.UNDATED_STROKE_WIDTH).encode(
        y=alt.Y("actividad:N", sort=None, axis=wrapped_axis(alt)),
        x=alt.X("inicio:Q", scale=alt.Scale(domain=[0, 12], nice=False), axis=alt.Axis(
            title="Mes del plan (abril a marzo)", values=list(range(12)), labelExpr=month_labels,
            labelAlign="left", labelOffset=4, labelOverlap=False)),
        x2=alt.X2("fin:Q"),
        # The kinds' legend above the chart, the dates' below: side by side they overflow the drawing.
        fill=alt.Fill("tipo:N", title=None, sort=list(kinds.values()), scale=kind_scale,
                      legend=alt.Legend(orient="top") if undated else alt.Undefined),
        stroke=alt.Stroke("tipo:N", title=None, sort=list(kinds.values()), scale=kind_scale,
                          legend=alt.Legend(orient="top") if undated else alt.Undefined),
        fillOpacity=alt.FillOpacity("fecha:N", sort=dates, legend=date_legend,
                                    scale=alt.Scale(domain=dates, range=[1, T.UNDATED_FILL_OPACITY])),
        strokeDash=alt.StrokeDash("fecha:N", sort=dates, legend=date_legend,
                                  scale=alt.Scale(domain=dates, range=[[1, 0], list(T.UNDATED_DASH)])))

    def span(item):
        if item.mes_inicio is None:
            return f"{item.actividad} sin mes indicado"
        if item.mes_fin in (None, item.mes_inicio):
            return f"{item.actividad} en {T.month_name(item.mes_inicio)}"
        return f"{item.actividad} de {T.month_name(item.mes_inicio)} a {T.month_name(item.mes_fin)}"
    desc = ("Línea de tiempo del plan comunicacional, de abril a marzo: "
            + sentence_list([span(i) for i in items]) + ".")
    if undated:
        desc += (" Las barras claras con borde discontinuo, «fecha no informada» en la leyenda, marcan "
                 "actividades cuyas fechas la fuente no precisa.")
    rows = tuple((i.actividad, kinds[i.tipo], T.month_name(i.mes_inicio), T.month_name(i.mes_fin), i.nota or "")
                 for i in items)
    step = band_step(names, 34 if ctx.narrow else 30)  # rows grow with their labels
    return ChartPlan(ctx.finish(chart, step * len(values)),
                     "Calendario del plan comunicacional (abril a marzo)", desc,
                     ("Actividad", "Tipo", "Desde", "Hasta", "Nota"), rows)


def chart_content_targets(data: Data, d: Directive, ctx: ChartContext) -> ChartPlan:
    """Monthly content targets as ranges."""
    import altair as alt

    def label(t):
        return f"{t.minimo}–{t.maximo}" if t.minimo != t.maximo else str(t.minimo)
    names = ctx.band_labels([t.contenido for t in data.metas_contenido], 40, 14)
    values = [{"contenido": name, "minimo": t.minimo, "maximo": t.maximo, "texto": label(t)}
              for t, name in zip(data.metas_contenido, names, strict=True)]
    base = alt.Chart(ctx.values(values)).encode(y=alt.Y("contenido:N", sort=None, axis=wrapped_axis(alt)))
    x_axis = alt.Axis(title="Cantidad al mes (aproximada)", tickMinStep=1)
    rng = base.mark_bar(height=14, cornerRadius=7, color=T.PRIMARY).encode(
        x=alt.X("minimo:Q", axis=x_axis), x2=alt.X2("maximo:Q"))
    low = base.mark_point(filled=True, size=120, color=T.PRIMARY, opacity=1).encode(x=alt.X("minimo:Q"))
    high = base.mark_point(filled=True, size=120, color=T.PRIMARY, opacity=1).encode(x=alt.X("maximo:Q"))
    labels = base.mark_text(align="left", dx=12, fontWeight=600).encode(x=alt.X("maximo:Q"), text=alt.Text("texto:N"))
    parts = [f"{t.contenido.lower()} {label(t).replace('–', ' a ')}" for t in data.metas_contenido]
    desc = "Gráfico de rangos con las metas mensuales aproximadas de contenido: " + sentence_list(parts) + "."
    rows = tuple((t.contenido, str(t.minimo), str(t.maximo), t.frecuencia or "", t.nota or "")
                 for t in data.metas_contenido)
    step = band_step(names, 52)
    return ChartPlan(ctx.finish(alt.layer(rng, low, high, labels), step * len(values)),
                     "Metas mensuales de contenido", desc,
                     ("Contenido", "Mínimo al mes", "Máximo al mes", "Frecuencia", "Nota"), rows)
