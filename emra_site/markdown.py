"""The one Markdown parser: raw HTML off, safe links, heading anchors, and chart/table blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

from .directives import CHART, TABLE, Directive, parse_directive
from .errors import Diagnostic, SourceLoc, error
from .values import fold

SAFE_SCHEMES = ("http:", "https:", "mailto:")


def _validate_link(url: str) -> bool:
    """Allow http, https, mailto, in-page and relative links only."""
    u = url.strip().lower()
    scheme = re.match(r"^[a-z][a-z0-9+.\-]*:", u)
    return scheme is None or scheme.group(0) in SAFE_SCHEMES


XREF = re.compile(r"\[\[(figura|tabla):([a-z0-9]+(?:-[a-z0-9]+)*)\]\]")
XREF_PLACEHOLDER = re.compile(r'<a class="xref" data-ref="(figura|tabla):([a-z0-9-]+)"></a>')


def _xref_rule(state, silent: bool) -> bool:
    """Inline `[[figura:calendario]]`: a cross-reference the renderers number and link."""
    if not state.src.startswith("[[", state.pos):
        return False
    m = XREF.match(state.src, state.pos)
    if not m:
        return False
    if not silent:
        token = state.push("xref", "", 0)
        token.meta = {"kind": m.group(1), "key": m.group(2)}
    state.pos = m.end()
    return True


def _render_xref(self, tokens, idx, options, env) -> str:
    meta = tokens[idx].meta
    return f'<a class="xref" data-ref="{meta["kind"]}:{meta["key"]}"></a>'


def _new_parser() -> MarkdownIt:
    # "commonmark" alone lets raw HTML through; the default maxNesting (20) silently drops deep lists.
    # Straight quotes typed by editors become Spanish «comillas»; no other typographic replacement.
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": 100, "typographer": True, "quotes": "«»“”"})
    md.enable(["table", "strikethrough", "smartquotes"])
    md.validateLink = _validate_link
    md.inline.ruler.before("link", "xref", _xref_rule)
    md.add_render_rule("xref", _render_xref)
    return md


PARSER = _new_parser()


@dataclass(frozen=True)
class Heading:
    """A body heading with its anchor, for page contents and PDF bookmarks."""

    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class Prose:
    """A run of narrative rendered to safe HTML."""

    html: str


def slugify(text: str) -> str:
    """An ASCII anchor for a heading: «Dimensión ambiental» → dimension-ambiental."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "seccion"


@dataclass(frozen=True)
class CrossRef:
    """A `[[figura:id]]` or `[[tabla:id]]` written in the text, with where it was written."""

    kind: str
    key: str
    loc: SourceLoc


def split_blocks(body: str, path: str, first_line: int, ids: dict[str, set]) -> tuple[
        list[Prose | Directive], list[Heading], list[CrossRef], list[Diagnostic]]:
    """Render a Markdown body into prose runs and the chart/table directives between them."""
    tokens = PARSER.parse(body)
    blocks: list[Prose | Directive] = []
    headings: list[Heading] = []
    diags: list[Diagnostic] = []
    anchors: set[str] = set()
    xrefs: list[CrossRef] = []
    pending = []

    def flush():
        if pending:
            blocks.append(Prose(PARSER.renderer.render(pending, PARSER.options, {})))
            pending.clear()

    for i, tok in enumerate(tokens):
        line = first_line + (tok.map[0] if tok.map else 0)
        if tok.type == "heading_open":
            level = int(tok.tag[1])
            text = tokens[i + 1].content
            if level == 1:
                diags.append(error(SourceLoc(path, line), (
                    "título de nivel 1 («# …») en el cuerpo; el título de la sección viene del encabezado. "
                    "Use «## …» para los apartados")))
            anchor = base = slugify(text)
            n = 2
            while anchor in anchors:
                anchor, n = f"{base}-{n}", n + 1
            anchors.add(anchor)
            tok.attrSet("id", anchor)
            headings.append(Heading(level, text, anchor))
        if tok.type == "fence" and tok.info.strip() in (CHART, TABLE):
            flush()
            # The block's YAML starts on the line after the opening fence.
            directive, more = parse_directive(tok.info.strip(), tok.content, SourceLoc(path, line + 1), ids)
            diags += more
            if directive is not None:
                blocks.append(directive)
            continue
        if tok.type == "inline":
            _check_inline(tok, path, line, diags)
            for child in tok.children or []:
                if child.type == "xref":
                    xrefs.append(CrossRef(child.meta["kind"], child.meta["key"], SourceLoc(path, line)))
        pending.append(tok)
    flush()
    return blocks, headings, xrefs, diags


_SCHEME_LINK = re.compile(r"\]\(\s*<?([a-zA-Z][a-zA-Z0-9+.\-]*:(?:[^()\s>]|\([^()\s]*\))*)")


def _check_inline(tok, path: str, line: int, diags: list[Diagnostic]) -> None:
    """Report links the parser refused and images, which the report does not host yet."""
    def line_of(offset: int) -> int:
        return line + tok.content.count("\n", 0, max(offset, 0))

    for child in tok.children or []:
        if child.type == "image":
            src = child.attrGet("src") or ""
            diags.append(error(SourceLoc(path, line_of(tok.content.find(src))), (
                f"imagen «{src}»: las secciones todavía no admiten imágenes; "
                "use un bloque «grafico» o «tabla»")))
    for m in _SCHEME_LINK.finditer(tok.content):
        if not _validate_link(m.group(1)):
            diags.append(error(SourceLoc(path, line_of(m.start())), (
                f"enlace «{m.group(1)}» no permitido; se esperaba un enlace http, https, mailto o relativo")))
