"""Every file name and URL of the published site: the one owner of where things are.

Paths are relative to the site root (forward slashes), or to an edition's folder where a
method says so; pages link with page-relative URLs built from them (`SiteLayout.url`). Code
and templates ask this module instead of writing names of their own, and the section slugs an
editor may not use are derived from the names an edition folder holds (`RESERVED_SLUGS`).
Light module: nothing beyond the standard library and `i18n` (the active language's folder).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class SiteLayout:
    """Where each output lives; one instance (`LAYOUT`) serves the whole build: it holds no state."""

    # Site-wide pages and folders.
    HOME: ClassVar[str] = "index.html"
    SEARCH_PAGE: ClassVar[str] = "buscar.html"
    EDITIONS_PAGE: ClassVar[str] = "ediciones.html"
    NOT_FOUND: ClassVar[str] = "404.html"
    SITEMAP: ClassVar[str] = "sitemap.xml"
    ROBOTS: ClassVar[str] = "robots.txt"
    NO_JEKYLL: ClassVar[str] = ".nojekyll"
    ASSETS: ClassVar[str] = "assets"
    SEARCH_INDEX: ClassVar[str] = "pagefind"
    # Inside an edition folder.
    DATA_DIR: ClassVar[str] = "datos"
    CHARTS_DIR: ClassVar[str] = "graficos"
    DATA_PACKAGE: ClassVar[str] = "datapackage.json"  # inside DATA_DIR, next to each table's CSV and JSON
    IMAGES_DIR: ClassVar[str] = "imagenes"
    CHANGES_SLUG: ClassVar[str] = "cambios"  # the generated «¿Qué cambió?» chapter
    FILE_STEM: ClassVar[str] = "emra-informe-avance"
    # The communications kit, inside an edition folder (`emra_site/kit`); its files relative to KIT_DIR.
    KIT_DIR: ClassVar[str] = "kit"
    KIT_CARDS: ClassVar[str] = "tarjetas"
    KIT_POSTS: ClassVar[str] = "publicaciones.csv"
    KIT_FIGURES: ClassVar[str] = "cifras-clave"  # .csv and .json
    KIT_CALENDAR: ClassVar[str] = "calendario.ics"
    KIT_PRESS_NOTE: ClassVar[str] = "nota-de-prensa.docx"

    # --- an edition's folder and pages (relative to the site root) ---
    def edition_dir(self, anio: int) -> str:
        return str(anio)

    def section_file(self, slug: str) -> str:
        """A section's page inside its edition folder."""
        return f"{slug}.html"

    def section_page(self, anio: int, slug: str) -> str:
        return f"{anio}/{self.section_file(slug)}"

    def data_page(self, anio: int) -> str:
        return f"{anio}/{self.DATA_DIR}/index.html"

    def kit_page(self, anio: int) -> str:
        """«Kit de prensa y redes»: the kit's page, in its folder."""
        return f"{anio}/{self.KIT_DIR}/index.html"

    # --- files inside an edition folder (relative to it) ---
    def pdf_name(self, anio: int) -> str:
        """The edition's full report."""
        return f"{self.FILE_STEM}-{anio}.pdf"

    def chapter_pdf_name(self, anio: int, numero: str) -> str:
        """One chapter's PDF."""
        return f"{self.FILE_STEM}-{anio}-cap-{numero}.pdf"

    def kit_archive_name(self, anio: int) -> str:
        """The press kit archive, inside KIT_DIR."""
        return f"kit-de-prensa-{anio}.zip"

    def card_file(self, card_id: str, size: tuple[int, int]) -> str:
        """A social card's PNG, relative to the edition folder."""
        return f"{self.KIT_DIR}/{self.KIT_CARDS}/{card_id}-{size[0]}x{size[1]}.png"

    def data_zip_name(self, anio: int) -> str:
        return f"emra-datos-{anio}.zip"

    def data_file(self, name: str) -> str:
        """A download of the data folder (`acuerdos.csv`, `datapackage.json`, …)."""
        return f"{self.DATA_DIR}/{name}"

    def chart_svg(self, key: str) -> str:
        return f"{self.CHARTS_DIR}/{key}.svg"

    def chart_png(self, key: str) -> str:
        return f"{self.CHARTS_DIR}/{key}.png"

    def embed_page(self, key: str) -> str:
        """A figure's page for embedding in other sites (`embeds.py`): a chart's key or
        `table_embed_key(n)`."""
        return f"{self.CHARTS_DIR}/{key}.html"

    def table_embed_key(self, number: int) -> str:
        """The name of table `number`'s embed page: its anchor in its section page (`tabla-N`)."""
        return f"tabla-{number}"

    def chart_csv(self, key: str) -> str:
        """A chart's data, inside the data folder."""
        return self.data_file(f"{self.CHARTS_DIR}/{key}.csv")

    def image(self, stem: str, suffix: str) -> str:
        """An editor's image, as the site serves it."""
        return f"{self.IMAGES_DIR}/{stem}{suffix}"

    # --- anchors of the print document (one HTML file: a chapter's ids carry its slug) ---
    def chapter_anchor(self, slug: str) -> str:
        """The id of a section's chapter in the print document."""
        return f"cap-{slug}"

    def print_anchor(self, slug: str, anchor: str) -> str:
        """The id a section's heading `anchor` takes in the print document."""
        return f"{slug}-{anchor}"

    # --- links ---
    def public(self, path: str) -> str:
        """`path` (relative to a language's root, as every method here names it) from the site root: inside
        the active language's folder (`en/2025/summary.html`; Spanish: the path itself, `i18n.active`)."""
        from .i18n import active

        return active().prefix + path

    def absolute(self, site_url: str, path: str) -> str:
        """The public address of `path` (relative to a language's root) under `site_url`."""
        return f"{site_url.rstrip('/')}/{self.public(path)}"

    def url(self, target: str, page: str) -> str:
        """The page-relative URL of `target` from `page` (both relative to the site root)."""
        here = posixpath.dirname(page) or "."
        return posixpath.relpath(target, here)


LAYOUT = SiteLayout()

# An editor's section slug becomes `<slug>.html` next to these folders and the generated chapter.
RESERVED_SLUGS = frozenset({SiteLayout.CHANGES_SLUG, SiteLayout.DATA_DIR, SiteLayout.CHARTS_DIR, SiteLayout.IMAGES_DIR,
                            SiteLayout.KIT_DIR})
# An editor's new table becomes `<name>.csv` and `<name>.json` in DATA_DIR, next to the data package.
RESERVED_TABLE_NAMES = frozenset({SiteLayout.DATA_PACKAGE.rsplit(".", 1)[0]})
