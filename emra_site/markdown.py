"""The one Markdown parser: raw HTML never rendered, safe links, heading anchors, chart/table blocks,
footnotes, bare URLs linked and links between sections.

`split_blocks` renders each prose run twice: for the site and for the PDF (notes at the foot of
the page, section links with their page number).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from mdit_py_plugins.attrs import attrs_plugin

from . import footnotes, literals
from .directives import CHART, TABLE, Directive, parse_directive
from .errors import Diagnostic, SourceLoc, error
from .layout import LAYOUT
from .leftovers import MarkdownSource, check_rendered
from .markdown_checks import (
    check_attributes,
    check_code,
    check_html,
    check_lists,
    check_spaced_paths,
    check_stray_syntax,
)
from .md_source import BodySource
from .section_links import Outline, SectionLink, is_external, parse_link, print_href, web_href
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


# A bare link an editor meant as one: a scheme, «www.» or an e-mail address.
_TYPED_LINK = re.compile(r"^(?:https?://|mailto:|www\.)|@", re.IGNORECASE)


def _typed_links_only(state) -> None:
    """linkify also links bare domain names, and «resumen.md» is one (Moldova's): keep only the
    bare links typed as such (https://…, www.…, an e-mail address); the rest stays text."""
    for tok in state.tokens:
        kids = tok.children or []
        out, i = [], 0
        while i < len(kids):
            if (kids[i].type == "link_open" and kids[i].markup == "linkify" and i + 2 < len(kids)
                    and not _TYPED_LINK.search(kids[i + 1].content)):
                out.append(kids[i + 1])  # link_open, text, link_close → text
                i += 3
                continue
            out.append(kids[i])
            i += 1
        if tok.children:
            tok.children = out


def _render_html_as_text(self, tokens, idx, options, env) -> str:
    # Recognised only to be reported (markdown_checks); were it ever rendered, it is text.
    return escapeHtml(tokens[idx].content)


def _render_link_open(self, tokens, idx, options, env) -> str:
    """A link to a section: its page on the site, its chapter in the PDF («sección N, página P» from print CSS)."""
    tok = tokens[idx]
    target = (tok.meta or {}).get("section")
    if target is None or env.get("outline") is None:
        return self.renderToken(tokens, idx, options, env)
    slug, anchor = target
    outline: Outline = env["outline"]
    shown = tok.copy()
    if env.get("print"):
        shown.attrs = {**tok.attrs, "href": print_href(slug, anchor, outline), "class": "seccion-ref",
                       "data-seccion": outline.number(slug)}
    else:
        shown.attrs = {**tok.attrs, "href": web_href(slug, anchor, outline)}
    return self.renderToken([shown], 0, options, env)


def _render_heading_open(self, tokens, idx, options, env) -> str:
    """In the PDF a heading with a note call holds the note's text (floated to the foot of the
    page): its bookmark would read «Títulonota…». Give the bookmark the heading's plain text."""
    tok = tokens[idx]
    bookmark = (tok.meta or {}).get("bookmark")
    if not env.get("print") or bookmark is None:
        return self.renderToken(tokens, idx, options, env)
    shown = tok.copy()
    shown.attrs = {**tok.attrs, "data-marcador": bookmark, "style": "bookmark-label: attr(data-marcador)"}
    return self.renderToken([*tokens[:idx], shown, *tokens[idx + 1:]], idx, options, env)


# Straight quotes typed by editors become the language's own: Spanish «comillas», English “quotes”.
QUOTES = {"es": "«»“”", "en": "“”‘’"}


def _new_parser(quotes: str = QUOTES["es"]) -> MarkdownIt:
    # "commonmark" alone renders raw HTML; the default maxNesting (20) silently drops deep lists.
    # HTML is parsed so that it can be reported where it was written, never rendered as HTML.
    # Straight quotes become `quotes`; no other typographic replacement.
    md = MarkdownIt("commonmark", {"html": True, "linkify": True, "maxNesting": 100, "typographer": True,
                                   "quotes": quotes})
    md.enable(["table", "strikethrough", "smartquotes", "linkify"])
    md.validateLink = _validate_link  # type: ignore[method-assign]  # markdown-it's documented hook
    assert md.linkify is not None  # linkify-it-py is a dependency
    md.linkify.add("//", None)  # «//host» without a scheme is no link an editor means
    md.core.ruler.after("linkify", "typed_links_only", _typed_links_only)
    md.inline.ruler.before("link", "xref", _xref_rule)
    # `[texto]{lang=en}`: a phrase in another language (PDF/UA-1 §7.2: it reaches the PDF as /Lang). Every
    # attribute is parsed so that any other one (`{.clase}`) is reported, not silently dropped (`check_attributes`).
    attrs_plugin(md, spans=True)
    footnotes.install(md)
    literals.install(md)  # URLs, e-mail addresses, ids and codes: never hyphenated in the PDF
    md.add_render_rule("xref", _render_xref)
    md.add_render_rule("html_block", _render_html_as_text)
    md.add_render_rule("html_inline", _render_html_as_text)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("heading_open", _render_heading_open)
    return md


PARSER = _new_parser()  # Spanish: the structure of a body (lines, blocks) is the same in every language
_PARSERS = {"es": PARSER}


def parser() -> MarkdownIt:
    """The Markdown parser of the active language (`i18n.active`): the same rules, its own quotes."""
    from .i18n import active

    code = active().code
    if code not in _PARSERS:
        _PARSERS[code] = _new_parser(QUOTES.get(code, QUOTES["es"]))
    return _PARSERS[code]


@dataclass(frozen=True)
class Heading:
    """A body heading with its anchor, for page contents and PDF bookmarks."""

    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class Prose:
    """A run of narrative rendered to safe HTML: `html` for the site, `print_html` for the PDF."""

    html: str
    print_html: str


def slugify(text: str) -> str:
    """An ASCII anchor for a heading: «Dimensión ambiental» → dimension-ambiental."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "seccion"


@dataclass(frozen=True)
class CrossRef:
    """A `[[figura:id]]` or `[[tabla:id]]` written in the text, with where it was written."""

    kind: str
    key: str
    loc: SourceLoc


# No SVG: an editor's SVG could carry scripts that run when its URL is opened on the site's origin.
IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".webp", ".gif")
SVG_REFUSED = ("no se aceptan imágenes SVG: un SVG puede llevar programas que se ejecutarían al abrirlo "
               "desde el sitio. Exporte el SVG como PNG (en Inkscape o Illustrator: Exportar › PNG, al doble "
               "de su tamaño) y escriba el nombre del .png")


@dataclass(frozen=True)
class Image:
    """An image an editor placed in the text: where it is and where the site serves it."""

    source: str  # path relative to content/, e.g. 2025/img/mapa.png (relative: a moved project keeps its cache)
    target: str  # path relative to the edition folder of the site, e.g. imagenes/mapa.png


def resolve_image(src: str, folder: Path, root: Path) -> tuple[str | None, str | None]:
    """Check an image path written by an editor; return (source relative to `root`, problem)."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:", src) or src.startswith(("/", "\\")):
        return None, "solo se admiten imágenes guardadas en la carpeta content/, con una ruta relativa"
    parts = src.replace("\\", "/").split("/")
    if ".." in parts:
        return None, "la ruta no puede salir de la carpeta de la edición («..»)"
    if Path(src).suffix.lower() == ".svg":
        return None, SVG_REFUSED
    if Path(src).suffix.lower() not in IMAGE_TYPES:
        return None, f"se esperaba una imagen {', '.join(t[1:] for t in IMAGE_TYPES)}"
    candidate = folder / Path(*parts)
    try:
        exists = candidate.is_file()
        real = candidate.resolve()
    except (OSError, ValueError):  # a name longer than the system allows, a NUL byte…
        exists = False
    if not exists:
        return None, "el archivo no existe; revise el nombre y la carpeta (se busca junto al archivo .md)"
    if not real.is_relative_to(root.resolve()):
        return None, "el archivo es un enlace a un lugar fuera de content/; copie la imagen dentro de content/"
    return real.relative_to(root.resolve()).as_posix(), None


def split_blocks(body: str, path: str, first_line: int, ids: dict[str, set], folder: Path | None = None,
                 outline: Outline | None = None) -> tuple[list[Prose | Directive], list[Heading],
                                                          list[CrossRef | SectionLink], list[Image], list[Diagnostic]]:
    """Render a Markdown body into prose runs and the chart/table directives between them.

    `folder` is the edition's content folder: images are looked up there and nowhere else.
    With `outline` (the edition's sections), relative links are links between sections: they are
    returned with the cross-references, for `section_links.check_section_links` once every
    section's headings are known. The section's footnotes end its last prose run on the site.
    """
    env: dict = {}
    md = parser()
    tokens = md.parse(body, env)
    src = BodySource.of(body, path, first_line)
    blocks: list[Prose | Directive] = []
    limit = md.options["maxNesting"] - 1
    headings: list[Heading] = []
    diags: list[Diagnostic] = []
    anchors: set[str] = set()
    xrefs: list[CrossRef | SectionLink] = []
    images: list[Image] = []
    pending: list = []
    web_env: dict = {"outline": outline}
    print_env: dict = {"outline": outline, "print": True}

    def render(part: list, env_: dict) -> str:
        return md.renderer.render(part, md.options, env_)

    def flush():
        if pending:
            blocks.append(Prose(render(pending, web_env), render(pending, print_env)))
            pending.clear()

    too_deep = next((t for t in tokens if t.level >= limit or t.nesting and t.level + 1 >= limit), None)
    if too_deep is not None:
        # markdown-it silently drops what lies deeper than maxNesting: say so instead.
        diags.append(error(SourceLoc(path, first_line + (too_deep.map[0] if too_deep.map else 0)), (
            f"hay listas o citas anidadas en más de {limit} niveles; el texto más profundo se perdería. "
            "Se esperaba un anidamiento menor")))
    for i, tok in enumerate(tokens):  # every token, the notes' too: checks, anchors, images, links
        line = first_line + (tok.map[0] if tok.map else 0)
        if tok.type == "heading_open":
            level = int(tok.tag[1])
            text = _plain_text(tokens[i + 1].children or [])
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
            if any(c.type == "footnote_ref" for c in tokens[i + 1].children or []):
                tok.meta = {**(tok.meta or {}), "bookmark": text}  # see _render_heading_open
            headings.append(Heading(level, text, anchor))
        diags += check_code(tok, src)
        if tok.type == "inline":
            _check_inline(tok, path, line, diags)
            diags += check_spaced_paths(tok, src)
            links = 0
            for child in tok.children or []:
                if child.type == "image":
                    image = _place_image(child, tok, path, line, folder, diags)
                    if image:
                        images.append(image)
                if child.type == "xref":
                    xrefs.append(CrossRef(child.meta["kind"], child.meta["key"], SourceLoc(path, line)))
                href = str(child.attrGet("href") or "")
                if child.type == "link_open" and outline is not None and not is_external(href):
                    link, problem = parse_link(href, outline, _link_loc(src, tok, href, links))
                    links += 1
                    diags += [problem] if problem else []
                    if link is not None:
                        # «#Dimensión ambiental» or «#dimension-ambiental»: the anchor its heading gets.
                        link = dataclasses.replace(link, anchor=slugify(link.anchor)) if link.anchor else link
                        xrefs.append(link)
                        child.meta = {**(child.meta or {}), "section": (link.slug, link.anchor)}
    diags += check_html(tokens, src) + check_lists(tokens, src) + footnotes.check_notes(tokens, env, src)
    diags += check_stray_syntax(tokens, src) + check_attributes(tokens, src)
    main, notes = footnotes.split_notes(tokens)
    print_env["notes"] = footnotes.print_notes(md, notes, print_env)
    for tok in main:
        if tok.type == "fence" and tok.info.strip() in (CHART, TABLE):
            flush()
            # The block's YAML starts on the line after the opening fence.
            where = SourceLoc(path, first_line + (tok.map[0] if tok.map else 0) + 1)
            directive, more = parse_directive(tok.info.strip(), tok.content, where, ids)
            diags += more
            if directive is not None:
                blocks.append(directive)
            continue
        pending.append(tok)
    flush()
    if notes:  # at the end of the page on the site; in the PDF each note is at its call
        last = blocks[-1] if blocks else None
        if isinstance(last, Prose):
            blocks[-1] = Prose(last.html + render(notes, web_env), last.print_html)
        else:
            blocks.append(Prose(render(notes, web_env), ""))
    diags += check_other_links(body, path, first_line)
    # The net of the build (`leftovers`) over this section's prose, so that `check` finds it too.
    diags += check_rendered([h for b in blocks if isinstance(b, Prose) for h in (b.html, b.print_html)],
                            MarkdownSource.of_body(body, path, first_line, tokens), diags)
    return blocks, headings, xrefs, images, diags


def _plain_text(children: list) -> str:
    """A heading's text as shown (emphasis marks, note calls and links' markup left out)."""
    parts = []
    for child in children:
        if child.type in ("text", "code_inline", "text_special"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.children:
            parts.append(_plain_text(child.children))
    return "".join(parts).strip()


def _link_loc(src: BodySource, tok, href: str, nth: int) -> SourceLoc:
    """Where a link's destination is written: found as typed, percent-decoded or in < >."""
    for prefix, written in (("(", unquote(href)), ("(<", unquote(href)), ("(", href)):
        pos = -1
        for _ in range(min(nth, tok.content.count(prefix + written) - 1) + 1):
            pos = tok.content.find(prefix + written, pos + 1)
        if pos >= 0:
            return src.inline(tok, pos + len(prefix))
    return src.block(tok)


def _place_image(child, tok, path: str, line: int, folder: Path | None, diags: list[Diagnostic]) -> Image | None:
    """Validate one image and point its src at the copy the site will serve."""
    raw_src = child.attrGet("src") or ""
    src = unquote(raw_src)  # markdown-it percent-encodes spaces and accents in the path
    where = SourceLoc(path, line + tok.content.count("\n", 0, max(tok.content.find(raw_src), tok.content.find(src), 0)))
    if folder is None:
        diags.append(error(where, f"imagen «{src}»: no se admiten imágenes en este texto"))
        return None
    source, problem = resolve_image(src, folder, folder.parent)
    if problem or source is None:
        diags.append(error(where, f"imagen «{src}»: {problem}"))
        return None
    if not child.content.strip():
        diags.append(error(where, (f"imagen «{src}» sin texto alternativo; escriba entre corchetes qué muestra, "
                                   "por ejemplo ![Mapa de la región](mapa.png)")))
    stem = slugify(str(Path(src).with_suffix("")).replace("/", "-"))
    target = LAYOUT.image(stem, Path(src).suffix.lower())
    child.attrSet("src", target)
    return Image(source, target)


# Link targets outside inline links: reference definitions «[r]: url» and autolinks «<url>».
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)", re.MULTILINE)
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.\-]*:[^\s<>]*)>")


def check_other_links(body: str, path: str, first_line: int) -> list[Diagnostic]:
    """Refuse dangerous schemes in reference definitions and autolinks, which are not inline links."""
    import html as html_lib

    diags = []
    for pattern in (_REFERENCE, _AUTOLINK):
        for m in pattern.finditer(body):
            url = html_lib.unescape(m.group(1))
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:", url) and not _validate_link(url):
                line = first_line + body.count("\n", 0, m.start())
                diags.append(error(SourceLoc(path, line), (
                    f"enlace «{url}» no permitido; se esperaba un enlace http, https, mailto o relativo")))
    return diags


_SCHEME_LINK = re.compile(r"\]\(\s*<?([a-zA-Z][a-zA-Z0-9+.\-]*:(?:[^()\s>]|\([^()\s]*\))*)")


def _check_inline(tok, path: str, line: int, diags: list[Diagnostic]) -> None:
    """Report links the parser refused because of their scheme (entities decoded: «java&#x73;cript:»)."""
    import html as html_lib

    content = html_lib.unescape(tok.content)
    for m in _SCHEME_LINK.finditer(content):
        if not _validate_link(m.group(1)):
            diags.append(error(SourceLoc(path, line + content.count("\n", 0, m.start())), (
                f"enlace «{m.group(1)}» no permitido; se esperaba un enlace http, https, mailto o relativo")))
