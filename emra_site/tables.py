"""Turn a `tabla` block into rows of formatted cells, shared by the site and the PDF."""

from __future__ import annotations

from dataclasses import dataclass

from . import schema as S
from .directives import Directive
from .i18n import gettext
from .model import Data
from .theme import fmt_value, no_data

NUMERIC_TYPES = (S.ENTERO, S.NUMERO, S.PORCENTAJE, S.MONTO)


@dataclass(frozen=True)
class Cell:
    """One formatted cell; `numeric` aligns it right, `missing` marks «sin dato»."""

    text: str
    numeric: bool = False
    missing: bool = False


@dataclass(frozen=True)
class TablePlan:
    """A table ready to render: caption, headers and formatted rows."""

    title: str
    headers: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    source_table: str


def _cell(value, col: S.Column, row: dict) -> Cell:
    unit = row.get("unidad")
    text = fmt_value(value, col.type, unit)
    return Cell(text, col.type in NUMERIC_TYPES, text == no_data())


def plan_table(data: Data, d: Directive, cambios=None) -> TablePlan:
    """Select and format the rows a `tabla` block asks for.

    With `cambios` (a history.Comparison), agreement tables gain the change since the last edition.
    An editor's new table (`Data.extra`) is shown whole, every column, as it is.
    """
    table = data.schema(d.name)
    filters = dict(d.params)
    rows = [r for r in data.records(d.name) if all(r.get(k) == v for k, v in filters.items())]
    # A column every shown row shares through a filter adds nothing; the unit is shown with the amount.
    # avance_anterior is the editors' reference while filling a new edition; readers get the
    # computed change instead (history.py).
    hidden = {*filters, "unidad", "avance_anterior"} | (set() if table.show_id else {"id"})
    if d.name not in S.TABLES_BY_NAME:
        hidden = set()  # a new table is shown as the editor wrote it
    columns = [c for c in table.columns if c.name not in hidden]
    headers = tuple(Cell(gettext(c.label), c.type in NUMERIC_TYPES) for c in columns)
    body = tuple(tuple(_cell(r.get(c.name), c, r) for c in columns) for r in rows)
    if cambios is not None and d.name == "acuerdos":
        headers += (Cell(gettext("Cambio desde {anio}").format(anio=cambios.previous_year), True),)
        body = tuple(row + (Cell(cambios.agreements[r["id"]].text, True, cambios.agreements[r["id"]].text == no_data()),)
                     for row, r in zip(body, rows, strict=True))
    return TablePlan(d.titulo or gettext(table.title), headers, body, d.name)


def plan_chart_table(columns: tuple[str, ...], rows: tuple[tuple[str, ...], ...], title: str) -> TablePlan:
    """The data table that accompanies a chart."""
    def numeric(text: str) -> bool:
        return bool(text) and (text[0].isdigit() or text.startswith(("$", "M$", "CLP")) or text == no_data())

    numeric_cols = [all(numeric(r[i]) for r in rows) for i in range(len(columns))]
    headers = tuple(Cell(c, numeric_cols[i]) for i, c in enumerate(columns))
    body = tuple(tuple(Cell(v, numeric_cols[i], v == no_data()) for i, v in enumerate(r)) for r in rows)
    return TablePlan(title, headers, body, "")
