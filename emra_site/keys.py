"""Every cache and reuse key of the build, in one place, each made of what its stage declares it reads.

The model is Sphinx's `note_dependency`: a stage states its inputs and the key is derived from
them, instead of each stage assembling a key by hand. Each function below is one stage's
declaration; its docstring lists what the stage reads, and the key is `Cache.key` of exactly
that (the code and the drawing tools' versions are always part of it, see `cache.Cache.key`).
If a stage starts to read something new, its function here is the one place to add it.
Light module: no heavy import.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .cache import Cache, fingerprint_files, fingerprint_tree
from .fonts import font_files


def fonts_fingerprint(font_dir: Path) -> str:
    """The shipped fonts (`templates/fonts/*.ttf`): read by validation (their cmaps), every drawing and the PDF."""
    return fingerprint_files(font_files(font_dir))


def edition_key(edition_files: str, fonts: str) -> str:
    """A read and checked edition reads: its content/ and data/ files (`edition_files`, a tree
    fingerprint) and the fonts' coverage (a character outside it is an error). Not the project's
    place on disk: messages and image sources are relative to it, so a moved project keeps its cache."""
    return Cache.key("edicion", edition_files, fonts)


def comparison_key(previous_files: str, current_files: str) -> str:
    """The «¿Qué cambió?» comparison reads the files of the two editions it compares."""
    return Cache.key("historia", previous_files, current_files)


def chart_key(fonts: str, identity: tuple, data: str, history: tuple | str) -> str:
    """A chart's drawings read: its block (`identity`: kind, name, params, title, description;
    not its place in the file), the edition's data digest, the fonts, and, for charts across
    editions, the data digests of every edition up to its own (`history`, else "")."""
    return Cache.key("grafico", fonts, identity, data, history)


def svg_key(fonts: str, spec: dict) -> str:
    """One vl-convert drawing reads its Vega-Lite spec and the fonts it measures text with."""
    return Cache.key("svg", fonts, json.dumps(spec, sort_keys=True))


def font_style_key(fonts: str, glyphs: tuple) -> str:
    """The font subset embedded in an edition's published SVGs reads the fonts and the glyphs used."""
    return Cache.key("estilo", fonts, glyphs)


def png_key(fonts: str, svg: str) -> str:
    """A chart's PNG reads its published SVG and the fonts resvg draws it with."""
    return Cache.key("png", fonts, svg)


def card_key(fonts: str, drawn: tuple) -> str:
    """A social card reads what it shows (`drawn`: the card, its size, the edition label and the site's
    address) and the fonts."""
    return Cache.key("tarjeta", fonts, drawn)


@dataclass(frozen=True)
class PrintInputs:
    """What an edition's print document loads besides its HTML.

    `style_key`: print.css, the fonts and which subsetter the machine has (HarfBuzz-Subset and
    fontTools give different bytes): every part and the footers read them. `files`: each chart SVG
    and image by the path the HTML names it with, and a digest of its bytes: a part reads only the
    ones its HTML names, so a chart that changes lays out again only the part that shows it.
    """

    style_key: str
    files: tuple[tuple[str, str], ...]

    @property
    def key(self) -> str:
        """Everything at once (the whole document's key, `pdf_key`)."""
        return Cache.key("pdf-carga", self.style_key, self.files)

    def part_key(self, html: str) -> str:
        """One laid-out part of the print document (`pdf_parts`): its HTML and the files it names."""
        return Cache.key("pdf-parte", html, self.style_key, [f for f in self.files if f[0] in html])


def print_inputs(style: list[Path], files: dict[str, str], harfbuzz_subset: bool) -> PrintInputs:
    """`PrintInputs` from the style files and {path in the HTML: digest of the file's bytes}."""
    return PrintInputs(Cache.key("pdf-estilo", fingerprint_files(style), harfbuzz_subset), tuple(sorted(files.items())))


def pdf_key(html: str, loaded_key: str) -> str:
    """An edition's PDFs read the whole print HTML and what it loads (`PrintInputs.key`)."""
    return Cache.key("pdf", html, loaded_key)


def pdf_footers_key(page_names: tuple[str, ...], lang: str, style_key: str, heads: tuple[str, ...] = ()) -> str:
    """The page furniture of a report: its pages' names (their count and sides follow), its stylesheet
    and the chapter title each page's running header shows."""
    return Cache.key("pdf-pies", page_names, lang, style_key, heads)


def pdf_chapter_key(part_pdf: bytes, first_page: int, footers_key: str, report_name: str) -> str:
    """A chapter's own PDF: its laid-out part, where it starts in the report, the report's
    footers and the report's file name (its links out of the chapter open it)."""
    import hashlib

    return Cache.key("pdf-capitulo", hashlib.sha256(part_pdf).hexdigest(), first_page, footers_key, report_name)


def pdf_page_map_key(anio: int) -> str:
    """Where the last page map of an edition is kept: not a content key, a place (the guess the
    next build starts from, `render_pdf`)."""
    return Cache.key("pdf-paginas", anio)


def folder_key(templates: Path, site_url: str | None, shell: str, edition_repr: str, content: Path,
               charts: list[str]) -> str:
    """An edition's folder of the site reads: the templates, the site URL, SOURCE_DATE_EPOCH, the
    site shell (all a page may see of other editions, `shell.SiteShell.key`), the edition's model,
    its content folder (images) and its charts' keys."""
    return Cache.key("carpeta", fingerprint_tree(templates), site_url, os.environ.get("SOURCE_DATE_EPOCH"), shell,
                     edition_repr, fingerprint_tree(content), charts)
