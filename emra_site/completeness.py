"""What an editor should still confirm or fill in: the completeness report printed by `check`."""

from __future__ import annotations

from decimal import Decimal

from . import schema as S
from .theme import fmt_number, fmt_percent

UNCONFIRMED = "asignado por orden en la fuente"


def _mean(values: list[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def completeness_lines(edition) -> list[str]:
    """The report for one edition, one line per fact, in Spanish."""
    d = edition.data
    lines = [f"Edición {edition.anio}: {edition.subtitulo}"]
    lines.append("  Acuerdos declarados y nombrados por dimensión:")
    for dim in d.dimensiones:
        agreements = [a for a in d.acuerdos if a.dimension == dim.id]
        gap = dim.acuerdos_declarados - len(agreements)
        note = "" if gap == 0 else (f" (faltan {gap})" if gap > 0 else f" (sobran {-gap})")
        lines.append(f"    {dim.nombre}: {dim.acuerdos_declarados} declarados, {len(agreements)} nombrados{note}")
    lines.append("  Avance reportado por dimensión y promedio de sus acuerdos (informativo, no se recalcula):")
    for dim in d.dimensiones:
        agreements = [a for a in d.acuerdos if a.dimension == dim.id]
        known = [a.avance for a in agreements if a.avance is not None]
        with_data = _mean(known)
        as_zero = (sum(known) / dim.acuerdos_declarados) if dim.acuerdos_declarados else None
        lines.append(
            f"    {dim.nombre}: reportado {fmt_percent(dim.avance_reportado)}; promedio de {len(known)} "
            f"{'acuerdo' if len(known) == 1 else 'acuerdos'} con dato "
            f"{fmt_percent(with_data)}; contando los faltantes como 0 sobre {dim.acuerdos_declarados}: {fmt_percent(as_zero)}")
    unconfirmed = [a.id for a in d.acuerdos if a.origen_avance == UNCONFIRMED]
    if unconfirmed:
        lines.append(f"  Valores por confirmar («{UNCONFIRMED}»): {len(unconfirmed)} ({', '.join(unconfirmed)})")
    lines.append("  Celdas sin dato:")
    total = 0
    for table in d.schemas():  # the declared tables, then the editors' new ones
        for column in table.columns:
            if column.required or column.may_be_absent:
                continue
            missing = [r.get("id") for r in d.records(table.name) if r[column.name] is None]
            if missing and column.type != S.TEXTO:
                total += len(missing)
                ids = ", ".join(str(i) for i in missing if i)  # a new table may have no id column
                lines.append(f"    {table.filename} «{column.name}»: {fmt_number(len(missing))}" + (f" ({ids})" if ids else ""))
    if not total:
        lines.append("    ninguna")
    if edition.notas:
        lines.append(f"  Notas sobre la fuente en edition.yml: {len(edition.notas)}")
    return lines
