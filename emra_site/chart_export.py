"""A chart framed for download, like Our World in Data's grapher export: a file a journalist can reuse
and attribute on its own, with the title, the figure's place in the report, the chart, and a footer
with the source, the edition date, the licence and the page's address.

`chart_frame` gathers the texts (plain Unicode), `framed_svg` lays them out around the bare chart
(text wrapped by the shipped fonts' advance widths, so it fits the width resvg and browsers draw),
`with_font_style` embeds the font subset the texts need, and `framed_png` rasterises the framed SVG
and writes the texts again as PNG text chunks. Sizes are CSS pixels; the output is byte-deterministic.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import io
import re
from dataclasses import dataclass
from pathlib import Path

from . import theme as T
from .i18n import gettext
from .layout import LAYOUT
from .svgfonts import embed_style, font_style, used_glyphs
from .text_metrics import wrap_text

MARGIN = 24  # px around the text; the chart brings its own 8 px padding, so it sits 16 px in
CHART_INSET = MARGIN - 8
TITLE = (20, 600, 25)  # font size px, weight, line height px
SUBTITLE = (14, 400, 19)
FOOTER = (T.CHART_FONT_SIZE, 400, 17)
GAP = 6  # px between the header and the chart, and between the chart and the footer
CAP_HEIGHT = 0.66  # Source Sans 3: 660 units of 1000; a line's capitals are centred in its line box


@dataclass(frozen=True)
class ChartFrame:
    """The texts around one chart in its download, unescaped.

    `footer` is the lines of the footer before wrapping (source and date, licence, address);
    `description` is the chart's text alternative; `created` the edition date.
    """

    title: str
    subtitle: str
    footer: tuple[str, ...]
    description: str
    author: str
    source: str
    license: str
    address: str
    created: dt.date


def chart_address(edition, section, number: int, site_url: str | None) -> str:
    """Where the figure is shown: `https://…/2025/acuerdos-transversales.html#figura-2` with a site
    URL, else the path from the site root (`2025/acuerdos-transversales.html#figura-2`)."""
    path = f"{LAYOUT.section_page(edition.anio, section.slug)}#figura-{number}"
    return LAYOUT.absolute(site_url, path) if site_url else LAYOUT.public(path)


def chart_frame(chart, edition, section, site_url: str | None = None) -> ChartFrame:
    """The frame of `chart` (a RenderedChart) shown in `section` of `edition`."""
    lic = edition.licencia
    source = gettext("{subtitulo} de la {titulo_corto}, {organismo}").format(
        subtitulo=edition.subtitulo, titulo_corto=edition.titulo_corto, organismo=edition.organismo.rstrip("."))
    date = T.fmt_date(edition.fecha_publicacion)
    license_text = (gettext("Licencia: {nombre} ({url})") if lic.needs_word else "{nombre} ({url})").format(
        nombre=lic.name, url=lic.url)
    address = chart_address(edition, section, chart.number, site_url)
    return ChartFrame(
        title=chart.plan.title,
        subtitle=gettext("Figura {n} · {numero}. {seccion} · {titulo_corto}, {subtitulo}").format(
            n=chart.number, numero=section.numero, seccion=section.titulo, titulo_corto=edition.titulo_corto,
            subtitulo=edition.subtitulo),
        footer=(gettext("Fuente: {fuente}, {fecha}.").format(fuente=source, fecha=date), license_text,
                gettext("Disponible en: {direccion}").format(direccion=address)),
        description=chart.plan.description,
        author=edition.organismo,
        source=f"{source}, {date}. {address}",
        license=license_text,
        address=address,
        created=edition.fecha_publicacion,
    )


_ROOT_SVG = re.compile(r"^\s*<svg\b[^>]*>")


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _text_lines(lines: list[str], top: float, style: tuple[int, int, int], colour: str) -> tuple[list[str], float]:
    """<text> elements for `lines` starting at `top`; returns them and the y below the last line."""
    size, weight, line_height = style
    out = []
    for line in lines:
        baseline = top + (line_height + CAP_HEIGHT * size) / 2
        out.append(f'<text x="{MARGIN}" y="{_num(baseline)}" font-family="{html.escape(T.FONT_STACK)}" '
                   f'font-size="{size}px" font-weight="{weight}" fill="{colour}">{html.escape(line)}</text>')
        top += line_height
    return out, top


def framed_svg(bare_svg: str, frame: ChartFrame, font_dir: Path) -> str:
    """The download: `frame`'s title and subtitle, the bare chart (as vl-convert drew it), and its
    footer, as one SVG `CHART_INSET` wider on each side than the chart; no font style yet."""
    from .charts import svg_size

    chart_width, chart_height = svg_size(bare_svg)
    width = chart_width + 2 * CHART_INSET
    room = width - 2 * MARGIN
    parts: list[str] = []
    y: float = MARGIN
    for text, style, colour in ((frame.title, TITLE, T.INK), (frame.subtitle, SUBTITLE, T.MUTED)):
        lines, y = _text_lines(wrap_text(text, room, style[0], style[1], font_dir), y, style, colour)
        parts += lines
    chart_top = y + GAP
    # The chart's own root <svg> is dropped, its drawing moved into a group: resvg renders a nested
    # <svg> as a clipped layer, which doubled the PNG's drawing time (0.35 s → 0.17 s a chart).
    drawing = _ROOT_SVG.sub("", bare_svg, count=1).removesuffix("</svg>")
    parts.append(f'<g transform="translate({CHART_INSET},{_num(chart_top)})">{drawing}</g>')
    y = chart_top + chart_height + GAP
    for text in frame.footer:
        lines, y = _text_lines(wrap_text(text, room, FOOTER[0], FOOTER[1], font_dir), y, FOOTER, T.MUTED)
        parts += lines
    height = round(y + MARGIN)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-labelledby="titulo descripcion">'
            f'<title id="titulo">{html.escape(frame.title)}</title>'
            f'<desc id="descripcion">{html.escape(frame.description)}</desc>'
            f'<rect width="{width}" height="{height}" fill="#ffffff"/>' + "".join(parts) + "</svg>")


def with_fonts(svgs: list[str], font_dir: Path, cache=None) -> list[str]:
    """`svgs` each carrying one font subset covering all their text (frames and charts), so they
    look the same offline and in an <img>; the subset is cached by the glyphs it holds."""
    from .cache import Cache
    from .keys import font_style_key, fonts_fingerprint

    cache = cache or Cache(None)
    glyphs = used_glyphs(svgs)
    style = cache.through("fuentes", font_style_key(fonts_fingerprint(font_dir), glyphs),
                          lambda: font_style(font_dir, T.FONT_FAMILY, *glyphs))
    return [embed_style(svg, style) for svg in svgs]


def _creation_time(date: dt.date) -> str:
    """The PNG «Creation Time»: RFC 1123, as the PNG specification suggests, at midnight in Chile."""
    moment = dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone(dt.timedelta(hours=-4)))
    return email.utils.format_datetime(moment)


def png_text(frame: ChartFrame) -> list[tuple[str, str]]:
    """The PNG text chunks (keyword, text): the PNG specification's keywords, in a fixed order."""
    return [
        ("Title", frame.title),
        ("Description", frame.description),
        ("Author", frame.author),
        ("Source", frame.source),
        ("Copyright", f"{T.end_sentence(frame.author)} {frame.license}"),
        ("Creation Time", _creation_time(frame.created)),
    ]


def framed_png(svg: str, frame: ChartFrame, font_dir: Path, scale: float) -> bytes:
    """The framed SVG as PNG at `scale`, with `frame`'s texts as text chunks (Latin-1 as tEXt, the
    rest as UTF-8 iTXt). No time chunk: the same SVG and frame give the same bytes."""
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    from .charts import vl_convert_with_fonts

    drawn = vl_convert_with_fonts(font_dir).svg_to_png(svg, scale=scale)
    info = PngInfo()
    for key, value in png_text(frame):
        info.add_text(key, value)
    out = io.BytesIO()
    with Image.open(io.BytesIO(drawn)) as image:
        # Opaque (the frame is white): RGB is a third smaller than resvg's RGBA, and re-encoding
        # with zlib's default level is half the size of resvg's own PNG.
        image.convert("RGB").save(out, "PNG", pnginfo=info)
    return out.getvalue()
