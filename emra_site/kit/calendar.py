"""`kit/calendario.ics`: the communications plan and the report's milestones as an iCalendar file (RFC 5545).

One all-day VEVENT per row of `calendario_comunicacional` (its months: the plan runs April of the edition's
year to March of the next) and per dated row of `hitos`; a row whose source gives no date becomes a VTODO
with no dates, never an invented one. UIDs are stable (`<año>-<tabla>-<id>@emra-informe`; a translation's
start with its language, `en-2025-…`, so subscribing to both never mixes them) so a subscribed calendar
updates its events instead of duplicating them, and DTSTAMP is the edition's publication date, so the same
input gives the same bytes. The texts are in the active language.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event, Todo, vText

from .. import theme as T
from ..i18n import N_, SOURCE, active, gettext

PRODID = "-//Gobierno Regional de Antofagasta//EMRA informe de avance//ES"
TIMEZONE = "America/Santiago"
PLAN_FIRST_MONTH = 4  # the plan's year runs April (of the edition's year) to March (of the next)
UID_DOMAIN = "emra-informe"
NO_DATE = N_("La fuente no indica fecha.")

# `tipo` as CATEGORIES shows it (msgids: shown with `gettext`).
KINDS = {"canal": N_("Canal"), "campaña": N_("Campaña"), "hito": N_("Hito")}


def uid(anio: int, table: str, id_: str, language: str = "") -> str:
    """The stable UID of row `id_` of `table`: `2025-hitos-consejo-minero@emra-informe`; in a translation
    (`language`, its code) `en-2025-hitos-consejo-minero@emra-informe`."""
    return f"{language + '-' if language else ''}{anio}-{table}-{id_}@{UID_DOMAIN}"


def plan_month(anio: int, month: int) -> dt.date:
    """First day of `month` (1–12) in the plan that starts in April of `anio`: April–December fall in `anio`,
    January–March in `anio + 1`."""
    return dt.date(anio if month >= PLAN_FIRST_MONTH else anio + 1, month, 1)


def month_after(day: dt.date) -> dt.date:
    """First day of the month after `day`'s."""
    return dt.date(day.year + 1, 1, 1) if day.month == 12 else dt.date(day.year, day.month + 1, 1)


def _sentence(text: str) -> str:
    """`text` with a capital first letter and a closing period."""
    text = text.strip()
    return T.end_sentence(text[:1].upper() + text[1:])


def _same(a: str, b: str) -> bool:
    """Whether two sentences say the same thing (a note that repeats the fixed sentence is not written twice)."""
    return a.strip().rstrip(".").casefold() == b.strip().rstrip(".").casefold()


def _description(parts: list[str], nota: str | None, report_url: str | None) -> str:
    """The sentences of a DESCRIPTION: `parts`, the row's note and the report's address, one per line."""
    lines = list(parts)
    if nota and not any(_same(nota, p) for p in parts):
        lines.append(gettext("Nota: {nota}").format(nota=T.end_sentence(nota)))
    if report_url:
        lines.append(gettext("Informe: {url}").format(url=report_url))
    return "\n".join(lines)


def _month_span(anio: int, start: int, end: int) -> str:
    """«en agosto de 2025», «de abril a mayo de 2025» or «de julio de 2025 a marzo de 2026»."""
    first, last = plan_month(anio, start), plan_month(anio, end)
    if first == last:
        return gettext("en {mes} de {anio}").format(mes=T.month_name(start), anio=first.year)
    if first.year == last.year:
        return gettext("de {inicio} a {fin} de {anio}").format(inicio=T.month_name(start), fin=T.month_name(end),
                                                               anio=last.year)
    return gettext("de {inicio} de {anio_inicio} a {fin} de {anio_fin}").format(
        inicio=T.month_name(start), anio_inicio=first.year, fin=T.month_name(end), anio_fin=last.year)


def _component(
    kind, anio: int, table: str, id_: str, summary: str, category: str, stamp: dt.datetime, report_url: str | None,
    language: str = "es-CL",
):
    """A VEVENT or VTODO with the properties every row has; `language` is the summary's (the edition's `idioma`)."""
    component = kind()
    component.add("uid", uid(anio, table, id_, "" if active() == SOURCE else active().code))
    component.add("dtstamp", stamp)
    component.add("summary", summary, parameters={"LANGUAGE": language})
    component.add("categories", [category])
    if report_url:
        component.add("url", report_url)
    return component


def _all_day(event: Event, start: dt.date, end: dt.date) -> None:
    """Dates of an all-day event, DTEND exclusive; TRANSPARENT, so a month-long span never blocks a calendar."""
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("transp", "TRANSPARENT")


def calendar_ics(edition, report_url: str | None) -> bytes:
    """The edition's communications plan and milestones as an iCalendar file (UTF-8, CRLF lines).

    `report_url` is the address of the edition's report page: the URL of every entry and the last line of
    its description (left out when None). No date is read from the clock. The texts are in the active
    language, and each SUMMARY says so (LANGUAGE: the edition's `idioma`).
    """
    anio = edition.anio
    plan = gettext("{titulo_corto} · Plan comunicacional {anio}").format(titulo_corto=edition.titulo_corto, anio=anio)
    stamp = dt.datetime(
        edition.fecha_publicacion.year, edition.fecha_publicacion.month, edition.fecha_publicacion.day, tzinfo=dt.UTC
    )
    names = {"titulo_corto": edition.titulo_corto, "subtitulo": edition.subtitulo}
    language = edition.idioma

    def component(kind, table: str, id_: str, summary: str, category: str):
        return _component(kind, anio, table, id_, summary, category, stamp, report_url, language)

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", plan)
    cal.add("x-wr-calname", plan)
    cal.add("x-wr-timezone", TIMEZONE)
    about = gettext(
        "Plan comunicacional de la {titulo_corto}, publicado por el {organismo} en su "
        "{subtitulo}. El plan se extiende de abril de {anio} a marzo de {siguiente}: cada canal, "
        "campaña e hito ocupa los meses que indica la fuente, que no precisa días. Se agregan las reuniones "
        "y eventos que registra el informe. Lo que la fuente no fecha aparece como tarea, sin fecha."
    ).format(organismo=edition.organismo, anio=anio, siguiente=anio + 1, **names)
    if report_url:
        about += " " + gettext("Informe: {url}").format(url=report_url)
    cal.add("description", about)
    cal.add("x-wr-caldesc", vText(about))  # an X- property is left unescaped unless typed as text
    if report_url:
        cal.add("url", report_url)

    table = "calendario_comunicacional"
    for item in edition.data.calendario_comunicacional:
        kind = gettext(KINDS[item.tipo]) if item.tipo in KINDS else _sentence(gettext(item.tipo)).rstrip(".")
        if item.mes_inicio is None or item.mes_fin is None:
            todo = component(Todo, table, item.id, item.actividad, kind)
            given = gettext(NO_DATE)
            if item.mes_inicio is not None:
                given = gettext(
                    "La fuente no da fechas completas: indica que empieza en {mes}, sin mes de término."
                ).format(mes=T.month_name(item.mes_inicio))
            elif item.mes_fin is not None:
                given = gettext(
                    "La fuente no da fechas completas: indica que termina en {mes}, sin mes de inicio."
                ).format(mes=T.month_name(item.mes_fin))
            parts = [gettext("{tipo} del plan comunicacional de la {titulo_corto}.").format(tipo=kind, **names), given]
            todo.add("description", _description(parts, item.nota, report_url))
            cal.add_component(todo)
            continue
        event = component(Event, table, item.id, item.actividad, kind)
        _all_day(event, plan_month(anio, item.mes_inicio), month_after(plan_month(anio, item.mes_fin)))
        span = _month_span(anio, item.mes_inicio, item.mes_fin)
        parts = [
            gettext("{tipo} del plan comunicacional de la {titulo_corto}, {periodo}.").format(
                tipo=kind, periodo=span, **names),
            gettext("La fuente indica meses, no días: el evento ocupa el mes completo.")
            if item.mes_inicio == item.mes_fin
            else gettext("La fuente indica meses, no días: el evento ocupa los meses completos."),
        ]
        event.add("description", _description(parts, item.nota, report_url))
        cal.add_component(event)

    table = "hitos"
    for hito in edition.data.hitos:
        if hito.fecha_inicio is None:
            todo = component(Todo, table, hito.id, hito.hito, gettext(KINDS["hito"]))
            parts = [
                gettext("Hito informado en el {subtitulo} de la {titulo_corto}.").format(**names),
                gettext(NO_DATE)
                if hito.fecha_fin is None
                else gettext("La fuente no da fechas completas: indica que termina el {fecha}, sin fecha de inicio."
                             ).format(fecha=T.fmt_date(hito.fecha_fin)),
            ]
            todo.add("description", _description(parts, hito.nota, report_url))
            cal.add_component(todo)
            continue
        end = hito.fecha_fin or hito.fecha_inicio  # inclusive in the data
        event = component(Event, table, hito.id, hito.hito, gettext(KINDS["hito"]))
        _all_day(event, hito.fecha_inicio, end + dt.timedelta(days=1))
        parts = [gettext("Hito informado en el {subtitulo} de la {titulo_corto}: {fechas}.").format(
            fechas=T.fmt_date_range(hito.fecha_inicio, end), **names)]
        event.add("description", _description(parts, hito.nota, report_url))
        cal.add_component(event)
    return cal.to_ical()
