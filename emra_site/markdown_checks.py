"""Markdown the parser reads differently from how it looks: HTML, paths with spaces, list
indentation, code blocks. Each is reported at its `path:line[:col]` with what to write instead.

These look at markdown-it's tokens; the net over the rendered pages (`leftovers`) catches what
gets through anyway.
"""

from __future__ import annotations

import re

from .directives import CHART, TABLE
from .errors import Diagnostic, error, suggest, warning
from .md_source import BodySource
from .values import fold

# --- HTML ----------------------------------------------------------------------------------------

# What to write in Markdown instead of a tag, by tag name.
_INSTEAD = {
    ("b", "strong"): "para negrita escriba **texto**",
    ("i", "em"): "para cursiva escriba *texto*",
    ("br",): "para un salto de línea termine la línea con una barra invertida «\\»; para un párrafo nuevo, "
             "deje una línea en blanco",
    ("p",): "para un párrafo nuevo deje una línea en blanco",
    ("a",): "para un enlace escriba [texto](https://…) o, a otra sección, [texto](resumen.md)",
    ("img",): "para una imagen escriba ![descripción](img/archivo.png)",
    ("ul", "ol", "li"): "para una lista escriba cada elemento en su línea, empezando con «- » o «1. »",
    ("h1", "h2", "h3", "h4", "h5", "h6"): "para un apartado escriba «## Título»",
    ("table", "tr", "td", "th", "thead", "tbody"): "para una tabla escriba | columna | columna |, una fila "
                                                     "|---|---| y una fila por línea",
    ("sup", "sub"): "para una nota al pie escriba [^1] y, en un párrafo aparte, [^1]: texto de la nota",
    ("u", "span", "div", "font", "center", "small", "mark"): "escriba el texto sin formato (o **negrita**)",
}
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9-]*)")


def html_advice(markup: str) -> str:
    """What to write instead of a piece of HTML, in Spanish."""
    if markup.lstrip().startswith("<!--"):
        return "los comentarios no se admiten: bórrelo (el texto que deba quedar sin publicar, guárdelo en otro archivo)"
    m = _TAG.match(markup.lstrip())
    name = m.group(1).lower() if m else ""
    for names, advice in _INSTEAD.items():
        if name in names:
            return advice
    return "bórrela y escriba el texto con el formato de Markdown (vea «Editar el texto de una sección» en el README)"


def _shown(markup: str, limit: int = 60) -> str:
    first = markup.strip().split("\n")[0]
    return first if len(first) <= limit else first[:limit - 1] + "…"


def check_html(tokens: list, src: BodySource) -> list[Diagnostic]:
    """Every HTML block or tag is an error: it would be shown as text (raw HTML is never published)."""
    diags = []
    for tok in tokens:
        if tok.type == "html_block":
            diags.append(error(src.at_line(tok.map[0] if tok.map else 0, _col(src, tok)), (
                f"no se admite HTML («{_shown(tok.content)}»); se publicaría como texto. "
                f"{_sentence(html_advice(tok.content))}")))
        seen: dict[str, int] = {}
        opened: set[str] = set()
        for child in tok.children or []:
            if child.type == "html_inline":
                nth = seen.get(child.content, 0)
                seen[child.content] = nth + 1
                m = _TAG.match(child.content)
                name = m.group(1).lower() if m else ""
                if child.content.startswith("</") and name in opened:
                    continue  # «<b>…</b>» is one problem, reported at its «<b>»
                opened.add(name)
                diags.append(error(src.find(tok, child.content, nth), (
                    f"no se admite HTML («{_shown(child.content)}»); se publicaría como texto. "
                    f"{_sentence(html_advice(child.content))}")))
    return diags


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _col(src: BodySource, tok) -> int:
    line = src.line(tok.map[0] if tok.map else 0)
    return len(line) - len(line.lstrip()) + 1


# --- Link and image paths with spaces -------------------------------------------------------------

# A link or image markdown-it left as text because its destination has a space: «](img/mapa región.png)».
_SPACED = re.compile(r"(!?)\[([^\[\]]*)\]\(([^()<>]*\s[^()<>]*)\)")


def check_spaced_paths(tok, src: BodySource) -> list[Diagnostic]:
    """A `[texto](ruta con espacios)` stays text: say how to write it (`<ruta con espacios>`)."""
    diags = []
    text = "".join(c.content for c in tok.children or [] if c.type == "text")
    for m in _SPACED.finditer(text):
        bang, label, dest = m.group(1), m.group(2), m.group(3).strip()
        if not re.search(r"\s", dest) or re.search(r"\s+[\"'(]", dest):  # spaces around it, or «(url "título")»
            continue
        # The whole construct as written, else its destination (quotes in the label may have been curled).
        pos = tok.content.find(m.group(0))
        pos = pos if pos >= 0 else tok.content.find(f"({m.group(3)})")
        where = src.inline(tok, pos) if pos >= 0 else src.block(tok)
        if bang:
            stem, dot, suffix = dest.replace("\\", "/").rsplit("/", 1)[-1].rpartition(".")
            fixed = re.sub(r"[^a-z0-9]+", "-", fold(stem if dot else suffix)).strip("-") + (f".{suffix}" if dot else "")
            diags.append(error(where, (
                f"imagen «{dest}»: el nombre del archivo tiene espacios y así no se reconoce como imagen "
                f"(se publicaría el texto tal cual); escriba la ruta entre < >: ![{label}](<{dest}>), "
                f"o cambie el nombre del archivo por uno sin espacios («{fixed}»)")))
        else:
            diags.append(error(where, (
                f"enlace «{dest}»: la dirección tiene espacios y así no se reconoce como enlace (se "
                f"publicaría el texto tal cual); escríbala entre < >: [{label}](<{dest}>), o quite los espacios")))
    return diags


# --- Lists -----------------------------------------------------------------------------------------

_ITEM = re.compile(r"^((?:[ \t]*>)*)([ \t]*)(\d{1,9}[.)]|[-+*])([ \t]+|$)")
_LOOKS_LIKE_ITEM = re.compile(r"^[ \t]*(?:[-+*]|\d{1,3}[.)])[ \t]+\S")


def _item_shape(line: str) -> tuple[int, int, str] | None:
    """(indent, content column, marker) of a list item's line, after any «>» quote markers."""
    m = _ITEM.match(line.expandtabs(4))
    if not m:
        return None
    spaces = len(m.group(4))
    width = spaces if 1 <= spaces <= 4 else 1
    indent = len(m.group(2))
    return indent, indent + len(m.group(3)) + width, m.group(3)


def check_lists(tokens: list, src: BodySource) -> list[Diagnostic]:
    """Warn where CommonMark will read a list differently from how it looks.

    An item indented more than the first of its list, but less than the text of the item above,
    looks like a sub-item and is published as one more item of the list (renumbered). A line
    inside a paragraph that starts like an item is published as part of that paragraph.
    """
    diags = []
    frames: list[dict] = []
    for i, tok in enumerate(tokens):
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            start = int(tok.attrGet("start") or 1) if tok.type == "ordered_list_open" else None
            frames.append({"items": [], "start": start})
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            frames.pop()
        elif tok.type == "list_item_open" and frames and tok.map:
            frame = frames[-1]
            shape = _item_shape(src.line(tok.map[0]))
            if shape is None:
                continue
            indent = shape[0]
            items = frame["items"]
            if items and indent > items[0][0]:
                parent = next((it for it in reversed(items) if it[0] < indent), items[0])
                number = (f"como el punto {frame['start'] + len(items)} de la lista de arriba"
                          if frame["start"] is not None else "como un elemento más de la lista de arriba")
                diags.append(warning(src.at_line(tok.map[0], indent + 1), (
                    f"este elemento tiene {indent} espacio(s) de sangría: se publicará {number}, no como "
                    f"sublista. Para una sublista use {parent[1]} espacios (el ancho de «{parent[2]} »)")))
            items.append(shape)
        elif tok.type == "inline" and i and tokens[i - 1].type == "paragraph_open" and "\n" in tok.content:
            for k, line in enumerate(tok.content.split("\n")[1:], start=1):
                if _LOOKS_LIKE_ITEM.match(line):
                    index = (tok.map[0] if tok.map else 0) + k
                    source = src.line(index)
                    diags.append(warning(src.at_line(index, len(source) - len(source.lstrip()) + 1), (
                        f"«{line.strip()[:40]}» parece un elemento de lista, pero se publicará unido al texto "
                        "de la línea anterior. Deje una línea en blanco antes de la lista, empiece una lista "
                        "numerada con «1.», y para una sublista alinee el guion o el número con el texto del "
                        "elemento de arriba")))
    return diags


# --- Code blocks -----------------------------------------------------------------------------------


def check_code(tok, src: BodySource) -> list[Diagnostic]:
    """A ```grafico or ```tabla misspelled would be published as code, and so would text indented by
    4 spaces; a fence with another word (```python) is code on purpose and stays code."""
    blocks = (CHART, TABLE)
    if tok.type == "fence" and tok.info.strip() not in blocks and tok.info.strip():
        info = tok.info.strip()
        word = info.split()[0]
        hint = suggest(word.lower(), blocks) if word.lower() not in blocks else f" ¿Quiso decir «{word.lower()}»?"
        if hint:
            return [error(src.at_line(tok.map[0] if tok.map else 0, _col(src, tok)), (
                f"bloque «{tok.markup}{info}» desconocido; se publicaría como código. Se esperaba {tok.markup}{CHART} "
                f"o {tok.markup}{TABLE}, solo esa palabra en la línea." + hint))]
    if tok.type == "code_block":
        return [warning(src.block(tok), (
            "este texto tiene 4 o más espacios (o un tabulador) de sangría y se publicará como código, no "
            "como párrafo; quite la sangría (en una lista, alinéelo con el texto del elemento)"))]
    return []


# --- Syntax the parser leaves as text ---------------------------------------------------------------

_REF_LINK = re.compile(r"\[([^\[\]\n]*)\]\[([^\[\]\n^]*)\]")
_TASK = re.compile(r"\[([ xX])\](?=\s|$)")
_TICKS = re.compile(r"`+")


def _stray_ticks(content: str) -> list[tuple[int, int]]:
    """(start, end) of each backtick run CommonMark leaves as text: not escaped, and no run of the
    same length after it to close a code span."""
    out, pos = [], 0
    while (m := _TICKS.search(content, pos)) is not None:
        start, end = m.span()
        slashes = len(content[:start]) - len(content[:start].rstrip("\\"))
        start += slashes % 2  # «\`»: that backtick is text on purpose
        if start < end:
            closing = next((c for c in _TICKS.finditer(content, end) if c.end() - c.start() == end - start), None)
            if closing is not None:
                pos = closing.end()
                continue
            out.append((start, end))
        pos = end
    return out


def _texts(tok) -> str:
    return "".join(c.content for c in tok.children or [] if c.type == "text")


def check_stray_syntax(tokens: list, src: BodySource) -> list[Diagnostic]:
    """Syntax markdown-it leaves as text, at its line and column with what to write: links to an
    undefined reference «[texto][ref]», an unclosed «`», a «|» inside `código` in a table (it ends
    the cell) and task-list boxes «- [ ]» / «- [x]»."""
    diags: list[Diagnostic] = []
    piped: set[tuple[int, int]] = set()  # (body line, column) of backticks already reported as a «|» in code
    for i, tok in enumerate(tokens):
        if tok.type != "inline":
            continue
        text = _texts(tok)
        for m in _REF_LINK.finditer(tok.content):
            if m.group(0) not in text:
                continue  # a link after all (the reference exists)
            label, ref = m.group(1), m.group(2) or m.group(1)
            diags.append(error(src.inline(tok, m.start()), (
                f"el enlace «{m.group(0)}» usa la referencia «{ref}», que no está escrita en ninguna parte: se "
                f"publicaría tal cual. Escriba el enlace con su dirección, [{label}](https://…), o agregue en una "
                f"línea aparte «[{ref}]: https://…»")))
        in_cell = i > 0 and tokens[i - 1].type in ("td_open", "th_open")
        for start, end in _stray_ticks(tok.content) if "`" in text else ():
            where = src.inline(tok, start)
            if in_cell:
                body_line = (where.line or src.first_line) - src.first_line
                if (body_line, where.col) in piped:
                    continue
                line = src.line(body_line)
                ticks = tok.content[start:end]
                code = re.compile(re.escape(ticks) + r"(?:(?!" + re.escape(ticks) + r").)*?(?<!\\)\|.*?" + re.escape(ticks))
                piped_code = code.match(line, (where.col or 1) - 1)
                if piped_code is not None:
                    piped.update((body_line, k + 1) for k in range(piped_code.start(), piped_code.end()))
                    fixed = re.sub(r"(?<!\\)\|", r"\\|", piped_code.group(0))
                    diags.append(error(where, (
                        f"en una tabla, «|» separa columnas también dentro de un código: «{piped_code.group(0)}» se "
                        f"partiría en dos celdas y se publicarían las comillas invertidas. Escriba la barra como "
                        f"\\|: {fixed}")))
                    continue
            diags.append(error(where, (
                f"la comilla invertida «{tok.content[start:end]}» abre un código que no se cierra: se publicaría "
                f"tal cual. Cierre el código con otra «{tok.content[start:end]}» (`código`), o, si quería mostrar "
                "la comilla, escríbala \\`")))
        if i > 1 and tokens[i - 1].type == "paragraph_open" and tokens[i - 2].type == "list_item_open":
            task = _TASK.match(tok.content)
            if task is not None:
                state = "Pendiente" if task.group(1) == " " else "Hecho"
                rest = tok.content[task.end():].strip().split("\n")[0][:40] or "…"
                diags.append(error(src.inline(tok, 0), (
                    f"la casilla «{task.group(0)}» de una lista de tareas no se admite: se publicaría tal cual. "
                    f"Escriba el estado en palabras, por ejemplo «- {state}: {rest}»")))
    return diags


# --- Attributes: only a phrase's language -------------------------------------------------------------

_LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z]{4})?(?:-(?:[a-zA-Z]{2}|\d{3}))?$")  # BCP 47: en, en-GB, es-419


# Braces after a closing bracket that markdown-it did not read as attributes (`[y]{lang=inglés}`): left as text.
# Also with a space before the brace or no closing one («[texto] {lang=en}», «[texto]{lang=en»).
_UNREAD_BRACES = re.compile(r"\]\s*\{[^{}\n]*\}?")
# The attributes a token has of its own, not written by the editor in braces.
_OWN_ATTRIBUTES = {"link_open": {"href", "title"}, "image": {"src", "alt", "title"},
                   "literal_open": {"class"}, "literal_part_open": {"class"}}


def check_attributes(tokens: list, src: BodySource) -> list[Diagnostic]:
    """`{lang=…}` after a phrase in brackets, a link or code is the one attribute an editor writes: its value
    must be a language tag (BCP 47, as `lang` in HTML and /Lang in PDF); any other attribute is an error."""
    diags = []
    for tok in tokens:
        for child in tok.children or []:
            if child.type == "text" and (left := _UNREAD_BRACES.search(child.content)):
                written = left.group(0)[1:].strip()
                diags.append(error(src.find(tok, left.group(0), 0), (
                    f"no se entendió «{written}»; entre llaves va solo el idioma de una frase, pegado al corchete "
                    "y con la llave cerrada, con un código como en, en-GB o fr, así: "
                    "[Regions and Cities at a Glance]{lang=en}")))
            for name, value in (child.attrs or {}).items():
                if name in _OWN_ATTRIBUTES.get(child.type, ()):
                    continue
                if name != "lang":
                    written = {"class": f".{value}", "id": f"#{value}"}.get(name, f"{name}={value}")
                    diags.append(error(src.find(tok, "{", 0), (
                        f"no se admite «{{{written}}}»; entre llaves solo va el idioma de una frase, "
                        "así: [Regions and Cities at a Glance]{lang=en}")))
                elif not _LANGUAGE_TAG.match(str(value)):
                    diags.append(error(src.find(tok, "{", 0), (
                        f"«{{lang={value}}}» no es un código de idioma; escriba uno como en, en-GB o fr, "
                        "así: [Regions and Cities at a Glance]{lang=en}")))
    return diags
