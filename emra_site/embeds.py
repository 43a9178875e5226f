"""Embeddable figures: each chart and table of an edition on a page of its own, for another site's `<iframe>`.

The page (`SiteLayout.embed_page`: `<año>/graficos/<id>.html`, a chart's key or `tabla-N`) shows the figure,
its title, source and licence, and a link back to it in its section (templates/insertar.html): no header,
menu or script, only the site's CSS and fonts. It is left out of the sitemap and of the search index: the
section page is the figure's home, and the embed page names it as its canonical address.

Each section page offers the iframe code («Insertar», templates/_macros.html). Its `src` is absolute: with
the site's address known at build time it is written so; without it the page writes the page-relative URL
and copiar.js makes it absolute in the browser. A frame cannot take its content's height without a script
in the host page, so the code carries a height guessed here: the taller drawing and the lines around it, or
the table's rows, capped (a long table scrolls inside its frame).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import theme as T
from .errors import BuildError, error
from .i18n import gettext
from .layout import LAYOUT

if TYPE_CHECKING:
    from .directives import Directive
    from .model import Edition, Section

# Heights of the frame, in CSS pixels (site.css: 17 px text, line height 1.6; insertar.html).
CHART_CHROME = 150  # around a chart: margins, a title of two lines, source, licence and the link back
# The phone drawing (CHART_WIDTH_NARROW px) is shown up to 26rem wide (`.chart-narrow` in site.css): in a frame
# of 450 to 720 px it is that much taller than drawn. The frame fits it there too, so no chart is cut.
NARROW_SHOWN = 26 * 16 / T.CHART_WIDTH_NARROW
TABLE_CHROME = 240  # around a table: margins, title, header row, source, licence and the link back
TABLE_ROW = 66  # one row: two lines of text in a wide frame (a phone's cards are taller: the frame scrolls)
MIN_HEIGHT = 300
MAX_HEIGHT = 800  # taller than most screens would hide the host page: a long table scrolls in its frame


@dataclass(frozen=True)
class Snippet:
    """The iframe code as one page shows it: `src` as written in it, `code` the whole element (plain text)."""

    src: str
    code: str


@dataclass(frozen=True, eq=False)  # `view` is a dict: compared and hashed by identity
class Embed:
    """One figure's embed page. `view` is the figure as `views.block_views` made it; paths are relative to
    the site root."""

    key: str  # the page's file stem: the chart's key, or `tabla-N`
    block: Directive
    section: Section
    view: dict
    page: str  # the embed page
    section_page: str  # the page that shows the figure (its anchor: `view["anchor"]`)

    @property
    def title(self) -> str:
        """«Figura 2. Título» or «Tabla 3. Título», as the section page names it (in the active language)."""
        chart = self.view["chart"]
        if chart is not None:
            return gettext("Figura {n}. {titulo}").format(n=self.view["number"], titulo=chart.plan.title)
        return gettext("Tabla {n}. {titulo}").format(n=self.view["number"], titulo=self.view["table"].title)

    @property
    def height(self) -> int:
        """The frame's height: the wide or the phone drawing (as shown at its widest), whichever is taller, and
        the lines around it; a table by its rows. Between MIN_HEIGHT and MAX_HEIGHT."""
        chart = self.view["chart"]
        if chart is None:
            guess = TABLE_CHROME + TABLE_ROW * len(self.view["table"].rows)
        else:
            from .charts.drawing import svg_size

            guess = CHART_CHROME + max(chart.height, round(svg_size(chart.narrow_svg)[1] * NARROW_SHOWN))
        return max(MIN_HEIGHT, min(MAX_HEIGHT, guess))

    def snippet(self, page: str, site_url: str | None) -> Snippet:
        """The iframe code shown on `page`: absolute `src` with `site_url`, else relative to `page` (for copiar.js)."""
        src = LAYOUT.absolute(site_url, self.page) if site_url else LAYOUT.url(self.page, page)
        code = (
            f'<iframe src="{html.escape(src)}" title="{html.escape(self.title)}" width="100%" '
            f'height="{self.height}" style="border:0" loading="lazy"></iframe>'
        )
        return Snippet(src, code)


def embed_targets(edition: Edition, views: dict) -> list[Embed]:
    """Every chart and table of `edition` (`views`: `views.block_views`), in reading order, with its embed page.

    Raises BuildError when two figures would get the same page (a chart with `id: tabla-2`, a chart without an
    id in a section `tabla.md`, a table whose `id:` is a chart's): one page would hide the other.
    """
    year = LAYOUT.edition_dir(edition.anio)
    embeds = []
    for section, block in edition.directives():
        view = views[block]
        key = view["chart"].key if view["chart"] is not None else LAYOUT.table_embed_key(view["number"])
        page, home = f"{year}/{LAYOUT.embed_page(key)}", LAYOUT.section_page(edition.anio, section.slug)
        embeds.append(Embed(key, block, section, view, page, home))
    first: dict[str, Embed] = {}
    for e in embeds:
        first.setdefault(e.key, e)
    clashes = [e for e in embeds if first[e.key] is not e]
    if clashes:
        raise BuildError([error(e.block.loc, _clash(e)) for e in clashes])
    return embeds


def _clash(embed: Embed) -> str:
    fix = "cambie su «id:»" if embed.block.key else "agregue al bloque un «id:»"
    what, prefix = ("el gráfico", "grafico") if embed.view["chart"] is not None else ("la tabla", "tabla")
    return (
        f"{what} se publicaría como {embed.page}, que ya es la página para insertar de otra figura o tabla "
        f"de la edición; {fix} (por ejemplo «id: {prefix}-{embed.key}»)"
    )
