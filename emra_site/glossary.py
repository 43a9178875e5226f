"""The glossary (`content/glosario.csv`, columns `es;en;nota`): one English rendering per Spanish term.

A translated section that keeps a Spanish term of the glossary must use its English rendering
somewhere: «acuerdos transversales» is always «cross-cutting agreements», never «transversal
accords» in one chapter and «cross-cutting agreements» in another. The check is deliberately
tolerant: case, a hyphen for a space («short-term») and an English plural «s» are the same term. The
message catalog's texts are checked against the same file by the tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostic, SourceLoc, error, warning
from .load import read_csv, relpath

FILE = "glosario.csv"  # inside content/
COLUMNS = ("es", "en", "nota")


@dataclass(frozen=True)
class Term:
    """One entry: the Spanish term, its English rendering, and where it is written."""

    es: str
    en: str
    line: int


def term_pattern(text: str, plural: bool = False) -> re.Pattern:
    """Whole words of `text`, any case, a space or a hyphen between them; with `plural`, an optional final
    «s» (English: «railway yards» is the term «railway yard»; Spanish plurals vary, so a Spanish term is exact)."""
    parts = [re.escape(p) for p in re.split(r"[\s-]+", text.strip()) if p]
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(parts) + (r"s?" if plural else "") + r"(?!\w)", re.IGNORECASE)


def read_glossary(content: Path, root: Path) -> tuple[tuple[Term, ...], list[Diagnostic]]:
    """The glossary's terms (none when the file is absent); a row without both terms is an error."""
    path = content / FILE
    if not path.is_file():
        return (), []
    table, diags = read_csv(path, root)
    if table is None:
        return (), diags
    header = list(table.header)
    if header[:2] != ["es", "en"]:
        return (), diags + [error(SourceLoc(table.path, table.header_line), (
            f"el encabezado es «{';'.join(header)}»; se esperaba «es;en;nota» (término en español, su traducción "
            "al inglés y una nota opcional)"))]
    terms = []
    for row in table.rows:
        es, en = (row.cells + ("", ""))[:2]
        if not es.strip() or not en.strip():
            diags.append(error(SourceLoc(table.path, row.line), (
                "falta el término en español o su traducción; se esperaba «término;traducción;nota»")))
            continue
        terms.append(Term(es.strip(), en.strip(), row.line))
    return tuple(terms), diags


def check_terms(terms: tuple[Term, ...], glossary_path: str, spanish, translated) -> list[Diagnostic]:
    """Every glossary term of the Spanish document `spanish` (a `load.RawDocument`) is rendered in its
    translation `translated` as the glossary says; a warning at the translation for each one that is not."""
    diags = []
    for term in terms:
        if term.es == term.en:
            continue
        found = term_pattern(term.es).search(spanish.body)
        if found is None or term_pattern(term.en, plural=True).search(translated.body):
            continue
        line = spanish.body_line + spanish.body.count("\n", 0, found.start())
        first_text = translated.body_line + len(translated.body) - len(translated.body.lstrip("\n"))
        diags.append(warning(SourceLoc(translated.path, first_text), (
            f"el término «{term.es}» ({spanish.path}:{line}) no aparece traducido como «{term.en}», como fija "
            f"{glossary_path}:{term.line}; use esa traducción o corrija el glosario")))
    return diags


def glossary_location(content: Path, root: Path) -> str:
    """The glossary's path as editors see it."""
    return relpath(content / FILE, root)
