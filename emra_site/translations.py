"""An edition in another language (`i18n.TRANSLATIONS`): its texts over the Spanish edition's data.

Where a translation lives (docs/traduccion.md), for language `en` of edition 2025:

- `content/2025/en/edition.yml`: `titulo`, `titulo_corto`, `subtitulo`, `descripcion`, `responsables`,
  `notas`, `correcciones`, and `borrador: true` while the translation is a draft;
- `content/2025/en/<seccion>.md`: the section of the same file name, with `titulo`, `descripcion` and
  `slug` (its page's English name, `summary` → `en/2025/summary.html`) in the front matter and the
  same chart and table blocks as the Spanish one (only their `titulo` and `descripcion` change);
- `data/2025/en/<tabla>.csv`: `id` and the table's text columns (`schema.translatable`) in English.

Numbers, dates, ids and choices (`plazo: corto`) are never translated here: they come from the
Spanish data, so each number is typed once; a choice is a word of the message catalog. Whatever has
no translation is shown in Spanish, marked «translation pending» (`PENDING`), and reported at the
Spanish source's `file:line` (`pending`): a warning (`--strict` refuses to publish), or a note when
`edition.yml` says `borrador: true` (built, but not linked from the Spanish pages).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from . import schema as S
from .errors import NOTICE, WARNING, Diagnostic, SourceLoc, error, warning
from .i18n import Language, gettext, use_language
from .load import RawEdition, read_csv, read_markdown, read_yaml, relpath
from .model import Edition, Section

# The marker a Spanish text takes on a page of another language when it has no translation yet.
PENDING = "translation pending"
META_KEYS = ("titulo", "titulo_corto", "subtitulo", "descripcion", "responsables", "notas", "correcciones")
FRONT_MATTER = {"titulo": True, "descripcion": True, "slug": True, "revisar": False}
TRUE_WORDS = ("true", "sí", "si", "yes")
FALSE_WORDS = ("false", "no", "")
# Page names an English section may not take: the site's own pages in the language's folder.
TAKEN_PAGES = frozenset({"index", "buscar", "ediciones", "404"})


@dataclass(frozen=True)
class Translated:
    """One edition in one more language: the edition (texts translated, data shared), whether it is a
    draft, and what is still pending (as diagnostics at the Spanish source)."""

    language: Language
    edition: Edition
    draft: bool
    pending: tuple[Diagnostic, ...]


def has_translation(content_dir: Path, language: Language) -> bool:
    """Whether the edition folder has a folder for `language` (`content/2025/en/`)."""
    return (content_dir / language.code).is_dir()


def mark_pending(text: str) -> str:
    """A Spanish text shown on another language's page, marked as such."""
    return f"{text} ({PENDING})"


def translate_edition(edition: Edition, raw: RawEdition, content_dir: Path, data_dir: Path, root: Path,
                      language: Language, charset: frozenset[int] | None = None, glossary: tuple = ()
                      ) -> tuple[Translated | None, list[Diagnostic]]:
    """The edition in `language`, from `content_dir/<code>/` and `data_dir/<code>/` over the Spanish `edition`.

    `raw` is the Spanish edition as read (its files' lines: where a pending item is reported);
    `glossary` its terms (`glossary.Term`), checked in each translated section.
    Returns (None, errors) when a translated file is unusable (an error names it); otherwise the
    translated edition and the diagnostics of its files (pending items are in `Translated.pending`).
    """
    folder, data_folder = content_dir / language.code, data_dir / language.code
    diags: list[Diagnostic] = []
    pending: list[Diagnostic] = []

    meta: dict = {}
    read = None
    meta_path = folder / "edition.yml"
    if meta_path.is_file():
        read, more = read_yaml(meta_path, root, charset)
        diags += more
        if read is not None:
            meta = read.data
            for key in read.data:
                if key not in (*META_KEYS, "borrador"):
                    diags.append(error(SourceLoc(read.path, read.lines.get(key, 1)), (
                        f"clave desconocida «{key}»; en la traducción de edition.yml se esperaba una de: "
                        f"{', '.join((*META_KEYS, 'borrador'))}")))
    said = str(meta.get("borrador", "")).strip().lower()
    draft = said in TRUE_WORDS
    if said not in TRUE_WORDS + FALSE_WORDS and read is not None:
        diags.append(error(SourceLoc(read.path, read.lines.get("borrador", 1)), (
            f"«borrador: {meta.get('borrador')}» no se entiende; se esperaba «borrador: true» (la traducción no está "
            "lista: se publica sin enlaces desde el español) o «borrador: false»")))

    def missing(loc: SourceLoc, what: str) -> None:
        pending.append(Diagnostic(loc, f"sin traducción al {language_word(language)}: {what}",
                                  NOTICE if draft else WARNING))

    spanish_meta = raw.meta
    texts = {}
    for key in META_KEYS:
        value = meta.get(key)
        original = getattr(edition, key)
        if value in (None, "", []):
            if original:
                where = SourceLoc(spanish_meta.path, spanish_meta.lines.get(key)) if spanish_meta else SourceLoc("")
                missing(where, f"«{key}» de edition.yml; agréguelo en {relpath(meta_path, root)}")
            texts[key] = original
        else:
            texts[key] = tuple(str(v) for v in value) if isinstance(original, tuple) else str(value)

    with use_language(language):  # the language's typographic quotes, and its words in what the parser writes
        sections, more = _translate_sections(edition, raw, folder, content_dir, root, charset, missing, glossary)
    diags += more
    data, more = _translate_data(edition, raw, data_folder, root, charset, missing)
    diags += more
    if draft:  # a draft's doubts (copied text to review, a glossary term) do not hold back the Spanish edition
        diags = [dataclasses.replace(d, level=NOTICE) if d.level == WARNING else d for d in diags]
    if any(d.level == "error" for d in diags):
        return None, diags + pending  # everything at once: what is missing as well as what is wrong
    with use_language(language):
        licence = dataclasses.replace(edition.licencia, title=gettext(edition.licencia.title),
                                      url=edition.licencia.url.replace("/deed.es", f"/deed.{language.code}"))
    translated = dataclasses.replace(edition, **texts, idioma=language.tag, sections=sections, data=data,
                                     licencia=licence)
    return Translated(language, translated, draft, tuple(sorted(pending))), diags


def language_word(language: Language) -> str:
    """The language's name in a Spanish sentence («sin traducción al inglés»)."""
    return {"en": "inglés"}.get(language.code, language.code)


def _translate_sections(edition: Edition, raw: RawEdition, folder: Path, content_dir: Path, root: Path, charset,
                        missing, glossary: tuple = ()) -> tuple[tuple[Section, ...], list[Diagnostic]]:
    """Each section from `folder/<slug>.md`, or the Spanish one marked pending; glossary terms checked."""
    from .glossary import check_terms, glossary_location
    from .markdown import split_blocks
    from .section_links import Outline, check_section_links
    from .validate import check_keys

    diags: list[Diagnostic] = []
    docs = {}
    for section in edition.sections:
        path = folder / f"{section.slug}.md"
        if path.is_file():
            doc, more = read_markdown(path, root, charset)
            diags += more
            if doc is not None and doc.meta is not None:
                diags += check_keys(doc.meta, FRONT_MATTER, doc.meta_lines, doc.path, "el encabezado")
                if doc.meta.get("revisar"):  # new-edition carried it forward: --strict refuses it unread
                    diags.append(warning(SourceLoc(doc.path, doc.meta_lines.get("revisar", 1)), (
                        "traducción copiada de la edición anterior y aún sin revisar; actualícela y borre la línea "
                        "«revisar»")))
                docs[section.slug] = doc
    known = {s.slug for s in edition.sections}
    if folder.is_dir():
        for path in sorted(folder.glob("*.md")):
            if path.stem not in known:
                diags.append(error(SourceLoc(relpath(path, root), 1), (
                    f"no hay ninguna sección «{path.stem}» en la edición en español; el archivo traducido debe "
                    f"llamarse como la sección que traduce: {', '.join(f'{s}.md' for s in sorted(known))}")))
    pages = {s.slug: str((docs[s.slug].meta or {}).get("slug") or s.slug) if s.slug in docs else s.slug
             for s in edition.sections}
    diags += _check_page_names(pages, docs)
    ids = _ids(edition)
    numbers = tuple((s.slug, s.numero) for s in edition.sections)
    sections, links, anchors = [], [], {}
    for section in edition.sections:
        doc = docs.get(section.slug)
        spanish_doc = raw.documents.get(section.slug)
        if doc is None:
            path = folder / f"{section.slug}.md"
            if not path.is_file():  # a file that exists but could not be read has its own error: never «cree»
                where = SourceLoc(spanish_doc.path, 1) if spanish_doc else SourceLoc(relpath(content_dir, root))
                missing(where, f"la sección «{section.titulo}»; cree {relpath(path, root)}")
            sections.append(dataclasses.replace(section, slug=pages[section.slug], pending=True, source=section.slug))
            anchors[section.slug] = [h.anchor for h in section.headings]
            continue
        outline = Outline(section.slug, numbers, tuple(pages.items()))
        blocks, headings, refs, images, more = split_blocks(doc.body, doc.path, doc.body_line, ids, content_dir, outline)
        diags += more
        links += [r for r in refs if r.kind == "seccion"]
        diags += _check_same_blocks(section, blocks, doc.path)
        if spanish_doc is not None:
            diags += check_terms(glossary, glossary_location(content_dir.parent, root), spanish_doc, doc)
        anchors[section.slug] = [h.anchor for h in headings]
        meta = doc.meta or {}
        sections.append(dataclasses.replace(
            section, slug=pages[section.slug], source=section.slug, titulo=str(meta.get("titulo") or section.titulo),
            descripcion=str(meta.get("descripcion") or section.descripcion), blocks=tuple(blocks),
            headings=tuple(headings), images=tuple(images)))
    diags += check_section_links(links, anchors)
    return tuple(sections), diags


def _check_page_names(pages: dict[str, str], docs: dict) -> list[Diagnostic]:
    """English page names: web names, unique, none taken by the site's own folders."""
    from .layout import RESERVED_SLUGS
    from .validate import SLUG

    diags = []
    seen: dict[str, str] = {}
    for slug, page in pages.items():
        doc = docs.get(slug)
        if doc is None:
            continue
        loc = SourceLoc(doc.path, doc.meta_lines.get("slug", 1))
        if not SLUG.fullmatch(page) or page in RESERVED_SLUGS | TAKEN_PAGES:
            diags.append(error(loc, (
                f"«slug: {page}» no sirve como nombre de página; se esperaba minúsculas sin tildes ni espacios, "
                "con guiones (por ejemplo «strategic-projects»), distinto de " + ", ".join(sorted(RESERVED_SLUGS | TAKEN_PAGES)))))
        elif page in seen:
            diags.append(error(loc, f"«slug: {page}» ya lo usa la traducción de «{seen[page]}.md»; elija otro nombre"))
        seen[page] = slug
    return diags


def _ids(edition: Edition) -> dict[str, set]:
    """The ids a block may select, per table (what `validate` gives the Spanish sections)."""
    out = {}
    for schema in edition.data.schemas():
        if any(c.name == "id" for c in schema.columns):
            out[schema.name] = {str(r["id"]) for r in edition.data.records(schema.name) if r.get("id") is not None}
    return out


def _check_same_blocks(section: Section, blocks, path: str) -> list[Diagnostic]:
    """A translated section shows the same charts and tables, in the same order, as the Spanish one:
    its numbers are the Spanish data, so only a block's `titulo` and `descripcion` may change. Each
    difference is named where it is: a block too many, a block missing (with where the Spanish one is),
    or a block whose parameters differ (which ones)."""
    import difflib

    from .directives import Directive

    def shape(b):
        return (b.kind, b.name, b.params, b.key)

    def named(b) -> str:
        return f"«{b.kind}: {b.name}»" + (f" (id: {b.key})" if b.key else "")

    mine = [b for b in blocks if isinstance(b, Directive)]
    theirs = [b for b in section.blocks if isinstance(b, Directive)]
    diags = []
    matcher = difflib.SequenceMatcher(a=[shape(b) for b in theirs], b=[shape(b) for b in mine], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        # Within the difference, a block of the same kind is the Spanish one with other parameters.
        left, found = list(theirs[i1:i2]), []
        for block in mine[j1:j2]:
            spanish = next((b for b in left if (b.kind, b.name) == (block.kind, block.name)), None)
            if spanish is None:
                found.append(error(block.loc, (
                    f"sobra el bloque {named(block)}: la sección en español no lo muestra en este lugar; bórrelo "
                    "(un gráfico o una tabla nuevos se agregan primero en español)")))
                continue
            missing_before, left = left[:left.index(spanish)], left[left.index(spanish) + 1:]
            found += [_missing_block(b, block.loc, "antes de este bloque") for b in missing_before]
            want = ", ".join(f"{k}: {v}" for k, v in spanish.params) or "ninguno"
            got = ", ".join(f"{k}: {v}" for k, v in block.params) or "ninguno"
            found.append(error(block.loc, (
                f"este bloque {named(block)} no muestra lo mismo que en español ({spanish.loc}): se esperaban los "
                f"parámetros «{want}» y tiene «{got}»; en la traducción solo cambian «titulo» y «descripcion»")))
        after = (mine[j2].loc, "antes de este bloque") if j2 < len(mine) else (SourceLoc(path), "al final de la sección")
        found += [_missing_block(b, *after) for b in left]
        diags += found
    return diags


def _missing_block(spanish, at: SourceLoc, where: str) -> Diagnostic:
    """The error for a Spanish block the translation lacks, at the place it should go."""
    named = f"«{spanish.kind}: {spanish.name}»" + (f" (id: {spanish.key})" if spanish.key else "")
    return error(at, (f"falta el bloque {named} que la sección en español muestra en {spanish.loc}; cópielo {where} "
                      "y traduzca solo su «titulo» y su «descripcion»"))


def _translate_data(edition: Edition, raw: RawEdition, folder: Path, root: Path, charset, missing):
    """Each table's text columns from `folder/<tabla>.csv`, by id; the Spanish text marked pending otherwise."""
    from .load import read_xlsx
    from .model import ROW_TYPES
    from .new_tables import is_skipped

    diags: list[Diagnostic] = []
    data = edition.data
    replaced = {}
    wanted = {name for name in ROW_TYPES if S.translatable(S.TABLES_BY_NAME[name])}
    present = sorted(p.name for p in folder.iterdir() if not is_skipped(p.name)) if folder.is_dir() else []
    for other in present:  # a file the build would not read is said, never left unread in silence
        stem, _, suffix = other.rpartition(".")
        if stem not in wanted or suffix.lower() not in ("csv", "xlsx"):
            diags.append(error(SourceLoc(relpath(folder / other, root)), (
                f"«{other}» no es una tabla traducida; en {relpath(folder, root)}/ van solo las tablas con textos "
                f"que traducir, con el nombre de la tabla en español: {', '.join(f'{n}.csv' for n in sorted(wanted))}")))
        elif suffix == "xlsx" and f"{stem}.csv" in present:
            diags.append(error(SourceLoc(relpath(folder / other, root)), (
                f"hay dos versiones de la traducción: {stem}.csv y {stem}.xlsx; deje solo una")))
    for name in ROW_TYPES:
        columns = S.translatable(S.TABLES_BY_NAME[name])
        if not columns:
            continue
        path = folder / f"{name}.csv"
        if f"{name}.csv" not in present and f"{name}.xlsx" in present:
            path = folder / f"{name}.xlsx"
        given: dict[str, dict[str, str]] = {}
        # Rows the file has but could not give (a row with too many cells), or every row when the file itself
        # could not be read (None): their errors say what to fix, so they are not also «missing». A row given
        # with an empty text is missing that text.
        unreadable: set[str] | None = set()
        if path.name in present:
            table, more = read_csv(path, root) if path.suffix == ".csv" else read_xlsx(path, root)
            diags += more
            if table is None:
                unreadable = None
            else:
                given, more = _read_texts(table, name, columns, {r.id for r in data.table(name)})
                diags += more
                at = table.header.index("id") if "id" in table.header else None  # no id: no row could be read
                unreadable = None if at is None else (
                    {r.cells[at].strip() for r in table.rows if len(r.cells) > at} - set(given))
        spanish = raw.tables.get(name)
        lines = {}
        if spanish is not None and "id" in spanish.header:
            at = spanish.header.index("id")
            lines = {r.cells[at].strip(): r.line for r in spanish.rows if len(r.cells) > at}
        rows = []
        for row in data.table(name):
            texts = given.get(row.id, {})
            changes = {}
            for column in columns:
                original = getattr(row, column)
                if texts.get(column):
                    changes[column] = texts[column]
                elif original:
                    if unreadable is not None and row.id not in unreadable:
                        missing(SourceLoc(spanish.path if spanish else relpath(folder, root), lines.get(row.id)),
                                f"«{column}» de la fila «{row.id}»; agréguela en {relpath(path, root)}")
                    changes[column] = mark_pending(original)
            rows.append(dataclasses.replace(row, **changes))
        replaced[name] = tuple(rows)
    return dataclasses.replace(data, **replaced), diags


def _read_texts(table, name: str, columns: tuple[str, ...], ids: set[str]) -> tuple[dict, list[Diagnostic]]:
    """{id: {column: text}} of a translated table; unknown columns and ids are errors (a typo would
    otherwise leave the row «pending» without saying why)."""
    diags: list[Diagnostic] = []
    header = list(table.header)
    if "id" not in header:
        return {}, [error(SourceLoc(table.path, table.header_line), (
            f"falta la columna «id»; se esperaba «id» y las columnas de texto de {name}: {', '.join(columns)}"))]
    for i, column in enumerate(header):
        if column != "id" and column not in columns:
            if column in {c.name for c in S.TABLES_BY_NAME[name].columns}:
                diags.append(warning(SourceLoc(table.path, table.header_line, i + 1), (
                    f"la columna «{column}» no se traduce aquí (es un número, una fecha o una opción que viene de la "
                    "tabla en español); se ignora. Puede borrarla")))
            else:
                diags.append(error(SourceLoc(table.path, table.header_line, i + 1), (
                    f"columna desconocida «{column}»; se esperaba «id» y: {', '.join(columns)}")))
    out: dict[str, dict[str, str]] = {}
    at = header.index("id")
    for row in table.rows:
        if len(row.cells) > len(header):
            diags.append(error(SourceLoc(table.path, row.line, len(header) + 1), (
                f"la fila tiene {len(row.cells)} celdas y el encabezado {len(header)}; un texto con «;» o «,» debe ir "
                "entre comillas (Excel las pone solo al guardar como CSV)")))
            continue
        cells = dict(zip(header, (c.strip() for c in row.cells), strict=False))
        rid = cells.get("id", "")
        if rid in out:
            diags.append(error(SourceLoc(table.path, row.line, at + 1), (
                f"la fila «{rid}» está dos veces; se esperaba una fila por id (borre una de las dos)")))
            continue
        if rid not in ids:
            diags.append(error(SourceLoc(table.path, row.line, at + 1), (
                f"la fila «{rid}» no existe en la tabla {name} en español; se esperaba el id de una de sus filas")))
            continue
        out[rid] = {c: cells[c] for c in columns if cells.get(c)}
    return out, diags
