"""Render the static site: landing page, one page per section, archive, search page, 404 and sitemap."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .embeds import embed_targets
from .layout import LAYOUT as L
from .leftovers import Net
from .model import Edition, Report
from .output import copy_file, copy_tree, write_text
from .shell import site_shell
from .views import block_views, make_env


@dataclass(frozen=True)
class Page:
    """A page of the site: where it lives and how to reach the root from it."""

    path: str  # relative to the site root, forward slashes

    @property
    def root(self) -> str:
        """Relative prefix from this page back to the site root ('' or '../')."""
        return "../" * self.path.count("/")


def key_figures(edition: Edition) -> list[tuple[str, str]]:
    """The landing page's headline numbers, all derived from the data."""
    d = edition.data
    return [
        (str(sum(x.acuerdos_declarados for x in d.dimensiones)), "acuerdos transversales"),
        (str(len(d.dimensiones)), "dimensiones"),
        (str(len(d.objetivos)), "objetivos estratégicos"),
        (str(len(d.iniciativas)), "iniciativas"),
        (str(len(d.proyectos)), "proyectos estratégicos"),
    ]


def render_site(report: Report, charts_by_year: dict, templates: Path, content: Path, site: Path,
                site_url: str | None, years=None) -> list[str]:
    """Write every page and asset of the site into `site`; return the page paths for the sitemap.

    `content` is the folder the sections' image sources are relative to.

    With `years` (the live preview), only those editions' pages are rewritten, plus the shared ones.
    Raises BuildError when a page shows Markdown syntax as text (`leftovers`), naming where it is written.
    """
    env = make_env(templates)
    static = templates / "static"
    copy_tree(static, site / L.ASSETS)
    write_text(site / L.NO_JEKYLL, "")
    latest = report.latest
    shell = site_shell(report)  # all a page may read of other editions (and its folder's reuse key)
    pages: list[str] = []
    net = Net(content, content.parent)  # content/ is the project's: messages name files relative to the project

    def emit(template: str, page: Page, write: bool = True, listed: bool = True, scan: bool = True, **context) -> None:
        """Render `page` (when `write`); `listed`: in the sitemap (an embed page is not); `scan`: through the
        leftovers net (an embed page shows a figure its section page already shows, and was scanned there)."""
        if listed:
            pages.append(page.path)
        if write:
            html = env.get_template(template).render(
                root=page.root, page=page, latest=shell.latest, shell=shell, site_url=site_url, **context)
            write_text(site / page.path, html)
            if scan:
                net.scan_page(html, page.path, context.get("edition"), context.get("section"))

    for edition in report.editions:
        year, sections = L.edition_dir(edition.anio), edition.sections
        write = years is None or edition.anio in years
        charts = charts_by_year[edition.anio] if write else {}
        views = block_views(edition, charts) if write else {}
        embeds = embed_targets(edition, views) if write else []  # each figure's page for other sites' iframes
        # One copy per image file, however many times the sections show it.
        images = {i.target: i.source for s in sections for i in s.images} if write else {}
        for target, source in sorted(images.items()):
            copy_file(content / source, site / year / target)
        for i, section in enumerate(sections):
            emit("section.html", Page(L.section_page(edition.anio, section.slug)), write, edition=edition, section=section,
                 views=views, embeds={e.block: e for e in embeds}, prev=sections[i - 1] if i else None,
                 next=sections[i + 1] if i + 1 < len(sections) else None)
        emit("datos.html", Page(L.data_page(edition.anio)), write, edition=edition, tables=edition.data.schemas(),
             charts=sorted(charts.values(), key=lambda c: c.number))
        for embed in embeds:
            emit("insertar.html", Page(embed.page), listed=False, scan=False, edition=edition, section=embed.section,
                 embed=embed)
        emit("kit.html", Page(L.kit_page(edition.anio)), write, **(kit_context(edition, views, site_url) if write else {}),
             edition=edition)
    emit("index.html", Page(L.HOME), edition=latest, figures=key_figures(latest))
    emit("buscar.html", Page(L.SEARCH_PAGE), edition=latest)
    if len(report.editions) > 1:
        emit("ediciones.html", Page(L.EDITIONS_PAGE), edition=latest)
    emit("404.html", Page(L.NOT_FOUND), edition=latest)
    net.raise_if_found()
    if site_url:
        base = site_url.rstrip("/") + "/"
        urls = [base + p for p in sorted(pages) if p not in (L.NOT_FOUND, L.SEARCH_PAGE)]
        modified = latest.modified(os.environ.get("SOURCE_DATE_EPOCH"))
        write_text(site / L.SITEMAP, env.get_template("sitemap.xml").render(urls=urls, date=modified))
        write_text(site / L.ROBOTS, f"User-agent: *\nAllow: /\nSitemap: {base}{L.SITEMAP}\n")
    return pages



def kit_context(edition: Edition, views: dict, site_url: str | None) -> dict:
    """What the «Kit de prensa y redes» page lists: the posts with their cards, the key figures, the
    communications calendar in words and the embeddable figures (`emra_site/kit`)."""
    from . import theme as T
    from .embeds import embed_targets
    from .kit.cards import SIZES
    from .kit.figures import key_figures
    from .kit.write import edition_posts

    kit_page = L.kit_page(edition.anio)
    year = L.edition_dir(edition.anio)
    def sentence(note):  # a data row's note, as a sentence of its own after the dates
        return T.end_sentence(note[:1].upper() + note[1:]) if note else None

    calendar = [{"actividad": c.actividad, "nota": sentence(c.nota),
                 "cuando": (f"de {T.month_name(c.mes_inicio)} a {T.month_name(c.mes_fin)}" if c.mes_fin != c.mes_inicio
                            else T.month_name(c.mes_inicio)) if c.mes_inicio else "sin fecha"}
                for c in edition.data.calendario_comunicacional]
    calendar += [{"actividad": h.hito, "nota": sentence(h.nota),
                  "cuando": T.fmt_date_range(h.fecha_inicio, h.fecha_fin) if h.fecha_inicio else "sin fecha"}
                 for h in edition.data.hitos]
    return {
        "posts": [(p.card, p) for p in edition_posts(edition, site_url)],
        "card_path": lambda card, i: L.url(f"{year}/{L.card_file(card.id, SIZES[i])}", kit_page),
        "card_groups": [("seccion", "Secciones"), ("dimension", "Dimensiones de los acuerdos transversales"),
                        ("objetivo", "Objetivos estratégicos"), ("proyecto", "Proyectos estratégicos")],
        "figures": key_figures(edition),
        "calendar": calendar,
        "archive": L.kit_archive_name(edition.anio),
        "embeds": [{"href": L.url(e.page, kit_page), "label": e.title,
                    "figure": f"{L.url(e.section_page, kit_page)}#{e.view['anchor']}"}
                   for e in embed_targets(edition, views)],
    }
