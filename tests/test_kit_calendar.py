"""The kit's calendar (`kit.calendar.calendar_ics`): read back by icalendar and by vobject, an independent parser."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt

import icalendar
import pytest
import vobject
from conftest import REPO

from emra_site.kit.calendar import calendar_ics, uid

URL = "https://emra.example.cl/2025/"
MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)


def read_csv(name: str) -> list[dict]:
    with open(REPO / "data" / "2025" / name, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


@pytest.fixture(scope="module")
def edition(shipped_report):
    return shipped_report.edition(2025)


@pytest.fixture(scope="module")
def ics(edition) -> bytes:
    return calendar_ics(edition, URL)


@pytest.fixture(scope="module")
def parsed(ics) -> dict:
    """The entries as icalendar reads them, by UID."""
    cal = icalendar.Calendar.from_ical(ics)
    return {str(c["UID"]): c for c in cal.walk() if c.name in ("VEVENT", "VTODO")}


def plan_date(month_name: str) -> dt.date:
    """First day of a month of the 2025 plan (April 2025 to March 2026), read from the CSV's month name."""
    month = MONTHS.index(month_name.strip().lower()) + 1
    return dt.date(2025 if month >= 4 else 2026, month, 1)


def test_one_entry_per_row_of_both_tables_with_stable_uids(ics, parsed):
    calendar_rows, hito_rows = read_csv("calendario_comunicacional.csv"), read_csv("hitos.csv")
    expected = [f"2025-calendario_comunicacional-{r['id']}@emra-informe" for r in calendar_rows]
    expected += [f"2025-hitos-{r['id']}@emra-informe" for r in hito_rows]
    uids = [str(c["UID"]) for c in icalendar.Calendar.from_ical(ics).walk() if c.name in ("VEVENT", "VTODO")]
    assert uids == expected  # one per row, in file order, none twice
    assert len(set(uids)) == len(uids) == len(calendar_rows) + len(hito_rows)
    assert uid(2025, "hitos", "consejo-minero") == "2025-hitos-consejo-minero@emra-informe"


def test_calendar_properties(ics):
    cal = icalendar.Calendar.from_ical(ics)
    assert str(cal["PRODID"]) == "-//Gobierno Regional de Antofagasta//EMRA informe de avance//ES"
    assert str(cal["VERSION"]) == "2.0" and str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["X-WR-CALNAME"]) == "EMRA 2023-2050 · Plan comunicacional 2025"
    assert str(cal["X-WR-TIMEZONE"]) == "America/Santiago"
    assert "de abril de 2025 a marzo de 2026" in str(cal["DESCRIPTION"])
    assert b"\r\n" in ics and b"\n" not in ics.replace(b"\r\n", b"")  # CRLF lines only


def test_months_follow_the_april_to_march_year(parsed):
    for row in read_csv("calendario_comunicacional.csv"):
        entry = parsed[f"2025-calendario_comunicacional-{row['id']}@emra-informe"]
        assert entry.name == "VEVENT"
        start, end = plan_date(row["mes_inicio"]), plan_date(row["mes_fin"])
        end = dt.date(end.year + 1, 1, 1) if end.month == 12 else dt.date(end.year, end.month + 1, 1)
        assert entry.decoded("DTSTART") == start and entry.decoded("DTEND") == end, row["id"]
        assert type(entry.decoded("DTSTART")) is dt.date  # all day: VALUE=DATE, no time
        assert row["tipo"].casefold() in [c.casefold() for c in entry.categories]
        assert str(entry["SUMMARY"]) == row["actividad"]
        if row["nota"]:
            assert row["nota"] in str(entry["DESCRIPTION"])
    mining = parsed["2025-calendario_comunicacional-mes-mineria@emra-informe"]
    assert (mining.decoded("DTSTART"), mining.decoded("DTEND")) == (dt.date(2025, 8, 1), dt.date(2025, 9, 1))
    campaign = parsed["2025-calendario_comunicacional-campana-3@emra-informe"]
    assert (campaign.decoded("DTSTART"), campaign.decoded("DTEND")) == (dt.date(2025, 7, 1), dt.date(2026, 4, 1))
    assert "la fuente no precisa el mes de cada campaña" in str(campaign["DESCRIPTION"])


def test_milestones_keep_their_dates_and_the_undated_one_is_a_todo(parsed):
    for row in read_csv("hitos.csv"):
        entry = parsed[f"2025-hitos-{row['id']}@emra-informe"]
        assert str(entry["SUMMARY"]) == row["hito"]
        assert row["nota"].casefold() in str(entry["DESCRIPTION"]).casefold()
        if not row["fecha_inicio"]:
            assert entry.name == "VTODO"
            assert not {"DTSTART", "DTEND", "DUE"} & set(entry)
            assert "La fuente no indica fecha" in str(entry["DESCRIPTION"])
            continue
        start = dt.date.fromisoformat(row["fecha_inicio"])
        last = dt.date.fromisoformat(row["fecha_fin"]) if row["fecha_fin"] else start
        assert entry.name == "VEVENT"
        assert (entry.decoded("DTSTART"), entry.decoded("DTEND")) == (start, last + dt.timedelta(days=1))
    ocde = parsed["2025-hitos-ocde-encuentro@emra-informe"]
    assert (ocde.decoded("DTSTART"), ocde.decoded("DTEND")) == (dt.date(2025, 6, 16), dt.date(2025, 6, 19))
    assert parsed["2025-hitos-apoyo-logistica@emra-informe"].name == "VTODO"


def test_stamp_url_and_report_line(edition, parsed):
    for entry in parsed.values():
        assert entry.decoded("DTSTAMP") == dt.datetime(2025, 6, 30, tzinfo=dt.UTC)
        assert str(entry["URL"]) == URL
        assert str(entry["DESCRIPTION"]).endswith(f"Informe: {URL}")
    bare = icalendar.Calendar.from_ical(calendar_ics(edition, None))
    for entry in bare.walk("VEVENT") + bare.walk("VTODO"):
        assert "URL" not in entry and "Informe:" not in str(entry["DESCRIPTION"])


def test_an_independent_parser_reads_the_same_entries(ics):
    cal = vobject.readOne(ics.decode("utf-8"))
    events = {e.uid.value: e for e in cal.contents.get("vevent", [])}
    todos = {t.uid.value: t for t in cal.contents.get("vtodo", [])}
    rows = len(read_csv("calendario_comunicacional.csv")) + len(read_csv("hitos.csv"))
    assert len(events) + len(todos) == rows
    assert set(todos) == {"2025-hitos-apoyo-logistica@emra-informe"}
    assert not hasattr(todos["2025-hitos-apoyo-logistica@emra-informe"], "dtstart")
    mining = events["2025-calendario_comunicacional-mes-mineria@emra-informe"]
    assert (mining.dtstart.value, mining.dtend.value) == (dt.date(2025, 8, 1), dt.date(2025, 9, 1))
    ocde = events["2025-hitos-ocde-encuentro@emra-informe"]
    assert (ocde.dtstart.value, ocde.dtend.value) == (dt.date(2025, 6, 16), dt.date(2025, 6, 19))
    assert ocde.summary.value == "Invitación de la OCDE al Quinto Encuentro de Ciudades y Regiones Mineras"
    assert (
        "la fuente no precisa el mes de cada campaña"
        in events["2025-calendario_comunicacional-campana-1@emra-informe"].description.value
    )
    assert cal.contents["x-wr-calname"][0].value == "EMRA 2023-2050 · Plan comunicacional 2025"


def test_same_input_same_bytes(edition, ics):
    assert calendar_ics(edition, URL) == ics


def test_a_changed_row_changes_its_entry_only(edition, parsed):
    data = edition.data
    items = tuple(
        dataclasses.replace(i, mes_inicio=10, mes_fin=2) if i.id == "mes-mineria" else i
        for i in data.calendario_comunicacional
    )
    hitos = tuple(
        dataclasses.replace(h, fecha_inicio=dt.date(2025, 9, 3)) if h.id == "apoyo-logistica" else h for h in data.hitos
    )
    changed = dataclasses.replace(edition, data=dataclasses.replace(data, calendario_comunicacional=items, hitos=hitos))
    after = {
        str(c["UID"]): c
        for c in icalendar.Calendar.from_ical(calendar_ics(changed, URL)).walk()
        if c.name in ("VEVENT", "VTODO")
    }
    assert set(after) == set(parsed)
    mining = after["2025-calendario_comunicacional-mes-mineria@emra-informe"]
    assert (mining.decoded("DTSTART"), mining.decoded("DTEND")) == (dt.date(2025, 10, 1), dt.date(2026, 3, 1))
    support = after["2025-hitos-apoyo-logistica@emra-informe"]  # now dated: an event of one day
    assert support.name == "VEVENT"
    assert (support.decoded("DTSTART"), support.decoded("DTEND")) == (dt.date(2025, 9, 3), dt.date(2025, 9, 4))
    moved = {"2025-calendario_comunicacional-mes-mineria@emra-informe", "2025-hitos-apoyo-logistica@emra-informe"}
    for key in set(parsed) - moved:
        assert after[key].to_ical() == parsed[key].to_ical(), key


def test_a_row_without_months_is_a_todo_without_dates(edition):
    items = tuple(
        dataclasses.replace(i, mes_inicio=None, mes_fin=None) if i.id == "video" else i
        for i in edition.data.calendario_comunicacional
    )
    changed = dataclasses.replace(edition, data=dataclasses.replace(edition.data, calendario_comunicacional=items))
    cal = icalendar.Calendar.from_ical(calendar_ics(changed, None))
    (todo,) = [c for c in cal.walk("VTODO") if str(c["UID"]) == "2025-calendario_comunicacional-video@emra-informe"]
    assert not {"DTSTART", "DTEND", "DUE"} & set(todo)
    assert "La fuente no indica fecha" in str(todo["DESCRIPTION"])
