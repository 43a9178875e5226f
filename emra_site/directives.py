"""The `grafico` and `tabla` blocks editors write in Markdown: their keys and how they are checked."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .charts.registry import CHART_KINDS
from .errors import Diagnostic, SourceLoc, error, suggest
from .load import parse_yaml
from .schema import TABLES_BY_NAME

CHART = "grafico"
TABLE = "tabla"

# Filters of a `tabla` block, and the table whose ids (or column choices) they must match; a
# `grafico` block's parameters, and their tables, are those of its kind in charts.registry.
PARAM_TABLES = {"dimension": "dimensiones", "objetivo": "objetivos", "proyecto": "proyectos"}
PARAM_CHOICES = {
    "plazo": ("iniciativas", "plazo"),
    "via": ("etapas_proyecto", "via"),
    "tipo": ("calendario_comunicacional", "tipo"),
}
COMMON_KEYS = ("titulo", "descripcion", "id")


@dataclass(frozen=True)
class Directive:
    """One chart or table placed by an editor; `name` is the chart kind or the table name."""

    kind: str
    name: str
    params: tuple[tuple[str, str], ...]
    titulo: str | None
    descripcion: str | None
    key: str | None
    loc: SourceLoc

    def param(self, name: str) -> str | None:
        """The value of one selection parameter, if given."""
        return dict(self.params).get(name)


def _allowed(kind: str, name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Required and optional parameters of a chart kind or a table."""
    if kind == CHART:
        return CHART_KINDS[name].required, CHART_KINDS[name].optional
    if name not in TABLES_BY_NAME:
        return (), ()  # an editor's new table is shown whole, as it is
    columns = {c.name for c in TABLES_BY_NAME[name].columns}
    filters = tuple(p for p in (*PARAM_TABLES, *PARAM_CHOICES) if p in columns)
    return (), filters


def parse_directive(kind: str, body: str, loc: SourceLoc, ids: dict[str, set]) -> tuple[Directive | None, list[Diagnostic]]:
    """Parse and check one fenced block; `ids` maps each table name to its known ids."""
    data, lines, diags = parse_yaml(body, loc.path, loc.line or 1)
    if diags:
        return None, diags
    if not isinstance(data, dict):
        return None, [error(loc, f"el bloque «{kind}» debe contener claves «clave: valor»")]
    selector = "tipo" if kind == CHART else "datos"
    # A table is a declared one or a new one an editor saved in the edition's data folder (in `ids`).
    valid = sorted(CHART_KINDS) if kind == CHART else sorted({*TABLES_BY_NAME, *ids})
    name = data.get(selector)
    here = lambda key: SourceLoc(loc.path, lines.get(key, loc.line))
    if not isinstance(name, str) or name not in valid:
        found = f"«{name}»" if isinstance(name, str) else "nada"
        hint = "" if not isinstance(name, str) else suggest(name, valid)
        return None, [error(here(selector), (
            f"«{selector}» tiene {found}; se esperaba uno de: {', '.join(valid)}.{hint}" + _new_table_hint(kind, name)))]
    required, optional = _allowed(kind, name)
    known = (selector, *COMMON_KEYS, *required, *optional)
    for key in data:
        # Keys arrive canonical (`Dimensión` is `dimension`); one still unknown would be ignored and
        # the block would show everything instead of the selection meant: refused, never skipped.
        if key not in known:
            diags.append(error(here(key), (
                f"la clave «{key}» no existe en el bloque «{kind}» de tipo «{name}»; "
                f"claves válidas: {', '.join(k for k in known if k != selector)}. "
                f"Corrija el nombre o borre la línea.{suggest(key, known)}")))
    for key in required:
        if key not in data:
            diags.append(error(loc, f"al bloque «{kind}» de tipo «{name}» le falta la clave «{key}»"))
    params = []
    for key in (*required, *optional):
        if key not in data:
            continue
        value = data[key]
        if not isinstance(value, str):
            diags.append(error(here(key), f"«{key}» debe ser un texto, no una lista"))
            continue
        options = _param_options(kind, name, key, ids)
        if options is None:
            continue  # the table could not be read; that error is already reported
        if value not in options:
            diags.append(error(here(key), (
                f"«{key}» tiene «{value}», que no existe; se esperaba uno de: "
                f"{', '.join(sorted(options))}.{suggest(value, options)}")))
            continue
        params.append((key, value))
    texts = {}
    for key in COMMON_KEYS:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            diags.append(error(here(key), f"«{key}» debe ser un texto"))
            value = None
        texts[key] = value.strip() if value else None
    if texts["id"] and not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", texts["id"]):
        diags.append(error(here("id"), (
            f"«id» tiene «{texts['id']}»; se esperaba minúsculas sin tildes ni espacios, con guiones "
            "(se usa como nombre de archivo del gráfico)")))
        texts["id"] = None
    directive = Directive(kind, name, tuple(params), texts["titulo"], texts["descripcion"], texts["id"], loc)
    return directive, diags


def _new_table_hint(kind: str, name) -> str:
    """For a `tabla` block naming no table: how to add one under that name."""
    from .new_tables import NAME

    if kind != TABLE or not isinstance(name, str) or not NAME.fullmatch(name):
        return ""
    return (f" Para mostrar una tabla nueva, guárdela como {name}.csv (o {name}.xlsx) en la carpeta "
            "de datos de la edición (data/<año>/)")


def _param_options(kind: str, name: str, key: str, ids: dict[str, set]) -> set | None:
    """The values a selection parameter may take; None when its table is unreadable."""
    if kind == CHART:
        return ids.get(CHART_KINDS[name].param(key).table)
    if key in PARAM_TABLES:
        return ids.get(PARAM_TABLES[key])
    table, column = PARAM_CHOICES[key]
    return set(TABLES_BY_NAME[table].column(column).choices)
