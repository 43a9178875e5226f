"""The build from end to end: read, check, model, render, swap into place."""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BuildError, Diagnostic, SourceLoc, error, has_errors
from .load import load_edition, relpath
from .model import Report, build_edition
from .paths import Paths
from .schema import TABLES_BY_NAME
from .validate import validate_edition


@dataclass
class Timings:
    """Wall time per stage, for `--timings`."""

    stages: list = field(default_factory=list)
    _last: float = field(default_factory=time.perf_counter)

    def mark(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages.append((stage, now - self._last))
        self._last = now


def find_years(paths: Paths) -> list[str]:
    """Edition folders under `content/`, oldest first."""
    if not paths.content.is_dir():
        return []
    return sorted(p.name for p in paths.content.iterdir() if p.is_dir() and p.name.isdigit())


def read_report(paths: Paths) -> tuple[Report | None, list[Diagnostic]]:
    """Load and check every edition; return the model only if there are no errors."""
    years = find_years(paths)
    diags: list[Diagnostic] = []
    if not years:
        diags.append(error(SourceLoc(relpath(paths.content, paths.root)), (
            "no hay ediciones; se esperaba una carpeta por año, por ejemplo content/2025/ con edition.yml")))
    valid = []
    for year in years:
        raw, more = load_edition(paths.content / year, paths.data / year, paths.root, TABLES_BY_NAME)
        diags += more
        edition, more = validate_edition(raw, TABLES_BY_NAME)
        diags += more
        valid.append(edition)
    if has_errors(diags):
        return None, sorted(diags)
    return add_history(Report(tuple(build_edition(v) for v in valid))), sorted(diags)


def add_history(report: Report) -> Report:
    """Give every edition after the first its comparison and a generated «¿Qué cambió?» chapter."""
    import dataclasses

    from .history import compare, comparison_markdown
    from .markdown import split_blocks
    from .model import Section

    editions = [report.editions[0]] if report.editions else []
    for previous, current in zip(report.editions, report.editions[1:], strict=False):
        comp = compare(previous, current)
        ids = {"dimensiones": {d.id for d in current.data.dimensiones}}
        blocks, headings, _, _, problems = split_blocks(comparison_markdown(comp, previous, current),
                                                        f"(cambios {current.anio})", 1, ids)
        assert not problems, problems  # generated from validated data: a problem here is a bug
        section = Section("cambios", str(len(current.sections) + 1), f"¿Qué cambió desde {previous.anio}?",
                          f"Cambios del informe {current.anio} respecto del de {previous.anio}: avances, acuerdos, "
                          "iniciativas y proyectos.", tuple(blocks), tuple(headings))
        editions.append(dataclasses.replace(current, sections=(*current.sections, section), cambios=comp))
    return Report(tuple(editions))


def require_report(paths: Paths) -> tuple[Report, list[Diagnostic]]:
    """Like read_report, but raise BuildError when the input has errors."""
    report, diags = read_report(paths)
    if report is None:
        raise BuildError(diags)
    return report, diags


@contextmanager
def template_errors(paths: Paths, jinja2):
    """Report a broken template as `templates/x.html:line: …` instead of a traceback."""
    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        where = relpath(Path(exc.filename), paths.root) if exc.filename else relpath(paths.templates, paths.root)
        raise BuildError([error(SourceLoc(where, exc.lineno), f"error de sintaxis en la plantilla: {exc.message}")]) from exc
    except jinja2.TemplateError as exc:
        raise BuildError([error(SourceLoc(relpath(paths.templates, paths.root)),
                                f"error en una plantilla: {exc.message or exc}")]) from exc


def build(paths: Paths, site_url: str | None = None, timings: Timings | None = None,
          strict: bool = False, use_cache: bool = True, with_pdf: bool = True) -> list[Diagnostic]:
    """Build the whole site and every PDF into `output/site`; raise BuildError on bad input.

    With `strict`, warnings stop the build too (the Pages workflow publishes nothing doubtful).
    Without `with_pdf` (the live preview), the PDFs are left to `write_pdfs`, run afterwards.
    """
    import jinja2

    from .output import staged_site
    from .render_html import render_site

    timings = timings or Timings()
    report, diags = require_report(paths)
    if strict and diags:
        raise BuildError(diags)
    timings.mark("leer y validar")
    cache = open_cache(paths, use_cache)
    charts = render_all_charts(paths, report, cache)
    timings.mark("gráficos")
    with staged_site(paths.site) as staging, template_errors(paths, jinja2):
        render_site(report, charts, paths.templates, staging, site_url)
        write_extras(paths, report, charts, staging, cache)
        timings.mark("sitio HTML y datos")
        if with_pdf:
            write_pdfs(paths, report, charts, staging, cache)
            timings.mark("PDF")
        write_search_index(paths, staging)
        timings.mark("índice de búsqueda")
    timings.mark("publicar")
    return diags


def write_extras(paths: Paths, report: Report, charts: dict, site: Path, cache, years=None) -> None:
    """Downloads (tables, chart files) and the social card of each edition (or of `years` only)."""
    from .cache import fingerprint_files
    from .downloads import write_downloads
    from .output import write_bytes
    from .social import card_name, card_spec, render_card

    fonts = paths.templates / "fonts"
    for edition in report.editions:
        if years is not None and edition.anio not in years:
            continue
        edition_dir = site / str(edition.anio)
        write_downloads(edition, charts[edition.anio], edition_dir, fonts, cache)
        card_key = cache.key("tarjeta", fingerprint_files(fonts.glob("*.ttf")), card_spec(edition))
        write_bytes(edition_dir / card_name(edition),
                    cache.through("tarjetas", card_key, lambda e=edition: render_card(e, fonts)))


def write_search_index(paths: Paths, site: Path) -> None:
    """Index `site` for search; a failing Pagefind is reported like any other build problem."""
    from .search import SearchIndexError, index_site

    try:
        index_site(site)
    except SearchIndexError as exc:
        raise BuildError([error(SourceLoc(relpath(paths.output, paths.root)), str(exc))]) from exc


def open_cache(paths: Paths, use_cache: bool):
    """The project's build cache (.cache/emra), or a disabled one."""
    from .cache import Cache

    return Cache(paths.root / ".cache" / "emra" if use_cache else None)


def render_all_charts(paths: Paths, report: Report, cache) -> dict:
    """Every edition's charts; the charts across editions see only the editions up to their own."""
    from .charts import render_charts

    fonts = paths.templates / "fonts"
    history = tuple((e.anio, e.data) for e in report.editions)
    return {e.anio: render_charts(e, fonts, tuple(h for h in history if h[0] <= e.anio), cache)
            for e in report.editions}


def write_pdfs(paths: Paths, report: Report, charts: dict, site: Path, cache) -> None:
    """Render every edition's PDFs into `site` (staging in a build, the live site in the preview)."""
    import jinja2

    from .output import write_bytes
    from .render_pdf import ResourceProblem, render_pdf

    with template_errors(paths, jinja2):
        for edition in report.editions:
            edition_dir = site / str(edition.anio)
            try:
                pdfs = render_pdf(edition, charts[edition.anio], paths.templates, edition_dir, [site], cache)
            except ResourceProblem as exc:
                raise BuildError([error(SourceLoc(relpath(paths.templates / "print", paths.root)), (
                    f"el PDF de {edition.anio} no se pudo generar: {exc}"))]) from exc
            for name, pdf in pdfs.items():
                write_bytes(edition_dir / name, pdf)
