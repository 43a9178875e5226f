"""Communications-plan charts: the April–March calendar and the monthly content targets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import theme as T
from ..i18n import gettext, pgettext
from .altair_helpers import ChartContext, band_step, wrapped_axis
from .base import ChartPlan, sentence_list, vega_string

if TYPE_CHECKING:
    from ..directives import Directive
    from ..model import Data

# The plan's year runs April to March: its months in that order, as the axis shows them (in Spanish;
# `month_abbrs` gives them in the active language).
MONTH_ABBR = ("abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic", "ene", "feb", "mar")


def month_abbrs() -> tuple[str, ...]:
    """MONTH_ABBR in the active language: the axis's month names, April to March."""
    # Translators: a month's name as the communications calendar's axis abbreviates it (April to March).
    return (pgettext("mes abreviado", "abr"), pgettext("mes abreviado", "may"), pgettext("mes abreviado", "jun"),
            pgettext("mes abreviado", "jul"), pgettext("mes abreviado", "ago"), pgettext("mes abreviado", "sep"),
            pgettext("mes abreviado", "oct"), pgettext("mes abreviado", "nov"), pgettext("mes abreviado", "dic"),
            pgettext("mes abreviado", "ene"), pgettext("mes abreviado", "feb"), pgettext("mes abreviado", "mar"))


def _capitalised(text: str) -> str:
    """«Campaña» from «campaña»: a choice word of the catalog as a legend's label."""
    return text[:1].upper() + text[1:]


def _plan_month(number: int) -> int:
    """Position of a month (1–12) in the plan's April–March year (abril = 0)."""
    return (number - 4) % 12


def chart_calendar(data: Data, d: Directive, ctx: ChartContext) -> ChartPlan:
    """The communications plan's April–March timeline."""
    import altair as alt

    # Each kind's label by its code in the data (`tipo`, the keys of CALENDAR_COLORS, in its order): the
    # choice word of the catalog, capitalised.
    kinds = {"canal": _capitalised(gettext("canal")), "campaña": _capitalised(gettext("campaña")),
             "hito": _capitalised(gettext("hito"))}
    undated_label, dated_label = gettext(T.UNDATED_LABEL), gettext(T.DATED_LABEL)  # in the data and in the legend
    items = data.calendario_comunicacional
    dated = [i for i in items if i.mes_inicio is not None]
    names = ctx.band_labels([i.actividad for i in dated], 40, 16)
    values = [{"actividad": name, "tipo": kinds[i.tipo], "inicio": _plan_month(start),
               "fin": _plan_month(i.mes_fin or start) + 1,
               "fecha": undated_label if i.nota else dated_label}
              for i, name in zip(dated, names, strict=True) if (start := i.mes_inicio) is not None]
    # A phone has room for every other month's name, never for a letter that two months share.
    shown = range(0, 12, 2) if ctx.narrow else range(12)
    month_labels = ("[" + ",".join(vega_string(m if k in shown else "") for k, m in enumerate(month_abbrs()))
                    + "][datum.value]")
    kind_scale = alt.Scale(domain=list(kinds.values()), range=list(T.CALENDAR_COLORS.values()))
    undated = any(v["fecha"] == undated_label for v in values)
    dates = [dated_label, undated_label]
    # Bars without a date in the source: a light tint inside a dashed outline in their colour.
    # Its symbols in grey: solid, and the same tint inside the dashed outline (evaluated per entry).
    symbol_fill = alt.ExprRef(f"datum.value === {vega_string(undated_label)} ? '{T.undated_tint(T.MUTED)}' : '{T.MUTED}'")
    date_legend = alt.Legend(title=None, symbolFillColor=symbol_fill, symbolStrokeColor=T.INK, symbolSize=256,
                             symbolStrokeWidth=T.UNDATED_STROKE_WIDTH) if undated else None
    chart = alt.Chart(ctx.values(values)).mark_bar(
        height={"band": 0.7}, cornerRadius=3, strokeWidth=T.UNDATED_STROKE_WIDTH).encode(
        y=alt.Y("actividad:N", sort=None, axis=wrapped_axis(alt)),
        x=alt.X("inicio:Q", scale=alt.Scale(domain=[0, 12], nice=False), axis=alt.Axis(
            title=gettext("Mes del plan (abril a marzo)"), values=list(range(12)), labelExpr=month_labels,
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
            return gettext("{actividad} sin mes indicado").format(actividad=item.actividad)
        if item.mes_fin in (None, item.mes_inicio):
            return gettext("{actividad} en {mes}").format(actividad=item.actividad, mes=T.month_name(item.mes_inicio))
        return gettext("{actividad} de {inicio} a {fin}").format(
            actividad=item.actividad, inicio=T.month_name(item.mes_inicio), fin=T.month_name(item.mes_fin))
    desc = gettext("Línea de tiempo del plan comunicacional, de abril a marzo: {actividades}.").format(
        actividades=sentence_list([span(i) for i in items]))
    if undated:
        # Translators: {leyenda} is the legend's label of the undated bars («Fecha no informada»), in lower case.
        desc += " " + gettext("Las barras claras con borde discontinuo, «{leyenda}» en la leyenda, marcan "
                              "actividades cuyas fechas la fuente no precisa.").format(leyenda=undated_label.lower())
    rows = tuple((i.actividad, kinds[i.tipo], T.month_name(i.mes_inicio), T.month_name(i.mes_fin), i.nota or "")
                 for i in items)
    step = band_step(names, 34 if ctx.narrow else 30)  # rows grow with their labels
    return ChartPlan(ctx.finish(chart, step * len(values)),
                     gettext("Calendario del plan comunicacional (abril a marzo)"), desc,
                     (gettext("Actividad"), gettext("Tipo"), gettext("Desde"), gettext("Hasta"), gettext("Nota")), rows)


def chart_content_targets(data: Data, d: Directive, ctx: ChartContext) -> ChartPlan:
    """Monthly content targets as ranges."""
    import altair as alt

    def label(t):
        return f"{t.minimo}–{t.maximo}" if t.minimo != t.maximo else str(t.minimo)
    names = ctx.band_labels([t.contenido for t in data.metas_contenido], 40, 14)
    values = [{"contenido": name, "minimo": t.minimo, "maximo": t.maximo, "texto": label(t)}
              for t, name in zip(data.metas_contenido, names, strict=True)]
    base = alt.Chart(ctx.values(values)).encode(y=alt.Y("contenido:N", sort=None, axis=wrapped_axis(alt)))
    x_axis = alt.Axis(title=gettext("Cantidad al mes (aproximada)"), tickMinStep=1)
    rng = base.mark_bar(height=14, cornerRadius=7, color=T.PRIMARY).encode(
        x=alt.X("minimo:Q", axis=x_axis), x2=alt.X2("maximo:Q"))
    low = base.mark_point(filled=True, size=120, color=T.PRIMARY, opacity=1).encode(x=alt.X("minimo:Q"))
    high = base.mark_point(filled=True, size=120, color=T.PRIMARY, opacity=1).encode(x=alt.X("maximo:Q"))
    labels = base.mark_text(align="left", dx=12, fontWeight=600).encode(x=alt.X("maximo:Q"), text=alt.Text("texto:N"))
    def target(t):
        if t.minimo == t.maximo:
            return gettext("{contenido} {cantidad}").format(contenido=t.contenido.lower(), cantidad=t.minimo)
        return gettext("{contenido} {minimo} a {maximo}").format(contenido=t.contenido.lower(), minimo=t.minimo,
                                                                  maximo=t.maximo)
    desc = gettext("Gráfico de rangos con las metas mensuales aproximadas de contenido: {metas}.").format(
        metas=sentence_list([target(t) for t in data.metas_contenido]))
    rows = tuple((t.contenido, str(t.minimo), str(t.maximo), t.frecuencia or "", t.nota or "")
                 for t in data.metas_contenido)
    step = band_step(names, 52)
    return ChartPlan(ctx.finish(alt.layer(rng, low, high, labels), step * len(values)),
                     gettext("Metas mensuales de contenido"), desc,
                     (gettext("Contenido"), gettext("Mínimo al mes"), gettext("Máximo al mes"), gettext("Frecuencia"),
                      gettext("Nota")), rows)
