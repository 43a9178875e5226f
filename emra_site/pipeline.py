"""The stages of a build (read and check, model, charts, extras, search); `app.run` orchestrates them."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BuildError, Diagnostic, SourceLoc, error, has_errors
from .layout import LAYOUT
from .load import load_edition, relpath
from .model import Report, build_edition
from .paths import Paths
from .schema import TABLES_BY_NAME
from .validate import validate_edition

if TYPE_CHECKING:
    from .pdf_jobs import PdfJobs


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


def read_report(paths: Paths, cache=None) -> tuple[Report | None, list[Diagnostic]]:
    """Load and check every edition; return the model only if there are no errors.

    With a cache, an edition whose files are unchanged is not read or checked again (with 27
    editions, that is most of the reading).
    """
    from .cache import Cache, fingerprint_tree
    from .fonts import covered, font_dir
    from .keys import edition_key, fonts_fingerprint

    cache = cache or Cache(None)
    years = find_years(paths)
    fonts = font_dir(paths.templates)
    charset = None  # read from the fonts only when an edition has to be checked again
    font_print = fonts_fingerprint(fonts)
    diags: list[Diagnostic] = []
    if not years:
        diags.append(error(SourceLoc(relpath(paths.content, paths.root)), (
            "no hay ediciones; se esperaba una carpeta por año, por ejemplo content/2025/ con edition.yml")))
    editions, digests = [], {}
    for year in years:
        digests[int(year)] = fingerprint_tree(paths.content / year, paths.data / year)
        key = edition_key(digests[int(year)], font_print)
        cached = cache.get("ediciones", key)
        if cached is None:
            charset = charset or covered(fonts)
            raw, found = load_edition(paths.content / year, paths.data / year, paths.root, TABLES_BY_NAME, charset)
            edition, more = validate_edition(raw, TABLES_BY_NAME)
            found += more
            cached = (None if has_errors(found) else build_edition(edition), found)
            if cached[0] is not None:
                cache.put("ediciones", key, cached)
        editions.append(cached[0])
        diags += cached[1]
    if has_errors(diags):
        return None, sorted(diags)
    return add_history(Report(tuple(editions)), cache, digests), sorted(diags)


def add_history(report: Report, cache=None, digests=None) -> Report:
    """Give every edition after the first its comparison and a generated «¿Qué cambió?» chapter."""
    from .cache import Cache
    from .keys import comparison_key

    cache = cache or Cache(None)
    editions = [report.editions[0]] if report.editions else []
    for previous, current in zip(report.editions, report.editions[1:], strict=False):
        key = comparison_key(digests[previous.anio], digests[current.anio]) if digests else None
        compared = cache.get("historias", key) if key else None
        if compared is None:
            compared = with_comparison(previous, current)
            if key:
                cache.put("historias", key, compared)
        editions.append(compared)
    return Report(tuple(editions))


def with_comparison(previous, current):
    """`current` with its comparison to `previous` and the generated chapter that shows it."""
    import dataclasses

    from .history import compare, comparison_markdown
    from .markdown import split_blocks
    from .model import Section

    comp = compare(previous, current)
    ids = {"dimensiones": {d.id for d in current.data.dimensiones}}
    blocks, headings, _, _, problems = split_blocks(comparison_markdown(comp, previous, current),
                                                    f"(cambios {current.anio})", 1, ids)
    assert not problems, problems  # generated from validated data: a problem here is a bug
    section = Section(LAYOUT.CHANGES_SLUG, str(len(current.sections) + 1), f"¿Qué cambió desde {previous.anio}?",
                      f"Cambios del informe {current.anio} respecto del de {previous.anio}: avances, acuerdos, "
                      "iniciativas y proyectos.", tuple(blocks), tuple(headings))
    return dataclasses.replace(current, sections=(*current.sections, section), cambios=comp)


def require_report(paths: Paths, cache=None) -> tuple[Report, list[Diagnostic]]:
    """Like read_report, but raise BuildError when the input has errors."""
    report, diags = read_report(paths, cache)
    if report is None:
        raise BuildError(diags)
    return report, diags


def edition_keys(paths: Paths, report: Report, site_url: str | None) -> dict[int, str]:
    """What each edition's folder of the site is made from; the same key gives the same files.

    An edition's pages show, besides the edition itself, only the site shell (`shell.SiteShell`:
    the latest edition's identity, pages and data, and every edition's links); templates cannot
    reach anything else of another edition, so the shell's digest is all the key needs of them.
    """
    from .charts import chart_jobs
    from .keys import folder_key
    from .shell import site_shell

    fonts = paths.templates / "fonts"
    shell = site_shell(report).key()
    return {e.anio: folder_key(paths.templates, site_url, shell, repr(e), paths.content / str(e.anio),
                               [j.cache_key for j in chart_jobs(e, fonts, report.history(e.anio))])
            for e in report.editions}


def write_extras(paths: Paths, report: Report, charts: dict, site: Path, cache, years=None,
                 site_url: str | None = None) -> None:
    """Downloads (tables, chart files, framed with their address under `site_url`) and the communications
    kit (`emra_site/kit`: cards, posts, key figures, calendar, press note) of each edition (or of `years` only)."""
    from .downloads import write_downloads
    from .kit.write import write_kit

    fonts = paths.templates / "fonts"
    for edition in report.editions:
        if years is not None and edition.anio not in years:
            continue
        edition_dir = site / str(edition.anio)
        write_downloads(edition, charts[edition.anio], edition_dir, fonts, cache, site_url)
        write_kit(edition, edition_dir, fonts, cache, site_url)


def write_search_index(paths: Paths, site: Path) -> None:
    """Index `site` for search; a failing Pagefind is reported like any other build problem."""
    from .search import SearchIndexError, index_site

    try:
        index_site(site)
    except SearchIndexError as exc:
        raise BuildError([error(SourceLoc(relpath(paths.output, paths.root)), str(exc))]) from exc


def open_cache(paths: Paths, use_cache: bool):
    """The project's build cache (.cache/emra), or a disabled one; the templates' compiled code is
    kept there too (`views.keep_compiled_templates`)."""
    from .cache import Cache
    from .views import keep_compiled_templates

    keep_compiled_templates(paths.cache / "plantillas" if use_cache else None)
    return Cache(paths.cache if use_cache else None)


def render_all_charts(paths: Paths, report: Report, cache, pdfs: PdfJobs | None = None, years=None) -> dict:
    """Every edition's charts (or those of `years`); charts across editions see the editions up to their own.

    With `pdfs`, each edition's PDF starts in another process once its wide charts are drawn
    (all a PDF shows); the phone drawings and the font subsets are made here meanwhile.
    """
    from .charts import draw_narrow, draw_wide, finish_charts

    fonts = paths.templates / "fonts"
    wide = {}
    for edition in report.editions:
        if years is not None and edition.anio not in years:
            continue
        wide[edition.anio] = draw_wide(edition, fonts, report.history(edition.anio), cache)
        if pdfs is not None:
            bare = [(job.block, job.key, plan, svg, "") for job, plan, svg in wide[edition.anio]]
            pdfs.start(edition, finish_charts(bare))
    return {year: finish_charts(draw_narrow(drawn, fonts, cache)) for year, drawn in wide.items()}
