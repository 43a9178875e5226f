"""The print document in parts: the front matter, each chapter and the notes, laid out one by one.

Every chapter starts on a new page, so each is laid out as a document of its own (in parallel, and
cached by its HTML), and `pdf_assemble` joins them. What a part cannot know alone is written into
its HTML as text from a page map (`pages`, element id -> page number of the whole report):
the contents and the lists of figures and tables, and «figura 2, página 7» (`data-pagina`,
shown by print.css); `render_pdf` lays a part out again when a number it shows was wrong.
A link to another part leaves as a URI (`PART_LINK` + id) that the assembly turns into a named
destination. The footnotes of a chapter continue the numbering of the chapters before it.

What else is laid out at assembly, for the whole report: the page furniture (the running header and the
«página N de M» footer, `lay_out_footers`, drawn as artifacts). Left and right pages mirror their margins, so a part laid out from a right
page is shifted onto a left one there (`LaidOutPart.content_x`).

The words print.css writes itself (the running header, the footer, «, página 7» after a cross-reference,
the bookmarks of the contents and the lists) are set again in the active language by `language_css`,
laid over print.css; the PDF's keywords by `keywords`.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, replace
from html import escape, unescape
from pathlib import Path
from typing import Any

from .errors import BuildError, Diagnostic, SourceLoc
from .i18n import gettext
from .pdf_layout import Places

FRONT = "front"
NOTES = "notas-edicion"
# A link to an element of another part: WeasyPrint writes it as a URI action, pdf_assemble makes it a /Dest.
PART_LINK = "emra-parte:"
# Around a page number of a part in a message, until the part's first page is known (`renumber`).
PAGE_MARK = "\u2063"
# The only margin box that needs the whole report (the page count): laid out at assembly (print.css).
FOOTER_BOX = "bottom-right"
# The margin boxes print.css fills (the running header and the footer): laid out at assembly for every page
# in one untagged document and drawn as artifacts (PDF/UA-1 §7.1: page furniture is not content). A part
# laid out alone draws none: WeasyPrint tags a margin box's text without linking it to the structure tree.
PAGE_FURNITURE = ("top-left", "top-right", FOOTER_BOX)
_RUNNING_HEAD = re.compile(r'<section class="chapter[^"]*"[^>]*>\s*<h1>(.*?)</h1>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
MARGIN_BOXES = ("top-left-corner", "top-left", "top-center", "top-right", "top-right-corner", "left-top",
                "left-middle", "left-bottom", "right-top", "right-middle", "right-bottom", "bottom-left-corner",
                "bottom-left", "bottom-center", "bottom-right", "bottom-right-corner")
PX_TO_PT = 0.75

_ID = re.compile(r'\sid="([^"]+)"')
_LINK = re.compile(r'<a\b([^>]*?)\shref="#([^"]*)"([^>]*)>')
_MARKED = re.compile(f"{PAGE_MARK}(\\d+){PAGE_MARK}")


@dataclass(frozen=True)
class LaidOutPart:
    """One part laid out and written by WeasyPrint.

    `pdf`: its tagged PDF (the chapter download, before assembly adds its running header and footer). `anchors`:
    element id -> index of its page in the part. `page_names`: each page's CSS page name (""
    when unnamed). `content_x`: each page's left content edge in pt. `cited`: the page numbers
    its links show, by target id. `messages`: WeasyPrint's log lines. `diagnostics`: what the
    layout nets found, with page numbers marked for `renumber`.
    """

    name: str
    pdf: bytes
    anchors: dict[str, int]
    page_names: tuple[str, ...]
    content_x: tuple[float, ...]
    cited: dict[str, int]
    messages: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    running_head: str = ""  # what print.css's running header shows on its pages: its chapter's title

    @property
    def page_count(self) -> int:
        return len(self.page_names)


def running_head(html: str) -> str:
    """The running header's chapter title in a part's HTML: its chapter's <h1> as text (print.css sets it
    with `string-set: chapter content(text)`), "" for a part with no chapter (the front matter)."""
    found = _RUNNING_HEAD.search(html)
    return " ".join(unescape(_TAG.sub("", found.group(1))).split()) if found else ""


def css_string(text: str) -> str:
    """`text` as a CSS string: «"página "»."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ") + '"'


def css_content(template: str, **values: str) -> str:
    """A CSS `content` value from a message with `{name}` placeholders, each placeholder replaced by its
    CSS value: «página {n} de {total}» with n="counter(page)" → `"página " counter(page) " de " …`."""
    from string import Formatter

    parts = []
    for literal, field, _, _ in Formatter().parse(template):
        if literal:
            parts.append(css_string(literal))
        if field is not None:
            parts.append(values[field])
    return " ".join(parts)


def language_css() -> str:
    """print.css's own words in the active language, laid over it with the same selectors (Spanish gives
    print.css's rules again): the running header, the footer, what follows a cross-reference, and the
    bookmarks of the contents and of the lists of figures and tables."""
    header = css_string(gettext("EMRA 2023-2050 · Informe de avance"))
    footer = css_content(gettext("página {n} de {total}"), n="counter(page)", total="counter(pages)")
    xref = css_content(gettext(", página {n}"), n="attr(data-pagina)")
    section = css_content(gettext(" (sección {seccion}, página {n})"), seccion="attr(data-seccion)",
                          n="attr(data-pagina)")
    contents = css_string(gettext("Índice"))
    figures = css_string(gettext("Índice de figuras"))
    tables = css_string(gettext("Índice de tablas"))
    return (f"@page {{ @top-right {{ content: {header}; }} @bottom-right {{ content: {footer}; }} }}\n"
            f"a.xref::after {{ content: {xref}; }}\n"
            f"a.seccion-ref::after {{ content: {section}; }}\n"
            f".toc-title {{ bookmark-label: {contents}; }}\n"
            f".lists .toc-title-figures {{ bookmark-label: {figures}; }}\n"
            f".lists .toc-title-tables {{ bookmark-label: {tables}; }}\n")


def keywords(edition) -> list[str]:
    """The PDF's keywords (its /Keywords and XMP pdf:Keywords), in the active language."""
    return [edition.titulo_corto, gettext("minería"), "Antofagasta", gettext("acuerdos transversales"),
            gettext("informe de avance"), str(edition.anio)]


def part_names(edition) -> list[str]:
    """The parts of the edition's print document, in reading order."""
    notes = [NOTES] if edition.notas or edition.correcciones else []
    return [FRONT, *(s.slug for s in edition.sections), *notes]


def footnotes_before(edition, name: str) -> int:
    """How many footnotes the chapters before part `name` hold (its first one is the next number)."""
    from .markdown import Prose

    count = 0
    for section in edition.sections:
        if section.slug == name:
            break
        count += sum(b.print_html.count('<span class="nota">') for b in section.blocks if isinstance(b, Prose))
    return count


def render_part(edition, views: dict, templates: Path, name: str, pages: dict[str, int],
                site_url: str | None = None) -> str:
    """The print HTML of one part (`part_names`), its page numbers taken from `pages` (0 when unknown);
    `views` are the edition's figures and tables (`views.block_views`)."""
    from .literals import for_print
    from .views import make_env

    env = make_env(templates)
    html = env.get_template("print/report.html").render(
        edition=edition, views=views, site_url=site_url, part=name,
        footnotes_before=footnotes_before(edition, name))
    return localize(for_print(html), pages)


def localize(html: str, pages: dict[str, int]) -> str:
    """Every `href="#id"` link with `data-pagina` (the target's page, 0 when unknown); a target
    outside this HTML becomes a `PART_LINK` URI."""
    own = {unescape(i) for i in _ID.findall(html)}

    def link(m: re.Match) -> str:
        target = unescape(m.group(2))
        href = f"#{m.group(2)}" if target in own else PART_LINK + m.group(2)
        return f'<a{m.group(1)} href="{href}" data-pagina="{pages.get(target, 0)}"{m.group(3)}>'

    return _LINK.sub(link, html)


def cited_pages(html: str) -> dict[str, int]:
    """The page numbers a part's HTML shows, by target id (what `localize` wrote)."""
    found = re.findall(r'href="(?:#|' + re.escape(PART_LINK) + r')([^"]*)" data-pagina="(\d+)"', html)
    return {unescape(target): int(number) for target, number in found}


def renumber(diagnostics, first_page: int) -> list[Diagnostic]:
    """The diagnostics of a part whose first page is `first_page` of the report, with the report's numbers."""
    return [replace(d, message=_MARKED.sub(lambda m: str(int(m.group(1)) + first_page - 1), d.message))
            for d in diagnostics]


@dataclass(frozen=True)
class PrintJob:
    """One edition's print run: `edition_dir` holds its chart files and images (the documents' base
    URL), `allowed` the folders it may read, `content`/`root` where its sources are (the layout
    nets name them), `places` how the nets name what they find, `where` the print template."""

    edition: Any
    edition_dir: Path
    allowed: tuple[Path, ...]
    content: Path
    root: Path
    places: Places
    where: SourceLoc


_printers: dict[tuple[str, str], Printer] = {}


def printer_for(templates: Path) -> Printer:
    """This process's Printer for `templates` (made again when print.css or a font changed)."""
    from .cache import fingerprint_files
    from .fonts import font_dir, font_files

    key = (str(templates), fingerprint_files([templates / "print" / "print.css", *font_files(font_dir(templates))]))
    if key not in _printers:
        if not _printers:
            import atexit

            # Dropped before the interpreter tears modules down: WeasyPrint's FontConfiguration
            # cleans up in __del__ and prints a traceback when its modules are already gone.
            atexit.register(_printers.clear)
        _printers.clear()
        _printers[key] = Printer(templates)
    return _printers[key]


def prepare_printer(templates: Path) -> None:
    """Import WeasyPrint and make this process's Printer, in a process that will print later (`pdf_jobs`)."""
    printer_for(templates)


def warm_up_printer(templates: Path) -> None:
    """Warm this process's Printer up (`Printer.warm_up`), while it has nothing else to do."""
    printer_for(templates).warm_up()


class Printer:
    """WeasyPrint made ready: the shipped fonts, the print stylesheets, a log collector.

    Made once per process (`printer_for`) and before forking, so a child lays out parts with what
    this process already loaded.
    """

    def __init__(self, templates: Path):
        from .fonts import font_dir, only_shipped_fonts
        from .pdf_messages import Collector
        from .render_pdf import confined_fetcher_class, import_weasyprint

        import_weasyprint(templates)
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.templates = templates
        fetcher = confined_fetcher_class()([templates], allowed_protocols=["file", "data"])
        self.collector = Collector()
        self.options = {"pdf_variant": "pdf/ua-1", "uncompressed_pdf": False}
        # @font-face rules only take effect through a FontConfiguration shared by CSS and layout;
        # made while fontconfig sees only the shipped fonts, no machine's font can stand in for a glyph.
        with only_shipped_fonts(font_dir(templates)):
            self.fonts = FontConfiguration()
        self.css = CSS(filename=str(templates / "print" / "print.css"), url_fetcher=fetcher, font_config=self.fonts)
        every = " ".join(f"@{b} {{ content: none !important; }}" for b in MARGIN_BOXES)
        self.without_margins = CSS(string=f"@page {{ {every} }}", font_config=self.fonts)
        others = " ".join(f"@{b} {{ content: none !important; }}" for b in MARGIN_BOXES if b not in PAGE_FURNITURE)
        self.only_margins = CSS(string=f"@page {{ background: none !important; {others} }}", font_config=self.fonts)
        self._words: dict[str, Any] = {}  # `language_css` by its text: one stylesheet per language

    def words(self):
        """print.css's words in the active language (`language_css`), a stylesheet made once per process."""
        from weasyprint import CSS

        text = language_css()
        if text not in self._words:
            self._words[text] = CSS(string=text, font_config=self.fonts)
        return self._words[text]

    def _fetcher(self, allowed):
        from .render_pdf import confined_fetcher_class

        return confined_fetcher_class()([*allowed, self.templates], allowed_protocols=["file", "data"])

    def _logging(self):
        logger = logging.getLogger("weasyprint")
        logger.addHandler(self.collector)
        return logger

    def warm_up(self) -> None:
        """Lay out and write a page with every face, a table and an SVG label: the first layout of a
        process loads the fonts into Pango and has cffi parse its C types (about 0.5 s), so a
        process that prepares while others work prints its first part sooner."""
        from weasyprint import HTML

        svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20"><text x="2" y="14" '
               'font-family="Source Sans 3" font-size="10">Sí 1,5 %</text></svg>')
        body = ('<section class="chapter" id="cap-x"><h1>Título</h1><p>Texto <em>cursiva</em> <strong>negrita</strong> '
                '<span style="font-weight: 600">seminegrita</span><span class="nota">Nota.</span></p>'
                '<table><thead><tr><th>Id</th></tr></thead><tbody><tr><td>A-1</td></tr></tbody></table>'
                f'<figure class="chart"><img alt="x" src="data:image/svg+xml,{svg.replace("#", "%23")}"></figure>'
                '</section>')
        logger = self._logging()
        try:
            HTML(string=f'<html lang="es"><body>{body}</body></html>', url_fetcher=self._fetcher([])).render(
                stylesheets=[self.css, self.without_margins], font_config=self.fonts, **self.options).write_pdf(
                pdf_identifier=b"0" * 32, **self.options)
        finally:
            logger.removeHandler(self.collector)
            self.collector.messages.clear()

    def lay_out(self, job: PrintJob, name: str, html: str, title: str | None) -> LaidOutPart:
        """Lay out and write one part. `title` follows the document's title (a chapter's own PDF).

        The layout nets run on it (`pdf_layout`, `leftovers`); what they find travels in the
        result, with page numbers marked (`renumber`). Raises BuildError for a fetch refused.
        """
        from weasyprint import HTML
        from weasyprint.urls import FatalURLFetchingError

        from . import leftovers
        from .errors import error
        from .pdf_layout import allow_breaks, layout_diagnostics, unsplittable_overflows

        logger = self._logging()
        before = len(self.collector.messages)
        try:
            source = HTML(string=html, base_url=job.edition_dir.as_uri() + "/", url_fetcher=self._fetcher(job.allowed))

            def layout():
                return source.render(stylesheets=[self.css, self.words(), self.without_margins],
                                     font_config=self.fonts, **self.options)

            document = layout()
            # A table row or figure taller than a page cannot stay whole: WeasyPrint pushes it to a new
            # page, splits it anyway and drops the table header there. Let it break where it falls (its
            # element in `source` says so from now on) and lay out again.
            if unsplittable := unsplittable_overflows(document):
                allow_breaks(unsplittable)
                document = layout()
            problems = layout_diagnostics(document, job.places, marked=True)  # nothing outside the text block
            try:  # Markdown syntax left as text
                leftovers.check_document(document, job.edition, job.content, job.root, marked=True)
            except BuildError as exc:
                problems += exc.diagnostics
            if title is not None:
                document.metadata.title = f"{document.metadata.title} · {title}"
            document.metadata.keywords = keywords(job.edition)
            identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
            pdf = document.write_pdf(pdf_identifier=identifier, **self.options)
        except FatalURLFetchingError as exc:  # our own fetcher's refusal, already in Spanish
            raise BuildError([error(job.where, f"el PDF no se pudo generar: {exc}")]) from exc
        finally:
            logger.removeHandler(self.collector)
        anchors: dict[str, int] = {}
        for i, page in enumerate(document.pages):  # an element split over pages is where it starts
            for a in page.anchors:
                anchors.setdefault(a, i)
        messages = tuple(self.collector.messages[before:])
        del self.collector.messages[before:]
        return LaidOutPart(name, pdf, anchors, tuple(p._page_box.page_type.name or "" for p in document.pages),
                           tuple(round(p._page_box.content_box_x() * PX_TO_PT, 6) for p in document.pages),
                           cited_pages(html), messages, tuple(problems), running_head(html))

    def lay_out_footers(self, page_names: list[str], lang: str, heads: list[str]) -> tuple[bytes, tuple[float, ...]]:
        """The page furniture of every page of the report (`PAGE_FURNITURE`: the running header, whose
        chapter title is `heads[i]` on page i, and the footer «página N de M»), as an untagged PDF of
        otherwise blank pages with the report's page names; and each page's left content edge in pt."""
        from weasyprint import HTML

        pages = "".join(f'<div style="page: {escape(n) if n else "auto"};{" break-before: page;" if i else ""} '
                        f'height: 1px; string-set: chapter {escape(css_string(head))}"></div>'
                        for i, (n, head) in enumerate(zip(page_names, heads, strict=True)))
        logger = self._logging()
        untagged = {"uncompressed_pdf": False}  # drawn as an artifact: no marked content inside
        try:
            document = HTML(string=f'<html lang="{escape(lang)}"><body>{pages}</body></html>',
                            url_fetcher=self._fetcher([])).render(
                stylesheets=[self.css, self.words(), self.only_margins], font_config=self.fonts, **untagged)
            pdf = document.write_pdf(pdf_identifier=b"0" * 32, **untagged)
        finally:
            logger.removeHandler(self.collector)
        assert len(document.pages) == len(page_names), "one blank page per page of the report"
        return pdf, tuple(round(p._page_box.content_box_x() * PX_TO_PT, 6) for p in document.pages)
