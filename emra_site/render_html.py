"""Render the static site: landing page, one page per section, data downloads, 404 and sitemap."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from . import theme as T
from .downloads import zip_name
from .markdown import Prose
from .model import Edition, Report
from .output import write_text
from .schema import TABLES
from .social import card_name
from .tables import plan_chart_table, plan_table


@dataclass(frozen=True)
class Page:
    """A page of the site: where it lives and how to reach the root from it."""

    path: str  # relative to the site root, forward slashes

    @property
    def root(self) -> str:
        """Relative prefix from this page back to the site root ('' or '../')."""
        return "../" * self.path.count("/")


def make_env(templates: Path) -> Environment:
    """The Jinja environment: autoescape everywhere, undefined names are errors."""
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        percent=T.fmt_percent,
        number=T.fmt_number,
        date=T.fmt_date,
        date_range=T.fmt_date_range,
        amount=T.fmt_amount,
    )
    env.globals.update(is_prose=lambda b: isinstance(b, Prose), card_name=card_name, zip_name=zip_name)
    return env


def block_views(edition: Edition, charts: dict) -> dict:
    """For each directive, what both renderers show: a chart with its table, or a table."""
    views = {}
    table_number = 0
    for _, block in edition.directives():
        if block.kind == "grafico":
            chart = charts[block]
            views[block] = {"chart": chart, "table": plan_chart_table(chart.plan.columns, chart.plan.rows, chart.plan.title)}
        else:
            table_number += 1
            views[block] = {"chart": None, "table": plan_table(edition.data, block), "number": table_number}
    return views


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


def render_site(report: Report, charts_by_year: dict, templates: Path, site: Path, site_url: str | None) -> list[str]:
    """Write every page and asset of the site into `site`; return the page paths for the sitemap."""
    env = make_env(templates)
    static = templates / "static"
    shutil.copytree(static, site / "assets", dirs_exist_ok=True)
    write_text(site / ".nojekyll", "")
    latest = report.latest
    pages: list[str] = []

    def emit(template: str, page: Page, **context) -> None:
        html = env.get_template(template).render(
            root=page.root, page=page, latest=latest, report=report, site_url=site_url, **context)
        write_text(site / page.path, html)
        pages.append(page.path)

    for edition in report.editions:
        charts = charts_by_year[edition.anio]
        views = block_views(edition, charts)
        year = str(edition.anio)
        sections = edition.sections
        for i, section in enumerate(sections):
            emit("section.html", Page(f"{year}/{section.filename}"), edition=edition, section=section,
                 views=views, prev=sections[i - 1] if i else None,
                 next=sections[i + 1] if i + 1 < len(sections) else None)
        emit("datos.html", Page(f"{year}/datos/index.html"), edition=edition, tables=TABLES,
             charts=sorted(charts.values(), key=lambda c: c.number))
    emit("index.html", Page("index.html"), edition=latest, figures=key_figures(latest))
    emit("buscar.html", Page("buscar.html"), edition=latest)
    emit("404.html", Page("404.html"), edition=latest)
    if site_url:
        base = site_url.rstrip("/") + "/"
        urls = [base + p for p in sorted(pages) if p not in ("404.html", "buscar.html")]
        write_text(site / "sitemap.xml", env.get_template("sitemap.xml").render(urls=urls, date=latest.fecha_publicacion))
        write_text(site / "robots.txt", f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n")
    return pages

