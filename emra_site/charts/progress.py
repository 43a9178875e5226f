"""Progress charts: 0–100 % bars for this edition, and lines across editions (the histories)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import theme as T
from ..i18n import gettext, ngettext
from .altair_helpers import ChartContext, wrapped_axis
from .base import ChartPlan, sentence_list

if TYPE_CHECKING:
    from ..directives import Directive
    from ..model import Data

TRACK = "#eef1f4"  # the light 0–100 track behind each bar


def _percent_bars(ctx: ChartContext, values: list[dict], colors: dict, min_step: int = 26) -> dict:
    """Horizontal 0–100 bars with a light track, value labels and «sin dato» where blank.

    Each of `values` has `etiqueta` (may hold \\n), `grupo` (a key of `colors`), `avance`
    (None when blank), `posicion` (where the label sits) and `texto`. Wide: labels on the left
    axis. Narrow: each label sits right above its bar, so phones get full width.
    """
    import altair as alt

    lines = max([v["etiqueta"].count("\n") + 1 for v in values] or [1])
    scale = alt.Scale(domain=[0, 100])
    x_axis = alt.Axis(title=gettext("Avance (%)"), values=[0, 25, 50, 75, 100], labelExpr="datum.value + '%'", grid=False)
    color = alt.Color("grupo:N", legend=None, scale=alt.Scale(domain=list(colors), range=list(colors.values())))
    if ctx.narrow:
        return _percent_bars_stacked_labels(ctx, values, color, scale, x_axis)
    step = max(min_step, 16 * lines + 18)
    y = alt.Y("etiqueta:N", sort=None, axis=wrapped_axis(alt))
    base = alt.Chart(ctx.values(values))
    track = base.mark_bar(color=TRACK, height={"band": 0.7}).encode(
        y=y, x=alt.X(datum=100, type="quantitative", scale=scale, axis=x_axis))
    bars = base.mark_bar(height={"band": 0.7}).transform_filter("isValid(datum.avance)").encode(
        y=y, x=alt.X("avance:Q", scale=scale), color=color)
    labels = base.mark_text(align="left", dx=6, fontWeight=600, color=T.INK).encode(
        y=y, x=alt.X("posicion:Q", scale=scale), text=alt.Text("texto:N"))
    return ctx.finish(alt.layer(track, bars, labels), step * len(values))


def _percent_bars_stacked_labels(ctx: ChartContext, values, color, scale, x_axis) -> dict:
    """Narrow variant: rows placed in pixels, each label's last line just above its bar.

    Each row is as tall as its own label: a label always starts `gap` below the bar above it and
    ends 4 px above its own, so it reads as its bar's (with rows as tall as the longest label, a
    short label floated far from both bars and a long one sat right under the bar above).
    """
    import altair as alt

    line, bar, gap = 16, 14, 16
    rows = []
    top = 0
    for v in values:
        own = v["etiqueta"].count("\n") + 1
        rows.append(dict(v, y_texto=top, y_barra=top + line * own + 4 + bar / 2, inicio=0, fin=100))
        top += line * own + 4 + bar + gap
    height = top - gap + 4
    # A reversed domain makes the y value the pixel offset from the top.
    y_scale = alt.Scale(domain=[height, 0], nice=False, zero=False)
    base = alt.Chart(ctx.values(rows))
    y_bar = alt.Y("y_barra:Q", scale=y_scale, axis=None)
    track = base.mark_rule(color=TRACK, strokeWidth=bar, strokeCap="butt").encode(
        y=y_bar, x=alt.X("inicio:Q", scale=scale, axis=x_axis), x2=alt.X2("fin:Q"))
    bars = base.mark_rule(strokeWidth=bar, strokeCap="butt").transform_filter("isValid(datum.avance)").encode(
        y=y_bar, x=alt.X("inicio:Q", scale=scale), x2=alt.X2("avance:Q"), color=color)
    values_text = base.mark_text(align="left", baseline="middle", dx=6, fontWeight=600, color=T.INK).encode(
        y=y_bar, x=alt.X("posicion:Q", scale=scale), text=alt.Text("texto:N"))
    names = base.mark_text(align="left", baseline="top", lineBreak="\n", lineHeight=line, color=T.INK).encode(
        y=alt.Y("y_texto:Q", scale=y_scale, axis=None), x=alt.X(datum=0, type="quantitative", scale=scale),
        text=alt.Text("etiqueta:N"))
    return ctx.finish(alt.layer(track, bars, values_text, names), height)


def _dimension_colors(data: Data) -> dict[str, str]:
    """Each dimension id's colour; an unknown dimension takes the primary one."""
    return {x.id: T.DIMENSION_COLORS.get(x.id, T.PRIMARY) for x in data.dimensiones}


def _agreements_in_scope(data: Data, d: Directive) -> tuple[list, str | None]:
    """The agreements the optional `dimension` parameter selects, and that dimension's name in lower case
    (None: all dimensions), for the texts that name it."""
    dim_id = d.param("dimension")
    agreements = [a for a in data.acuerdos if dim_id is None or a.dimension == dim_id]
    dims = {x.id: x.nombre.lower() for x in data.dimensiones}
    return agreements, (dims[dim_id] if dim_id else None)


def chart_dimension_progress(data: Data, d: Directive, ctx: ChartContext) -> ChartPlan:
    """Reported progress of each dimension; the blank one is marked «sin dato»."""
    values = [
        {"etiqueta": ctx.wrap(dim.nombre, 44, 42), "grupo": dim.id,
         "avance": float(dim.avance_reportado) if dim.avance_reportado is not None else None,
         "posicion": float(dim.avance_reportado or 0), "texto": T.fmt_percent(dim.avance_reportado)}
        for dim in data.dimensiones
    ]
    parts = [f"{dim.nombre} {T.fmt_percent(dim.avance_reportado)}" for dim in data.dimensiones]
    desc = gettext("Gráfico de barras del avance reportado de cada dimensión de los acuerdos transversales: "
                   "{dimensiones}.").format(dimensiones=sentence_list(parts))
    rows = tuple((dim.nombre, T.fmt_percent(dim.avance_reportado)) for dim in data.dimensiones)
    return ChartPlan(_percent_bars(ctx, values, _dimension_colors(data), 44),
                     gettext("Avance de los acuerdos transversales por dimensión"),
                     desc, (gettext("Dimensión"), gettext("Avance reportado")), rows)


def chart_agreement_progress(data: Data, d: Directive, ctx: ChartContext) -> ChartPlan:
    """Progress of each agreement of one dimension, or of all."""
    agreements, dimension = _agreements_in_scope(data, d)
    values = [
        {"etiqueta": ctx.wrap(f"{a.id} · {a.acuerdo}", 44, 42), "grupo": a.dimension,
         "avance": float(a.avance) if a.avance is not None else None,
         "posicion": float(a.avance or 0), "texto": T.fmt_percent(a.avance)}
        for a in agreements
    ]
    parts = sentence_list([f"{a.id} {T.fmt_percent(a.avance)}" for a in agreements])
    n = len(agreements)
    if dimension:
        # Translators: Spanish keeps one form for every number; give the singular and the plural.
        desc = ngettext("Gráfico de barras del avance de {n} acuerdos de la dimensión {dimension}: {acuerdos}.",
                        "Gráfico de barras del avance de {n} acuerdos de la dimensión {dimension}: {acuerdos}.",
                        n).format(n=n, dimension=dimension, acuerdos=parts)
        title = gettext("Avance de los acuerdos de la dimensión {dimension}").format(dimension=dimension)
    else:
        # Translators: Spanish keeps one form for every number; give the singular and the plural.
        desc = ngettext("Gráfico de barras del avance de {n} acuerdos de todas las dimensiones: {acuerdos}.",
                        "Gráfico de barras del avance de {n} acuerdos de todas las dimensiones: {acuerdos}.",
                        n).format(n=n, acuerdos=parts)
        title = gettext("Avance de los acuerdos de todas las dimensiones")
    if any(a.origen_avance == "asignado por orden en la fuente" for a in agreements):
        desc += " " + gettext("Los porcentajes se asignaron según el orden en que aparecen en la fuente.")
    spec = _percent_bars(ctx, values, _dimension_colors(data))
    rows = tuple((a.id, a.acuerdo, T.fmt_percent(a.avance)) for a in agreements)
    return ChartPlan(spec, title, desc, (gettext("Id"), gettext("Acuerdo"), gettext("Avance")), rows)


def _evolution(ctx: ChartContext, values: list[dict], colors: dict, title_y: str) -> dict:
    """Lines across editions; a blank value is left out, never drawn as 0.

    Each of `values` has `edicion` (the year, as text), `serie` (a key of `colors`) and `avance`
    (0–100, or None when the edition has no value).
    """
    import altair as alt

    base = alt.Chart(ctx.values(values)).transform_filter("isValid(datum.avance)").encode(
        x=alt.X("edicion:O", title=gettext("Edición"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("avance:Q", title=title_y, scale=alt.Scale(domain=[0, 100]),
                axis=alt.Axis(values=[0, 25, 50, 75, 100], labelExpr="datum.value + '%'")),
        color=alt.Color("serie:N", title=None, sort=list(colors),
                        scale=alt.Scale(domain=list(colors), range=list(colors.values()))))
    lines = base.mark_line(strokeWidth=2.5) + base.mark_point(filled=True, size=70, opacity=1)
    return ctx.finish(lines, 260)


def _history_series(history, rows: list[tuple], skip: int) -> str:
    """«A: 2024 40%, 2025 47%; B: …», what a line chart's description lists after its opening words.

    Each row starts with its series name, then `skip - 1` more cells, then one value per edition.
    """
    return "; ".join(f"{r[0]}: " + ", ".join(f"{y} {v}" for (y, _), v in zip(history, r[skip:])) for r in rows)


def chart_dimension_history(data: Data, d: Directive, ctx: ChartContext) -> ChartPlan:
    """Each dimension's reported progress in every edition so far."""
    history = ctx.history or ((0, data),)
    colors = {dim.nombre: T.DIMENSION_COLORS.get(dim.id, T.PRIMARY) for dim in data.dimensiones}
    values, rows = [], []
    for dim in data.dimensiones:
        series = []
        for year, past in history:
            match = next((x for x in past.dimensiones if x.id == dim.id), None)
            value = match.avance_reportado if match else None
            series.append(value)
            values.append({"edicion": str(year), "serie": dim.nombre,
                           "avance": float(value) if value is not None else None})
        rows.append((dim.nombre, *(T.fmt_percent(v) for v in series)))
    desc = gettext("Gráfico de líneas del avance reportado por dimensión en cada edición: {series}.").format(
        series=_history_series(history, rows, 1))
    return ChartPlan(_evolution(ctx, values, colors, gettext("Avance reportado (%)")),
                     gettext("Avance reportado por dimensión en cada edición"), desc,
                     (gettext("Dimensión"), *(str(y) for y, _ in history)), tuple(rows))


def chart_agreement_history(data: Data, d: Directive, ctx: ChartContext) -> ChartPlan:
    """Each agreement's progress in every edition so far (one dimension or all)."""
    history = ctx.history or ((0, data),)
    agreements, dimension = _agreements_in_scope(data, d)
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
    listed = _history_series(history, rows, 2)
    if dimension:
        title = gettext("Avance de los acuerdos de la dimensión {dimension} en cada edición").format(dimension=dimension)
        desc = gettext("Gráfico de líneas del avance de los acuerdos de la dimensión {dimension} en cada edición: "
                       "{series}.").format(dimension=dimension, series=listed)
    else:
        title = gettext("Avance de los acuerdos de todas las dimensiones en cada edición")
        desc = gettext("Gráfico de líneas del avance de los acuerdos de todas las dimensiones en cada edición: "
                       "{series}.").format(series=listed)
    return ChartPlan(_evolution(ctx, values, colors, gettext("Avance (%)")), title, desc,
                     (gettext("Id"), gettext("Acuerdo"), *(str(y) for y, _ in history)), tuple(rows))
