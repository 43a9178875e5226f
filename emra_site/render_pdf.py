"""Render an edition to a tagged PDF with WeasyPrint, reading only files inside the build."""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import leftovers
from .errors import BuildError, Diagnostic, SourceLoc, error, has_errors
from .fonts import font_dir, font_files, has_harfbuzz_subset, only_shipped_fonts
from .layout import LAYOUT
from .load import relpath
from .views import block_views, make_env
from .workers import Forked


@dataclass(frozen=True)
class RenderedPdfs:
    """An edition's PDFs by file name, and what WeasyPrint reported while making them (warnings, notices)."""

    files: dict[str, bytes]
    diagnostics: tuple[Diagnostic, ...] = ()


def confined_fetcher_class():
    """A URLFetcher that serves local files under the allowed folders and refuses everything else."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class ConfinedFetcher(URLFetcher):
        """Serve `file:` URLs inside `roots`; any other scheme or place stops the build."""

        def __init__(self, roots: list[Path], **kwargs):
            super().__init__(**kwargs)
            self.roots = [r.resolve() for r in roots]

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "data":  # inline fonts of the chart SVGs: no I/O involved
                return super().fetch(url, headers)
            if parts.scheme != "file":
                raise FatalURLFetchingError(f"recurso externo bloqueado: {url}")
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise FatalURLFetchingError(f"archivo fuera de la carpeta de compilación: {path}")
            if not path.is_file():
                raise FatalURLFetchingError(f"no existe el archivo: {path}")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if path.suffix == ".woff2":
                mime = "font/woff2"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})

    return ConfinedFetcher


def render_print_html(edition, charts: dict, templates: Path, site_url: str | None = None) -> str:
    """The print document: cover, colophon, contents and one chapter per section.

    `site_url` (--site-url) gives the colophon's reference its absolute URL; without it the reference has none.
    """
    from .literals import for_print

    env = make_env(templates)
    return for_print(env.get_template("print/report.html").render(edition=edition, views=block_views(edition, charts),
                                                                 site_url=site_url))


def _chapter_pages(document, sections) -> dict:
    """The pages of each chapter in the laid-out full report, found by the chapter's anchor."""
    return {s.slug: [p for p in document.pages if LAYOUT.chapter_anchor(s.slug) in p.anchors] for s in sections}


def layout_places(edition, charts: dict, content: Path, root: Path, where: SourceLoc):
    """How the layout net names what it finds in this edition's print document (`pdf_layout.Places`):
    each chapter by its Markdown file, each figure and table by its block, each image by its file;
    the rest (cover, contents) at `where`, the print template."""
    from .pdf_layout import Place, Places

    edition_file = SourceLoc(relpath(content / str(edition.anio) / "edition.yml", root))
    chapters = {}
    for s in edition.sections:
        source = content / str(edition.anio) / f"{s.slug}.md"
        loc = SourceLoc(relpath(source, root)) if source.is_file() else where  # a generated chapter: the template
        chapters[LAYOUT.chapter_anchor(s.slug)] = Place(f"el capítulo {s.numero} «{s.titulo}»", loc, chapter=True,
                                                        source=source if source.is_file() else None)
    chapters["notas-edicion"] = Place("el capítulo «Notas sobre la fuente»", edition_file, chapter=True)
    blocks = {v["anchor"]: Place(f"la {v['label']}", block.loc) for block, v in block_views(edition, charts).items()}
    images = {i.target: Place(f"la imagen «{Path(*Path(i.source).parts[1:]).as_posix()}»",
                              SourceLoc(relpath(content / i.source, root)))
              for s in edition.sections for i in s.images}
    return Places(Place("el informe", where), {**chapters, **blocks}, images)


def _write_chapters(document, edition, digest: str, options: dict, collector) -> dict[str, bytes]:
    """Each chapter's pages of the laid-out report as a PDF of its own."""
    import copy

    out = {}
    chapters = _chapter_pages(document, edition.sections)
    before = len(collector.messages)
    for section in edition.sections:
        chapter = document.copy(chapters[section.slug])
        chapter.metadata = copy.copy(document.metadata)
        chapter.metadata.title = f"{document.metadata.title} · {section.numero}. {section.titulo}"
        identifier = hashlib.sha256(f"{digest}{section.slug}".encode()).hexdigest()[:32].encode("ascii")
        out[edition.chapter_pdf_name(section)] = chapter.write_pdf(pdf_identifier=identifier, **options)
    # A cross-reference to another chapter keeps its text («figura 2, página 6») but cannot
    # link inside a one-chapter file; that warning is expected there, and only there.
    collector.messages[before:] = [m for m in collector.messages[before:] if not m.startswith("No anchor")]
    return out


def print_document(edition, charts: dict, templates: Path, content: Path,
                   site_url: str | None = None) -> tuple[str, str]:
    """The print HTML and the cache key of its PDFs (the HTML and every file the PDF loads);
    `content` is the folder the sections' image sources are relative to."""
    from .keys import pdf_key

    html = render_print_html(edition, charts, templates, site_url)
    loaded = [templates / "print" / "print.css", *font_files(font_dir(templates)),
              *(content / i.source for s in edition.sections for i in s.images)]
    # HarfBuzz-Subset and fontTools subset the fonts into different bytes: the machine's choice is an input.
    return html, pdf_key(html, loaded, [c.svg for c in charts.values()], has_harfbuzz_subset())


def write_print_folder(folder: Path, edition, charts: dict, content: Path) -> None:
    """The files the print document loads, at the paths it names: chart SVGs and section images."""
    from .output import write_text

    for chart in charts.values():
        write_text(folder / chart.svg_path, chart.svg)
    for image in (i for s in edition.sections for i in s.images):
        (folder / image.target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(content / image.source, folder / image.target)


def render_pdf(edition, charts: dict, templates: Path, edition_dir: Path, allowed: list[Path], root: Path,
               content: Path, cache=None, site_url: str | None = None) -> RenderedPdfs:
    """The edition's PDFs, from the cache when the print document and everything it loads are unchanged.

    Raises BuildError when WeasyPrint reports a problem of the content or the templates (see
    `pdf_messages`) or when something lies outside a page's text block (`pdf_layout`); warnings and
    notices travel with the PDFs, also when they come from the cache.
    """
    from .cache import Cache

    html, key = print_document(edition, charts, templates, content, site_url)
    cache = cache or Cache(None)

    def render() -> RenderedPdfs:
        places = layout_places(edition, charts, content, root, SourceLoc(relpath(templates / "print", root)))
        return _render_pdf(edition, html, templates, edition_dir, allowed, root, content, places)

    return cache.through("pdf", key, render)


def import_weasyprint(templates: Path) -> None:
    """Import WeasyPrint seeing only the shipped fonts: at import it checks fontconfig, and warns
    in English on a machine with no font at all."""
    from .svg_text import install

    with only_shipped_fonts(font_dir(templates)):
        import weasyprint  # noqa: F401
        import weasyprint.text.fonts  # noqa: F401
        import weasyprint.urls  # noqa: F401
    install()  # chart labels as one text run each, not one per letter (svg_text.py)


def _render_pdf(edition, html: str, templates: Path, edition_dir: Path, allowed: list[Path],
                root: Path, content: Path, places=None) -> RenderedPdfs:
    """Render the edition's PDF and one PDF per chapter; `edition_dir` is where its chart files are.

    The document is laid out once (twice when a row or figure is taller than a page, see below);
    each chapter PDF is a copy of its pages, so it keeps the design and the page numbers of the
    full report («página 6 de 24»). Chapters are written in a forked process while this one writes
    the full report, so the second core does that work. Before anything is written, the layout
    net (`pdf_layout`) checks that nothing lies outside a page's text block: `places` names what
    it finds (`layout_places`).
    """
    from .pdf_layout import Place, Places, allow_breaks, layout_diagnostics, unsplittable_overflows
    from .pdf_messages import Collector, classify

    import_weasyprint(templates)
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    where = SourceLoc(relpath(templates / "print", root))
    places = places or Places(Place("el informe", where))
    sources = {Path(i.target).name: SourceLoc(relpath(content / i.source, root))
               for s in edition.sections for i in s.images}
    fetcher = confined_fetcher_class()([*allowed, templates], allowed_protocols=["file", "data"])
    collector = Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    digest = hashlib.sha256(html.encode("utf-8")).hexdigest()
    options = {"pdf_variant": "pdf/ua-1", "uncompressed_pdf": False}
    try:
        # @font-face rules only take effect through a FontConfiguration shared by CSS and layout;
        # made while fontconfig sees only the shipped fonts, no machine's font can stand in for a glyph.
        with only_shipped_fonts(font_dir(templates)):
            fonts = FontConfiguration()
        css = CSS(filename=str(templates / "print" / "print.css"), url_fetcher=fetcher, font_config=fonts)
        source = HTML(string=html, base_url=edition_dir.as_uri() + "/", url_fetcher=fetcher)

        def layout():
            return source.render(stylesheets=[css], font_config=fonts, **options)

        document = layout()
        # A table row or figure taller than a page cannot stay whole: WeasyPrint pushes it to a new
        # page, splits it anyway and drops the table header there. Let it break where it falls (its
        # element in `source` says so from now on, for every later layout) and lay out again.
        if unsplittable := unsplittable_overflows(document):
            allow_breaks(unsplittable)
            document = layout()
        problems = layout_diagnostics(document, places)  # the net: nothing outside the text block
        try:
            leftovers.check_document(document, edition, content, root)  # Markdown syntax left as text: an error
        except BuildError as exc:
            problems += exc.diagnostics
        if has_errors(problems):
            raise BuildError([*problems, *classify(collector.messages, where, sources)])

        def chapters_with_warnings():
            pdfs = _write_chapters(document, edition, digest, options, collector)
            return pdfs, list(collector.messages)

        # Writing a PDF resolves the links of its pages in place, so chapters are always written
        # from a document no full write has touched: same bytes whichever process does it.
        chapters = Forked(chapters_with_warnings)
        try:
            out = {edition.pdf_name: document.write_pdf(pdf_identifier=digest[:32].encode("ascii"), **options)}
        except BaseException:
            chapters.cancel()
            raise
        from_child = chapters.result()
        if from_child is None:
            out.update(_write_chapters(layout(), edition, digest, options, collector))
        else:
            pdfs, messages = from_child
            out.update(pdfs)
            collector.messages = sorted(set(collector.messages) | set(messages))
    except FatalURLFetchingError as exc:  # our own fetcher's refusal, already in Spanish
        raise BuildError([error(where, f"el PDF no se pudo generar: {exc}")]) from exc
    finally:
        logger.removeHandler(collector)
    diagnostics = classify(collector.messages, where, sources) + problems
    if has_errors(diagnostics):
        raise BuildError(diagnostics)
    return RenderedPdfs(out, tuple(diagnostics))
