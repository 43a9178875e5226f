"""Helpers shared by the loading and validation tests: throw-away projects and a CLI runner."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

from emra_site.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINIMO = FIXTURES / "minimo"
BROKEN = FIXTURES / "broken"
CSV_FIXTURES = FIXTURES / "csv"

EXPECTED = "esperado.txt"

# A diagnostic line as the CLI prints it: `path[:line[:col]]: message`. The summary
# («2 error(es), 0 aviso(s).») and the closing sentence contain a space before their
# first colon, so they never match.
# path:line[:col]: …  or, for a workbook, path.xlsx:hoja!B7: …
DIAGNOSTIC_LINE = re.compile(r"^[\w.\-/]+(?:(?::\d+){0,2}|\.xlsx:[^!:]+![A-Z]*\d*): ")


def copy_project(src: Path, dst: Path) -> Path:
    """Copy the `content/` and `data/` folders of the project at `src` into `dst`; return `dst`."""
    dst.mkdir(parents=True, exist_ok=True)
    for part in ("content", "data"):
        if (src / part).is_dir():
            shutil.copytree(src / part, dst / part)
    return dst


def overlay(project: Path, fixture: Path) -> None:
    """Copy every file of `fixture` (except `esperado.txt`) over `project`, keeping relative paths."""
    for path in sorted(fixture.rglob("*")):
        if not path.is_file() or path.relative_to(fixture).as_posix() == EXPECTED:
            continue
        target = project / path.relative_to(fixture)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def run_cli(args: list[str]) -> tuple[int, str]:
    """Run `emra_site.cli.main(args)`; return its exit code and everything it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(list(args))
    return code, out.getvalue()


def diagnostic_lines(output: str) -> list[str]:
    """The `path:line[:col]: message` lines of the CLI output, in the order printed."""
    return [line for line in output.splitlines() if DIAGNOSTIC_LINE.match(line)]


def expected_lines(fixture: Path) -> list[str]:
    """The diagnostic lines a broken-case fixture expects, from its `esperado.txt`."""
    text = (fixture / EXPECTED).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip()]


def spec_nodes(node):
    """Every dictionary of a Vega-Lite spec (or any JSON value), depth first: to find its marks, axes and rows."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from spec_nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from spec_nodes(value)
