"""Links between sections, written by file name: `[texto](resumen.md)`, `[texto](resumen.md#titulo)`.

An editor names the section's Markdown file (what they see in the folder); the site links to its
page (`resumen.html#titulo`) and the PDF to its chapter inside the document, adding where it is:
«texto (sección 1, página 5)». Any other relative link would be a 404 on the site and a dead
link in the PDF, so it is an error that says what to write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import unquote

from .errors import Diagnostic, SourceLoc, error, suggest
from .layout import LAYOUT

SECTION_SUFFIXES = (".md", ".html")  # «.html» is what an editor sees on the site: it is accepted too
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")


@dataclass(frozen=True)
class Outline:
    """What a section's text can link to: its own slug and each published section's number."""

    current: str
    numbers: tuple[tuple[str, str], ...]  # (slug, numero) in edition order
    # (slug, page name) where a section's page is not named by its file: a translated section's
    # English name (`resumen.md` → `summary.html`, `translations.py`); a link is written by file name.
    pages: tuple[tuple[str, str], ...] = ()

    def number(self, slug: str) -> str:
        return dict(self.numbers).get(slug, "")

    def page(self, slug: str) -> str:
        """The page name of the section written as `slug`."""
        return dict(self.pages).get(slug, slug)


@dataclass(frozen=True)
class SectionLink:
    """A link to a section (or one of its headings) as written, with where it was written."""

    kind: ClassVar[str] = "seccion"
    slug: str
    anchor: str
    written: str
    loc: SourceLoc


def is_external(href: str) -> bool:
    """A link with a scheme (https:, mailto:) or to another host (//…): not a section of the report."""
    return bool(_SCHEME.match(href.strip())) or href.strip().startswith("//")


def parse_link(href: str, outline: Outline, loc: SourceLoc) -> tuple[SectionLink | None, Diagnostic | None]:
    """Read a relative link as a section link, or say why it cannot be one.

    `href` is markdown-it's normalized (percent-encoded) destination.
    """
    written = unquote(href).strip()
    path, _, anchor = written.partition("#")
    path = path.removeprefix("./")
    if not path:  # «#titulo»: a heading of this same section
        return SectionLink(outline.current, anchor, written, loc), None
    name = path.replace("\\", "/")
    if "/" in name:
        return None, error(loc, (
            f"enlace «{written}»: solo se puede enlazar a secciones de esta edición, por el nombre de su "
            "archivo y sin carpetas, por ejemplo [resumen](resumen.md); para otra página escriba su "
            "dirección completa (https://…)"))
    stem, dot, suffix = name.rpartition(".")
    if not dot or f".{suffix.lower()}" not in SECTION_SUFFIXES:
        return None, error(loc, (
            f"enlace «{written}»: no es una sección del informe ni una dirección web; para enlazar otra "
            "sección escriba el nombre de su archivo, por ejemplo [resumen](resumen.md) o "
            "[resumen](resumen.md#titulo); para un sitio web, la dirección completa (https://…)"))
    return SectionLink(stem, anchor, written, loc), None


def web_href(link_slug: str, anchor: str, outline: Outline) -> str:
    """The link on the site: the section's page (same folder), or an anchor of this page."""
    if link_slug == outline.current and anchor:
        return f"#{anchor}"
    return LAYOUT.section_file(outline.page(link_slug)) + (f"#{anchor}" if anchor else "")


def print_href(link_slug: str, anchor: str, outline: Outline | None = None) -> str:
    """The link inside the PDF: the chapter, or a heading of it."""
    slug = outline.page(link_slug) if outline is not None else link_slug
    return "#" + (LAYOUT.print_anchor(slug, anchor) if anchor else LAYOUT.chapter_anchor(slug))


def check_section_links(links, anchors: dict[str, list[str]]) -> list[Diagnostic]:
    """Every section link names a published section and, when it has `#…`, one of its headings.

    `anchors` maps each published section's slug to its heading anchors.
    """
    diags = []
    for link in links:
        if link.slug not in anchors:
            known = sorted(anchors)
            diags.append(error(link.loc, (
                f"enlace «{link.written}»: no hay ninguna sección «{link.slug}» publicada en esta edición; se "
                f"esperaba el nombre del archivo .md de una de estas: {', '.join(f'{s}.md' for s in known)}."
                + suggest(link.slug, known))))
        elif link.anchor and link.anchor not in anchors[link.slug]:
            known = anchors[link.slug]
            listed = ", ".join(f"#{a}" for a in known) or "ninguno (la sección no tiene apartados «## …»)"
            diags.append(error(link.loc, (
                f"enlace «{link.written}»: la sección «{link.slug}» no tiene un apartado con el ancla "
                f"«#{link.anchor}»; el ancla es el título del apartado en minúsculas, sin tildes y con guiones. "
                f"Apartados: {listed}." + suggest(link.anchor, known))))
    return diags
