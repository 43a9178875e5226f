"""Each edition's PDFs, laid out in forked processes while the build goes on with the site."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Self

from .i18n import SOURCE, active, use_language
from .paths import Paths
from .render_pdf import RenderedPdfs
from .workers import Forked, Worker, WorkerJob


def start_worker(paths: Paths) -> Worker:
    """A process forked now that imports WeasyPrint and makes its Printer (about 1.5 s of CPU), then
    warms it up if no PDF has come yet, lays out each PDF it is given, in order (`PdfJobs`), and then
    takes its share of the downloads and the kit (`pipeline.write_extras`).

    Forked as early as the build can (before reading the report, and before vl-convert starts,
    after which forking is unsafe): after an edit, this set-up is most of the PDF's wait. Kept for
    every PDF after the first (the other language's, the other editions'), which would otherwise pay
    it again in a new child.
    """
    from .pdf_parts import prepare_printer, warm_up_printer

    return Worker(functools.partial(prepare_printer, paths.templates),
                  idle=functools.partial(warm_up_printer, paths.templates))


def render_edition(paths: Paths, cache, site_url: str | None, folder: Path, edition, charts: dict,
                   edition_dir: Path, fork: bool = True, language: str = SOURCE.code) -> RenderedPdfs:
    """One edition's PDFs (`render_pdf.render_pdf`) in `language` (a code: `i18n.LANGUAGES`), its print
    files in `edition_dir` under `folder`."""
    from . import render_pdf as R

    with use_language(language):  # a forked process does not inherit the caller's language: it is passed
        return R.render_pdf(edition, charts, paths.templates, edition_dir, [folder], paths.root, paths.content,
                            cache, site_url, fork)


class PdfJobs:
    """Each edition's PDFs, laid out in forked processes while this one builds the site.

    A PDF only needs its edition, its bare chart SVGs and its images, so it can start as soon as
    that edition's charts are drawn. With a warm worker (`start_worker`), every PDF is queued in it, in
    the order started: each begins the moment the one before ends, with WeasyPrint already loaded (a
    new child would load it again: 1.5 s of CPU per PDF). Without one, each PDF gets a child of its
    own: while this process still draws charts, at most half the cores' worth run at once (each also
    forks its chapters); once it waits, every core. A job that fails in its child is run again here,
    where its error surfaces.
    """

    def __init__(self, paths: Paths, cache, fork: bool = True, worker: Worker | None = None,
                 site_url: str | None = None):
        import os
        import tempfile

        from .output import PRINT_PREFIX

        self.paths, self.cache, self.fork = paths, cache, fork
        self.site_url = site_url  # the colophon's reference carries the PDF's absolute URL
        self.limit = max(1, (os.cpu_count() or 2) // 2)
        paths.output.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=PRINT_PREFIX, dir=paths.output))
        self.pending: list = []  # PDFs whose charts are ready, waiting for a free process
        self.running: list = []
        self.done: dict[str, RenderedPdfs] = {}  # by the edition's folder in the site: '2025', 'en/2025'
        self.worker = worker if fork else None  # `start_worker`: takes every PDF not in the cache

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        import shutil

        for _, job, _ in self.running:
            if job is not None:
                job.cancel()
        if self.worker is not None:
            self.worker.cancel()
        shutil.rmtree(self.folder, ignore_errors=True)

    def start(self, edition, charts: dict) -> None:
        """Lay out and write this edition's PDFs in the active language (from the cache when nothing they
        show changed)."""
        from . import render_pdf as R

        language = active()
        where = f"{language.prefix}{edition.anio}"
        edition_dir = self.folder / where
        _, key, _ = R.print_document(edition, charts, self.paths.templates, self.paths.content, self.site_url)
        cached = self.cache.get("pdf", key)
        if cached is not None:
            self.done[where] = cached
            return
        R.write_print_folder(edition_dir, edition, charts, self.paths.content)

        self.pending.append((where, language.code, edition, charts, edition_dir))
        self._launch(self.limit)

    def poll(self) -> None:
        """Take the PDFs finished by now and start waiting ones in their place: the build calls this between
        its steps, so the next language's PDF starts as soon as a process is free, not when the site is done."""
        self._launch(self.limit)

    def _launch(self, limit: int) -> None:
        """Collect the PDFs already written, then start waiting ones: all of them in the warm worker, or in
        children of their own while fewer than `limit` run."""
        for item in [r for r in self.running if r[1] is not None and r[1].ready()]:
            self.running.remove(item)
            self._collect(item)
        warm = self.worker if self.worker is not None and self.worker.alive else None
        while self.pending and (warm is not None or len(self.running) < limit):
            where, language, edition, charts, edition_dir = self.pending.pop(0)
            render = functools.partial(self._render, edition, charts, edition_dir, language)
            job: Forked | WorkerJob | None
            if warm is not None:
                job = warm.send(render_edition, self.paths, self.cache, self.site_url, self.folder, edition,
                                charts, edition_dir, True, language)
            else:
                job = Forked(render) if self.fork else None
            self.running.append((where, job, render))

    def _render(self, edition, charts: dict, edition_dir: Path, language: str) -> RenderedPdfs:
        return render_edition(self.paths, self.cache, self.site_url, self.folder, edition, charts, edition_dir,
                              self.fork, language)

    def _collect(self, running) -> None:
        """Take a finished job's PDFs; a job whose child failed is run again here, where its error surfaces."""
        from .views import template_errors

        where, job, render = running
        pdfs = job.result() if job is not None else None
        if pdfs is None:
            with template_errors(self.paths):
                pdfs = render()
        self.done[where] = pdfs

    def finish(self) -> dict[str, RenderedPdfs]:
        """Every edition's PDFs by its folder in the site (`2025`, `en/2025`), once all are written."""
        import os

        while self.pending or self.running:
            self._launch(os.cpu_count() or 2)  # this process has nothing else to do now: every core
            if self.running:
                self._collect(self.running.pop(0))
        return dict(sorted(self.done.items()))
