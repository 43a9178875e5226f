"""Render an edition to a tagged PDF with WeasyPrint, reading only files inside the build."""

from __future__ import annotations

import mimetypes
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import BuildError, Diagnostic, SourceLoc, error, has_errors
from .fonts import font_dir, font_files, has_harfbuzz_subset, only_shipped_fonts
from .keys import PrintInputs
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


def render_print_html(edition, charts: dict, templates: Path, site_url: str | None = None, views=None) -> str:
    """The print document: cover, colophon, contents and one chapter per section.

    `site_url` (--site-url) gives the colophon's reference its absolute URL; without it the reference has none.
    """
    from .literals import for_print

    env = make_env(templates)
    views = block_views(edition, charts) if views is None else views
    return for_print(env.get_template("print/report.html").render(edition=edition, views=views,
                                                                 site_url=site_url, part=None, footnotes_before=0))


def layout_places(edition, charts: dict, content: Path, root: Path, where: SourceLoc, views=None):
    """How the layout net names what it finds in this edition's print document (`pdf_layout.Places`):
    each chapter by its Markdown file, each figure and table by its block, each image by its file;
    the rest (cover, contents) at `where`, the print template."""
    from .i18n import SOURCE, active
    from .pdf_layout import Place, Places

    # Another language's edition is written in its folder (`content/2025/en/`), a section under its Spanish file name.
    folder = content / str(edition.anio) / ("" if active() == SOURCE else active().code)
    edition_file = SourceLoc(relpath(folder / "edition.yml", root))
    chapters = {}
    for s in edition.sections:
        source = folder / f"{s.source or s.slug}.md"
        loc = SourceLoc(relpath(source, root)) if source.is_file() else where  # a generated chapter: the template
        chapters[LAYOUT.chapter_anchor(s.slug)] = Place(f"el capítulo {s.numero} «{s.titulo}»", loc, chapter=True,
                                                        source=source if source.is_file() else None)
    chapters["notas-edicion"] = Place("el capítulo «Notas sobre la fuente»", edition_file, chapter=True)
    views = block_views(edition, charts) if views is None else views
    blocks = {v["anchor"]: Place(f"la {v['label']}", block.loc) for block, v in views.items()}
    images = {i.target: Place(f"la imagen «{Path(*Path(i.source).parts[1:]).as_posix()}»",
                              SourceLoc(relpath(content / i.source, root)))
              for s in edition.sections for i in s.images}
    return Places(Place("el informe", where), {**chapters, **blocks}, images)


def print_document(edition, charts: dict, templates: Path, content: Path,
                   site_url: str | None = None, views=None) -> tuple[str, str, PrintInputs]:
    """The whole print HTML, the cache key of the edition's PDFs (that HTML and what it loads) and
    what it loads (`keys.PrintInputs`: each part's key names only what that part loads); `content`
    is the folder the sections' image sources are relative to."""
    import dataclasses
    import hashlib

    from .cache import Cache, fingerprint_files
    from .keys import pdf_key, print_inputs
    from .pdf_parts import language_css

    html = render_print_html(edition, charts, templates, site_url, views)
    files = {c.svg_path: hashlib.sha256(c.svg.encode("utf-8")).hexdigest() for c in charts.values()}
    files.update({i.target: fingerprint_files([content / i.source]) for s in edition.sections for i in s.images})
    # HarfBuzz-Subset and fontTools subset the fonts into different bytes: the machine's choice is an input.
    inputs = print_inputs([templates / "print" / "print.css", *font_files(font_dir(templates))], files,
                          has_harfbuzz_subset())
    # print.css's words in the active language (`pdf_parts.language_css`) style every part and the footers
    # too: a change of their translation lays the PDF out again.
    inputs = dataclasses.replace(inputs, style_key=Cache.key("pdf-palabras", inputs.style_key, language_css()))
    return html, pdf_key(html, inputs.key), inputs


def write_print_folder(folder: Path, edition, charts: dict, content: Path) -> None:
    """The files the print document loads, at the paths it names: chart SVGs and section images."""
    from .output import write_text

    for chart in charts.values():
        write_text(folder / chart.svg_path, chart.svg)
    for image in (i for s in edition.sections for i in s.images):
        (folder / image.target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(content / image.source, folder / image.target)


def render_pdf(edition, charts: dict, templates: Path, edition_dir: Path, allowed: list[Path], root: Path,
               content: Path, cache=None, site_url: str | None = None, fork: bool = True) -> RenderedPdfs:
    """The edition's PDFs, from the cache when the print document and everything it loads are unchanged.
    `fork`: parts may be laid out in a second process (never from a threaded process: the preview).

    Raises BuildError when WeasyPrint reports a problem of the content or the templates (see
    `pdf_messages`) or when something lies outside a page's text block (`pdf_layout`); warnings and
    notices travel with the PDFs, also when they come from the cache.
    """
    from .cache import Cache

    views = block_views(edition, charts)  # what every part shows of the figures and tables, made once
    _, key, inputs = print_document(edition, charts, templates, content, site_url, views)
    cache = cache or Cache(None)

    def render() -> RenderedPdfs:
        places = layout_places(edition, charts, content, root, SourceLoc(relpath(templates / "print", root)), views)
        return _render_pdf(edition, views, templates, edition_dir, allowed, root, content, places, cache,
                           inputs, site_url, fork)

    return cache.through("pdf", key, render)


def import_weasyprint(templates: Path) -> None:
    """Import WeasyPrint seeing only the shipped fonts: at import it checks fontconfig, and warns
    in English on a machine with no font at all."""
    from .pdf_tags import install as install_languages
    from .svg_text import install

    with only_shipped_fonts(font_dir(templates)):
        import weasyprint
        import weasyprint.text.fonts
        import weasyprint.urls  # noqa: F401
    install()  # chart labels as one text run each, not one per letter (svg_text.py)
    install_languages()  # a phrase's own language as /Lang on its structure element (pdf_tags.py)


# Rounds of laying out again a part whose page numbers were wrong; each round only changes
# numbers, so the second always agrees unless a number's width moves a page break.
MAX_ROUNDS = 4


def _render_pdf(edition, views: dict, templates: Path, edition_dir: Path, allowed: list[Path], root: Path,
                content: Path, places, cache, inputs: PrintInputs, site_url: str | None, fork: bool) -> RenderedPdfs:
    """Render the edition's PDF and one PDF per chapter; `edition_dir` is where its chart files are.

    Each part (`pdf_parts`: the front matter, each chapter, the notes) is laid out on its own, in
    parallel on two processes, each cached by its HTML. The page numbers they show come from the
    last build's page map (another language's first build takes the Spanish one's, `_source_pages`);
    a part is laid out again while a number it shows is wrong (in a cold build, the front matter and
    any chapter with a cross-reference, once). Then the footers, and
    `pdf_assemble` joins the report and finishes each chapter's own PDF.
    """
    from . import pdf_parts as P
    from .keys import pdf_chapter_key, pdf_footers_key, pdf_page_map_key
    from .pdf_assemble import finish_chapter, join
    from .pdf_messages import classify

    where = SourceLoc(relpath(templates / "print", root))
    sources = {Path(i.target).name: SourceLoc(relpath(content / i.source, root))
               for s in edition.sections for i in s.images}
    printer = P.printer_for(templates)
    job = P.PrintJob(edition, edition_dir, tuple(allowed), content, root, places, where)
    titles = {s.slug: f"{s.numero}. {s.titulo}" for s in edition.sections}
    names = P.part_names(edition)
    map_key = pdf_page_map_key(edition.anio)
    own: dict[str, int] | None = cache.get("pdf", map_key)  # the last build's numbers: a guess
    pages = own or _source_pages(cache, edition.anio)

    def lay_out(todo: list[str]) -> dict[str, P.LaidOutPart]:
        htmls = {n: P.render_part(edition, views, templates, n, pages, site_url) for n in todo}
        return _lay_out_parts(printer, job, htmls, titles, cache, inputs, fork)

    # The front matter needs every chapter's length; without a last build's numbers it waits for
    # them, and its own length is guessed from its pages that start with a new page.
    laid = lay_out(names if own else names[1:])
    front_guess = pages.get(FRONT_LENGTH) or _front_length_guess(P.render_part(edition, views, templates, P.FRONT,
                                                                                {}, site_url))
    for _ in range(MAX_ROUNDS):
        front_pages = laid[P.FRONT].page_count if P.FRONT in laid else front_guess
        pages = _page_map(names, laid, front_pages)
        stale = [n for n in names
                 if n not in laid or any(pages.get(t, 0) != shown for t, shown in laid[n].cited.items())]
        if not stale:
            break
        laid.update(lay_out(stale))
    else:
        raise BuildError([error(where, "el PDF no se pudo generar: los números de página del índice no se "
                                       "estabilizaron. Informe este error al equipo web.")])
    cache.put("pdf", map_key, pages)

    parts = [laid[n] for n in names]
    starts = _starts(parts)
    diagnostics = [d for part, first in zip(parts, starts, strict=True) for d in P.renumber(part.diagnostics, first)]
    messages = sorted({m for part in parts for m in part.messages})
    diagnostics = classify(messages, where, sources) + diagnostics
    if has_errors(diagnostics):
        raise BuildError(diagnostics)

    page_names = tuple(n for part in parts for n in part.page_names)
    heads = tuple(part.running_head for part in parts for _ in part.page_names)
    footers_key = pdf_footers_key(page_names, edition.idioma, inputs.style_key, heads)
    footers, footer_x = cache.through("pdf", footers_key,
                                      lambda: printer.lay_out_footers(list(page_names), edition.idioma, list(heads)))
    fonts = font_dir(templates)
    out = {edition.pdf_name: join(parts, footers, footer_x, fonts, edition.idioma)}
    for section in edition.sections:  # an edit elsewhere leaves a chapter's own PDF as it was
        i = names.index(section.slug)
        out[edition.chapter_pdf_name(section)] = cache.through(
            "pdf", pdf_chapter_key(parts[i].pdf, starts[i], footers_key, edition.pdf_name),
            lambda i=i: finish_chapter(parts[i], starts[i], footers, footer_x, edition.pdf_name, fonts,
                                       edition.idioma))
    return RenderedPdfs(out, tuple(diagnostics))


def _source_pages(cache, anio: int) -> dict[str, int]:
    """The Spanish edition's last page map, the guess for another language's first PDF of that edition
    (empty in Spanish, or when there is none): its figures and tables have the same ids as in Spanish
    and, laid out from the same data, mostly the same pages, so a chapter that cites them (the summary)
    is laid out once instead of twice. The chapters' and headings' ids differ by language: the front
    matter still waits for the chapters' lengths."""
    from .i18n import SOURCE, active, use_language
    from .keys import pdf_page_map_key

    if active() == SOURCE:
        return {}
    with use_language(SOURCE):
        return cache.get("pdf", pdf_page_map_key(anio)) or {}


def _starts(parts) -> list[int]:
    """Each part's first page in the report (1-based)."""
    starts, page = [], 1
    for part in parts:
        starts.append(page)
        page += part.page_count
    return starts


FRONT_LENGTH = ""  # the page map's entry for the front matter's length (no element id is empty)


def _page_map(names: list[str], laid: dict, front_pages: int) -> dict[str, int]:
    """Element id -> page of the report (1-based), the parts taken in the order of `names`; the
    front matter (first) is `front_pages` long, laid out or not yet."""
    pages = {FRONT_LENGTH: front_pages}
    page = 1
    for name in names:
        part = laid.get(name)
        if part is not None:
            pages.update({a: page + i for a, i in part.anchors.items()})
        page += part.page_count if part is not None else front_pages
    return pages


def _front_length_guess(html: str) -> int:
    """The front matter's pages if each of its top-level blocks fills one (cover, colophon, contents…)."""
    return max(1, len(re.findall(r"^<(?:section|nav)\b", html, re.MULTILINE)))


def _lay_out_parts(printer, job, htmls: dict[str, str], titles: dict[str, str], cache, inputs: PrintInputs,
                   fork: bool) -> dict:
    """Each part laid out (`Printer.lay_out`), from the cache when its HTML was laid out before;
    the others split between this process and a forked one, largest first, by HTML length."""
    keys = {n: inputs.part_key(html) for n, html in htmls.items()}
    done = {n: part for n in htmls if (part := cache.get("pdf", keys[n])) is not None}
    todo = sorted((n for n in htmls if n not in done), key=lambda n: (-len(htmls[n]), n))
    mine: list[str] = []
    theirs: list[str] = []
    load = [0, 0]
    for n in todo:  # the longest part first, each to the lighter process
        side = 0 if load[0] <= load[1] else 1
        (mine if side == 0 else theirs).append(n)
        load[side] += len(htmls[n])

    def run(batch: list[str]) -> list:
        return [printer.lay_out(job, n, htmls[n], titles.get(n)) for n in batch]

    if not fork:
        mine, theirs = sorted(mine + theirs), []
    child = Forked(lambda: run(theirs)) if theirs else None
    try:
        results = run(mine)
    except BaseException:
        if child is not None:
            child.cancel()
        raise
    from_child = child.result() if child is not None else None
    results += from_child if from_child is not None else run(theirs)
    for part in results:
        cache.put("pdf", keys[part.name], part)
        done[part.name] = part
    return done
