"""Footnotes: «texto[^1]» with a paragraph «[^1]: nota», or inline «texto^[nota]».

mdit-py-plugins parses them; this module renders them for each output and reports what cannot
be published.

On the site a section's notes are a numbered list at the end of its page, each linked both ways
with its call. In the PDF each note is an inline `<span class="nota">` at its call, which print
CSS floats to the foot of the page (`float: footnote`): WeasyPrint numbers them through the
whole document. Numbers on a page follow the order of the first call, so they are the same on
every build.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from mdit_py_plugins.footnote import footnote_plugin

from .errors import Diagnostic, error, warning
from .md_source import BodySource

# Ids no heading anchor can take: `markdown.slugify` only makes [a-z0-9-].
NOTE_ID = "nota_{n}"
CALL_ID = "llamada_{n}"

# What a note may hold besides paragraphs, named for the message.
_BLOCKS = {"bullet_list_open": "una lista", "ordered_list_open": "una lista", "table_open": "una tabla",
           "blockquote_open": "una cita", "fence": "un bloque de código", "code_block": "un bloque de código",
           "heading_open": "un título", "hr": "una línea horizontal", "html_block": "HTML"}


def install(md: MarkdownIt) -> None:
    """Add footnotes to the parser: `[^label]` calls (even to notes never written, so that they
    can be reported), `[^label]: …` notes, and the renderers of both outputs."""
    footnote_plugin(md, inline=True, always_match_refs=True)  # inline: «texto^[la nota]» too
    # Runs before the plugin moves the notes to the end and drops the unused ones: keep their lines.
    md.core.ruler.before("footnote_tail", "footnote_lines", _note_lines)
    md.add_render_rule("footnote_ref", _render_call)
    md.add_render_rule("footnote_block_open", _render_list_open)
    md.add_render_rule("footnote_block_close", lambda self, tokens, idx, options, env: "</ol>\n</section>\n")
    md.add_render_rule("footnote_open", _render_note_open)
    md.add_render_rule("footnote_close", lambda self, tokens, idx, options, env: "</li>\n")
    md.add_render_rule("footnote_anchor", _render_back_link)


def _note_lines(state) -> None:
    """Record the body line of each written note, `env["note_lines"][label]`, and the notes
    written twice, `env["note_twice"]`."""
    lines = state.env.setdefault("note_lines", {})
    twice = state.env.setdefault("note_twice", [])  # (label, first line, later line): only the last is published
    for tok in state.tokens:
        if tok.type == "footnote_reference_open":
            line = tok.map[0] if tok.map else 0
            if tok.meta["label"] in lines:
                twice.append((tok.meta["label"], lines[tok.meta["label"]], line))
            lines.setdefault(tok.meta["label"], line)


def split_notes(tokens: list) -> tuple[list, list]:
    """The body's tokens and, apart, the note list the plugin appends at the end (maybe empty)."""
    start = next((i for i, t in enumerate(tokens) if t.type == "footnote_block_open"), len(tokens))
    return tokens[:start], tokens[start:]


def print_notes(md: MarkdownIt, notes: list, env: dict) -> dict[int, str]:
    """Each note's text as inline HTML for the PDF, by note id: its paragraphs joined by line breaks."""
    renderer = md.renderer
    assert isinstance(renderer, RendererHTML)  # the parser's own renderer
    out: dict[int, list[str]] = {}
    current = None
    for tok in notes:
        if tok.type == "footnote_open":
            current = out.setdefault(tok.meta["id"], [])
        elif tok.type == "inline" and current is not None:
            current.append(renderer.renderInline(tok.children or [], md.options, env))
    return {n: "<br>".join(parts) for n, parts in out.items()}


def _number(tok) -> int:
    return tok.meta["id"] + 1


def _render_call(self, tokens, idx, options, env) -> str:
    tok = tokens[idx]
    n = _number(tok)
    if env.get("print"):
        return f'<span class="nota">{env.get("notes", {}).get(tok.meta["id"], "")}</span>'
    sub = tok.meta.get("subId", 0)
    call = CALL_ID.format(n=n) + (f"_{sub + 1}" if sub else "")
    return (f'<sup class="nota-llamada"><a href="#{NOTE_ID.format(n=n)}" id="{call}" role="doc-noteref" '
            f'aria-label="Nota {n}">{n}</a></sup>')


def _render_list_open(self, tokens, idx, options, env) -> str:
    return '<section class="notas" role="doc-endnotes" aria-label="Notas">\n<ol class="notas-lista">\n'


def _render_note_open(self, tokens, idx, options, env) -> str:
    return f'<li id="{NOTE_ID.format(n=_number(tokens[idx]))}">'


def _render_back_link(self, tokens, idx, options, env) -> str:
    tok = tokens[idx]
    n, sub = _number(tok), tok.meta.get("subId", 0)
    call = CALL_ID.format(n=n) + (f"_{sub + 1}" if sub else "")
    return f' <a href="#{call}" class="nota-volver" role="doc-backlink" aria-label="Volver al texto de la nota {n}">↑</a>'


def check_notes(tokens: list, env: dict, src: BodySource) -> list[Diagnostic]:
    """Calls to notes never written (error), notes nobody calls (warning), notes that hold more
    than paragraphs (error: the PDF places a note inside the line that calls it)."""
    diags: list[Diagnostic] = []
    written: dict[str, int] = env.get("note_lines", {})
    called: set[str] = set()
    for tok in tokens:
        calls = [c for c in tok.children or [] if c.type == "footnote_ref" and "label" in c.meta]  # not inline notes
        for nth, call in enumerate(calls):
            label = call.meta["label"]
            called.add(label)
            if label not in written:
                where = src.find(tok, f"[^{label}]", sum(1 for c in calls[:nth] if c.meta["label"] == label))
                diags.append(error(where, (
                    f"la llamada a nota «[^{label}]» no tiene su nota; escriba la nota en un párrafo aparte "
                    f"que empiece con «[^{label}]: », por ejemplo «[^{label}]: Fuente: informe de la Secretaría "
                    "Técnica.»")))
    for label, line in sorted(written.items(), key=lambda item: item[1]):
        if label not in called:
            diags.append(warning(src.at_line(line), (
                f"la nota «[^{label}]» no se publicará: ningún texto la llama; escriba «[^{label}]» "
                "donde corresponde o borre la nota")))
    for label, first, later in env.get("note_twice", []):
        source = src.line(later)
        diags.append(error(src.at_line(later, len(source) - len(source.lstrip()) + 1), (
            f"la nota «[^{label}]» está escrita dos veces (también en la línea {src.first_line + first}); solo se "
            f"publicaría esta, y el texto de la primera se perdería. Deje una sola nota «[^{label}]: …», o dé a "
            f"esta otra etiqueta (por ejemplo «[^{label}-2]: …») y llámela con «[^{label}-2]» donde corresponde")))
    _, notes = split_notes(tokens)
    label, reported = None, False
    for tok in notes:
        if tok.type == "footnote_open":
            label, reported = tok.meta.get("label"), False
        elif tok.type in _BLOCKS and not reported:
            reported = True  # once per note: a list's nested lists are the same problem
            diags.append(error(src.block(tok), (
                f"la nota «[^{label}]» tiene {_BLOCKS[tok.type]}; una nota al pie solo admite texto, en uno o "
                "más párrafos (sangrados con 4 espacios). Pase ese contenido al texto de la sección")))
    return diags
