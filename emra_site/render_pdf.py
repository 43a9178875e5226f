"""Render an edition to a tagged PDF with WeasyPrint, reading only files inside the build."""

from __future__ import annotations

import hashlib
import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .views import block_views, make_env


class ResourceProblem(Exception):
    """WeasyPrint asked for something it may not have, or could not load something it needs."""


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


class _Collector(logging.Handler):
    """Keep WeasyPrint's warnings: a missing image or font is only logged, and must fail the build."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def render_print_html(edition, charts: dict, templates: Path) -> str:
    """The print document: cover, colophon, contents and one chapter per section."""
    env = make_env(templates)
    return env.get_template("print/report.html").render(edition=edition, views=block_views(edition, charts))


def _chapter_pages(document, sections) -> dict:
    """The pages of each chapter in the laid-out full report, found by the chapter's anchor."""
    return {s.slug: [p for p in document.pages if f"cap-{s.slug}" in p.anchors] for s in sections}


def render_pdf(edition, charts: dict, templates: Path, edition_dir: Path, allowed: list[Path]) -> dict[str, bytes]:
    """Render the edition's PDF and one PDF per chapter; `edition_dir` is where its chart files are.

    The document is laid out once; each chapter PDF is a copy of its pages, so it keeps the
    design and the page numbers of the full report («página 6 de 24») at little extra cost.
    """
    import copy

    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    html = render_print_html(edition, charts, templates)
    fetcher = confined_fetcher_class()([*allowed, templates], allowed_protocols=["file", "data"])
    collector = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    digest = hashlib.sha256(html.encode("utf-8")).hexdigest()
    options = {"pdf_variant": "pdf/ua-1", "uncompressed_pdf": False}
    try:
        # @font-face rules only take effect through a FontConfiguration shared by CSS and layout.
        fonts = FontConfiguration()
        css = CSS(filename=str(templates / "print" / "print.css"), url_fetcher=fetcher, font_config=fonts)
        document = HTML(string=html, base_url=edition_dir.as_uri() + "/", url_fetcher=fetcher).render(
            stylesheets=[css], font_config=fonts, **options)
        out = {edition.pdf_name: document.write_pdf(pdf_identifier=digest[:32].encode("ascii"), **options)}
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
    except FatalURLFetchingError as exc:
        raise ResourceProblem(str(exc)) from exc
    finally:
        logger.removeHandler(collector)
    if collector.messages:
        raise ResourceProblem("; ".join(sorted(set(collector.messages))))
    return out
