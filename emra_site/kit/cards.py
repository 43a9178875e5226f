"""What each social card says: one card per section, dimension, strategic objective and strategic project,
plus the edition's own card. Pure content (texts and bars); `kit.draw` paints it, `kit.posts` writes the
post that goes with it.

Every number on a card is formatted by the report's own functions (`theme.fmt_*`) from the same data
the report shows, so a card can never quote a figure the report does not print.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .. import theme as T
from ..charts.registry import CHART_KINDS
from ..i18n import gettext, ngettext
from ..layout import LAYOUT
from .words import capital, route, term_label

# The two sizes every card is drawn in: link previews (Open Graph, X, LinkedIn, Facebook) and Instagram.
SIZES = ((1200, 630), (1080, 1350))
LANDSCAPE = SIZES[0]


@dataclass(frozen=True)
class Bar:
    """One bar of a card: `value` on a scale of `scale` (None: «sin dato», drawn as an empty outline)."""

    label: str
    value: Decimal | int | None
    text: str  # the number as the report prints it: «47%», «20», «sin dato»
    scale: Decimal | int = 100
    key: str = ""  # a dimension's id: the bar takes its colour


@dataclass(frozen=True)
class Card:
    """One social card.

    `id` names its files (`kit/tarjetas/<id>-1200x630.png`); `page` is the site path of the page it
    promotes; `summary` is the one sentence its post starts with; `alt` describes the image for
    screen readers (every number on the card is in it).
    """

    id: str
    kind: str  # «edicion», «seccion», «dimension», «objetivo», «proyecto»
    kicker: str
    title: str
    body: tuple[str, ...]
    bars: tuple[Bar, ...]
    page: str
    summary: str
    alt: str


def edition_label(edition) -> str:
    """The line every card carries: «EMRA 2023-2050 · Informe de avance 2025»."""
    return f"{edition.titulo_corto} · {edition.subtitulo}"


def section_showing(edition, table: str):
    """The section a card about `table` links to: the first with a chart of it, else with a table of it."""
    shown = [(block.kind != "grafico", section) for section, block in edition.directives()
             if table in (CHART_KINDS[block.name].tables if block.kind == "grafico" and block.name in CHART_KINDS
                          else (block.name,))]
    return min(shown, key=lambda x: x[0])[1] if shown else edition.sections[0]


def _alt(card_words: str, bars: tuple[Bar, ...]) -> str:
    shown = "; ".join(f"{b.label}: {b.text}" for b in bars)
    return T.end_sentence(card_words.rstrip(".") + (". " + shown if shown else ""))


def section_cards(edition) -> list[Card]:
    cards = []
    label = edition_label(edition)
    for s in edition.sections:
        if s.numero:
            kicker = gettext("Sección {numero}").format(numero=s.numero)
            alt = gettext("Tarjeta de la sección {numero}, «{titulo}» ({edicion}). {descripcion}").format(
                numero=s.numero, titulo=s.titulo, edicion=label, descripcion=s.descripcion)
        else:
            kicker = gettext("Sección")
            alt = gettext("Tarjeta de la sección, «{titulo}» ({edicion}). {descripcion}").format(
                titulo=s.titulo, edicion=label, descripcion=s.descripcion)
        cards.append(Card(
            f"seccion-{s.slug}", "seccion", kicker, s.titulo, (s.descripcion,), (),
            LAYOUT.section_page(edition.anio, s.slug), f"{T.end_sentence(s.titulo)} {s.descripcion}", alt))
    return cards


def dimension_cards(edition) -> list[Card]:
    d = edition.data
    page = LAYOUT.section_page(edition.anio, section_showing(edition, "dimensiones").slug)
    cards = []
    for dim in d.dimensiones:
        named = [a for a in d.acuerdos if a.dimension == dim.id]
        name = dim.nombre.lower()
        bars = (Bar(gettext("Avance reportado"), dim.avance_reportado, T.fmt_percent(dim.avance_reportado),
                    key=dim.id),)
        body = (ngettext("{declarados} acuerdo transversal declarado, {nombrados} nombrados en el informe.",
                         "{declarados} acuerdos transversales declarados, {nombrados} nombrados en el informe.",
                         dim.acuerdos_declarados).format(declarados=T.fmt_number(dim.acuerdos_declarados),
                                                         nombrados=T.fmt_number(len(named))),)
        summary = (gettext("La dimensión {dimension} de los acuerdos transversales tiene un avance reportado de "
                           "{avance}.").format(dimension=name, avance=bars[0].text)
                   if dim.avance_reportado is not None else
                   gettext("La dimensión {dimension} de los acuerdos transversales no tiene avance reportado "
                           "({sin_dato}).").format(dimension=name, sin_dato=T.no_data()))
        alt = gettext("Tarjeta de la dimensión {dimension} ({edicion}). {texto}").format(
            dimension=name, edicion=edition_label(edition), texto=body[0])
        cards.append(Card(
            f"dimension-{dim.id}", "dimension", gettext("Acuerdos transversales"),
            capital(gettext("Dimensión {dimension}").format(dimension=name)), body, bars, page, summary,
            _alt(alt, bars)))
    return cards


def objective_cards(edition) -> list[Card]:
    d = edition.data
    page = LAYOUT.section_page(edition.anio, section_showing(edition, "iniciativas").slug)
    terms = list(dict.fromkeys(i.plazo for i in d.iniciativas))
    cards = []
    for obj in d.objetivos:
        mine = [i for i in d.iniciativas if i.objetivo == obj.id]
        most = max([sum(1 for i in d.iniciativas if i.objetivo == o.id and i.plazo == t)
                    for o in d.objetivos for t in terms] or [1]) or 1
        bars = tuple(Bar(term_label(t), n, T.fmt_number(n), most)
                     for t in terms for n in [sum(1 for i in mine if i.plazo == t)])
        count = T.fmt_number(len(mine))
        body = (obj.objetivo, ngettext("{n} iniciativa, por plazo:", "{n} iniciativas, por plazo:",
                                       len(mine)).format(n=count))
        kicker = gettext("Objetivo estratégico {id} · Comisión {comision}").format(id=obj.id, comision=obj.comision)
        summary = ngettext("Objetivo estratégico {id}, {comision}: {n} iniciativa.",
                           "Objetivo estratégico {id}, {comision}: {n} iniciativas.",
                           len(mine)).format(id=obj.id, comision=obj.comision.lower(), n=count)
        alt = ngettext("Tarjeta del objetivo estratégico {id} ({edicion}): {objetivo}. {n} iniciativa por plazo",
                       "Tarjeta del objetivo estratégico {id} ({edicion}): {objetivo}. {n} iniciativas por plazo",
                       len(mine)).format(id=obj.id, edicion=edition_label(edition), objetivo=obj.objetivo, n=count)
        cards.append(Card(
            f"objetivo-{obj.id.lower()}", "objetivo", kicker, obj.comision, body, bars, page, summary,
            _alt(alt, bars)))
    return cards


def project_cards(edition) -> list[Card]:
    d = edition.data
    page = LAYOUT.section_page(edition.anio, section_showing(edition, "proyectos").slug)
    cards = []
    for p in d.proyectos:
        stages = [s for s in d.etapas_proyecto if s.proyecto == p.id]
        routes = list(dict.fromkeys(s.via for s in stages))
        lines = [gettext("Responsable: {responsable}.").format(responsable=p.responsable)]
        if routes:
            lines.append(gettext("Etapas: {etapas}.").format(etapas=", ".join(
                gettext("{n} de la vía {via}").format(n=T.fmt_number(sum(1 for s in stages if s.via == r)),
                                                      via=route(r))
                for r in routes)))
        amounts = [a for a in d.montos if a.proyecto == p.id]
        for a in amounts:
            # The unit is a code (`montos.unidad`), shown in words beside the amount's own symbol («M$»).
            lines.append(gettext("{concepto}: {monto} ({unidad}).").format(
                concepto=a.concepto, monto=T.fmt_amount(a.monto, a.unidad), unidad=gettext(a.unidad)))
        if not amounts:
            lines.append(gettext("Monto: {sin_dato}.").format(sin_dato=T.no_data()))
        summary = gettext("Proyecto estratégico {id}: {proyecto}. Responsable: {responsable}.").format(
            id=p.id, proyecto=p.proyecto, responsable=p.responsable)
        alt = gettext("Tarjeta del proyecto estratégico {id} ({edicion}): {proyecto}.").format(
            id=p.id, edicion=edition_label(edition), proyecto=p.proyecto)
        cards.append(Card(
            f"proyecto-{p.id.replace('.', '-')}", "proyecto", gettext("Proyecto estratégico {id}").format(id=p.id),
            p.proyecto, tuple(lines), (), page, summary, alt + " " + " ".join(lines)))
    return cards


def edition_card(edition) -> Card:
    """The edition's own card: its title and each dimension's reported progress (the site's og:image)."""
    bars = tuple(Bar(dim.nombre, dim.avance_reportado, T.fmt_percent(dim.avance_reportado), key=dim.id)
                 for dim in edition.data.dimensiones)
    return Card("edicion", "edicion", edition.organismo, edition.titulo_corto, (edition.subtitulo,), bars,
                LAYOUT.section_page(edition.anio, edition.sections[0].slug), edition.descripcion,
                _alt(gettext("{titulo_corto}, {subtitulo}: avance reportado por dimensión").format(
                    titulo_corto=edition.titulo_corto, subtitulo=edition.subtitulo), bars))


def page_card(edition, section=None) -> Card:
    """The card a page is shared with (its og:image): a section page's own card, else the edition's."""
    if section is not None:
        for card in section_cards(edition):
            if card.id == f"seccion-{section.slug}":
                return card
    return edition_card(edition)


def all_cards(edition) -> tuple[Card, ...]:
    """Every card of the edition, the edition's own first."""
    return (edition_card(edition), *section_cards(edition), *dimension_cards(edition), *objective_cards(edition),
            *project_cards(edition))


def card_texts(card: Card) -> list[str]:
    """Every text the drawn card shows but the footer (edition label and address): for the number check."""
    return [card.kicker, card.title, *card.body, *(f"{b.label} {b.text}" for b in card.bars)]
