"""Start a new yearly edition from the latest one: `python build.py new-edition 2026`."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

from .i18n import TRANSLATIONS
from .load import decode_text, pick_delimiter

REVIEW = "revisar"
# Progress values move to «avance_anterior» (a reference for editors) and the new year starts blank.
CARRIED = {"acuerdos": ("avance", ("origen_avance",)), "dimensiones": ("avance_reportado", ())}


class EditionExists(Exception):
    """The requested edition is already there; nothing is overwritten."""


def _mark_for_review(md: Path, previous: str) -> None:
    """Add `revisar:` to the front matter so check warns and --strict refuses until it is removed."""
    text = md.read_text(encoding="utf-8-sig")
    note = f'{REVIEW}: "texto copiado de la edición {previous}; actualícelo y borre esta línea"\n'
    if text.startswith("---\n"):
        md.write_text("---\n" + note + text[4:], encoding="utf-8")
    else:
        md.write_text("---\n" + note + "---\n" + text, encoding="utf-8")


def _update_edition_yml(path: Path, previous: str, year: str, translated: bool = False) -> None:
    """New year in `anio`, the subtitle and the date; the source notes belong to the old edition.

    `translated`: another language's edition.yml (`content/<año>/en/`), where the year is replaced
    wherever the titles and the description name it («Progress report 2025», «2025 progress report»), and
    which becomes a draft (`borrador: true`): the Spanish edition can be published before its translation."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    out, skipping = [], False
    for line in lines:
        key = line.split(":", 1)[0] if re.match(r"^[a-z_]+:", line) else None
        if key is not None:
            skipping = False
        if skipping:
            continue
        if key == "anio":
            line = f"anio: {year}"
        elif key in ("subtitulo", "descripcion", "titulo_corto", "titulo") and translated:
            line = re.sub(rf"(?<![\d-]){previous}(?![\d-])", year, line)
        elif key in ("subtitulo", "descripcion", "titulo_corto", "titulo"):
            line = line.replace(f"avance {previous}", f"avance {year}").replace(f"Informe {previous}", f"Informe {year}")
        elif key == "fecha_publicacion":
            line = re.sub(r"\d{4}(-\d\d-\d\d)", lambda m: year + m.group(1), line)
        elif key in ("correcciones", "notas"):
            line, skipping = f"{key}: []", True
        elif key == "borrador" and translated:
            line = "borrador: true"
        out.append(line)
    if translated and not any(line.startswith("borrador:") for line in out):
        out.append("borrador: true")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _carry_progress(path: Path, value_col: str, also_blank: tuple[str, ...]) -> int:
    """Copy the progress column into «avance_anterior» and blank it; return how many rows to fill."""
    text, problems = decode_text(path.read_bytes(), path.name, table=True)
    if text is None:  # new-edition copies a valid edition, so this only happens to a hand-edited copy
        raise EditionExists("; ".join(str(p) for p in problems))
    delimiter = pick_delimiter(text.splitlines()[0])
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header = rows[0]
    if "avance_anterior" not in header:
        header.append("avance_anterior")
        for row in rows[1:]:
            row.append("")
    i, j = header.index(value_col), header.index("avance_anterior")
    blanks = [header.index(c) for c in also_blank if c in header]
    filled = 0
    for row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        row += [""] * (len(header) - len(row))
        row[j], row[i] = row[i], ""
        for k in blanks:
            row[k] = ""
        filled += 1
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return filled


def _explained_by(table: str, column: str) -> str:
    """The to-do's words for the column that must accompany each new value (`Column.explains`)."""
    from .schema import TABLES_BY_NAME

    companions = [c for c in TABLES_BY_NAME[table].columns if c.explains == column]
    return "".join(f" y, junto a cada valor, «{c.name}»: " + " o ".join(f"«{v}»" for v in c.choices)
                   for c in companions)


def new_edition(root: Path, year: str) -> list[str]:
    """Create content/<year>/ and data/<year>/ from the latest edition; return the editor's to-do list."""
    content, data = root / "content", root / "data"
    years = sorted(p.name for p in content.iterdir() if p.is_dir() and p.name.isdigit()) if content.is_dir() else []
    if not years:
        raise EditionExists("no hay ninguna edición en content/ desde la cual partir")
    previous = years[-1]
    if (content / year).exists() or (data / year).exists():
        raise EditionExists(f"la edición {year} ya existe (content/{year}/ o data/{year}/); no se sobrescribe nada")
    if int(year) <= int(previous):
        raise EditionExists(f"la nueva edición debe ser posterior a {previous}")
    shutil.copytree(content / previous, content / year)
    shutil.copytree(data / previous, data / year)
    todo = [f"Edición {year} creada a partir de {previous}. Pendiente:"]
    for md in sorted((content / year).glob("*.md")):
        _mark_for_review(md, previous)
        todo.append(f"  - content/{year}/{md.name}: revise el texto y borre la línea «{REVIEW}» del encabezado")
    _update_edition_yml(content / year / "edition.yml", previous, year)
    todo.append(f"  - content/{year}/edition.yml: confirme «fecha_publicacion», «descripcion» y escriba «notas» y "
                "«correcciones» de la nueva fuente")
    for language in TRANSLATIONS:  # another language's texts are carried forward and marked the same way
        folder = content / year / language.code
        if not folder.is_dir():
            continue
        for md in sorted(folder.glob("*.md")):
            _mark_for_review(md, previous)
            todo.append(f"  - content/{year}/{language.code}/{md.name}: revise la traducción y borre la línea "
                        f"«{REVIEW}» del encabezado")
        if (folder / "edition.yml").is_file():
            _update_edition_yml(folder / "edition.yml", previous, year, translated=True)
            todo.append(f"  - content/{year}/{language.code}/edition.yml: traduzca «notas» y «correcciones» de la "
                        "nueva edición; la traducción queda como borrador («borrador: true»: se publica sin enlaces "
                        "desde el español): cambie a «borrador: false» cuando esté lista")
    for name, (column, also_blank) in CARRIED.items():
        path = data / year / f"{name}.csv"
        if path.is_file():
            n = _carry_progress(path, column, also_blank)
            todo.append(f"  - data/{year}/{name}.csv: complete «{column}» en {n} filas "
                        f"(el valor de {previous} quedó en «avance_anterior» como referencia)" + _explained_by(name, column))
    todo.append(f"  - data/{year}/: actualice las demás tablas (iniciativas, proyectos, montos, hitos, calendario)")
    todo.append("  - ejecute «python build.py check» y corrija lo que indique")
    return todo
