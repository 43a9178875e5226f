"""Render the static site: landing page, one page per section, archive, search page, 404 and sitemap."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .embeds import embed_targets
from .i18n import SOURCE, Language, gettext, use_language
from .layout import LAYOUT as L
from .leftovers import Net
from .model import Edition, Report
from .output import copy_file, copy_tree, write_text
from .shell import site_shell
from .views import block_views, make_env


@dataclass(frozen=True)
class Page:
    """A page of the site: where it lives and how to reach its language's root and the site root from it.

    `path` is relative to its language's root (`2025/resumen.html`; the English `2025/summary.html`
    lives at `en/2025/summary.html`): `SiteLayout` names pages the same way in every language.
    """

    path: str  # relative to the language's root, forward slashes
    prefix: str = ""  # the language's folder (`i18n.Language.prefix`: '' or 'en/')

    @property
    def site_path(self) -> str:
        """Relative to the site root: where the file is written, and its public address."""
        return self.prefix + self.path

    @property
    def root(self) -> str:
        """Relative prefix from this page back to its language's root ('' or '../')."""
        return "../" * self.path.count("/")

    @property
    def site_root(self) -> str:
        """Relative prefix from this page back to the site root, where the assets and the search index are."""
        return "../" * self.site_path.count("/")


def key_figures(edition: Edition) -> list[tuple[str, str]]:
    """The landing page's headline numbers, all derived from the data."""
    d = edition.data
    return [
        (str(sum(x.acuerdos_declarados for x in d.dimensiones)), gettext("acuerdos transversales")),
        (str(len(d.dimensiones)), gettext("dimensiones")),
        (str(len(d.objetivos)), gettext("objetivos estratégicos")),
        (str(len(d.iniciativas)), gettext("iniciativas")),
        (str(len(d.proyectos)), gettext("proyectos estratégicos")),
    ]


@dataclass(frozen=True)
class Version:
    """One language's version of the site: its editions (`report`), their charts by year, and the years
    the other languages link to (a draft translation is built but not linked: `translations.Translated.draft`)."""

    language: Language
    report: Report
    charts: dict
    linked: frozenset[int]

    def listed(self) -> Report:
        """The editions the site shows as this language's (home, archive, menus): the linked ones, or all of
        them while every one is a draft (a draft's own pages still show it)."""
        shown = tuple(e for e in self.report.editions if e.anio in self.linked)
        return Report(shown) if shown else self.report


@dataclass(frozen=True)
class Planned:
    """A page to write: what it shows (`key`, the same in every language) and how to render it."""

    key: tuple
    template: str
    page: Page
    write: bool
    listed: bool  # in the sitemap (an embed page is not)
    scan: bool  # through the leftovers net (an embed page shows a figure its section page already shows)
    context: dict


def render_site(report: Report, charts_by_year: dict, templates: Path, content: Path, site: Path,
                site_url: str | None, years=None, translations: tuple[Version, ...] = ()) -> list[str]:
    """Write every page and asset of the site into `site`; return the page paths for the sitemap.

    `content` is the folder the sections' image sources are relative to. `translations` are the
    site's other languages (`Version`), written under their folder (`en/`) with the same names for
    the same pages; every page lists its versions in the other languages (hreflang, switcher).

    With `years` (the live preview), only those editions' pages are rewritten, plus the shared ones.
    Raises BuildError when a page shows Markdown syntax as text (`leftovers`), naming where it is written.
    """
    env = make_env(templates)
    static = templates / "static"
    copy_tree(static, site / L.ASSETS)
    write_text(site / L.NO_JEKYLL, "")
    spanish = Version(SOURCE, report, charts_by_year, frozenset(e.anio for e in report.editions))
    versions = (spanish, *translations)
    # Read everything first (MkDocs' rule): every language's pages are known before one is written,
    # so each page can link to its versions in the other languages.
    planned = {v.language.code: plan_pages(v, content, site, years, site_url) for v in versions}
    where = {code: {p.key: p.page.site_path for p in pages} for code, pages in planned.items()}
    pages: list[str] = []
    for version in versions:
        code = version.language.code
        # All a page may read of other editions (and its folder's reuse key): of a translation, the editions
        # it publishes (a draft's pages are written, but the home, the archive and the menus never show it).
        shell = site_shell(version.listed())
        net = Net(content, content.parent, "" if version is spanish else code)
        with use_language(version.language):
            for p in planned[code]:
                draft = version is not spanish and not _linked(p.key, version)  # built, not announced
                if p.listed and not draft:
                    pages.append(p.page.site_path)
                if not p.write:
                    continue
                others = [(v.language, where[v.language.code][p.key]) for v in versions if v is not version
                          and p.key in where[v.language.code] and (version is not spanish or _linked(p.key, v))]
                html = env.get_template(p.template).render(
                    root=p.page.root, site_root=p.page.site_root, page=p.page, lang=version.language,
                    latest=shell.latest, shell=shell, site_url=site_url,
                    alternates=[{"lang": lang, "href": L.url(path, p.page.site_path)} for lang, path in others],
                    hreflang=_hreflang(version.language, p.page.site_path, others, site_url) if others else [],
                    noindex=draft, **p.context)
                write_text(site / p.page.site_path, html)
                if p.scan:
                    net.scan_page(html, p.page.site_path, p.context.get("edition"), p.context.get("section"))
        net.raise_if_found()
    latest = report.latest
    if site_url:
        base = site_url.rstrip("/") + "/"
        skipped = {Page(L.NOT_FOUND, v.language.prefix).site_path for v in versions} | {
            Page(L.SEARCH_PAGE, v.language.prefix).site_path for v in versions}
        urls = [base + p for p in sorted(pages) if p not in skipped]
        modified = latest.modified(os.environ.get("SOURCE_DATE_EPOCH"))
        write_text(site / L.SITEMAP, env.get_template("sitemap.xml").render(urls=urls, date=modified))
        write_text(site / L.ROBOTS, f"User-agent: *\nAllow: /\nSitemap: {base}{L.SITEMAP}\n")
    return pages


def _linked(key: tuple, version: Version) -> bool:
    """Whether the Spanish page `key` links to its version in `version`'s language: an edition's page when
    that edition's translation is not a draft, a page of the whole site when any edition's is not."""
    return key[1] in version.linked if len(key) > 1 else bool(version.linked)


def _hreflang(language: Language, here: str, others: list, site_url: str | None) -> list[tuple[str, str]]:
    """The hreflang alternates of page `here`: itself and each other language's version, absolute
    with `site_url` (what search engines ask for), else relative."""
    def link(path: str) -> str:
        return site_url.rstrip("/") + "/" + path if site_url else L.url(path, here)

    return [(language.tag, link(here)), *((lang.tag, link(path)) for lang, path in others)]


def plan_pages(version: Version, content: Path, site: Path, years, site_url: str | None) -> list[Planned]:
    """Every page of one language's version of the site, with what it shows; copies the sections' images.

    """
    report, prefix = version.report, version.language.prefix
    full = version.language == SOURCE
    listed = version.listed()
    latest = listed.latest
    planned: list[Planned] = []

    def add(key: tuple, template: str, path: str, write: bool = True, listed: bool = True, scan: bool = True,
            **context) -> None:
        planned.append(Planned(key, template, Page(path, prefix), write, listed, scan, context))

    with use_language(version.language):
        for edition in report.editions:
            year, sections = L.edition_dir(edition.anio), edition.sections
            # Another language's folder is not kept from the last build (`stamp`): it is always written whole.
            write = years is None or edition.anio in years or not full
            charts = version.charts.get(edition.anio, {}) if write else {}
            views = block_views(edition, charts) if write else {}
            embeds = embed_targets(edition, views) if write else []  # each figure's page for other sites' iframes
            # One copy per image file, however many times the sections show it.
            images = {i.target: i.source for s in sections for i in s.images} if write else {}
            for target, source in sorted(images.items()):
                copy_file(content / source, site / prefix / year / target)
            for i, section in enumerate(sections):
                add(("seccion", edition.anio, section.source or section.slug), "section.html",
                    L.section_page(edition.anio, section.slug), write, edition=edition, section=section, views=views,
                    embeds={e.block: e for e in embeds}, prev=sections[i - 1] if i else None,
                    next=sections[i + 1] if i + 1 < len(sections) else None)
            add(("datos", edition.anio), "datos.html", L.data_page(edition.anio), write, edition=edition,
                tables=edition.data.schemas(), charts=sorted(charts.values(), key=lambda c: c.number))
            for embed in embeds:
                add(("insertar", edition.anio, embed.block.key or embed.page), "insertar.html", embed.page,
                    listed=False, scan=False, edition=edition, section=embed.section, embed=embed)
            add(("kit", edition.anio), "kit.html", L.kit_page(edition.anio), write,
                **(kit_context(edition, views, site_url) if write else {}), edition=edition)
        add(("inicio",), "index.html", L.HOME, edition=latest, figures=key_figures(latest))
        add(("buscar",), "buscar.html", L.SEARCH_PAGE, edition=latest)
        if len(listed.editions) > 1:
            add(("ediciones",), "ediciones.html", L.EDITIONS_PAGE, edition=latest)
        if full:  # GitHub Pages serves the site root's 404 page for every missing address
            add(("404",), "404.html", L.NOT_FOUND, edition=latest)
    return planned


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

    def months(first: int, last: int | None) -> str:
        return (gettext("de {inicio} a {fin}").format(inicio=T.month_name(first), fin=T.month_name(last))
                if last != first else T.month_name(first))

    calendar = [{"actividad": c.actividad, "nota": sentence(c.nota),
                 "cuando": months(c.mes_inicio, c.mes_fin) if c.mes_inicio else gettext("sin fecha")}
                for c in edition.data.calendario_comunicacional]
    calendar += [{"actividad": h.hito, "nota": sentence(h.nota),
                  "cuando": T.fmt_date_range(h.fecha_inicio, h.fecha_fin) if h.fecha_inicio else gettext("sin fecha")}
                 for h in edition.data.hitos]
    return {
        "posts": [(p.card, p) for p in edition_posts(edition, site_url)],
        "card_path": lambda card, i: L.url(f"{year}/{L.card_file(card.id, SIZES[i])}", kit_page),
        "card_groups": [("seccion", gettext("Secciones")),
                        ("dimension", gettext("Dimensiones de los acuerdos transversales")),
                        ("objetivo", gettext("Objetivos estratégicos")),
                        ("proyecto", gettext("Proyectos estratégicos"))],
        "figures": key_figures(edition),
        "calendar": calendar,
        "archive": L.kit_archive_name(edition.anio),
        "embeds": [{"href": L.url(e.page, kit_page), "label": e.title,
                    "figure": f"{L.url(e.section_page, kit_page)}#{e.view['anchor']}"}
                   for e in embed_targets(edition, views)],
    }
