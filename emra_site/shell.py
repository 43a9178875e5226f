"""What a page may read of the editions that are not its own: the site shell, as a type.

An edition's pages show their own edition in full, and of the rest of the site only what is here:
the latest edition's identity, section links and data (header, footer, «see the latest edition»
banner, or a figure an editor puts in `base.html`), and one link-level summary per edition (the
archive lists). Templates receive a `SiteShell` instead of the whole report, so anything else of
another edition is not reachable from a template (StrictUndefined reports it), and the reuse key
of an edition folder is the shell itself (`SiteShell.key`): whatever a page can see of other
editions is part of the key, so an incremental build can never show a stale figure.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class SectionLink:
    """A section as other pages link to it."""

    slug: str
    filename: str
    numero: str
    titulo: str


@dataclass(frozen=True)
class EditionLink:
    """An edition as the archive lists it: its identity and pages, not its text or figures."""

    anio: int
    titulo: str
    titulo_corto: str
    subtitulo: str
    descripcion: str
    fecha_publicacion: dt.date
    idioma: str
    organismo: str
    responsables: tuple[str, ...]
    pdf_name: str
    sections: tuple[SectionLink, ...]
    cambios_desde: int | None  # the year the edition is compared with, if it has a «¿Qué cambió?» chapter


@dataclass(frozen=True)
class LatestEdition(EditionLink):
    """The latest edition as every page sees it: its identity and pages, and its data (figures)."""

    data: object = None  # model.Data


@dataclass(frozen=True)
class SiteShell:
    """Everything of other editions that any page may read."""

    latest: LatestEdition
    editions: tuple[EditionLink, ...]  # oldest first

    def key(self) -> str:
        """Digest of the whole shell: part of every edition folder's reuse key."""
        return hashlib.sha256(repr(self).encode("utf-8")).hexdigest()


def _link_fields(edition) -> dict:
    return dict(
        anio=edition.anio, titulo=edition.titulo, titulo_corto=edition.titulo_corto, subtitulo=edition.subtitulo,
        descripcion=edition.descripcion, fecha_publicacion=edition.fecha_publicacion, idioma=edition.idioma,
        organismo=edition.organismo, responsables=edition.responsables, pdf_name=edition.pdf_name,
        sections=tuple(SectionLink(s.slug, s.filename, s.numero, s.titulo) for s in edition.sections),
        cambios_desde=getattr(edition.cambios, "previous_year", None))


def site_shell(report) -> SiteShell:
    """The shell of a report (model.Report): the latest edition with its data, every edition as a link."""
    latest = report.latest
    return SiteShell(LatestEdition(**_link_fields(latest), data=latest.data),
                     tuple(EditionLink(**_link_fields(e)) for e in report.editions))
