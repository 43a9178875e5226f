"""The immutable report model, built once from validated input and read by every renderer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal

from .directives import Directive
from .i18n import N_
from .layout import LAYOUT
from .markdown import Heading, Image, Prose
from .schema import TABLES, TABLES_BY_NAME, TableSchema


@dataclass(frozen=True)
class Dimension:
    """A dimension of the cross-cutting agreements and its reported progress."""

    id: str
    nombre: str
    acuerdos_declarados: int
    avance_reportado: Decimal | None
    avance_anterior: Decimal | None = None


@dataclass(frozen=True)
class Agreement:
    """One cross-cutting agreement named in the report."""

    id: str
    dimension: str
    acuerdo: str
    avance: Decimal | None
    origen_avance: str | None
    avance_anterior: Decimal | None = None


@dataclass(frozen=True)
class Objective:
    """A strategic objective (OE1–OE5) and its commission."""

    id: str
    objetivo: str
    comision: str


@dataclass(frozen=True)
class Initiative:
    """A short- or medium-term initiative of an objective."""

    id: str
    objetivo: str
    plazo: str
    iniciativa: str


@dataclass(frozen=True)
class CalendarItem:
    """A channel, campaign or milestone of the communications plan."""

    id: str
    actividad: str
    tipo: str
    mes_inicio: int | None
    mes_fin: int | None
    nota: str | None


@dataclass(frozen=True)
class ContentTarget:
    """A monthly content target given as a range."""

    id: str
    contenido: str
    minimo: int
    maximo: int
    frecuencia: str | None
    nota: str | None


@dataclass(frozen=True)
class Project:
    """A strategic project."""

    id: str
    proyecto: str
    responsable: str
    diferencia_min_meses: int | None
    diferencia_max_meses: int | None


@dataclass(frozen=True)
class Stage:
    """A stage of a project's public or private process."""

    id: str
    proyecto: str
    via: str
    orden: int
    etapa: str
    nota: str | None


@dataclass(frozen=True)
class Amount:
    """An amount of money with its unit stated."""

    id: str
    proyecto: str
    concepto: str
    monto: Decimal
    unidad: str
    nota: str | None


@dataclass(frozen=True)
class Milestone:
    """A meeting or event."""

    id: str
    fecha_inicio: dt.date | None
    fecha_fin: dt.date | None
    hito: str
    nota: str | None


ROW_TYPES = {
    "dimensiones": Dimension,
    "acuerdos": Agreement,
    "objetivos": Objective,
    "iniciativas": Initiative,
    "calendario_comunicacional": CalendarItem,
    "metas_contenido": ContentTarget,
    "proyectos": Project,
    "etapas_proyecto": Stage,
    "montos": Amount,
    "hitos": Milestone,
}


@dataclass(frozen=True)
class NewTable:
    """A table an editor added to the edition's data folder and shows with a `tabla` block.

    `rows` hold the typed values in the order of `schema.columns` (None = no data).
    """

    schema: TableSchema
    rows: tuple[tuple, ...]


@dataclass(frozen=True)
class Data:
    """Every table of an edition as tuples of typed rows, in file order."""

    dimensiones: tuple[Dimension, ...]
    acuerdos: tuple[Agreement, ...]
    objetivos: tuple[Objective, ...]
    iniciativas: tuple[Initiative, ...]
    calendario_comunicacional: tuple[CalendarItem, ...]
    metas_contenido: tuple[ContentTarget, ...]
    proyectos: tuple[Project, ...]
    etapas_proyecto: tuple[Stage, ...]
    montos: tuple[Amount, ...]
    hitos: tuple[Milestone, ...]
    extra: tuple[NewTable, ...] = ()  # editors' new tables, by name

    def table(self, name: str) -> tuple:
        """Rows of the table called `name` (for a new table, tuples of values in column order)."""
        new = next((t for t in self.extra if t.schema.name == name), None)
        return new.rows if new is not None else getattr(self, name)

    def schemas(self) -> tuple[TableSchema, ...]:
        """Every table of the edition: the declared ones, then the editors' new ones."""
        return (*TABLES, *(t.schema for t in self.extra))

    def schema(self, name: str) -> TableSchema:
        """The schema of the table called `name`, declared or new."""
        return next(s for s in self.schemas() if s.name == name)

    def records(self, name: str) -> tuple[dict, ...]:
        """Rows of the table called `name` as {column: value}: how code that shows any table reads it."""
        columns = [c.name for c in self.schema(name).columns]
        if name in TABLES_BY_NAME:
            return tuple({c: getattr(r, c) for c in columns} for r in self.table(name))
        return tuple(dict(zip(columns, r, strict=True)) for r in self.table(name))

    def get(self, name: str, id_: str):
        """The row of table `name` whose id is `id_`."""
        return next(r for r in self.table(name) if r.id == id_)


@dataclass(frozen=True)
class Section:
    """One section of the report: a page of the site and a chapter of the PDF."""

    slug: str
    numero: str
    titulo: str
    descripcion: str
    blocks: tuple[Prose | Directive, ...]
    headings: tuple[Heading, ...]
    images: tuple[Image, ...] = ()
    pending: bool = False  # in another language's edition: no translation yet, shown in Spanish
    source: str = ""  # a translated section's file name (`resumen`), when its page has another name (`summary`)

    @property
    def filename(self) -> str:
        """The page's file name inside the edition folder."""
        return LAYOUT.section_file(self.slug)


@dataclass(frozen=True)
class License:
    """The licence the edition's texts, data and charts are published under (`licencia` in edition.yml).

    `name` is what readers see («CC BY 4.0»), `title` its full name, `url` its legal text and
    `spdx` the identifier a Data Package declares (empty for a licence without one).
    """

    name: str
    title: str
    url: str
    spdx: str = ""

    @property
    def needs_word(self) -> bool:
        """Whether a sentence says «licencia» before the name: «bajo licencia CC BY 4.0», but «bajo la
        Licencia Abierta de Datos», not «licencia Licencia …»."""
        return not self.name.casefold().startswith("licencia")


# The licences `licencia` may name by themselves; any other is written «Nombre, https://…».
KNOWN_LICENSES = {
    "CC BY 4.0": License("CC BY 4.0", N_("Creative Commons Atribución 4.0 Internacional"),
                         "https://creativecommons.org/licenses/by/4.0/deed.es", "CC-BY-4.0"),
    "CC BY-SA 4.0": License("CC BY-SA 4.0", N_("Creative Commons Atribución-CompartirIgual 4.0 Internacional"),
                            "https://creativecommons.org/licenses/by-sa/4.0/deed.es", "CC-BY-SA-4.0"),
    "CC0 1.0": License("CC0 1.0", N_("Creative Commons CC0 1.0 Universal (dominio público)"),
                       "https://creativecommons.org/publicdomain/zero/1.0/deed.es", "CC0-1.0"),
}
DEFAULT_LICENSE = KNOWN_LICENSES["CC BY 4.0"]


@dataclass(frozen=True)
class Edition:
    """One yearly edition of the progress report."""

    anio: int
    titulo: str
    titulo_corto: str
    subtitulo: str
    descripcion: str
    fecha_publicacion: dt.date
    idioma: str
    organismo: str
    correcciones: tuple[str, ...]
    notas: tuple[str, ...]
    responsables: tuple[str, ...]
    sections: tuple[Section, ...]
    data: Data
    cambios: object = None  # history.Comparison with the previous edition, if there is one
    licencia: License = DEFAULT_LICENSE
    hashtags: tuple[str, ...] = ()  # for the press kit's suggested posts, each with its «#»
    contacto_prensa: str | None = None  # the press note's contact line

    def modified(self, source_date_epoch: str | None = None) -> dt.datetime:
        """When this build of the edition was made: SOURCE_DATE_EPOCH if given, else the edition date.

        Never the clock, so the same input gives the same bytes.
        """
        if source_date_epoch and source_date_epoch.strip().isdigit():
            return dt.datetime.fromtimestamp(int(source_date_epoch), dt.UTC)
        return dt.datetime(self.fecha_publicacion.year, self.fecha_publicacion.month, self.fecha_publicacion.day,
                           tzinfo=dt.timezone(dt.timedelta(hours=-4)))

    @property
    def pdf_name(self) -> str:
        """File name of the edition's PDF."""
        return LAYOUT.pdf_name(self.anio)

    def chapter_pdf_name(self, section: Section) -> str:
        """File name of one chapter's PDF."""
        return LAYOUT.chapter_pdf_name(self.anio, section.numero)

    def directives(self) -> list[tuple[Section, Directive]]:
        """Every chart and table block of the edition, in reading order."""
        return [(s, b) for s in self.sections for b in s.blocks if isinstance(b, Directive)]


@dataclass(frozen=True)
class Report:
    """All editions, oldest first."""

    editions: tuple[Edition, ...]
    # The editions in other languages (`translations.Translated`), by year then language.
    translations: tuple = ()

    @property
    def latest(self) -> Edition:
        """The newest edition, shown on the landing page."""
        return self.editions[-1]

    def edition(self, anio: int) -> Edition:
        """The edition of year `anio`; KeyError when there is none (tests pin their edition with it)."""
        for e in self.editions:
            if e.anio == anio:
                return e
        raise KeyError(anio)

    def history(self, anio: int) -> tuple:
        """((year, data), …) of every edition up to `anio`: what its charts across editions show."""
        return tuple((e.anio, e.data) for e in self.editions if e.anio <= anio)


def build_rows(name: str, rows) -> tuple:
    """Turn validated rows of table `name` into its dataclass instances."""
    cls = ROW_TYPES[name]
    names = [f.name for f in fields(cls)]
    return tuple(cls(**{n: r.values.get(n) for n in names}) for r in rows)


def build_edition(valid) -> Edition:
    """Build the immutable edition from a validated one."""
    meta = valid.meta
    extra = tuple(NewTable(t.schema, tuple(tuple(r.values.get(c.name) for c in t.schema.columns) for r in t.rows))
                  for name, t in sorted(valid.tables.items()) if name not in ROW_TYPES)
    data = Data(**{name: build_rows(name, valid.tables[name].rows) for name in ROW_TYPES}, extra=extra)
    sections = tuple(
        Section(slug, fm.get("numero", ""), fm.get("titulo", slug), fm.get("descripcion", ""), blocks, headings, images)
        for slug, fm, blocks, headings, images in valid.sections
    )
    return Edition(
        anio=meta["anio"],
        titulo=meta["titulo"],
        titulo_corto=meta.get("titulo_corto") or meta["titulo"],
        subtitulo=meta["subtitulo"],
        descripcion=meta["descripcion"],
        fecha_publicacion=meta["fecha_publicacion"],
        idioma=meta["idioma"],
        organismo=meta["organismo"],
        correcciones=meta["correcciones"],
        notas=meta["notas"],
        responsables=meta["responsables"],
        licencia=meta.get("licencia") or DEFAULT_LICENSE,
        hashtags=meta.get("hashtags", ()),
        contacto_prensa=(meta.get("contacto_prensa") or "").strip() or None,
        sections=sections,
        data=data,
    )
