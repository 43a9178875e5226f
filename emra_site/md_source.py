"""Where a markdown-it token came from: its file, line and column, for messages at `path:line:col`."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import SourceLoc


@dataclass(frozen=True)
class BodySource:
    """A Markdown body and where it sits in its file.

    `first_line` is the file line (1-based) of the body's first line: the front matter comes
    before it. Tokens carry `map` (0-based body lines); inline tokens carry `content`, the text of
    their lines with the block's indentation and markers («- », «> ») taken off.
    """

    path: str
    first_line: int
    lines: tuple[str, ...]

    @classmethod
    def of(cls, body: str, path: str, first_line: int) -> BodySource:
        return cls(path, first_line, tuple(body.split("\n")))

    def line(self, index: int) -> str:
        """The body line `index` (0-based), '' past the end."""
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    def at_line(self, index: int, col: int | None = None) -> SourceLoc:
        """The file location of body line `index` (0-based) and 1-based column `col`."""
        return SourceLoc(self.path, self.first_line + index, col)

    def block(self, tok) -> SourceLoc:
        """The file line where a block token starts (no column)."""
        return self.at_line(tok.map[0] if tok.map else 0)

    def inline(self, tok, offset: int) -> SourceLoc:
        """The file line and column of character `offset` of an inline token's `content`.

        The content's line k is body line `map[0] + k`, found again in the file's line (after the
        indentation and list or quote markers the parser took off) to give the column.
        """
        start = tok.map[0] if tok.map else 0
        content = tok.content
        k = content.count("\n", 0, offset)
        begin = content.rfind("\n", 0, offset) + 1
        end = content.find("\n", offset)
        text = content[begin:end if end >= 0 else len(content)]
        source = self.line(start + k)
        base = source.find(text) if text else -1
        if base < 0:  # a table cell or a line the parser reshaped: the first non-blank character
            base = len(source) - len(source.lstrip())
        return self.at_line(start + k, base + (offset - begin) + 1)

    def find(self, tok, needle: str, nth: int = 0) -> SourceLoc:
        """Where the `nth` occurrence of `needle` is in an inline token; its first line when absent."""
        pos = -1
        for _ in range(nth + 1):
            pos = tok.content.find(needle, pos + 1)
            if pos < 0:
                return self.block(tok)
        return self.inline(tok, pos)
