"""The report's typeface: the only fonts the PDF and the charts draw with, and the characters they cover.

Rules (issue 11, "same input, same bytes, on any machine"):
- WeasyPrint (through Pango and fontconfig) and vl-convert (through its own font database, which
  reads fontconfig's configuration files) see only the TTF files in `templates/fonts/`, through a
  fontconfig configuration of the project's own. A machine's fonts can then never stand in for a
  missing glyph, so they cannot change the PDF or the chart PNGs.
- A character that those files lack is an input error at its file, line and column, never a
  silent fallback (`check_text`, `check_table`).
Light module: imported before any heavy library; fontTools is only imported to read the cmaps.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import getpass
import hashlib
import html
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from .errors import Diagnostic, SourceLoc, error

# Line breaks and tabs are layout, not glyphs; a BOM is dropped when a file is decoded.
_ALWAYS_ALLOWED = frozenset(map(ord, "\n\r\t\ufeff"))

# Where WeasyPrint 70 looks for HarfBuzz-Subset (weasyprint/text/ffi.py), in the same order.
_HARFBUZZ_SUBSET_NAMES = ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll",
                          "libharfbuzz-subset-0", "harfbuzz-subset", "harfbuzz-subset-0.0")

_CONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<!-- Written by the EMRA publisher: the report's fonts and nothing else. -->
<fontconfig>
  <dir>{folder}</dir>
</fontconfig>
"""


def font_dir(templates: Path) -> Path:
    """The folder of the shipped TTF files: the PDF's @font-face rules and the charts use them."""
    return templates / "fonts"


def file_stamp(path: Path) -> tuple[int, int, int]:
    """What changes when a font file is written over (size, modification and change times, in ns): the key,
    beside the path, of what a process keeps read from it (`text_metrics`, the kit's cards). A font copied
    over another keeps no cached metrics; its change time moves even when the copy keeps the old mtime."""
    info = path.stat()
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns


def font_files(folder: Path) -> list[Path]:
    """The shipped font files, sorted (one per weight and style)."""
    return sorted(folder.glob("*.ttf"))


def _config_file(folder: Path) -> Path:
    """A fontconfig file naming only `folder`, written once per folder in the temporary directory.

    The folder must be absolute: vl-convert's font database ignores fontconfig's
    `prefix="relative"` and then falls back to every font of the system.
    """
    folder = folder.resolve()
    text = _CONFIG.format(folder=escape(str(folder)))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    user = getpass.getuser()  # one file per user: another user's file in /tmp may not be writable
    conf = Path(tempfile.gettempdir()) / f"emra-fuentes-{user}-{digest}.conf"
    if not conf.is_file():
        tmp = conf.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, conf)
    return conf


@contextlib.contextmanager
def only_shipped_fonts(folder: Path) -> Iterator[None]:
    """While inside, fontconfig's configuration is the project's own: `folder` and no system font.

    Wrap whatever makes a font library read its configuration: importing WeasyPrint (it checks
    fontconfig at import), each `FontConfiguration()` (one per PDF), and vl-convert's first call
    in a process (its font database is built once, then kept). The variable is restored after,
    so programs started later (a browser in the tests) keep the machine's fonts.
    """
    previous = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(_config_file(folder))
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("FONTCONFIG_FILE", None)
        else:
            os.environ["FONTCONFIG_FILE"] = previous


@functools.lru_cache(maxsize=1)
def has_harfbuzz_subset() -> bool:
    """Whether WeasyPrint will subset fonts with HarfBuzz (fast) or fall back to fontTools (slow).

    The two give different PDF bytes, so the answer is part of every PDF's cache key.
    """
    for name in _HARFBUZZ_SUBSET_NAMES:
        try:
            ctypes.CDLL(name)
            return True
        except OSError:
            continue
    return False


@functools.lru_cache(maxsize=16)
def _cmap(path: str, size: int, mtime: int) -> frozenset[int]:
    """A font file's code points (size and mtime only key the memo: an edited font is read again)."""
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    try:
        return frozenset(font.getBestCmap() or ())
    finally:
        font.close()



def code_points(path: Path) -> frozenset[int]:
    """The code points a font file (TTF or WOFF2) has a glyph for; read once while the file is unchanged."""
    st = path.stat()
    return _cmap(str(path), st.st_size, st.st_mtime_ns)


def covered(folder: Path) -> frozenset[int]:
    """Code points every shipped font has a glyph for (a character missing in bold would fall back there)."""
    sets = [code_points(path) for path in font_files(folder)]
    return frozenset.intersection(*sets) | _ALWAYS_ALLOWED if sets else _ALWAYS_ALLOWED


# Characters written as markup: HTML entities (Markdown decodes them: `&#x1F642;`, `&zwj;`) and YAML
# escapes in double-quoted values (`"\U0001F642"`). Each becomes one character in the report.
_WRITTEN = re.compile(r"&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});"
                      r"|\\(?:U[0-9a-fA-F]{8}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2})")


def _written(markup: str) -> str | None:
    """The character an entity or escape stands for, or None when it is not one."""
    if markup.startswith("&"):
        char = html.unescape(markup)
    else:
        try:
            char = chr(int(markup[2:], 16))
        except (ValueError, OverflowError):
            return None
    return char if len(char) == 1 and char != markup else None


def _describe(char: str) -> str:
    code = f"U+{ord(char):04X}"
    category = unicodedata.category(char)
    if category == "Co":
        return f"un carácter de uso privado ({code}; por ejemplo una viñeta o un símbolo de Word)"
    if category in ("Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Cn"):
        return f"un carácter invisible o de control ({code})"
    return f"el carácter «{char}» ({code})"


def uncovered_message(char: str, after: str = "") -> str:
    """The Spanish message for a character no shipped font has; `after` is the text just before it."""
    where = f", después de «{after}»," if after.strip() else ""
    return (f"{_describe(char)}{where} no está en la tipografía del informe; reemplácelo o quítelo "
            "(suele llegar al copiar desde Word o desde la web)")


def _uncovered(text: str, charset: frozenset[int], written: bool = True) -> list[tuple[int, str]]:
    """(0-based offset, character) of every character of `text` the fonts lack, typed or (with
    `written`) written as markup; a table cell is shown as typed, so its markup stays text."""
    found = [(i, c) for i, c in enumerate(text) if ord(c) not in charset]
    if written and ("&" in text or "\\" in text):
        for m in _WRITTEN.finditer(text):
            char = _written(m.group())
            if char is not None and ord(char) not in charset:
                found.append((m.start(), char))
    return sorted(found)


def check_text(text: str, shown: str, charset: frozenset[int], first_line: int = 1) -> list[Diagnostic]:
    """Every character of `text` no shipped font has, at its line and column (1-based) in the file,
    also when written as an HTML entity or a YAML escape (at the column of its `&` or `\\`)."""
    if all(ord(c) in charset for c in text) and "&" not in text and "\\" not in text:  # the common case
        return []
    found = []
    for n, line in enumerate(text.split("\n"), start=first_line):
        for offset, char in _uncovered(line, charset):
            found.append(error(SourceLoc(shown, n, offset + 1), uncovered_message(char)))
    return found


def _words_before(cell: str, offset: int, width: int = 30) -> str:
    """The last words of `cell` before `offset`, whole words only, «…» when cut."""
    text = cell[:offset].split("\n")[-1].rstrip()
    if len(text) <= width:
        return text
    cut = text[-width:]
    return "…" + (cut[cut.index(" ") + 1:] if " " in cut else cut)


def check_table(table, charset: frozenset[int]) -> list[Diagnostic]:
    """Every cell of a read table (CSV or sheet) holding a character no shipped font has.

    Cells are located as the other table errors are: `file:line:column` for a CSV, `hoja!celda`
    for a workbook (column = the cell's position in the row).
    """
    found = []
    lines = [(table.header_line, table.header)] + [(row.line, row.cells) for row in table.rows]
    for line, cells in lines:
        for col, cell in enumerate(cells, start=1):
            # A cell has no columns of its own to point at: the words before the character find it.
            for offset, char in _uncovered(cell, charset, written=False):
                found.append(error(SourceLoc(table.path, line, col), uncovered_message(char, _words_before(cell, offset))))
    return found
