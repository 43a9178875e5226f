"""What WeasyPrint logs while it makes a PDF, sorted into errors, warnings and notices, in Spanish.

WeasyPrint only logs most problems (a missing image, a broken link) and goes on, so every message
it logs at WARNING level or above is read here and nothing is dropped:
- about the content or the templates (the PDF would be wrong): an error, at the source file when
  it is known, else at the print template;
- about the machine (an optional library missing): a notice saying what to install; it never
  stops a build, not even with `--strict`, because no editor can fix it in the content;
- anything not listed: a warning that quotes it, so an upgrade of WeasyPrint cannot hide a problem.
The patterns are WeasyPrint 70's own `LOGGER.warning`/`LOGGER.error` texts.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import ERROR, NOTICE, WARNING, Diagnostic, SourceLoc
from .fonts import uncovered_message

HARFBUZZ_NOTICE = (
    "la biblioteca HarfBuzz-Subset no está instalada, así que WeasyPrint reduce las tipografías del PDF "
    "con fontTools, que es más lento (el PDF sale bien igual, aunque no idéntico byte a byte al de un equipo "
    "que la tiene). Para compilar más rápido, instálela: "
    "Debian/Ubuntu «sudo apt-get install libharfbuzz-subset0», macOS «brew install harfbuzz», "
    "Windows (MSYS2) «pacman -S mingw-w64-ucrt-x86_64-harfbuzz»")


def _file_of(url: str) -> str:
    """The file name a logged URL points at («mapa.png»), for a message an editor can act on."""
    path = unquote(urlsplit(url.strip("'\"")).path)
    return Path(path).name or url


@dataclass(frozen=True)
class Rule:
    """One kind of logged message: its pattern, its level and its Spanish wording from the match."""

    pattern: re.Pattern
    level: str
    words: Callable[[re.Match], str]
    source: bool = False  # the message names a file of the build: locate it at its source when known


RULES = (
    # The machine.
    Rule(re.compile(r"Using fontTools instead of HarfBuzz-Subset"), NOTICE, lambda m: HARFBUZZ_NOTICE),
    Rule(re.compile(r"Unable to subset .* with HarfBuzz"), NOTICE, lambda m: (
        "HarfBuzz-Subset no pudo reducir una tipografía; el PDF la lleva completa y pesa más. "
        "Actualice la biblioteca HarfBuzz del sistema")),
    Rule(re.compile(r"Please install HarfBuzz version \d+\+ with harfbuzz-vector"), NOTICE, lambda m: (
        "la biblioteca harfbuzz-vector no está instalada; solo hace falta para tipografías de emojis a color")),
    # The content and the templates.
    Rule(re.compile(r"Failed to load image at (?P<url>\S+?):? "), ERROR, lambda m: (
        f"no se pudo leer la imagen «{_file_of(m['url'])}»; se esperaba un PNG, JPG, WEBP o GIF válido: "
        "ábrala y vuelva a guardarla en uno de esos formatos"), source=True),
    Rule(re.compile(r"Failed to (render SVG image|load inline SVG)"), ERROR, lambda m: (
        "no se pudo dibujar un gráfico o imagen SVG en el PDF")),
    Rule(re.compile(r"Failed to load (stylesheet|font) at (?P<url>\S+?):? "), ERROR, lambda m: (
        f"no se pudo leer «{_file_of(m['url'])}», que usa la plantilla del PDF; revise que el archivo exista")),
    Rule(re.compile(r"Font-face '?(?P<name>[^']+)'? cannot be loaded"), ERROR, lambda m: (
        f"no se pudo cargar la tipografía «{m['name']}» de la plantilla del PDF; revise los archivos de templates/fonts/")),
    Rule(re.compile(r"\.notdef glyph rendered .*\(U\+(?P<code>[0-9A-Fa-f]+)\)"), ERROR, lambda m: (
        uncovered_message(chr(int(m["code"], 16))))),
    Rule(re.compile(r"No anchor #(?P<anchor>\S+) for internal URI reference"), ERROR, lambda m: (
        f"un enlace interno lleva a «#{m['anchor']}», que no existe en el informe; revise el enlace o el id")),
    Rule(re.compile(r"Anchor defined twice: '?(?P<anchor>[^']+)'?"), ERROR, lambda m: (
        f"el id «{m['anchor']}» está dos veces en el informe; cada figura, tabla y título necesita uno distinto")),
    Rule(re.compile(r"target points to undefined anchor '?(?P<anchor>[^']+)'?"), ERROR, lambda m: (
        f"una referencia de página apunta a «{m['anchor']}», que no existe en el informe")),
    Rule(re.compile(r"has no required alt description"), ERROR, lambda m: (
        "una imagen del PDF no tiene texto alternativo; escríbalo entre corchetes: ![descripción](img/archivo.png)")),
    Rule(re.compile(r'Missing required "lang" attribute'), ERROR, lambda m: (
        "la plantilla del PDF no declara el idioma (lang) del documento")),
    Rule(re.compile(r"Relative URI reference without a base URI|Malformed (base )?URL"), ERROR, lambda m: (
        "la plantilla del PDF tiene una dirección mal formada")),
    Rule(re.compile(r"Failed to load attachment|Missing href in <link rel=\"attachment\">"), ERROR, lambda m: (
        "la plantilla del PDF adjunta un archivo que no se pudo leer")),
)


class Collector(logging.Handler):
    """Keep everything WeasyPrint logs at WARNING or above while it is attached to its logger."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def classify(messages: list[str], where: SourceLoc, sources: dict[str, SourceLoc] | None = None) -> list[Diagnostic]:
    """The diagnostics for logged `messages`, each kind once.

    `where` locates a message about the print document (the print template); `sources` maps a
    file name the build copied (an image) to its place in the input, so the editor sees that file.
    """
    found = set()
    for message in messages:
        rule, match = next(((r, m) for r in RULES if (m := r.pattern.search(message))), (None, None))
        if rule is None or match is None:
            found.add(Diagnostic(where, (
                f"WeasyPrint avisó algo que el publicador no reconoce (texto original: «{message.strip()}»); "
                "revise el PDF y avise al equipo técnico"), WARNING))
            continue
        loc = where
        if rule.level == NOTICE:
            loc = SourceLoc("")
        elif rule.source and sources:
            loc = sources.get(_file_of(match["url"]), where)
        found.add(Diagnostic(loc, rule.words(match), rule.level))
    return sorted(found)
