"""The net over rendered output: Markdown syntax that reached a page or the PDF as text.

Whatever the parser did not recognise is published word for word: `texto[^1]`, `![mapa](a b.png)`,
`** negrita**`, a ``` line, `<b>`. `markdown` and `markdown_checks` report the cases they know at
their place; this net reads what was actually rendered (the text of every page, and of the PDF's
laid-out pages), finds leftover syntax, and turns each hit into an error at the file, line and
column of the Markdown that produced it, found by locating the hit and the text around it in the
edition's Markdown bodies.

Text outside the Markdown bodies is plain text on purpose and shown as written (data cells,
titles and descriptions in front matter, edition.yml and chart or table blocks); a hit there is
not located in a body, so it is not reported. Code (`…` and code blocks) shows syntax on purpose
and is not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .errors import ERROR, BuildError, Diagnostic, SourceLoc, error


@dataclass(frozen=True)
class Marker:
    """A piece of Markdown syntax that never belongs in published text, and what to write instead."""

    name: str
    pattern: re.Pattern
    advice: str


MARKERS = (
    Marker("nota", re.compile(r"\[\^"),
           "Una nota al pie se llama con [^1], sin espacios, y su texto va en un párrafo aparte que empieza "
           "con «[^1]: »"),
    Marker("imagen", re.compile(r"!\["),
           "Una imagen se escribe ![descripción](carpeta/archivo.png), sin espacio entre ] y (; si el nombre "
           "del archivo tiene espacios, escriba la ruta entre < >"),
    Marker("enlace", re.compile(r"\]\("),
           "Un enlace se escribe [texto](https://…) o, a otra sección, [texto](resumen.md); si la dirección "
           "tiene espacios, escríbala entre < >"),
    Marker("negrita", re.compile(r"\*\*"),
           "La negrita se escribe **texto**, sin espacios entre los asteriscos y el texto"),
    Marker("bloque", re.compile(r"```|~~~"),
           "Un bloque ```grafico o ```tabla empieza en el borde izquierdo, sin sangría, y se cierra con otra "
           "línea ```"),
    Marker("html", re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>|<!--"),
           "No se admite HTML: escriba **negrita**, listas con «- » y enlaces [texto](https://…)"),
    Marker("referencia", re.compile(r"\[\["),
           "Una referencia se escribe [[figura:id]] o [[tabla:id]], con el id del bloque en minúsculas y "
           "con guiones"),
    Marker("titulo", re.compile(r"(?<![#\w])#{2,6}(?=[^\s#])"),
           "Un apartado se escribe «## Título», con un espacio después de los #, al comienzo de la línea"),
    Marker("tabla", re.compile(r"\|\s*:?-+:?\s*\|"),
           "Una tabla necesita una línea en blanco antes, una fila de encabezado y debajo |---|---|, con "
           "tantas columnas como el encabezado"),
    Marker("referencia-enlace", re.compile(r"\]\["),
           "Un enlace se escribe [texto](https://…); si usa [texto][nombre], escriba en una línea aparte "
           "«[nombre]: https://…»"),
    Marker("codigo", re.compile(r"(?<!`)`{1,2}(?!`)"),
           "Un código se escribe entre comillas invertidas, una a cada lado: `código`; para mostrar la comilla "
           "invertida escriba \\`"),
    Marker("casilla", re.compile(r"^\[[ xX]\](?=\s)", re.MULTILINE),
           "Las casillas [ ] y [x] de una lista de tareas no se admiten: escriba el estado en palabras, por "
           "ejemplo «- Pendiente: …» o «- Hecho: …»"),
)

# Characters of text kept on each side of a hit to find it in the source, widest first. Both sides
# always (as far as the line goes): a hit with text on one side only could be any «**» of the file.
_CONTEXT = (12, 6, 3)
_QUOTES = "\"'«»“”‘’"  # the typographer curls the editor's straight quotes


@dataclass(frozen=True)
class Hit:
    """Leftover syntax in rendered text: which marker, and the text with the hit at [start, end)."""

    marker: Marker
    text: str
    start: int
    end: int


def find_hits(text: str) -> list[Hit]:
    """Every leftover marker in `text` (whitespace already collapsed), in reading order."""
    hits = [Hit(marker, text, m.start(), m.end()) for marker in MARKERS for m in marker.pattern.finditer(text)]
    return sorted(hits, key=lambda h: (h.start, h.marker.name))


# --- Reading the rendered text ---------------------------------------------------------------------

# A <textarea> holds the «Insertar» iframe code the publisher writes (embeds.py), never an editor's Markdown: its
# tags would each be a hit the net looks for in every section file, in vain (1 s of a build per language).
_SKIPPED = {"script", "style", "code", "pre", "svg", "head", "template", "noscript", "textarea"}
_INLINE = {"a", "abbr", "b", "cite", "del", "em", "i", "mark", "q", "s", "small", "span", "strong", "sub", "sup",
           "time", "u", "wbr"}


class _PageText(HTMLParser):
    """The text a reader sees, one line per block; code, scripts and the head left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self.skipping.append(tag)
        elif tag not in _INLINE:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag not in _INLINE:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()
        elif tag not in _INLINE and not self.skipping:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


# An inline chart (inline_svg.py) is skipped like any <svg>; cut out before parsing, its few thousand tags cost
# most of the scan of a section page (pages hold no nested <svg>: the first «</svg>» closes it).
_INLINE_SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)


def html_text(html: str) -> str:
    """The visible text of a page, whitespace collapsed (blocks end in a line break)."""
    reader = _PageText()
    reader.feed(_INLINE_SVG.sub("", html))
    reader.close()
    return _collapse("".join(reader.parts))


def _collapse(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())


def document_text(document) -> list[str]:
    """The text of each laid-out page of a WeasyPrint document, one line per line box; code left out."""
    pages = []
    for page in document.pages:
        lines: list[str] = []
        _walk(page._page_box, lines, [])  # WeasyPrint's laid-out boxes: there is no public text API
        pages.append(_collapse("\n".join(lines).replace("\u200b", "")))  # zero-width break opportunities
    return pages


def _walk(box, lines: list[str], current: list[str]) -> None:
    if getattr(box, "element_tag", None) in ("code", "pre"):
        return
    if type(box).__name__ == "LineBox":
        parts: list[str] = []
        _walk_line(box, parts)
        lines.append("".join(parts))
        return
    for child in getattr(box, "children", None) or ():
        _walk(child, lines, current)


def _walk_line(box, parts: list[str]) -> None:
    if getattr(box, "element_tag", None) in ("code", "pre"):
        return
    text = getattr(box, "text", None)
    if isinstance(text, str):
        parts.append(text)
    for child in getattr(box, "children", None) or ():
        if type(child).__name__ == "LineBox":  # an inline-block's own lines
            parts.append("\n")
        _walk_line(child, parts)


# --- Finding the Markdown that produced a hit -------------------------------------------------------


@dataclass(frozen=True)
class MarkdownSource:
    """A section's Markdown file and the lines that are Markdown text (the body, less its blocks)."""

    path: str  # as shown to editors, content/2025/resumen.md
    text: str  # the file's text, front matter blanked
    lines: frozenset[int]  # 1-based file lines whose text is read as Markdown

    @classmethod
    def read(cls, file: Path, root: Path) -> MarkdownSource | None:
        """The file's Markdown lines; None when it cannot be read (already reported by `check`)."""
        from .load import read_markdown
        from .markdown import PARSER

        doc, _ = read_markdown(file, root)
        if doc is None:
            return None
        return cls.of_body(doc.body, doc.path, doc.body_line, PARSER.parse(doc.body))

    @classmethod
    def of_body(cls, body: str, path: str, first_line: int, tokens: list) -> MarkdownSource:
        """A Markdown body starting at file line `first_line`, with its markdown-it `tokens`."""
        from .directives import CHART, TABLE

        keep = set(range(len(body.split("\n"))))
        for tok in tokens:
            if tok.type == "fence" and tok.info.strip() in (CHART, TABLE) and tok.map:
                keep -= set(range(tok.map[0], tok.map[1]))
        # The front matter becomes blank lines: line numbers stay those of the file, and its plain
        # text (titles, descriptions) is never taken for Markdown.
        return cls(path, "\n" * (first_line - 1) + body, frozenset(first_line + i for i in keep))

    def locate(self, hit: Hit) -> SourceLoc | None:
        """Where the Markdown that shows as `hit` is written: the first unescaped occurrence of the
        hit with the text around it, on a Markdown line; None when it is not there."""
        for width in _CONTEXT:
            left = hit.text[max(0, hit.start - width):hit.start].split("\n")[-1]
            right = hit.text[hit.end:hit.end + width].split("\n")[0]
            if not (left.strip() or right.strip()):
                break  # a hit alone on its line: nothing to tell its place from another «**»
            # The hit itself as written: an escaped «\*\*» is the editor asking for the asterisks.
            pattern = _flexible(left) + "(?P<hit>" + _flexible(hit.text[hit.start:hit.end], escapes=False) + ")" + _flexible(right)
            for m in re.finditer(pattern, self.text):
                at = m.start("hit")
                line = self.text.count("\n", 0, at) + 1
                if line in self.lines and not (at and self.text[at - 1] == "\\"):
                    return SourceLoc(self.path, line, at - (self.text.rfind("\n", 0, at) + 1) + 1)
        return None


_MARKUP = r"[*_~`\\]*"  # emphasis, code and escape characters the renderer took out of the text around a hit


def _flexible(text: str, escapes: bool = True) -> str:
    """A pattern for rendered text as it may be written: any whitespace for a space, any quote for a
    quote, and (with `escapes`, for the text around a hit) the markup the renderer removed."""
    out: list[str] = []
    for ch in text:
        if ch.isspace():
            if not out or out[-1] != r"\s+":
                out.append(r"\s+")
            continue
        out.append(_MARKUP if escapes else "")
        out.append("[" + re.escape(_QUOTES) + "]" if ch in _QUOTES else re.escape(ch))
    return "".join(out)


# --- The net -----------------------------------------------------------------------------------------


class Net:
    """Collects leftover syntax over the rendered pages of a build; `diagnostics` reports it.

    `content` is the project's content folder and `root` the project (paths are shown relative to it).
    """

    def __init__(self, content: Path, root: Path, language: str = ""):
        # `language`: the pages of another language's edition, written in `content/<año>/<language>/`.
        self.content, self.root, self.language = content, root, language
        self._sources: dict[tuple[int, str], MarkdownSource | None] = {}
        self.found: dict[tuple[SourceLoc, str], Diagnostic] = {}

    def sources(self, edition, first: str | None = None) -> list[MarkdownSource]:
        """The edition's section files, the section `first` first."""
        files = {s.slug: getattr(s, "source", "") or s.slug for s in edition.sections}  # a translation names its page
        order = ([first] if first in files else []) + [s for s in files if s != first]
        out = []
        for slug in order:
            key = (edition.anio, slug)
            if key not in self._sources:
                file = self.content / str(edition.anio) / self.language / f"{files[slug]}.md"
                self._sources[key] = MarkdownSource.read(file, self.root) if file.is_file() else None
            source = self._sources[key]  # None: the generated «¿Qué cambió?» chapter has no file
            if source is not None:
                out.append(source)
        return out

    def scan(self, text: str, where: str, sources: list[MarkdownSource]) -> None:
        """Look for leftover syntax in the rendered `text` of `where` («2025/resumen.html», «el PDF…»)."""
        for hit in find_hits(text):
            loc = next((found for s in sources if (found := s.locate(hit)) is not None), None)
            if loc is None:
                continue  # not written in a Markdown body: plain text shown as written (see module docstring)
            # Every hit where it is written: two stray «**» on one line are two errors.
            self.found.setdefault((loc, hit.marker.name), leftover_error(hit, loc, where))

    def scan_page(self, html: str, page: str, edition, section=None) -> None:
        """Scan one page of the site; `section` is the section it shows, if any."""
        if edition is None:
            return
        self.scan(html_text(html), f"en la página {page}", self.sources(edition, section.slug if section else None))

    def scan_document(self, document, edition, marked: bool = False) -> None:
        """Scan every laid-out page of an edition's PDF, each against its chapter's file first.
        `marked`: the document is one part of the report (`pdf_layout.page_number`)."""
        from .layout import LAYOUT
        from .pdf_layout import page_number

        starts = {LAYOUT.chapter_anchor(s.slug): s.slug for s in edition.sections}
        slug = None
        for number, (page, text) in enumerate(zip(document.pages, document_text(document), strict=True), start=1):
            slug = next((starts[a] for a in page.anchors if a in starts), slug)
            self.scan(text, f"en el PDF, página {page_number(number, marked)}", self.sources(edition, slug))

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return sorted(self.found.values())

    def raise_if_found(self) -> None:
        """Stop the build with every hit found, all at once."""
        if self.found:
            raise BuildError(self.diagnostics)


def leftover_error(hit: Hit, loc: SourceLoc, where: str) -> Diagnostic:
    shown = hit.text[hit.start:hit.end]
    return error(loc, f"«{shown}» se publicaría tal cual ({where}): Markdown no lo reconoció. {hit.marker.advice}")


def check_rendered(htmls: list[str], source: MarkdownSource, known: list[Diagnostic]) -> list[Diagnostic]:
    """The net at validation time (`check` too): leftover syntax in a section's rendered prose
    (`htmls`, site and PDF versions), located in its Markdown `source`. A hit on a line that
    already has an error (reported by the token checks, with better advice) is left to that error."""
    taken = {(d.loc.path, d.loc.line) for d in known if d.level == ERROR and d.loc is not None}
    found: dict[tuple[SourceLoc, str], Diagnostic] = {}
    for html in htmls:
        for hit in find_hits(html_text(html)):
            loc = source.locate(hit)
            if loc is not None and (loc.path, loc.line) not in taken:
                found.setdefault((loc, hit.marker.name), leftover_error(hit, loc, "en el texto de la sección"))
    return sorted(found.values())


def check_document(document, edition, content: Path, root: Path, marked: bool = False) -> None:
    """The net over an edition's laid-out PDF: raise BuildError when Markdown syntax shows as text.
    `marked`: the document is one part of the report (`pdf_layout.page_number`)."""
    net = Net(content, root)
    net.scan_document(document, edition, marked)
    net.raise_if_found()
