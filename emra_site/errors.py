"""Source locations, diagnostics and the error that carries them to the CLI."""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass

ERROR = "error"
WARNING = "aviso"
NOTICE = "nota"  # about the machine, not the input: never stops a build, not even with --strict


@functools.total_ordering
@dataclass(frozen=True)
class SourceLoc:
    """A place in an input file; line and column are 1-based."""

    path: str
    line: int | None = None
    col: int | None = None

    def _key(self) -> tuple:
        # A whole-file or whole-line problem sorts before the cells of that line.
        return (self.path, self.line or 0, self.col or 0)

    def __lt__(self, other: SourceLoc) -> bool:
        return self._key() < other._key()

    def __str__(self) -> str:
        if ".xlsx:" in self.path:  # a workbook's sheet: spreadsheet-style cell reference, hoja!B7
            return f"{self.path}!{column_letter(self.col) if self.col else ''}{self.line or ''}"
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)


def column_letter(col: int) -> str:
    """Spreadsheet column name: 1 → A, 27 → AA."""
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in the input, worded for an editor."""

    loc: SourceLoc
    message: str
    level: str = ERROR

    def __str__(self) -> str:
        prefix = "" if self.level == ERROR else f"{self.level}: "
        # A notice about the machine has no file to point at.
        return f"{self.loc}: {prefix}{self.message}" if self.loc.path else f"{prefix}{self.message}"


def error(loc: SourceLoc, message: str) -> Diagnostic:
    """Build an error diagnostic."""
    return Diagnostic(loc, message, ERROR)


def warning(loc: SourceLoc, message: str) -> Diagnostic:
    """Build a warning diagnostic."""
    return Diagnostic(loc, message, WARNING)


def notice(message: str) -> Diagnostic:
    """Build a notice about the machine the build runs on (what to install), tied to no input file."""
    return Diagnostic(SourceLoc(""), message, NOTICE)


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    """Tell whether any diagnostic is an error."""
    return any(d.level == ERROR for d in diagnostics)


def doubtful(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """What `--strict` refuses to publish with: errors and warnings about the input, not notices."""
    return [d for d in diagnostics if d.level != NOTICE]


def summary(levels: list[str]) -> str:
    """The closing count line, in Spanish: «1 error(es), 2 aviso(s).», with notices when there are any."""
    counts = {level: levels.count(level) for level in (ERROR, WARNING, NOTICE)}
    line = f"{counts[ERROR]} error(es), {counts[WARNING]} aviso(s)"
    return line + (f", {counts[NOTICE]} nota(s)." if counts[NOTICE] else ".")


class BuildError(Exception):
    """Raised when the input has errors; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(f"{len(diagnostics)} problema(s)")
        self.diagnostics = sorted(diagnostics)


def suggest(word: str, options) -> str:
    """A Spanish «did you mean» hint, or an empty string."""
    close = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.6)
    return f" ¿Quiso decir «{close[0]}»?" if close else ""
