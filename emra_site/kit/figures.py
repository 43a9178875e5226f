"""The edition's key figures: the numbers the press note, the cards and `cifras-clave.csv/.json` quote.

Each figure is computed from the edition's data and formatted by the same functions the report
uses (`theme.fmt_*`), so a figure in the kit is, character for character, the figure in the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .. import theme as T
from ..i18n import N_, gettext
from .words import capital, term


@dataclass(frozen=True)
class KeyFigure:
    """One number of the edition.

    `id` is stable across editions (`avance-ambiental`, `iniciativas-corto`); `valor` is the number
    (None: the source gives none, `texto` is then «sin dato»); `texto` is how the report prints it
    (`47%`, `M$4.222.529`); `unidad` names what is counted, as a code of the catalog («acuerdos»,
    «miles de pesos»: shown with `gettext`); `fuente` names the data table it comes from.
    """

    id: str
    etiqueta: str
    valor: Decimal | int | None
    texto: str
    unidad: str
    fuente: str


def key_figures(edition) -> tuple[KeyFigure, ...]:
    """The edition's key figures, in the order the press note reads them, labelled in the active language.

    `unidad` stays a code (Spanish, as `montos.unidad`): what reads it for people shows `gettext(unidad)`.
    """
    d = edition.data
    figures = [
        KeyFigure("acuerdos-declarados", gettext("Acuerdos transversales declarados"),
                  sum(x.acuerdos_declarados for x in d.dimensiones),
                  T.fmt_number(sum(x.acuerdos_declarados for x in d.dimensiones)), N_("acuerdos"), "dimensiones.csv"),
        KeyFigure("acuerdos-nombrados", gettext("Acuerdos transversales nombrados en el informe"), len(d.acuerdos),
                  T.fmt_number(len(d.acuerdos)), N_("acuerdos"), "acuerdos.csv"),
    ]
    for dim in d.dimensiones:
        figures.append(KeyFigure(f"avance-{dim.id}",
                                 gettext("Avance reportado de la dimensión {dimension}").format(
                                     dimension=dim.nombre.lower()),
                                 dim.avance_reportado, T.fmt_percent(dim.avance_reportado), N_("porcentaje"),
                                 "dimensiones.csv"))
    figures.append(KeyFigure("objetivos", gettext("Objetivos estratégicos"), len(d.objetivos),
                             T.fmt_number(len(d.objetivos)), N_("objetivos"), "objetivos.csv"))
    figures.append(KeyFigure("iniciativas", gettext("Iniciativas de los objetivos estratégicos"), len(d.iniciativas),
                             T.fmt_number(len(d.iniciativas)), N_("iniciativas"), "iniciativas.csv"))
    for code in dict.fromkeys(i.plazo for i in d.iniciativas):  # the terms in the order the data gives them
        count = sum(1 for i in d.iniciativas if i.plazo == code)
        figures.append(KeyFigure(f"iniciativas-{code}",
                                 capital(gettext("Iniciativas de {plazo} plazo").format(plazo=term(code))), count,
                                 T.fmt_number(count), N_("iniciativas"), "iniciativas.csv"))
    figures.append(KeyFigure("proyectos", gettext("Proyectos estratégicos"), len(d.proyectos),
                             T.fmt_number(len(d.proyectos)), N_("proyectos"), "proyectos.csv"))
    for amount in d.montos:
        figures.append(KeyFigure(f"monto-{amount.id}",
                                 gettext("Proyecto {proyecto}: {concepto}").format(proyecto=amount.proyecto,
                                                                                   concepto=amount.concepto),
                                 amount.monto, T.fmt_amount(amount.monto, amount.unidad), amount.unidad, "montos.csv"))
    return tuple(figures)


def by_id(figures) -> dict[str, KeyFigure]:
    """The figures by id."""
    return {f.id: f for f in figures}
