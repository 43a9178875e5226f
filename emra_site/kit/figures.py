"""The edition's key figures: the numbers the press note, the cards and `cifras-clave.csv/.json` quote.

Each figure is computed from the edition's data and formatted by the same functions the report
uses (`theme.fmt_*`), so a figure in the kit is, character for character, the figure in the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .. import theme as T


@dataclass(frozen=True)
class KeyFigure:
    """One number of the edition.

    `id` is stable across editions (`avance-ambiental`, `iniciativas-corto`); `valor` is the number
    (None: the source gives none, `texto` is then «sin dato»); `texto` is how the report prints it
    (`47%`, `M$4.222.529`); `unidad` names what is counted; `fuente` names the data table it comes from.
    """

    id: str
    etiqueta: str
    valor: Decimal | int | None
    texto: str
    unidad: str
    fuente: str


def key_figures(edition) -> tuple[KeyFigure, ...]:
    """The edition's key figures, in the order the press note reads them."""
    d = edition.data
    figures = [
        KeyFigure("acuerdos-declarados", "Acuerdos transversales declarados",
                  sum(x.acuerdos_declarados for x in d.dimensiones),
                  T.fmt_number(sum(x.acuerdos_declarados for x in d.dimensiones)), "acuerdos", "dimensiones.csv"),
        KeyFigure("acuerdos-nombrados", "Acuerdos transversales nombrados en el informe", len(d.acuerdos),
                  T.fmt_number(len(d.acuerdos)), "acuerdos", "acuerdos.csv"),
    ]
    for dim in d.dimensiones:
        figures.append(KeyFigure(f"avance-{dim.id}", f"Avance reportado de la dimensión {dim.nombre.lower()}",
                                 dim.avance_reportado, T.fmt_percent(dim.avance_reportado), "porcentaje",
                                 "dimensiones.csv"))
    figures.append(KeyFigure("objetivos", "Objetivos estratégicos", len(d.objetivos), T.fmt_number(len(d.objetivos)),
                             "objetivos", "objetivos.csv"))
    figures.append(KeyFigure("iniciativas", "Iniciativas de los objetivos estratégicos", len(d.iniciativas),
                             T.fmt_number(len(d.iniciativas)), "iniciativas", "iniciativas.csv"))
    for term in dict.fromkeys(i.plazo for i in d.iniciativas):  # the terms in the order the data gives them
        count = sum(1 for i in d.iniciativas if i.plazo == term)
        figures.append(KeyFigure(f"iniciativas-{term}", f"Iniciativas de {term} plazo", count, T.fmt_number(count),
                                 "iniciativas", "iniciativas.csv"))
    figures.append(KeyFigure("proyectos", "Proyectos estratégicos", len(d.proyectos), T.fmt_number(len(d.proyectos)),
                             "proyectos", "proyectos.csv"))
    for amount in d.montos:
        figures.append(KeyFigure(f"monto-{amount.id}", f"Proyecto {amount.proyecto}: {amount.concepto}", amount.monto,
                                 T.fmt_amount(amount.monto, amount.unidad), amount.unidad, "montos.csv"))
    return tuple(figures)


def by_id(figures) -> dict[str, KeyFigure]:
    """The figures by id."""
    return {f.id: f for f in figures}
