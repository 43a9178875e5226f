"""The one orchestrator: `build`, `serve` and the benchmarks run the stages through `run` with a `Plan`.

Order (MkDocs' rule: read and check everything before writing anything): read and validate →
charts → pages → downloads and cards → search index → PDFs → publish. A published build is
written into a staging folder and swapped into `output/site/` whole (`output.staged_site`), so
the site is only ever replaced complete; the live preview writes into its own folder,
`output/vista-previa/`, and never touches the published site.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError, Diagnostic, doubtful
from .paths import Paths
from .pipeline import (
    Timings,
    edition_keys,
    finish_extras,
    open_cache,
    render_all_charts,
    require_report,
    write_extras,
    write_search_index,
)


@dataclass(frozen=True)
class Plan:
    """What one run makes and where.

    `years` limits which editions' folders are (re)written (None: all); `preview` writes into the
    preview folder in place instead of publishing through a staging folder. The stages that a
    plan leaves out keep what the folder already has (the preview makes pages first, then the
    rest in the background).
    """

    site_url: str | None = None
    strict: bool = False
    use_cache: bool = True
    pages: bool = True  # HTML pages and the static assets
    extras: bool = True  # downloads, social cards and the search index
    pdfs: bool = True
    years: frozenset[int] | None = None
    preview: bool = False



def build(paths: Paths, site_url: str | None = None, timings: Timings | None = None, strict: bool = False,
          use_cache: bool = True) -> list[Diagnostic]:
    """Build the whole site and every PDF into `output/site`; raise BuildError on bad input.

    With `strict`, warnings stop the build too (the Pages workflow publishes nothing doubtful);
    notices about the machine never do. Returns the diagnostics (warnings, notices).
    """
    return run(paths, Plan(site_url=site_url, strict=strict, use_cache=use_cache), timings)


def run(paths: Paths, plan: Plan, timings: Timings | None = None) -> list[Diagnostic]:
    """Run the stages of `plan`; raise BuildError on bad input, leaving the target folder as it was."""
    from . import stamp
    from .output import copy_tree, staged_site, writing
    from .pdf_jobs import start_worker as start_pdf_worker
    from .views import template_errors

    timings = timings or Timings()
    if plan.preview:
        cache = open_cache(paths, plan.use_cache)
        report, diags = require_report(paths, cache)
        timings.mark("leer y validar")
        paths.preview.mkdir(parents=True, exist_ok=True)
        with template_errors(paths), writing(paths.preview):
            return _make(paths, report, diags, plan, cache, paths.preview, plan.years, {}, timings, None)[0]
    # The PDF's process starts first: importing WeasyPrint there overlaps with reading the report.
    worker = start_pdf_worker(paths) if plan.pdfs else None
    try:
        cache = open_cache(paths, plan.use_cache)
        report, diags = require_report(paths, cache)
        if plan.strict and doubtful(diags):
            raise BuildError(diags)
        timings.mark("leer y validar")
        # An edition folder built from exactly the same inputs is taken from the live site as it is.
        keys = edition_keys(paths, report, plan.site_url)
        kept = stamp.reusable_folders(paths, keys) if plan.use_cache else {}
        years = frozenset(keys) - set(kept)
        with staged_site(paths.site) as staging, template_errors(paths), writing(staging):
            for year in sorted(kept):
                copy_tree(paths.site / str(year), staging / str(year), link=True)
            diags, reported = _make(paths, report, diags, plan, cache, staging, years, kept, timings,
                                    worker if years else None)
    finally:
        if worker is not None:
            worker.cancel()  # unused (nothing to print) or already done: cancelling is a no-op then
    stamp.record_folders(paths, keys, reported)
    timings.mark("publicar")
    return diags


def _make(paths: Paths, report, diags: list[Diagnostic], plan: Plan, cache, site: Path, years, kept: dict,
          timings: Timings, worker) -> tuple[list[Diagnostic], dict]:
    """Write the plan's stages into `site` for `years`; return the diagnostics and what each edition's PDF
    reported. `worker` (`pdf_jobs.start_worker`, or None) takes the first PDF to lay out."""
    from .output import write_bytes
    from .pdf_jobs import PdfJobs
    from .render_html import render_site

    # A published build forks: each edition's PDF starts in another process as soon as its charts
    # are drawn. The preview runs in threads, where forking is unsafe: its PDFs are made in-process.
    with PdfJobs(paths, cache, fork=not plan.preview, worker=worker, site_url=plan.site_url) as pdfs:
        # The preview refreshes every edition's PDF (from the cache when unchanged): an edit can
        # change a later edition's «¿Qué cambió?» chapter as well as its own.
        drawn = None if plan.preview and plan.pdfs else years
        charts, translations = render_all_charts(paths, report, cache, pdfs if plan.pdfs else None, drawn)
        timings.mark("gráficos")
        if plan.pages:
            render_site(report, charts, paths.templates, paths.content, site, plan.site_url, years, translations)
            pdfs.poll()
        if plan.extras:
            extras = write_extras(paths, report, charts, site, cache, years, plan.site_url, translations,
                                  pdfs.poll, pdfs.worker)
        timings.mark("sitio HTML y datos")
        if plan.extras:
            write_search_index(paths, site)
            timings.mark("índice de búsqueda")
            finish_extras(extras)  # the pieces the PDF worker made once its PDFs were done
        made = pdfs.finish()
    # What each Spanish edition folder's PDFs reported is kept with the folder (`stamp`); another
    # language's folder is written whole on every build.
    reported = {**kept, **{int(where): rendered.diagnostics for where, rendered in made.items() if where.isdigit()}}
    # The PDFs' warnings stop a strict build like the input's; notices about the machine never do.
    diags = sorted(set(diags).union(*reported.values(), *(r.diagnostics for r in made.values())))
    if plan.strict and doubtful(diags):
        raise BuildError(diags)
    for where, rendered in made.items():
        for name, pdf in rendered.files.items():
            write_bytes(site / where / name, pdf)
    timings.mark("PDF (espera final)")
    if plan.extras:  # the press kit's archive holds the PDF: it is the build's last file
        from .i18n import use_language
        from .kit.write import write_kit_archive

        for year in sorted(int(w) for w in made if w.isdigit() and (years is None or int(w) in years)):
            write_kit_archive(report.edition(year), site / str(year), charts[year])
        for version in translations:  # only where this run made the PDF (the preview's pages pass makes none)
            with use_language(version.language):
                for edition in version.report.editions:
                    if f"{version.language.prefix}{edition.anio}" in made:
                        write_kit_archive(edition, site / version.language.prefix / str(edition.anio),
                                          version.charts[edition.anio])
        timings.mark("kit de prensa (zip)")
    return diags, reported
