"""How to cite the report, a figure or a table: APA 7 references in the active language (`i18n`): «Figura 2.
… [Gráfico]. En …» in Spanish, «Figure 2. … [Chart]. In …» in English.

Each reference comes twice: plain text (what «Copiar cita» puts on the clipboard) and HTML (the
title in italics, the URL a link). Neither names the licence: APA does not, the pages show it apart.

URLs: with `--site-url` a reference carries the absolute address; without it, the page shows the
address relative to the site root and links it relative to the page, and `copiar.js` swaps in the
absolute address the browser resolves (`new URL(href, location.href)`). The PDF, with no browser to
resolve it, leaves the URL out (`absolute_url`).
Pure functions of frozen data and the active language; light module: the standard library, markupsafe, `layout`
and `i18n`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from .i18n import gettext
from .layout import LAYOUT
from .theme import end_sentence

KINDS = {"Figura": "Gráfico", "Tabla": "Tabla"}  # the label a block carries → APA's bracketed description (Spanish)


@dataclass(frozen=True)
class Citation:
    """One reference: `text` plain (for copying), `html` marked up (for the page), `url` as shown (or None)."""

    text: str
    html: Markup
    url: str | None = None


@dataclass(frozen=True)
class CiteLink:
    """Where a reference points: `url` as written in it, `href` as a link from the current page."""

    url: str
    href: str


def report_title(edition) -> str:
    """The edition's full title: «Título (Título corto): Subtítulo», without the short title when it repeats the title."""
    short = f" ({edition.titulo_corto})" if edition.titulo_corto and edition.titulo_corto != edition.titulo else ""
    return f"{edition.titulo}{short}: {edition.subtitulo}"


def _compose(head: str, title: str, tail: str, link: CiteLink | None, show_url: Callable[[str], Markup] = escape) -> Citation:
    """«head *title*tail URL»: the text, and the HTML with the title in italics and the URL linked (its text as
    `show_url` marks it up)."""
    text = f"{head}{title}{tail}"
    html = escape(head) + Markup("<em>") + escape(title) + Markup("</em>") + escape(tail)
    if link is None:
        return Citation(text, html)
    anchor = Markup('<a class="cite-url" href="{}">{}</a>').format(link.href, show_url(link.url))
    return Citation(f"{text} {link.url}", html + Markup(" ") + anchor, link.url)


def edition_citation(edition, link: CiteLink | None, show_url: Callable[[str], Markup] = escape) -> Citation:
    """«Organismo. (Año). *Título (Corto): Subtítulo*. URL» (APA 7, report by a group author)."""
    head = f"{end_sentence(edition.organismo)} ({edition.fecha_publicacion.year}). "
    return _compose(head, report_title(edition), ".", link, show_url)


def figure_citation(edition, number: int, title: str, kind: str = "Figura", link: CiteLink | None = None) -> Citation:
    """«Organismo. (Año). Figura 2. Título [Gráfico]. En *Título (Corto): Subtítulo*. URL#figura-2»: the report
    is named as in the edition's own reference (`report_title`), so both lead to the same work.

    `kind` is «Figura» or «Tabla» (APA 7 §10.14: a figure or table cited from the report that holds it).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {sorted(KINDS)}, not {kind!r}")
    if kind == "Figura":
        # Translators: APA 7 reference to a figure of the report; the report's title follows «En».
        head = gettext("{autor} ({anio}). Figura {n}. {titulo} [Gráfico]. En")
    else:
        # Translators: APA 7 reference to a table of the report; the report's title follows «En».
        head = gettext("{autor} ({anio}). Tabla {n}. {titulo} [Tabla]. En")
    head = head.format(autor=end_sentence(edition.organismo), anio=edition.fecha_publicacion.year, n=number,
                       titulo=title.strip())
    return _compose(head + " ", report_title(edition), ".", link)


def cite_link(target: str, page: str, site_url: str | None, anchor: str = "") -> CiteLink:
    """The link to `target` from `page` (both relative to the language's root, `SiteLayout`), with `#anchor` if given.

    With `site_url`, both are absolute; without it, the reference shows the site-relative path and
    links relative to `page` (the copy script makes it absolute in the browser).
    """
    fragment = f"#{anchor}" if anchor else ""
    if site_url:
        url = LAYOUT.absolute(site_url, target) + fragment
        return CiteLink(url, url)
    href = fragment if target == page and fragment else LAYOUT.url(target, page) + fragment
    return CiteLink(f"{LAYOUT.public(target)}{fragment}", href)


def absolute_link(target: str, site_url: str | None) -> CiteLink | None:
    """The absolute link to `target` (relative to the language's root), or None without a site URL (the PDF)."""
    if not site_url:
        return None
    url = LAYOUT.absolute(site_url, target)
    return CiteLink(url, url)


def edition_target(edition) -> str:
    """What an edition's reference points to: its full PDF, the report as published (relative to the site root)."""
    return f"{LAYOUT.edition_dir(edition.anio)}/{LAYOUT.pdf_name(edition.anio)}"


def block_citation(edition, view: dict, page: str, site_url: str | None) -> Citation:
    """A figure's or table's reference on `page` (`view` as made by `views.block_views`); its URL is the permalink."""
    link = cite_link(page, page, site_url, view["anchor"])
    if view["chart"] is not None:
        return figure_citation(edition, view["number"], view["chart"].plan.title, "Figura", link)
    return figure_citation(edition, view["number"], view["table"].title, "Tabla", link)


def page_edition_citation(edition, page: str, site_url: str | None) -> Citation:
    """The edition's reference as a page of the site shows it."""
    return edition_citation(edition, cite_link(edition_target(edition), page, site_url))


def print_edition_citation(edition, site_url: str | None) -> Citation:
    """The edition's reference in its PDF: the absolute URL with a site URL, none without.

    The URL breaks only after «/» or before «.», never at its hyphens (`literals`): a reader types what the PDF shows.
    """
    from .literals import literal_breaks

    return edition_citation(edition, absolute_link(edition_target(edition), site_url), literal_breaks)
