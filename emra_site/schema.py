"""Declared schema of every CSV table of an edition: columns, types, references."""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import N_  # reader-facing words of the schema: in the message catalog, translated where shown

# Column types, named in Spanish because editors read them in error messages.
TEXTO = "texto"
ENTERO = "entero"
NUMERO = "número"  # any number, decimals allowed: only editors' new tables use it
PORCENTAJE = "porcentaje"
MONTO = "monto"
FECHA = "fecha"
MES = "mes"
OPCION = "opción"

MONTHS = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
)


@dataclass(frozen=True)
class Column:
    """One column: its header, type, Spanish label and constraints."""

    name: str
    type: str
    label: str
    description: str
    required: bool = True
    choices: tuple[str, ...] = ()
    ref: str | None = None  # name of the table whose `id` this column must match
    may_be_absent: bool = False  # editions made before the column existed may lack it
    # A column that explains another one: blank next to a value there is a warning (the table
    # would publish the value with «sin dato» beside it).
    explains: str | None = None
    # What a number counts, for the data dictionary of the downloads (`datapackage.json`).
    unit: str | None = None


@dataclass(frozen=True)
class TableSchema:
    """One CSV table of an edition."""

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    show_id: bool = False  # ids readers cite (AMB-01, OE3, 5.2) are shown; internal slugs are not

    @property
    def filename(self) -> str:
        """File name of the table inside `data/<year>/`."""
        return f"{self.name}.csv"

    def column(self, name: str) -> Column:
        """Return the column called `name`."""
        return next(c for c in self.columns if c.name == name)


def translatable(table: TableSchema) -> tuple[str, ...]:
    """The columns of `table` another language's edition translates row by row (`translations.py`):
    its free texts. Ids, references, numbers, dates and choices (words of the message catalog) are
    shared with the Spanish table."""
    return tuple(c.name for c in table.columns if c.type == TEXTO and c.name != "id" and c.ref is None)


PERCENT_UNIT = "puntos porcentuales (0 a 100)"


def _id(description: str) -> Column:
    return Column("id", TEXTO, N_("Id"), description)


ORIGEN_AVANCE = (N_("fuente"), N_("asignado por orden en la fuente"))

TABLES: tuple[TableSchema, ...] = (
    TableSchema(
        "dimensiones",
        N_("Dimensiones de los acuerdos transversales"),
        N_("Las cuatro dimensiones, cuántos acuerdos declara la estrategia en cada una y el avance reportado."),
        (
            _id(N_("Identificador estable de la dimensión (ambiental, social, …).")),
            Column("nombre", TEXTO, N_("Dimensión"), N_("Nombre de la dimensión.")),
            Column("acuerdos_declarados", ENTERO, N_("Acuerdos declarados"),
                   N_("Número de acuerdos que la estrategia declara para la dimensión."), unit="acuerdos"),
            Column("avance_reportado", PORCENTAJE, N_("Avance reportado"),
                   N_("Avance de la dimensión tal como lo reporta el informe (0 a 100); vacío = sin dato."),
                   required=False, unit=PERCENT_UNIT),
            Column("avance_anterior", PORCENTAJE, N_("Avance anterior"),
                   N_("Referencia: avance reportado en la edición anterior, copiado por «new-edition»."),
                   required=False, may_be_absent=True, unit=PERCENT_UNIT),
        ),
    ),
    TableSchema(
        "acuerdos",
        N_("Acuerdos transversales"),
        N_("Cada acuerdo transversal nombrado en el informe, su dimensión y su avance."),
        (
            _id(N_("Identificador estable del acuerdo (AMB-01, SOC-02, …).")),
            Column("dimension", TEXTO, N_("Dimensión"), N_("Dimensión a la que pertenece el acuerdo."),
                   ref="dimensiones"),
            Column("acuerdo", TEXTO, N_("Acuerdo"), N_("Texto del acuerdo.")),
            Column("avance", PORCENTAJE, N_("Avance"), N_("Avance del acuerdo (0 a 100); vacío = sin dato."),
                   required=False, unit=PERCENT_UNIT),
            Column("origen_avance", OPCION, N_("Origen del avance"),
                   N_("De dónde viene el valor de avance: «fuente» o «asignado por orden en la fuente»."),
                   required=False, choices=ORIGEN_AVANCE, explains="avance"),
            Column("avance_anterior", PORCENTAJE, N_("Avance anterior"),
                   N_("Referencia: avance del acuerdo en la edición anterior, copiado por «new-edition»."),
                   required=False, may_be_absent=True, unit=PERCENT_UNIT),
        ),
        show_id=True,
    ),
    TableSchema(
        "objetivos",
        N_("Objetivos estratégicos"),
        N_("Los cinco objetivos estratégicos de la EMRA y la comisión que trabaja cada uno."),
        (
            _id(N_("Identificador estable del objetivo (OE1 a OE5).")),
            Column("objetivo", TEXTO, N_("Objetivo"), N_("Enunciado del objetivo estratégico.")),
            Column("comision", TEXTO, N_("Comisión"), N_("Comisión EMRA a cargo del objetivo.")),
        ),
        show_id=True,
    ),
    TableSchema(
        "iniciativas",
        N_("Iniciativas por objetivo estratégico"),
        N_("Las iniciativas de corto plazo (2023-2030) y mediano plazo (2023-2040) de cada objetivo."),
        (
            _id(N_("Identificador estable de la iniciativa (OE1-C1, OE1-M1, …).")),
            Column("objetivo", TEXTO, N_("Objetivo"), N_("Objetivo estratégico de la iniciativa."),
                   ref="objetivos"),
            Column("plazo", OPCION, N_("Plazo"), N_("Horizonte: «corto» (2023-2030) o «mediano» (2023-2040)."),
                   choices=(N_("corto"), N_("mediano"))),
            Column("iniciativa", TEXTO, N_("Iniciativa"), N_("Texto de la iniciativa.")),
        ),
        show_id=True,
    ),
    TableSchema(
        "calendario_comunicacional",
        N_("Calendario del plan comunicacional"),
        N_("Canales, campañas e hitos del plan comunicacional entre abril y marzo."),
        (
            _id(N_("Identificador estable de la actividad.")),
            Column("actividad", TEXTO, N_("Actividad"), N_("Nombre de la actividad, campaña o hito.")),
            Column("tipo", OPCION, N_("Tipo"), N_("«canal», «campaña» o «hito»."),
                   choices=(N_("canal"), N_("campaña"), N_("hito"))),
            Column("mes_inicio", MES, N_("Desde"), N_("Mes en que empieza (abril, mayo, …)."), required=False),
            Column("mes_fin", MES, N_("Hasta"), N_("Mes en que termina."), required=False),
            Column("nota", TEXTO, N_("Nota"), N_("Aclaración sobre las fechas."), required=False),
        ),
    ),
    TableSchema(
        "metas_contenido",
        N_("Metas mensuales de contenido"),
        N_("Cantidad aproximada de contenidos que el plan comunicacional prevé cada mes."),
        (
            _id(N_("Identificador estable del tipo de contenido.")),
            Column("contenido", TEXTO, N_("Contenido"), N_("Tipo de contenido.")),
            Column("minimo", ENTERO, N_("Mínimo al mes"), N_("Cantidad mínima al mes."), unit="contenidos al mes"),
            Column("maximo", ENTERO, N_("Máximo al mes"), N_("Cantidad máxima al mes."), unit="contenidos al mes"),
            Column("frecuencia", TEXTO, N_("Frecuencia"), N_("Frecuencia indicada en el plan."), required=False),
            Column("nota", TEXTO, N_("Nota"), N_("Qué incluye."), required=False),
        ),
    ),
    TableSchema(
        "proyectos",
        N_("Proyectos estratégicos"),
        N_("Los proyectos estratégicos de la EMRA y su institución responsable."),
        (
            _id(N_("Número estable del proyecto (5.1, 5.2, 5.3).")),
            Column("proyecto", TEXTO, N_("Proyecto"), N_("Nombre del proyecto.")),
            Column("responsable", TEXTO, N_("Responsable"), N_("Institución responsable.")),
            Column("diferencia_min_meses", ENTERO, N_("Diferencia mínima (meses)"),
                   N_("Meses que la vía pública tarda más que la privada en la primera etapa (mínimo)."),
                   required=False, unit="meses"),
            Column("diferencia_max_meses", ENTERO, N_("Diferencia máxima (meses)"),
                   N_("Meses que la vía pública tarda más que la privada en la primera etapa (máximo)."),
                   required=False, unit="meses"),
        ),
        show_id=True,
    ),
    TableSchema(
        "etapas_proyecto",
        N_("Etapas del proceso de los proyectos"),
        N_("Etapas de la vía pública y de la vía privada de un proyecto estratégico."),
        (
            _id(N_("Identificador estable de la etapa.")),
            Column("proyecto", TEXTO, N_("Proyecto"), N_("Proyecto al que pertenece la etapa."), ref="proyectos"),
            Column("via", OPCION, N_("Vía"), N_("«pública» o «privada»."), choices=(N_("pública"), N_("privada"))),
            Column("orden", ENTERO, N_("N.º"), N_("Orden de la etapa dentro de su vía."), unit="posición"),
            Column("etapa", TEXTO, N_("Etapa"), N_("Nombre de la etapa.")),
            Column("nota", TEXTO, N_("Nota"), N_("Aclaración."), required=False),
        ),
    ),
    TableSchema(
        "montos",
        N_("Montos de los proyectos"),
        N_("Montos informados para los proyectos estratégicos, con su unidad."),
        (
            _id(N_("Identificador estable del monto.")),
            Column("proyecto", TEXTO, N_("Proyecto"), N_("Proyecto al que corresponde."), ref="proyectos"),
            Column("concepto", TEXTO, N_("Concepto"), N_("Qué financia el monto.")),
            Column("monto", MONTO, N_("Monto"), N_("Cifra tal como la informa la fuente, sin puntos ni símbolo."),
                   unit="la de la columna «unidad» (pesos o miles de pesos)"),
            Column("unidad", OPCION, N_("Unidad"), N_("«pesos» o «miles de pesos»."),
                   choices=(N_("pesos"), N_("miles de pesos"))),
            Column("nota", TEXTO, N_("Nota"), N_("Aclaración sobre la cifra o la unidad."), required=False),
        ),
    ),
    TableSchema(
        "hitos",
        N_("Reuniones e hitos"),
        N_("Reuniones, invitaciones y apoyos informados al final del informe."),
        (
            _id(N_("Identificador estable del hito.")),
            Column("fecha_inicio", FECHA, N_("Fecha"), N_("Fecha (AAAA-MM-DD o DD-MM-AAAA)."), required=False),
            Column("fecha_fin", FECHA, N_("Hasta"), N_("Fecha de término si dura varios días."), required=False),
            Column("hito", TEXTO, N_("Hito"), N_("Descripción del hito.")),
            Column("nota", TEXTO, N_("Nota"), N_("Aclaración."), required=False),
        ),
    ),
)

TABLES_BY_NAME = {t.name: t for t in TABLES}

# Columns of a chart's data that no table declares (counts the chart computes), by their header:
# (description, unit) for the data dictionary of the chart downloads.
CHART_COLUMNS = {
    "Declarados": ("Número de acuerdos que la estrategia declara para la dimensión.", "acuerdos"),
    "Nombrados en el informe": ("Número de acuerdos de la dimensión que el informe nombra.", "acuerdos"),
    "Corto plazo": ("Número de iniciativas de corto plazo (2023-2030) del objetivo.", "iniciativas"),
    "Mediano plazo": ("Número de iniciativas de mediano plazo (2023-2040) del objetivo.", "iniciativas"),
    "Total": ("Suma de las iniciativas de corto y mediano plazo del objetivo.", "iniciativas"),
}
# A chart across editions shows one column per year: its download has one row per year instead.
EDITION_COLUMN = Column("edicion", ENTERO, N_("Edición"), N_("Año de la edición del informe que reporta el valor."),
                        unit="año")
