"""Text printed literally: URLs, e-mail addresses, ids and codes are never hyphenated.

A reader types what the PDF shows, so a hyphen added inside «…/ficha-tecnica.pdf» or «OE1-C1»
(or a line break at a hyphen that is part of it) gives a wrong address or id. Such a run of text
is wrapped in `<span class="literal">` (print.css: no hyphenation) and may break only after «/» or
before «.» (a `<wbr>` there); the pieces between those points that hold another break opportunity
(a hyphen, «?», «&»…) are `<span class="literal-part">` (print.css: nowrap), unless longer than a
line could hold (`MAX_WHOLE`).

One decision, two uses: a markdown-it core rule for the narrative (`install`) and a Jinja filter
for table cells (`literal_breaks`). Both mark the print document only: the narrative's marks are
rendered when the renderer's env says `print` (markdown.split_blocks renders each prose run for the
site and for the PDF), the cells' when the print template asks. The site needs none: a browser
does not hyphenate. URLs and e-mail addresses are found by linkify-it-py, the same library
markdown-it uses to link them; an id or code is a word of at least four characters with letters
and digits or underscores («AMB-01», «OE1-C1», «EMRA_AMB01_AGUA»).
"""

from __future__ import annotations

import functools
import re
import typing
from dataclasses import dataclass

from markupsafe import Markup, escape

LITERAL_CLASS = "literal"
PART_CLASS = "literal-part"
BREAK = "<wbr>"  # where a literal may break (`for_print` makes it a zero-width space)

# A word that may be an id or a code: word characters joined by «.», «/», «-».
_WORD = re.compile(r"\w(?:[\w./-]*\w)?")
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT_OR_UNDERSCORE = re.compile(r"[\d_]")
# Only text with one of these can hold a URL or an e-mail address: skip linkify for the rest.
_MAY_LINK = re.compile(r"\w\.\w|@|://")
# Where a literal may break: after a run of «/», or before a «.».
_BREAK = re.compile(r"(?<=/)(?=[^/])|(?<=[^.])(?=\.)")
MIN_CODE_LENGTH = 4
# A piece longer than this may still break at its hyphens: kept whole it could hardly fit a line
# (the text block holds about 95 characters).
MAX_WHOLE = 80


@dataclass(frozen=True)
class Literal:
    """A URL, e-mail address, id or code: its pieces between allowed breaks, and which must stay whole."""

    parts: tuple[tuple[str, bool], ...]  # (text, nowrap)

    @property
    def text(self) -> str:
        return "".join(p for p, _ in self.parts)


@functools.cache
def _linkify():
    from linkify_it import LinkifyIt  # type: ignore[import-untyped]

    return LinkifyIt()


def _is_code(word: str) -> bool:
    return len(word) >= MIN_CODE_LENGTH and bool(_LETTER.search(word)) and bool(_DIGIT_OR_UNDERSCORE.search(word))


def literal(text: str) -> Literal:
    """`text` split where it may break; a piece with another break opportunity inside stays whole."""
    parts = []
    for piece in _BREAK.split(text):
        core = piece.lstrip(".").rstrip("/")
        parts.append((piece, len(piece) <= MAX_WHOLE and bool(re.search(r"\W", core))))
    return Literal(tuple(parts))


def split_literals(text: str) -> list[str | Literal]:
    """`text` as plain strings and the literals in it, in order; joined, they give `text` back."""
    spans: list[tuple[int, int]] = []
    if _MAY_LINK.search(text):
        spans = [(m.index, m.last_index) for m in _linkify().match(text) or []]
    found: list[tuple[int, int]] = []
    start = 0
    for begin, end in [*spans, (len(text), len(text))]:
        found += [(m.start(), m.end()) for m in _WORD.finditer(text, start, begin) if _is_code(m.group())]
        if begin < end:
            found.append((begin, end))
        start = end
    out: list[str | Literal] = []
    pos = 0
    for begin, end in found:
        if begin > pos:
            out.append(text[pos:begin])
        out.append(literal(text[begin:end]))
        pos = end
    if pos < len(text):
        out.append(text[pos:])
    return out


def literal_breaks(text: str) -> Markup:
    """Jinja filter: `text` escaped, with its URLs, e-mail addresses, ids and codes marked (see module doc)."""
    pieces = split_literals(str(text))
    if all(isinstance(p, str) for p in pieces):
        return escape(text)
    html = []
    for piece in pieces:
        if isinstance(piece, str):
            html.append(str(escape(piece)))
            continue
        inner = BREAK.join(f'<span class="{PART_CLASS}">{escape(p)}</span>' if nowrap else str(escape(p))
                             for p, nowrap in piece.parts)
        html.append(f'<span class="{LITERAL_CLASS}">{inner}</span>')
    return Markup("".join(html))


def for_print(html: str) -> str:
    """`html` with each literal's break as a zero-width space, for WeasyPrint.

    WeasyPrint cannot break a line at a <wbr> just before a piece that must stay whole (it lets the
    piece run past the margin), but it can at a zero-width space, which it neither draws nor puts
    in the PDF's text. The site keeps <wbr>: a browser would copy the space along with a URL.
    """
    return html.replace(BREAK, "\u200b")


def _tokens(piece: Literal, template) -> list:
    """markdown-it tokens for one literal; `template` is the text token it came from."""
    from markdown_it.token import Token

    def token(type_: str, tag: str, nesting: typing.Literal[-1, 0, 1], **kw) -> Token:
        return Token(type_, tag, nesting, level=template.level, **kw)

    out = [token("literal_open", "span", 1, attrs={"class": LITERAL_CLASS})]
    for i, (text, nowrap) in enumerate(piece.parts):
        if i:
            out.append(token("literal_break", "wbr", 0))
        if nowrap:
            out.append(token("literal_part_open", "span", 1, attrs={"class": PART_CLASS}))
        out.append(token("text", "", 0, content=text))
        if nowrap:
            out.append(token("literal_part_close", "span", -1))
    out.append(token("literal_close", "span", -1))
    return out


def mark_literals(state) -> None:
    """markdown-it core rule: mark the literals in every text of the inline content (links included)."""
    from markdown_it.token import Token

    for tok in state.tokens:
        if tok.type != "inline" or not tok.children:
            continue
        children: list[Token] = []
        for child in tok.children:
            pieces = split_literals(child.content) if child.type == "text" else [child.content]
            if all(isinstance(p, str) for p in pieces):
                children.append(child)
                continue
            for piece in pieces:
                if isinstance(piece, str):
                    children.append(Token("text", "", 0, level=child.level, content=piece))
                else:
                    children += _tokens(piece, child)
        tok.children = children


_MARKS = ("literal_open", "literal_close", "literal_part_open", "literal_part_close", "literal_break")


def _render_mark(self, tokens, idx, options, env) -> str:
    """A literal's span or break in the print rendering; nothing on the site (see the module doc)."""
    if not (env or {}).get("print"):
        return ""
    return BREAK if tokens[idx].type == "literal_break" else self.renderToken(tokens, idx, options, env)


def install(md) -> None:
    """Register the rule on a markdown-it parser, last among the core rules (after linkify)."""
    md.core.ruler.push("literals", mark_literals)
    for mark in _MARKS:
        md.add_render_rule(mark, _render_mark)
