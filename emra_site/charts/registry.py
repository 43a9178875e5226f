"""The one list of chart kinds: what editors may write as `tipo:` in a ```grafico block.

`CHART_KINDS` is read by `directives` (which kinds and keys a block may have), by `validate`
(which table a kind's parameters select rows of), by the drawing (which charts look back on
earlier editions) and by the tests, which also hold the README's table to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .altair_helpers import ChartContext
from .base import NARROW, SHIPPED_FONTS, WIDE, ChartPlan
from .counts import chart_agreements_per_dimension, chart_initiatives
from .plan import chart_calendar, chart_content_targets
from .progress import (
    chart_agreement_history,
    chart_agreement_progress,
    chart_dimension_history,
    chart_dimension_progress,
)
from .projects import chart_amounts, chart_process

if TYPE_CHECKING:
    from ..directives import Directive
    from ..model import Data

# A builder turns an edition's data and the editor's block into a plan, for one layout.
Builder = Callable[["Data", "Directive", ChartContext], ChartPlan]


@dataclass(frozen=True)
class ChartParam:
    """A key an editor writes in the block to select data: its value must be an id of `table`."""

    name: str
    required: bool
    table: str


@dataclass(frozen=True)
class ChartKind:
    """One chart kind.

    `params` are the selection keys the block may carry (besides titulo, descripcion, id);
    `tables` the tables the builder reads; `selects` the table whose rows the parameters pick,
    where a selection matching no row is an error (None: the kind draws no selected rows);
    `needs_history` whether the chart shows every edition up to its own (so its cache key
    includes theirs); `shows` the Spanish summary the README's table gives.
    """

    name: str
    builder: Builder
    shows: str
    tables: tuple[str, ...]
    params: tuple[ChartParam, ...] = ()
    selects: str | None = None
    needs_history: bool = False

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the parameters the block must carry, in declared order."""
        return tuple(p.name for p in self.params if p.required)

    @property
    def optional(self) -> tuple[str, ...]:
        """Names of the parameters the block may leave out, in declared order."""
        return tuple(p.name for p in self.params if not p.required)

    def param(self, name: str) -> ChartParam:
        """The parameter called `name`; KeyError when the kind has none by that name."""
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)


DIMENSION = ChartParam("dimension", required=False, table="dimensiones")
PROJECT = ChartParam("proyecto", required=True, table="proyectos")

CHART_KINDS: dict[str, ChartKind] = {k.name: k for k in (
    ChartKind("avance-dimensiones", chart_dimension_progress, "avance reportado por dimensión", ("dimensiones",)),
    ChartKind("avance-acuerdos", chart_agreement_progress, "avance de cada acuerdo", ("acuerdos", "dimensiones"),
              (DIMENSION,), selects="acuerdos"),
    ChartKind("acuerdos-por-dimension", chart_agreements_per_dimension,
              "acuerdos declarados y nombrados por dimensión", ("dimensiones", "acuerdos")),
    ChartKind("iniciativas-por-objetivo", chart_initiatives, "iniciativas por objetivo y plazo",
              ("objetivos", "iniciativas")),
    ChartKind("calendario-comunicacional", chart_calendar, "calendario abril-marzo del plan comunicacional",
              ("calendario_comunicacional",)),
    ChartKind("metas-contenido", chart_content_targets, "metas mensuales de contenido", ("metas_contenido",)),
    ChartKind("proceso-proyecto", chart_process, "etapas públicas y privadas de un proyecto",
              ("proyectos", "etapas_proyecto"), (PROJECT,), selects="etapas_proyecto"),
    ChartKind("montos-proyecto", chart_amounts, "montos de un proyecto con su unidad", ("proyectos", "montos"),
              (PROJECT,), selects="montos"),
    ChartKind("evolucion-dimensiones", chart_dimension_history, "avance reportado por dimensión en cada edición",
              ("dimensiones",), needs_history=True),
    # No `selects`, as before the registry: the «¿Qué cambió?» page writes these blocks only for the
    # dimensions that have agreements, and an editor's empty selection draws an empty chart.
    ChartKind("evolucion-acuerdos", chart_agreement_history, "avance de cada acuerdo en cada edición",
              ("acuerdos", "dimensiones"), (DIMENSION,), needs_history=True),
)}

# Views of CHART_KINDS for the callers that want only one of its columns.
BUILDERS: dict[str, Builder] = {name: kind.builder for name, kind in CHART_KINDS.items()}
HISTORY_KINDS = frozenset(name for name, kind in CHART_KINDS.items() if kind.needs_history)


def plan_chart(data: Data, d: Directive, history: tuple[tuple[int, Data], ...] = (),
               fonts: Path = SHIPPED_FONTS) -> ChartPlan:
    """Build a chart's plan, letting the editor's title and description override the generated ones.

    `history` is ((year, Data), …) for every edition up to this one, for the charts across
    editions; `fonts` the folder of the fonts it is drawn in (its labels are wrapped to fit them). KeyError when `d.name` is not a kind of `CHART_KINDS` (the directive's check
    rejects such blocks first).
    """
    builder = CHART_KINDS[d.name].builder
    plan = builder(data, d, ChartContext(WIDE, history, fonts))
    narrow = builder(data, d, ChartContext(NARROW, history, fonts)).spec
    return ChartPlan(plan.spec, d.titulo or plan.title, d.descripcion or plan.description, plan.columns, plan.rows,
                     narrow)
