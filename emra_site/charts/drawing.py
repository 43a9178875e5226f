"""Drawing charts with vl-convert: fonts, SVGs, cache keys, and both cores on a cold build.

vl-convert is a native library with state for the life of the process; `VegaConverter` mirrors
that state in one object per process (`VEGA`), and the functions below use it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import theme as T
from ..errors import BuildError, SourceLoc, error
from ..fonts import only_shipped_fonts
from ..layout import LAYOUT
from .base import WIDE, ChartPlan
from .registry import CHART_KINDS, plan_chart

if TYPE_CHECKING:
    from ..directives import Directive
    from ..model import Data


class VegaConverter:
    """vl-convert as this process holds it: which font folders it has loaded, and whether it has drawn.

    vl-convert keeps the fonts it loaded for the life of the process, and once it has drawn, a
    fork of the process would hang in it. There is one instance per process (`VEGA`); a forked
    child gets a copy of it together with vl-convert's own state, which is what it must see.
    """

    def __init__(self) -> None:
        self.fonts: dict[str, str] = {}  # font folder → fingerprint of its TTF files when loaded
        self.has_drawn = False  # from now on a fork would hang in vl-convert

    def register_fonts(self, font_dir: Path):
        """The vl_convert module with the shipped fonts registered; forking is still safe after this.

        BuildError (in Spanish) when the font files changed since this process loaded them: a
        running preview cannot pick them up, so it says so rather than draw with the old ones.
        """
        import vl_convert as vlc

        from ..keys import fonts_fingerprint

        fingerprint = fonts_fingerprint(font_dir)
        known = self.fonts.get(str(font_dir))
        if known is None:
            # The first call builds vl-convert's font database for the life of the process: it must
            # read the project's fontconfig file, so no system font can stand in for a glyph.
            with only_shipped_fonts(font_dir):
                vlc.register_font_directory(str(font_dir))
            self.fonts[str(font_dir)] = fingerprint
        elif known != fingerprint:
            raise BuildError([error(SourceLoc(str(font_dir)), (
                "las fuentes cambiaron mientras el publicador seguía abierto; vuelva a ejecutar el comando "
                "(por ejemplo, reinicie «serve») para dibujar los gráficos con ellas"))])
        return vlc

    def about_to_draw(self, font_dir: Path):
        """The vl_convert module, about to draw, with the shipped fonts registered: every drawing measures with them."""
        vlc = self.register_fonts(font_dir)
        self.has_drawn = True
        return vlc

    def render_svg(self, spec: dict, font_dir: Path) -> str:
        """A Vega-Lite spec as SVG text, with no network access and the active language's number
        and date formats (es-CL «4.222.529», English «4,222,529»: `theme.d3_locales`).

        ValueError (vl-convert's, in English) when the spec cannot be drawn.
        """
        vlc = self.about_to_draw(font_dir)
        number_locale, time_locale = T.d3_locales()
        return number_clips(vlc.vegalite_to_svg(
            json.loads(json.dumps(spec, sort_keys=True)),
            allowed_base_urls=[],
            format_locale=number_locale,
            time_format_locale=time_locale,
        ))


_CLIP_ID = re.compile(r'(id="|url\(#)clip(\d+)\b')  # a clip path and its uses, never a label's text


def number_clips(svg: str) -> str:
    """The drawing's clip paths numbered from 1 in order of appearance. Vega numbers them with a counter of
    the process (`clip8` after seven clipped drawings), so the same chart drawn in another build, or after
    other charts, would not be the same bytes."""
    order: dict[str, str] = {}
    return _CLIP_ID.sub(lambda m: f"{m.group(1)}clip{order.setdefault(m.group(2), str(len(order) + 1))}", svg)


VEGA = VegaConverter()


def register_fonts(font_dir: Path):
    """This process's vl-convert with the shipped fonts registered (see `VegaConverter.register_fonts`)."""
    return VEGA.register_fonts(font_dir)


def vl_convert_with_fonts(font_dir: Path):
    """This process's vl-convert, about to draw (PNGs, the social card), with the shipped fonts."""
    return VEGA.about_to_draw(font_dir)


def render_svg(spec: dict, font_dir: Path) -> str:
    """Render a Vega-Lite spec to SVG with no network access and the active language's number formats."""
    return VEGA.render_svg(spec, font_dir)


def svg_size(svg: str) -> tuple[int, int]:
    """Width and height in pixels declared on the root <svg>, to reserve the image's space in the page."""
    m = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', svg)
    return (round(float(m.group(1))), round(float(m.group(2)))) if m else (WIDE.width, 300)


@dataclass(frozen=True)
class RenderedChart:
    """A chart placed in an edition: its drawings as vl-convert made them, its number and file names.

    The page shows both drawings inline (`inline_svg`: the page's web font); the PDF lays out `svg`;
    the downloadable files (`chart_export`) frame `svg` and embed their fonts. File names are
    relative to the edition folder.
    """

    key: str
    plan: ChartPlan
    svg_path: str
    svg: str  # wide: desktops, the PDF and the downloads
    number: int
    narrow_svg: str  # phones

    @property
    def width(self) -> int:
        return svg_size(self.svg)[0]

    @property
    def height(self) -> int:
        return svg_size(self.svg)[1]

    @property
    def png_path(self) -> str:
        return LAYOUT.chart_png(self.key)


@dataclass(frozen=True)
class ChartJob:
    """A chart block to draw: where it sits, its file key and the cache key of its drawings."""

    block: Directive
    key: str
    cache_key: str


class DataDigests:
    """Hashes of editions' data, computed once per object (27 editions each see all earlier ones).

    Each object is kept with its digest, so its id cannot be reused by another while it is here.
    """

    LIMIT = 512  # entries before starting afresh: a long `serve` session must not grow without end

    def __init__(self) -> None:
        self._known: dict[int, tuple[Data, str]] = {}

    def __call__(self, data: Data) -> str:
        known = self._known.get(id(data))
        if known is not None and known[0] is data:
            return known[1]
        if len(self._known) > self.LIMIT:
            self._known.clear()
        digest = hashlib.sha256(repr(data).encode("utf-8")).hexdigest()
        self._known[id(data)] = (data, digest)
        return digest


data_digest = DataDigests()  # one per process, like the editions it remembers


def chart_jobs(edition, font_dir: Path, history: tuple[tuple[int, Data], ...] = ()) -> list[ChartJob]:
    """Every chart block of an edition, in reading order, with the cache key of its drawings."""
    from ..directives import CHART, Directive
    from ..keys import chart_key, fonts_fingerprint

    fonts = fonts_fingerprint(font_dir)
    current, past = data_digest(edition.data), tuple((year, data_digest(data)) for year, data in history)
    jobs = []
    for section in edition.sections:
        n = 0
        for block in section.blocks:
            if isinstance(block, Directive) and block.kind == CHART:
                n += 1
                # The block's place in the file (loc) is left out: moving a chart does not redraw it.
                identity = (block.kind, block.name, block.params, block.titulo, block.descripcion)
                looks_back = CHART_KINDS[block.name].needs_history
                cache_key = chart_key(fonts, identity, current, past if looks_back else "")
                jobs.append(ChartJob(block, block.key or f"{section.slug}-{n}", cache_key))
    return jobs


def _draw_each(items: list[tuple[ChartJob, Any]], draw_one, kind: str, cache) -> list:
    """Draw each item missing from the cache; report every chart vl-convert refuses, all at once."""
    problems, out = [], []
    for job, item in items:
        result = cache.get(kind, job.cache_key)
        if result is None:
            try:
                result = draw_one(item)
            except ValueError:  # vl-convert reports every failure as ValueError, in English
                problems.append(error(job.block.loc, (
                    f"el gráfico «{job.block.name}» no se pudo dibujar con estos datos y parámetros; "
                    "revise el bloque y las tablas que usa, y si todo está bien avise al equipo técnico")))
                continue
            cache.put(kind, job.cache_key, result)
        out.append(result)
    if problems:
        raise BuildError(problems)
    return out


def draw_wide(edition, font_dir: Path, history: tuple[tuple[int, Data], ...] = (), cache=None,
              ahead: dict | None = None) -> list[tuple]:
    """Each chart of an edition as (job, plan, wide SVG): all the PDF needs, so it can start early.

    A chart whose block, data and code are unchanged comes from the cache, not planned or drawn
    again (and Altair and vl-convert are not even imported when nothing changed). `ahead`: drawings
    already made by `draw_wide_all` ({cache key: (plan, svg)}). BuildError listing every chart
    vl-convert could not draw.
    """
    from ..cache import Cache

    cache = cache or Cache(None)
    jobs = chart_jobs(edition, font_dir, history)

    def draw_one(job):
        plan = plan_chart(edition.data, job.block, history, font_dir)
        return plan, drawing(plan.spec, font_dir, cache)

    if ahead is None:
        ahead = _draw_on_both_cores([j for j in jobs if cache.get("graficos", j.cache_key) is None], draw_one, font_dir)
    drawn = _draw_each([(j, j) for j in jobs], lambda j: ahead.get(j.cache_key) or draw_one(j), "graficos", cache)
    return [(job, plan, svg) for job, (plan, svg) in zip(jobs, drawn, strict=True)]


def draw_wide_all(targets: list[tuple], font_dir: Path, cache=None) -> list[list[tuple]]:
    """`draw_wide` of several editions, each in its language: `targets` is [(i18n.Language, edition, history)].

    On a cold build the charts missing from every edition and language are shared between both cores
    at once (vl-convert draws only after a fork, `_draw_on_both_cores`), so the English charts do not
    wait for the Spanish ones to be drawn on one core.
    """
    from ..cache import Cache
    from ..i18n import use_language

    cache = cache or Cache(None)
    jobs, owner = [], {}
    for target in targets:
        language, edition, history = target
        with use_language(language):  # the language is part of every cache key
            made = chart_jobs(edition, font_dir, history)
        jobs.append(made)
        owner.update({job.cache_key: target for job in made})

    def draw_one(job):
        language, edition, history = owner[job.cache_key]
        with use_language(language):
            plan = plan_chart(edition.data, job.block, history, font_dir)
            return plan, drawing(plan.spec, font_dir, cache)

    missing = [j for made in jobs for j in made if cache.get("graficos", j.cache_key) is None]
    ahead = _draw_on_both_cores(missing, draw_one, font_dir)
    out = []
    for language, edition, history in targets:
        with use_language(language):
            out.append(draw_wide(edition, font_dir, history, cache, ahead))
    return out


def drawing(spec: dict, font_dir: Path, cache) -> str:
    """The SVG of a spec, drawn only if this very spec (with these fonts) was never drawn before.

    Charts are cached by their data first (no Altair at all when nothing changed); when the
    data changed, a chart whose spec came out the same is still not drawn again.
    """
    from ..keys import fonts_fingerprint, svg_key

    # Looked up on the package at each call: `emra_site.charts.render_svg` is the seam a test
    # replaces to make vl-convert fail (tests/test_safety.py).
    from . import render_svg as render

    key = svg_key(fonts_fingerprint(font_dir), spec)
    return cache.through("svg", key, lambda: render(spec, font_dir))


def _draw_on_both_cores(missing: list[ChartJob], draw_one, font_dir: Path) -> dict:
    """Draw every other missing chart in a forked child while this process draws the rest.

    vl-convert holds the GIL, so threads do not help, and a process cannot be forked once
    vl-convert has drawn in it: this only happens for the first charts a process draws (a cold
    build). Altair is imported first, so the child shares it. Whatever the child fails to draw
    is left out and drawn here by the caller, where its error is reported.
    """
    from ..workers import Forked

    if len(missing) < 4 or VEGA.has_drawn:
        return {}
    import altair  # noqa: F401 - loaded once, before the fork, for both processes

    register_fonts(font_dir)

    def draw_some(jobs):
        out = {}
        for job in jobs:
            try:
                out[job.cache_key] = draw_one(job)
            except ValueError:
                pass
        return out

    child = Forked(lambda: draw_some(missing[1::2]))
    drawn = draw_some(missing[0::2])
    drawn.update(child.result() or {})
    return drawn


def draw_narrow(wide: list[tuple], font_dir: Path, cache=None) -> list[tuple]:
    """Add each chart's phone drawing: (block, key, plan, wide SVG, narrow SVG)."""
    from ..cache import Cache

    cache = cache or Cache(None)
    narrow = _draw_each([(job, plan) for job, plan, _ in wide], lambda plan: drawing(plan.narrow_spec, font_dir, cache),
                        "graficos-movil", cache)
    return [(job.block, job.key, plan, svg, small) for (job, plan, svg), small in zip(wide, narrow, strict=True)]


def finish_charts(drawn: list[tuple]) -> dict:
    """The placed charts by block ({Directive: RenderedChart}), numbered in reading order."""
    return {
        block: RenderedChart(key, plan, LAYOUT.chart_svg(key), svg, number, small)
        for number, (block, key, plan, svg, small) in enumerate(drawn, start=1)
    }
