"""`kit/calendario.ics`: the communications plan and the report's milestones as an iCalendar file (RFC 5545).

One all-day VEVENT per row of `calendario_comunicacional` (its months: the plan runs April of the edition's
year to March of the next) and per dated row of `hitos`; a row whose source gives no date becomes a VTODO
with no dates, never an invented one. UIDs are stable (`<año>-<tabla>-<id>@emra-informe`) so a subscribed
calendar updates its events instead of duplicating them, and DTSTAMP is the edition's publication date, so
the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event, Todo, vText

from .. import theme as T

PRODID = "-//Gobierno Regional de Antofagasta//EMRA informe de avance//ES"
TIMEZONE = "America/Santiago"
PLAN_FIRST_MONTH = 4  # the plan's year runs April (of the edition's year) to March (of the next)
UID_DOMAIN = "emra-informe"
NO_DATE = "La fuente no indica fecha."

KINDS = {"canal": "Canal", "campaña": "Campaña", "hito": "Hito"}  # `tipo` as CATEGORIES shows it


def uid(anio: int, table: str, id_: str) -> str:
    """The stable UID of row `id_` of `table`: `2025-hitos-consejo-minero@emra-informe`."""
    return f"{anio}-{table}-{id_}@{UID_DOMAIN}"


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
        lines.append(f"Nota: {T.end_sentence(nota)}")
    if report_url:
        lines.append(f"Informe: {report_url}")
    return "\n".join(lines)


def _month_span(anio: int, start: int, end: int) -> str:
    """«en agosto de 2025», «de abril a mayo de 2025» or «de julio de 2025 a marzo de 2026»."""
    first, last = plan_month(anio, start), plan_month(anio, end)
    if first == last:
        return f"en {T.month_name(start)} de {first.year}"
    if first.year == last.year:
        return f"de {T.month_name(start)} a {T.month_name(end)} de {last.year}"
    return f"de {T.month_name(start)} de {first.year} a {T.month_name(end)} de {last.year}"


def _component(
    kind, anio: int, table: str, id_: str, summary: str, category: str, stamp: dt.datetime, report_url: str | None
):
    """A VEVENT or VTODO with the properties every row has."""
    component = kind()
    component.add("uid", uid(anio, table, id_))
    component.add("dtstamp", stamp)
    component.add("summary", summary, parameters={"LANGUAGE": "es-CL"})
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
    its description (left out when None). No date is read from the clock.
    """
    anio = edition.anio
    plan = f"{edition.titulo_corto} · Plan comunicacional {anio}"
    stamp = dt.datetime(
        edition.fecha_publicacion.year, edition.fecha_publicacion.month, edition.fecha_publicacion.day, tzinfo=dt.UTC
    )
    source = f"{edition.subtitulo} de la {edition.titulo_corto}"

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", plan)
    cal.add("x-wr-calname", plan)
    cal.add("x-wr-timezone", TIMEZONE)
    about = (
        f"Plan comunicacional de la {edition.titulo_corto}, publicado por el {edition.organismo} en su "
        f"{edition.subtitulo}. El plan se extiende de abril de {anio} a marzo de {anio + 1}: cada canal, "
        "campaña e hito ocupa los meses que indica la fuente, que no precisa días. Se agregan las reuniones "
        "y eventos que registra el informe. Lo que la fuente no fecha aparece como tarea, sin fecha."
    )
    if report_url:
        about += f" Informe: {report_url}"
    cal.add("description", about)
    cal.add("x-wr-caldesc", vText(about))  # an X- property is left unescaped unless typed as text
    if report_url:
        cal.add("url", report_url)

    table = "calendario_comunicacional"
    for item in edition.data.calendario_comunicacional:
        kind = KINDS.get(item.tipo, _sentence(item.tipo).rstrip("."))
        if item.mes_inicio is None or item.mes_fin is None:
            todo = _component(Todo, anio, table, item.id, item.actividad, kind, stamp, report_url)
            given = NO_DATE
            if item.mes_inicio is not None:
                given = (
                    f"La fuente no da fechas completas: indica que empieza en {T.month_name(item.mes_inicio)}, "
                    "sin mes de término."
                )
            elif item.mes_fin is not None:
                given = (
                    f"La fuente no da fechas completas: indica que termina en {T.month_name(item.mes_fin)}, "
                    "sin mes de inicio."
                )
            parts = [f"{kind} del plan comunicacional de la {edition.titulo_corto}.", given]
            todo.add("description", _description(parts, item.nota, report_url))
            cal.add_component(todo)
            continue
        event = _component(Event, anio, table, item.id, item.actividad, kind, stamp, report_url)
        _all_day(event, plan_month(anio, item.mes_inicio), month_after(plan_month(anio, item.mes_fin)))
        span = _month_span(anio, item.mes_inicio, item.mes_fin)
        parts = [
            f"{kind} del plan comunicacional de la {edition.titulo_corto}, {span}.",
            "La fuente indica meses, no días: el evento ocupa "
            + ("el mes completo." if item.mes_inicio == item.mes_fin else "los meses completos."),
        ]
        event.add("description", _description(parts, item.nota, report_url))
        cal.add_component(event)

    table = "hitos"
    for hito in edition.data.hitos:
        if hito.fecha_inicio is None:
            todo = _component(Todo, anio, table, hito.id, hito.hito, "Hito", stamp, report_url)
            parts = [
                f"Hito informado en el {source}.",
                NO_DATE
                if hito.fecha_fin is None
                else f"La fuente no da fechas completas: indica que termina el {T.fmt_date(hito.fecha_fin)}, "
                "sin fecha de inicio.",
            ]
            todo.add("description", _description(parts, hito.nota, report_url))
            cal.add_component(todo)
            continue
        end = hito.fecha_fin or hito.fecha_inicio  # inclusive in the data
        event = _component(Event, anio, table, hito.id, hito.hito, "Hito", stamp, report_url)
        _all_day(event, hito.fecha_inicio, end + dt.timedelta(days=1))
        parts = [f"Hito informado en el {source}: {T.fmt_date_range(hito.fecha_inicio, end)}."]
        event.add("description", _description(parts, hito.nota, report_url))
        cal.add_component(event)
    return cal.to_ical()
