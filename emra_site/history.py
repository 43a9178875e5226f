"""Progress over time: what changed between an edition and the one before it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .theme import NO_DATA, fmt_number, fmt_percent


@dataclass(frozen=True)
class Delta:
    """The change of one value since the previous edition, worded for readers."""

    before: Decimal | None
    after: Decimal | None
    status: str  # "nuevo", "sin dato", "sin cambio", "cambio"

    @property
    def points(self) -> Decimal | None:
        """Percentage points gained (negative when lost); None when either side is missing."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def text(self) -> str:
        """`+12 pts`, `−3 pts`, `sin cambio`, `nuevo` or `sin dato`."""
        if self.status != "cambio":
            return self.status
        pts = self.points
        assert pts is not None, "a «cambio» has both values"
        sign = "+" if pts > 0 else "−"
        return f"{sign}{fmt_number(abs(pts))} pts"


def delta(before_exists: bool, before: Decimal | None, after: Decimal | None) -> Delta:
    """Compare two values; a blank is never read as 0."""
    if not before_exists:
        return Delta(None, after, "nuevo")
    if before is None or after is None:
        return Delta(before, after, NO_DATA)
    return Delta(before, after, "sin cambio" if before == after else "cambio")


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
    changed_projects: tuple  # (project, what changed)

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
            changed.append((project, "proyecto nuevo"))
            continue
        notes = []
        if _stages(p, project.id) != _stages(c, project.id):
            notes.append("cambiaron sus etapas")
        if _amounts(p, project.id) != _amounts(c, project.id):
            notes.append("cambiaron sus montos")
        if notes:
            changed.append((project, " y ".join(notes)))
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
    """The «¿Qué cambió?» section as Markdown: tables, lists and charts across editions."""
    c, p = current.data, previous.data
    names: dict[str, str] = {a.id: a.acuerdo for a in (*p.acuerdos, *c.acuerdos)}
    out = [(f"Este capítulo compara el informe {comp.current_year} con el de {comp.previous_year}, acuerdo por acuerdo, "
           "usando sus identificadores estables. Un valor en blanco nunca se cuenta como 0: se muestra «sin dato»."), ""]
    out += ["## Avance reportado por dimensión", "", "```grafico", "tipo: evolucion-dimensiones", "```", "",
            f"| Dimensión | {comp.previous_year} | {comp.current_year} | Cambio |", "|---|---:|---:|---:|"]
    for d in c.dimensiones:
        delta_ = comp.dimensions[d.id]
        out.append(f"| {md_escape(d.nombre)} | {fmt_percent(delta_.before)} | {fmt_percent(delta_.after)} | {delta_.text} |")
    out += ["", "## Acuerdos cuyo avance cambió", ""]
    moved = comp.moved()
    if moved:
        out += [f"| Acuerdo | {comp.previous_year} | {comp.current_year} | Cambio |", "|---|---:|---:|---:|"]
        for key, d in moved:
            out.append(f"| {md_escape(key)} · {md_escape(names[key])} | {fmt_percent(d.before)} | {fmt_percent(d.after)} | {d.text} |")
    else:
        out.append("Ningún acuerdo con dato en ambas ediciones cambió su valor.")
    unknown = [k for k, d in comp.agreements.items() if d.status == NO_DATA]
    if unknown:
        out += ["", f"Sin dato en una de las dos ediciones: {md_escape(', '.join(unknown))}."]
    for title, items in (("Acuerdos nuevos", comp.added_agreements), ("Acuerdos que ya no aparecen", comp.dropped_agreements)):
        out += ["", f"## {title}", ""]
        out += [f"- {md_escape(a.id)} · {md_escape(a.acuerdo)}" for a in items] or ["Ninguno."]
    for title, items in (("Iniciativas agregadas", comp.added_initiatives),
                         ("Iniciativas que ya no aparecen (completadas o retiradas)", comp.dropped_initiatives)):
        out += ["", f"## {title}", ""]
        out += [f"- {md_escape(i.id)} · {md_escape(i.iniciativa)}" for i in items] or ["Ninguna."]
    out += ["", "## Proyectos estratégicos con cambios", ""]
    out += [f"- {md_escape(x.id)} {md_escape(x.proyecto)}: {md_escape(what)}" for x, what in comp.changed_projects] or ["Ninguno."]
    out += ["", "## Evolución de cada acuerdo", ""]
    for d in c.dimensiones:
        if any(a.dimension == d.id for a in c.acuerdos):
            out += [f"### Dimensión {md_escape(d.nombre.lower())}", "", "```grafico", "tipo: evolucion-acuerdos",
                    f"dimension: {d.id}", "```", ""]
    return "\n".join(out) + "\n"
