"""Progress over time: what changed between an edition and the one before it.

The comparison keeps codes (a delta's status, what changed in a project); `Delta.text` and
`comparison_markdown` word them in the active language.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .i18n import N_, gettext
from .kit.words import capital
from .theme import NO_DATA, fmt_number, fmt_percent, no_data


@dataclass(frozen=True)
class Delta:
    """The change of one value since the previous edition, worded for readers."""

    before: Decimal | None
    after: Decimal | None
    status: str  # a code: "nuevo", "sin dato", "sin cambio", "cambio" (the first three shown with `gettext`)

    @property
    def points(self) -> Decimal | None:
        """Percentage points gained (negative when lost); None when either side is missing."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def text(self) -> str:
        """`+12 pts`, `−3 pts`, `sin cambio`, `nuevo` or `sin dato`, in the active language."""
        if self.status != "cambio":
            return gettext(self.status)
        pts = self.points
        assert pts is not None, "a «cambio» has both values"
        sign = "+" if pts > 0 else "−"
        return gettext("{signo}{n} pts").format(signo=sign, n=fmt_number(abs(pts)))


def delta(before_exists: bool, before: Decimal | None, after: Decimal | None) -> Delta:
    """Compare two values; a blank is never read as 0."""
    if not before_exists:
        return Delta(None, after, N_("nuevo"))
    if before is None or after is None:
        return Delta(before, after, NO_DATA)
    return Delta(before, after, N_("sin cambio") if before == after else "cambio")


@dataclass(frozen=True)
class Comparison:
    """Everything that changed from `previous` to `current`."""

    previous_year: int
    current_year: int
    agreements: dict  # agreement id -> Delta
    dimensions: dict  # dimension id -> Delta
    added_agreements: tuple
    dropped_agreements: tuple
    added_initiatives: tuple
    dropped_initiatives: tuple
    changed_projects: tuple  # (project, what changed: a msgid, shown with `gettext`)

    def moved(self) -> list[tuple[str, Delta]]:
        """Agreement ids whose value moved, largest change first (ties by id)."""
        moved = [(k, d) for k, d in self.agreements.items() if d.status == "cambio"]
        return sorted(moved, key=lambda kd: (-abs(kd[1].points), kd[0]))


def _stages(data, project_id: str) -> tuple:
    return tuple((s.via, s.orden, s.etapa) for s in data.etapas_proyecto if s.proyecto == project_id)


def _amounts(data, project_id: str) -> tuple:
    return tuple((a.concepto, a.monto, a.unidad) for a in data.montos if a.proyecto == project_id)


def compare(previous, current) -> Comparison:
    """Compare two editions by their stable ids."""
    p, c = previous.data, current.data
    before = {a.id: a for a in p.acuerdos}
    after = {a.id: a for a in c.acuerdos}
    agreements = {k: delta(k in before, before[k].avance if k in before else None, a.avance) for k, a in after.items()}
    dims_before = {d.id: d for d in p.dimensiones}
    dimensions = {d.id: delta(d.id in dims_before, dims_before[d.id].avance_reportado if d.id in dims_before else None,
                              d.avance_reportado) for d in c.dimensiones}
    init_before = {i.id: i for i in p.iniciativas}
    init_after = {i.id: i for i in c.iniciativas}
    changed = []
    proj_before = {x.id for x in p.proyectos}
    for project in c.proyectos:
        if project.id not in proj_before:
            changed.append((project, N_("proyecto nuevo")))
            continue
        stages = _stages(p, project.id) != _stages(c, project.id)
        amounts = _amounts(p, project.id) != _amounts(c, project.id)
        if stages and amounts:
            changed.append((project, N_("cambiaron sus etapas y cambiaron sus montos")))
        elif stages:
            changed.append((project, N_("cambiaron sus etapas")))
        elif amounts:
            changed.append((project, N_("cambiaron sus montos")))
    return Comparison(
        previous.anio, current.anio, agreements, dimensions,
        tuple(after[k] for k in after if k not in before),
        tuple(before[k] for k in before if k not in after),
        tuple(init_after[k] for k in init_after if k not in init_before),
        tuple(init_before[k] for k in init_before if k not in init_after),
        tuple(changed),
    )


def md_escape(text: str) -> str:
    """Data text placed in generated Markdown, with every Markdown special character escaped."""
    out = []
    for ch in str(text):
        out.append("\\" + ch if ch in "\\`*_{}[]()#+-.!|<>~" else ch)
    return "".join(out).replace("\n", " ")


def comparison_markdown(comp: Comparison, previous, current) -> str:
    """The «¿Qué cambió?» section as Markdown, in the active language: tables, lists and charts across editions."""
    c, p = current.data, previous.data
    names: dict[str, str] = {a.id: a.acuerdo for a in (*p.acuerdos, *c.acuerdos)}
    years = {"actual": comp.current_year, "anterior": comp.previous_year}
    change, dimension, agreement = (md_escape(gettext(w)) for w in (N_("Cambio"), N_("Dimensión"), N_("Acuerdo")))
    out = [gettext("Este capítulo compara el informe {actual} con el de {anterior}, acuerdo por acuerdo, usando sus "
                   "identificadores estables. Un valor en blanco nunca se cuenta como 0: se muestra «{sin_dato}»."
                   ).format(sin_dato=no_data(), **years), ""]
    out += ["## " + gettext("Avance reportado por dimensión"), "", "```grafico", "tipo: evolucion-dimensiones", "```",
            "", f"| {dimension} | {comp.previous_year} | {comp.current_year} | {change} |",
            "|---|---:|---:|---:|"]
    for d in c.dimensiones:
        delta_ = comp.dimensions[d.id]
        out.append(f"| {md_escape(d.nombre)} | {fmt_percent(delta_.before)} | {fmt_percent(delta_.after)} | {delta_.text} |")
    out += ["", "## " + gettext("Acuerdos cuyo avance cambió"), ""]
    moved = comp.moved()
    if moved:
        out += [f"| {agreement} | {comp.previous_year} | {comp.current_year} | {change} |",
                "|---|---:|---:|---:|"]
        for key, d in moved:
            out.append(f"| {md_escape(key)} · {md_escape(names[key])} | {fmt_percent(d.before)} | {fmt_percent(d.after)} | {d.text} |")
    else:
        out.append(gettext("Ningún acuerdo con dato en ambas ediciones cambió su valor."))
    unknown = [k for k, d in comp.agreements.items() if d.status == NO_DATA]
    if unknown:
        out += ["", gettext("Sin dato en una de las dos ediciones: {acuerdos}.").format(
            acuerdos=md_escape(", ".join(unknown)))]
    for title, items in ((N_("Acuerdos nuevos"), comp.added_agreements),
                         (N_("Acuerdos que ya no aparecen"), comp.dropped_agreements)):
        out += ["", f"## {gettext(title)}", ""]
        out += [f"- {md_escape(a.id)} · {md_escape(a.acuerdo)}" for a in items] or [gettext("Ninguno.")]
    for title, items in ((N_("Iniciativas agregadas"), comp.added_initiatives),
                         (N_("Iniciativas que ya no aparecen (completadas o retiradas)"), comp.dropped_initiatives)):
        out += ["", f"## {gettext(title)}", ""]
        out += [f"- {md_escape(i.id)} · {md_escape(i.iniciativa)}" for i in items] or [gettext("Ninguna.")]
    out += ["", "## " + gettext("Proyectos estratégicos con cambios"), ""]
    out += [f"- {md_escape(x.id)} {md_escape(x.proyecto)}: {md_escape(gettext(what))}"
            for x, what in comp.changed_projects] or [gettext("Ninguno.")]
    out += ["", "## " + gettext("Evolución de cada acuerdo"), ""]
    for d in c.dimensiones:
        if any(a.dimension == d.id for a in c.acuerdos):
            title = capital(gettext("Dimensión {dimension}").format(dimension=md_escape(d.nombre.lower())))
            out += [f"### {title}", "", "```grafico", "tipo: evolucion-acuerdos", f"dimension: {d.id}", "```", ""]
    return "\n".join(out) + "\n"
