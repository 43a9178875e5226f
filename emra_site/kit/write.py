"""Write an edition's communications kit into `<año>/kit/` (the page itself is a template, `kit.html`).

Two steps, because the archive holds the PDF, which is the build's last product:
its cards (`card_files`) and its other files (`document_files`: posts, key figures, calendar, press note)
are made with the other downloads (`pipeline.write_extras`);
`write_kit_archive` zips the kit with the PDF and the framed charts once the PDF is written.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

from ..i18n import gettext
from ..layout import LAYOUT
from ..output import write_bytes
from .cards import SIZES, all_cards, edition_label, section_showing
from .figures import KeyFigure, key_figures
from .posts import Post, card_file, post_for, posts_csv


def absolute(site_url: str | None, path: str) -> str | None:
    """`path` (relative to a language's root, as `LAYOUT` names it) under the site's address, in the active
    language's folder (`LAYOUT.absolute`: «…/en/2025/summary.html»), or None when the address is unknown."""
    return LAYOUT.absolute(site_url, path) if site_url else None


def site_address(site_url: str | None) -> str | None:
    """The address printed on the cards: the site's, without the scheme («org.github.io/emra»)."""
    if not site_url:
        return None
    return site_url.split("://", 1)[-1].rstrip("/")


def edition_posts(edition, site_url: str | None) -> list[Post]:
    """Every card of the edition with its post (also what `check` reports as shortened)."""
    return [post_for(card, edition.hashtags, absolute(site_url, card.page)) for card in all_cards(edition)]


def figures_csv(figures: tuple[KeyFigure, ...]) -> bytes:
    """`cifras-clave.csv`: `;`, UTF-8 with BOM, CRLF, decimal comma (as Excel in Chile reads it).

    Headers are names, the same in every language (as the keys of `cifras-clave.json`); the label, the
    figure as printed and the unit are in the active language."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(("id", "etiqueta", "cifra", "valor", "unidad", "fuente"))
    for f in figures:
        value = "" if f.valor is None else str(f.valor).replace(".", ",")
        writer.writerow((f.id, f.etiqueta, f.texto, value, gettext(f.unidad), f.fuente))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def figures_json(edition, figures: tuple[KeyFigure, ...]) -> bytes:
    """`cifras-clave.json`: numbers as numbers (null: «sin dato»), and each as the report prints it."""
    def number(v):
        return None if v is None else (int(v) if int(v) == v else float(v))

    doc = {"edicion": edition.anio, "titulo": f"{edition.titulo_corto}, {edition.subtitulo}",
           "licencia": edition.licencia.name,
           "cifras": [{"id": f.id, "etiqueta": f.etiqueta, "cifra": f.texto, "valor": number(f.valor),
                       "unidad": gettext(f.unidad), "fuente": f.fuente} for f in figures]}
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def card_jobs(edition, font_dir: Path, site_url: str | None) -> list[tuple[str, str, tuple]]:
    """Every card of the edition in both sizes: (its cache key, its file in the kit folder, `draw_card`'s arguments)."""
    from ..keys import card_key, fonts_fingerprint

    fonts = fonts_fingerprint(font_dir)
    label, address = edition_label(edition), site_address(site_url)
    return [(card_key(fonts, (card, size, label, address)), card_file(card, size), (card, size, font_dir, label, address))
            for card in all_cards(edition) for size in SIZES]


def draw_cards(edition, font_dir: Path, cache, site_url: str | None) -> dict[str, bytes]:
    """Every card of the edition in both sizes: {path inside the kit folder: PNG}; cached by what each shows.

    In this process, while the PDF is laid out in another: ~20 ms a card (38 for the shipped edition).
    A child process drawing them from the start of the build was tried and measured no faster: every
    stage of a cold build already keeps both cores busy, and it slowed the charts the PDF waits for.
    """
    from .draw import draw_card

    return {name: cache.through("tarjetas", key, lambda a=args: draw_card(*a))
            for key, name, args in card_jobs(edition, font_dir, site_url)}


def kit_files(edition, font_dir: Path, cache, site_url: str | None) -> dict[str, bytes]:
    """Every file of the kit folder but the archive: {path relative to `<año>/kit/`: bytes}."""
    return {**draw_cards(edition, font_dir, cache, site_url), **kit_documents(edition, site_url)}


def kit_documents(edition, site_url: str | None) -> dict[str, bytes]:
    """The kit's files but the cards and the archive: posts, key figures, calendar and press note,
    {path relative to `<año>/kit/`: bytes}."""
    from .calendar import calendar_ics
    from .press_note import press_note_docx

    figures = key_figures(edition)
    report_url = absolute(site_url, LAYOUT.section_page(edition.anio, edition.sections[0].slug))
    pdf_url = absolute(site_url, f"{edition.anio}/{edition.pdf_name}")
    files: dict[str, bytes] = {}
    files[LAYOUT.KIT_POSTS] = posts_csv(edition_posts(edition, site_url), lambda c: absolute(site_url, c.page) or "")
    files[LAYOUT.KIT_FIGURES + ".csv"] = figures_csv(figures)
    files[LAYOUT.KIT_FIGURES + ".json"] = figures_json(edition, figures)
    plan = section_showing(edition, "calendario_comunicacional")  # the calendar links to the plan's chapter
    files[LAYOUT.KIT_CALENDAR] = calendar_ics(edition, absolute(site_url, LAYOUT.section_page(edition.anio, plan.slug)))
    files[LAYOUT.KIT_PRESS_NOTE] = press_note_docx(edition, figures, report_url, pdf_url, edition.contacto_prensa)
    return files


def card_files(edition, edition_dir: Path, font_dir: Path, cache, site_url: str | None) -> dict[Path, bytes]:
    """The kit's cards (`draw_cards`) by their path under `edition_dir`."""
    cards = draw_cards(edition, font_dir, cache, site_url)
    return {edition_dir / LAYOUT.KIT_DIR / name: data for name, data in cards.items()}


def document_files(edition, edition_dir: Path, site_url: str | None) -> dict[Path, bytes]:
    """The kit's other files (`kit_documents`) by their path under `edition_dir`."""
    documents = kit_documents(edition, site_url)
    return {edition_dir / LAYOUT.KIT_DIR / name: data for name, data in documents.items()}


def write_kit_archive(edition, edition_dir: Path, charts: dict) -> None:
    """`kit/kit-de-prensa-<año>.zip`: the PDF, the kit's files and every chart as framed SVG and PNG.

    Read back from the edition folder, where the build has just written them; the same files give
    the same bytes (`downloads.deterministic_zip`).
    """
    from ..downloads import deterministic_zip

    kit = edition_dir / LAYOUT.KIT_DIR
    archive = LAYOUT.kit_archive_name(edition.anio)
    files = [(p.relative_to(kit).as_posix(), p.read_bytes()) for p in sorted(kit.rglob("*"))
             if p.is_file() and p.name != archive and p.suffix != ".html" and not p.name.startswith(".")]
    files.append((edition.pdf_name, (edition_dir / edition.pdf_name).read_bytes()))
    for chart in charts.values():
        for path in (chart.svg_path, chart.png_path):
            files.append((path, (edition_dir / path).read_bytes()))
    stamp = edition.modified(os.environ.get("SOURCE_DATE_EPOCH"))
    write_bytes(kit / archive, deterministic_zip(files, stamp))
