"""Count charts: how many agreements and initiatives the strategy has, by dimension and objective."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import theme as T
from ..i18n import gettext, ngettext
from .altair_helpers import LABEL_GAP, MAX_LABEL_LINES, ChartContext, band_step, wrapped_axis
from .base import ChartPlan, sentence_list

if TYPE_CHECKING:
    from ..directives import Directive
    from ..model import Data


COUNT_AXIS_PX = 56  # px the vertical count axis, its title and the padding take left of the columns


def chart_agreements_per_dimension(data: Data, d: Directive, ctx: ChartContext) -> ChartPlan:
    """Agreements declared by the strategy vs agreements named in the report, per dimension."""
    import altair as alt

    named = {dim.id: sum(1 for a in data.acuerdos if a.dimension == dim.id) for dim in data.dimensiones}
    series = [gettext("Declarados"), gettext("Nombrados en el informe")]  # the legend's labels and the table's headers
    count = alt.Axis(title=gettext("Número de acuerdos"), tickMinStep=1)
    # Columns while every dimension's name fits under its own (measured: «Institucional» does not on a phone,
    # nor a longer name anywhere); otherwise rows, the names left of the bars with all the room they need.
    column = (ctx.layout.width - COUNT_AXIS_PX) / max(len(data.dimensiones), 1)
    columns = all(ctx.text_px(dim.nombre) + LABEL_GAP <= column for dim in data.dimensiones)
    names = [dim.nombre for dim in data.dimensiones] if columns else ctx.band_labels(
        [dim.nombre for dim in data.dimensiones], 30, 16)
    values = [{"dimension": name, "serie": serie, "n": n} for dim, name in zip(data.dimensiones, names, strict=True)
              for serie, n in zip(series, (dim.acuerdos_declarados, named[dim.id]), strict=True)]
    if columns:
        base = alt.Chart(ctx.values(values)).encode(
            x=alt.X("dimension:N", sort=None, axis=alt.Axis(title=None, labelAngle=0)),
            y=alt.Y("n:Q", axis=count), xOffset=alt.XOffset("serie:N", sort=series))
        labels = base.mark_text(dy=-8, fontWeight=600).encode(text=alt.Text("n:Q"))
        height = 240
    else:
        base = alt.Chart(ctx.values(values)).encode(
            y=alt.Y("dimension:N", sort=None, axis=wrapped_axis(alt)),
            x=alt.X("n:Q", axis=count), yOffset=alt.YOffset("serie:N", sort=series))
        labels = base.mark_text(dx=4, align="left", fontWeight=600).encode(text=alt.Text("n:Q"))
        height = band_step(names, 56) * len(names)
    bars = base.mark_bar().encode(color=alt.Color("serie:N", sort=series, title=None,
                                                  scale=alt.Scale(domain=series, range=[T.PRIMARY, "#7fb2c9"])))
    total_declared = sum(dim.acuerdos_declarados for dim in data.dimensiones)
    total_named = sum(named.values())
    parts = [gettext("{dimension} {declarados} declarados y {nombrados} nombrados").format(
        dimension=dim.nombre, declarados=dim.acuerdos_declarados, nombrados=named[dim.id]) for dim in data.dimensiones]
    desc = (gettext("Gráfico de barras con los acuerdos transversales por dimensión: {declarados} declarados y "
                    "{nombrados} nombrados en el informe.").format(declarados=total_declared, nombrados=total_named)
            + " " + sentence_list(parts) + ".")
    rows = tuple((dim.nombre, str(dim.acuerdos_declarados), str(named[dim.id])) for dim in data.dimensiones)
    rows += ((gettext("Total"), str(total_declared), str(total_named)),)
    return ChartPlan(ctx.finish(alt.layer(bars, labels), height), gettext("Acuerdos transversales por dimensión"), desc,
                     (gettext("Dimensión"), *series), rows)


def chart_initiatives(data: Data, d: Directive, ctx: ChartContext) -> ChartPlan:
    """Initiatives per objective, stacked by horizon."""
    import altair as alt

    # Each horizon's label, by its code in the data (`plazo`): the legend's domain and the colours' order.
    horizons = {"corto": gettext("Corto plazo (2023-2030)"), "mediano": gettext("Mediano plazo (2023-2040)")}
    counts = {(o.id, h): sum(1 for i in data.iniciativas if i.objetivo == o.id and i.plazo == h)
              for o in data.objetivos for h in horizons}
    label = (lambda o: o.id) if ctx.narrow else (lambda o: ctx.wrap(f"{o.id} · {o.comision}", 30, 30, MAX_LABEL_LINES))
    names = [label(o) for o in data.objetivos]
    values = [{"objetivo": name, "plazo": horizons[h], "orden": k, "n": counts[(o.id, h)]}
              for o, name in zip(data.objetivos, names, strict=True) for k, h in enumerate(horizons)]
    base = alt.Chart(ctx.values(values)).encode(
        y=alt.Y("objetivo:N", sort=None, axis=wrapped_axis(alt)),
        x=alt.X("n:Q", stack="zero", axis=alt.Axis(title=gettext("Número de iniciativas"), tickMinStep=1)),
        order=alt.Order("orden:Q"))
    bars = base.mark_bar(height={"band": 0.7}).encode(color=alt.Color(
        "plazo:N", title=None, sort=list(horizons.values()),
        scale=alt.Scale(domain=list(horizons.values()), range=list(T.HORIZON_COLORS.values()))))
    labels = base.mark_text(dx=-8, align="right", fontWeight=600).transform_filter("datum.n > 0").encode(
        detail=alt.Detail("plazo:N"), text=alt.Text("n:Q"),
        color=alt.ColorValue(T.INK, condition={"test": "datum.orden == 0", "value": "#ffffff"}))
    total = len(data.iniciativas)
    parts = [gettext("{objetivo} {corto} de corto y {mediano} de mediano plazo").format(
        objetivo=o.id, corto=counts[(o.id, "corto")], mediano=counts[(o.id, "mediano")]) for o in data.objetivos]
    # Translators: Spanish keeps one form for every number; give the singular and the plural.
    desc = ngettext("Gráfico de barras apiladas con las {n} iniciativas por objetivo estratégico y plazo: {lista}.",
                    "Gráfico de barras apiladas con las {n} iniciativas por objetivo estratégico y plazo: {lista}.",
                    total).format(n=total, lista=sentence_list(parts))
    rows = tuple((o.id, o.comision, str(counts[(o.id, "corto")]), str(counts[(o.id, "mediano")]),
                  str(counts[(o.id, "corto")] + counts[(o.id, "mediano")])) for o in data.objetivos)
    step = band_step(names, 50)
    return ChartPlan(ctx.finish(alt.layer(bars, labels), step * len(data.objetivos)),
                     gettext("Iniciativas por objetivo estratégico y plazo"), desc,
                     (gettext("Objetivo"), gettext("Comisión"), gettext("Corto plazo"), gettext("Mediano plazo"),
                      gettext("Total")), rows)
