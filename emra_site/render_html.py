"""Render the static site: landing page, one page per section, data downloads, 404 and sitemap."""

from __future__ import annotations

import csv
import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from . import theme as T
from .markdown import Prose
from .model import Edition, Report
from .output import write_text
from .schema import TABLES, TABLES_BY_NAME
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
    env.globals.update(is_prose=lambda b: isinstance(b, Prose))
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


def table_csv(name: str, rows: tuple) -> str:
    """A table as CSV the way Excel opens it in Chile: `;`, decimal comma, UTF-8 with BOM."""
    schema = TABLES_BY_NAME[name]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.name for c in schema.columns])
    for r in rows:
        writer.writerow([_csv_value(getattr(r, c.name)) for c in schema.columns])
    return "\ufeff" + buf.getvalue()


def _csv_value(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).replace(".", ",") if not isinstance(value, str) else value


def table_json(name: str, rows: tuple) -> str:
    """A table as JSON: plain numbers, ISO dates, null for no data."""
    schema = TABLES_BY_NAME[name]

    def value(v):
        if v is None or isinstance(v, (str, int)):
            return v
        if hasattr(v, "isoformat"):
            return v.isoformat()
        return float(v) if v != int(v) else int(v)

    data = [{c.name: value(getattr(r, c.name)) for c in schema.columns} for r in rows]
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def chart_csv(chart) -> str:
    """The data table of one chart as CSV."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(chart.plan.columns)
    writer.writerows(chart.plan.rows)
    return "\ufeff" + buf.getvalue()


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
        for chart in charts.values():
            write_text(site / year / chart.svg_path, chart.svg)
            write_text(site / year / chart.narrow_path, chart.narrow_svg)
            write_text(site / year / "datos" / "graficos" / f"{chart.key}.csv", chart_csv(chart))
        for t in TABLES:
            rows = edition.data.table(t.name)
            write_text(site / year / "datos" / t.filename, table_csv(t.name, rows))
            write_text(site / year / "datos" / f"{t.name}.json", table_json(t.name, rows))
        sections = edition.sections
        for i, section in enumerate(sections):
            emit("section.html", Page(f"{year}/{section.filename}"), edition=edition, section=section,
                 views=views, prev=sections[i - 1] if i else None,
                 next=sections[i + 1] if i + 1 < len(sections) else None)
        emit("datos.html", Page(f"{year}/datos/index.html"), edition=edition, tables=TABLES,
             charts=sorted(charts.values(), key=lambda c: c.number))
    emit("index.html", Page("index.html"), edition=latest, figures=key_figures(latest))
    emit("404.html", Page("404.html"), edition=latest)
    if site_url:
        base = site_url.rstrip("/") + "/"
        urls = [base + p for p in sorted(pages) if p != "404.html"]
        write_text(site / "sitemap.xml", env.get_template("sitemap.xml").render(urls=urls, date=latest.fecha_publicacion))
    return pages

