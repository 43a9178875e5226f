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
from ..layout import LAYOUT

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
    for s in edition.sections:
        kicker = f"Sección {s.numero}" if s.numero else "Sección"
        cards.append(Card(
            f"seccion-{s.slug}", "seccion", kicker, s.titulo, (s.descripcion,), (),
            LAYOUT.section_page(edition.anio, s.slug), f"{T.end_sentence(s.titulo)} {s.descripcion}",
            f"Tarjeta de la {kicker.lower()}, «{s.titulo}» ({edition_label(edition)}). {s.descripcion}"))
    return cards


def dimension_cards(edition) -> list[Card]:
    d = edition.data
    page = LAYOUT.section_page(edition.anio, section_showing(edition, "dimensiones").slug)
    cards = []
    for dim in d.dimensiones:
        named = [a for a in d.acuerdos if a.dimension == dim.id]
        bars = (Bar("Avance reportado", dim.avance_reportado, T.fmt_percent(dim.avance_reportado), key=dim.id),)
        body = ((f"{T.fmt_number(dim.acuerdos_declarados)} acuerdos transversales declarados, "
                f"{T.fmt_number(len(named))} nombrados en el informe."),)
        progress = (f"tiene un avance reportado de {bars[0].text}" if dim.avance_reportado is not None
                    else "no tiene avance reportado (sin dato)")
        cards.append(Card(
            f"dimension-{dim.id}", "dimension", "Acuerdos transversales", f"Dimensión {dim.nombre.lower()}", body,
            bars, page, f"La dimensión {dim.nombre.lower()} de los acuerdos transversales {progress}.",
            _alt(f"Tarjeta de la dimensión {dim.nombre.lower()} ({edition_label(edition)}). {body[0]}", bars)))
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
        bars = tuple(Bar(f"{t.capitalize()} plazo", n, T.fmt_number(n), most)
                     for t in terms for n in [sum(1 for i in mine if i.plazo == t)])
        count = T.fmt_number(len(mine))
        body = (obj.objetivo, f"{count} iniciativas, por plazo:")
        cards.append(Card(
            f"objetivo-{obj.id.lower()}", "objetivo", f"Objetivo estratégico {obj.id} · Comisión {obj.comision}",
            obj.comision, body, bars, page,
            f"Objetivo estratégico {obj.id}, {obj.comision.lower()}: {count} iniciativas.",
            _alt(f"Tarjeta del objetivo estratégico {obj.id} ({edition_label(edition)}): {obj.objetivo}. "
                 f"{count} iniciativas por plazo", bars)))
    return cards


def project_cards(edition) -> list[Card]:
    d = edition.data
    page = LAYOUT.section_page(edition.anio, section_showing(edition, "proyectos").slug)
    cards = []
    for p in d.proyectos:
        stages = [s for s in d.etapas_proyecto if s.proyecto == p.id]
        routes = list(dict.fromkeys(s.via for s in stages))
        lines = [f"Responsable: {p.responsable}."]
        if routes:
            lines.append("Etapas: " + ", ".join(
                f"{T.fmt_number(sum(1 for s in stages if s.via == r))} de la vía {r}" for r in routes) + ".")
        amounts = [a for a in d.montos if a.proyecto == p.id]
        for a in amounts:
            lines.append(f"{a.concepto}: {T.fmt_amount(a.monto, a.unidad)} ({a.unidad}).")
        if not amounts:
            lines.append(f"Monto: {T.NO_DATA}.")
        summary = f"Proyecto estratégico {p.id}: {p.proyecto}. Responsable: {p.responsable}."
        cards.append(Card(
            f"proyecto-{p.id.replace('.', '-')}", "proyecto", f"Proyecto estratégico {p.id}", p.proyecto,
            tuple(lines), (), page, summary,
            f"Tarjeta del proyecto estratégico {p.id} ({edition_label(edition)}): {p.proyecto}. " + " ".join(lines)))
    return cards


def edition_card(edition) -> Card:
    """The edition's own card: its title and each dimension's reported progress (the site's og:image)."""
    bars = tuple(Bar(dim.nombre, dim.avance_reportado, T.fmt_percent(dim.avance_reportado), key=dim.id)
                 for dim in edition.data.dimensiones)
    return Card("edicion", "edicion", edition.organismo, edition.titulo_corto, (edition.subtitulo,), bars,
                LAYOUT.section_page(edition.anio, edition.sections[0].slug), edition.descripcion,
                _alt(f"{edition.titulo_corto}, {edition.subtitulo}: avance reportado por dimensión", bars))


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
