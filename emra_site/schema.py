"""Declared schema of every CSV table of an edition: columns, types, references."""

from __future__ import annotations

from dataclasses import dataclass

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


PERCENT_UNIT = "puntos porcentuales (0 a 100)"


def _id(description: str) -> Column:
    return Column("id", TEXTO, "Id", description)


ORIGEN_AVANCE = ("fuente", "asignado por orden en la fuente")

TABLES: tuple[TableSchema, ...] = (
    TableSchema(
        "dimensiones",
        "Dimensiones de los acuerdos transversales",
        "Las cuatro dimensiones, cuántos acuerdos declara la estrategia en cada una y el avance reportado.",
        (
            _id("Identificador estable de la dimensión (ambiental, social, …)."),
            Column("nombre", TEXTO, "Dimensión", "Nombre de la dimensión."),
            Column("acuerdos_declarados", ENTERO, "Acuerdos declarados",
                   "Número de acuerdos que la estrategia declara para la dimensión.", unit="acuerdos"),
            Column("avance_reportado", PORCENTAJE, "Avance reportado",
                   "Avance de la dimensión tal como lo reporta el informe (0 a 100); vacío = sin dato.",
                   required=False, unit=PERCENT_UNIT),
            Column("avance_anterior", PORCENTAJE, "Avance anterior",
                   "Referencia: avance reportado en la edición anterior, copiado por «new-edition».",
                   required=False, may_be_absent=True, unit=PERCENT_UNIT),
        ),
    ),
    TableSchema(
        "acuerdos",
        "Acuerdos transversales",
        "Cada acuerdo transversal nombrado en el informe, su dimensión y su avance.",
        (
            _id("Identificador estable del acuerdo (AMB-01, SOC-02, …)."),
            Column("dimension", TEXTO, "Dimensión", "Dimensión a la que pertenece el acuerdo.",
                   ref="dimensiones"),
            Column("acuerdo", TEXTO, "Acuerdo", "Texto del acuerdo."),
            Column("avance", PORCENTAJE, "Avance", "Avance del acuerdo (0 a 100); vacío = sin dato.",
                   required=False, unit=PERCENT_UNIT),
            Column("origen_avance", OPCION, "Origen del avance",
                   "De dónde viene el valor de avance: «fuente» o «asignado por orden en la fuente».",
                   required=False, choices=ORIGEN_AVANCE, explains="avance"),
            Column("avance_anterior", PORCENTAJE, "Avance anterior",
                   "Referencia: avance del acuerdo en la edición anterior, copiado por «new-edition».",
                   required=False, may_be_absent=True, unit=PERCENT_UNIT),
        ),
        show_id=True,
    ),
    TableSchema(
        "objetivos",
        "Objetivos estratégicos",
        "Los cinco objetivos estratégicos de la EMRA y la comisión que trabaja cada uno.",
        (
            _id("Identificador estable del objetivo (OE1 a OE5)."),
            Column("objetivo", TEXTO, "Objetivo", "Enunciado del objetivo estratégico."),
            Column("comision", TEXTO, "Comisión", "Comisión EMRA a cargo del objetivo."),
        ),
        show_id=True,
    ),
    TableSchema(
        "iniciativas",
        "Iniciativas por objetivo estratégico",
        "Las iniciativas de corto plazo (2023-2030) y mediano plazo (2023-2040) de cada objetivo.",
        (
            _id("Identificador estable de la iniciativa (OE1-C1, OE1-M1, …)."),
            Column("objetivo", TEXTO, "Objetivo", "Objetivo estratégico de la iniciativa.",
                   ref="objetivos"),
            Column("plazo", OPCION, "Plazo", "Horizonte: «corto» (2023-2030) o «mediano» (2023-2040).",
                   choices=("corto", "mediano")),
            Column("iniciativa", TEXTO, "Iniciativa", "Texto de la iniciativa."),
        ),
        show_id=True,
    ),
    TableSchema(
        "calendario_comunicacional",
        "Calendario del plan comunicacional",
        "Canales, campañas e hitos del plan comunicacional entre abril y marzo.",
        (
            _id("Identificador estable de la actividad."),
            Column("actividad", TEXTO, "Actividad", "Nombre de la actividad, campaña o hito."),
            Column("tipo", OPCION, "Tipo", "«canal», «campaña» o «hito».",
                   choices=("canal", "campaña", "hito")),
            Column("mes_inicio", MES, "Desde", "Mes en que empieza (abril, mayo, …).", required=False),
            Column("mes_fin", MES, "Hasta", "Mes en que termina.", required=False),
            Column("nota", TEXTO, "Nota", "Aclaración sobre las fechas.", required=False),
        ),
    ),
    TableSchema(
        "metas_contenido",
        "Metas mensuales de contenido",
        "Cantidad aproximada de contenidos que el plan comunicacional prevé cada mes.",
        (
            _id("Identificador estable del tipo de contenido."),
            Column("contenido", TEXTO, "Contenido", "Tipo de contenido."),
            Column("minimo", ENTERO, "Mínimo al mes", "Cantidad mínima al mes.", unit="contenidos al mes"),
            Column("maximo", ENTERO, "Máximo al mes", "Cantidad máxima al mes.", unit="contenidos al mes"),
            Column("frecuencia", TEXTO, "Frecuencia", "Frecuencia indicada en el plan.", required=False),
            Column("nota", TEXTO, "Nota", "Qué incluye.", required=False),
        ),
    ),
    TableSchema(
        "proyectos",
        "Proyectos estratégicos",
        "Los proyectos estratégicos de la EMRA y su institución responsable.",
        (
            _id("Número estable del proyecto (5.1, 5.2, 5.3)."),
            Column("proyecto", TEXTO, "Proyecto", "Nombre del proyecto."),
            Column("responsable", TEXTO, "Responsable", "Institución responsable."),
            Column("diferencia_min_meses", ENTERO, "Diferencia mínima (meses)",
                   "Meses que la vía pública tarda más que la privada en la primera etapa (mínimo).",
                   required=False, unit="meses"),
            Column("diferencia_max_meses", ENTERO, "Diferencia máxima (meses)",
                   "Meses que la vía pública tarda más que la privada en la primera etapa (máximo).",
                   required=False, unit="meses"),
        ),
        show_id=True,
    ),
    TableSchema(
        "etapas_proyecto",
        "Etapas del proceso de los proyectos",
        "Etapas de la vía pública y de la vía privada de un proyecto estratégico.",
        (
            _id("Identificador estable de la etapa."),
            Column("proyecto", TEXTO, "Proyecto", "Proyecto al que pertenece la etapa.", ref="proyectos"),
            Column("via", OPCION, "Vía", "«pública» o «privada».", choices=("pública", "privada")),
            Column("orden", ENTERO, "N.º", "Orden de la etapa dentro de su vía.", unit="posición"),
            Column("etapa", TEXTO, "Etapa", "Nombre de la etapa."),
            Column("nota", TEXTO, "Nota", "Aclaración.", required=False),
        ),
    ),
    TableSchema(
        "montos",
        "Montos de los proyectos",
        "Montos informados para los proyectos estratégicos, con su unidad.",
        (
            _id("Identificador estable del monto."),
            Column("proyecto", TEXTO, "Proyecto", "Proyecto al que corresponde.", ref="proyectos"),
            Column("concepto", TEXTO, "Concepto", "Qué financia el monto."),
            Column("monto", MONTO, "Monto", "Cifra tal como la informa la fuente, sin puntos ni símbolo.",
                   unit="la de la columna «unidad» (pesos o miles de pesos)"),
            Column("unidad", OPCION, "Unidad", "«pesos» o «miles de pesos».",
                   choices=("pesos", "miles de pesos")),
            Column("nota", TEXTO, "Nota", "Aclaración sobre la cifra o la unidad.", required=False),
        ),
    ),
    TableSchema(
        "hitos",
        "Reuniones e hitos",
        "Reuniones, invitaciones y apoyos informados al final del informe.",
        (
            _id("Identificador estable del hito."),
            Column("fecha_inicio", FECHA, "Fecha", "Fecha (AAAA-MM-DD o DD-MM-AAAA).", required=False),
            Column("fecha_fin", FECHA, "Hasta", "Fecha de término si dura varios días.", required=False),
            Column("hito", TEXTO, "Hito", "Descripción del hito."),
            Column("nota", TEXTO, "Nota", "Aclaración.", required=False),
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
EDITION_COLUMN = Column("edicion", ENTERO, "Edición", "Año de la edición del informe que reporta el valor.",
                        unit="año")
