"""The build's stamp: a digest of every input, so a rebuild with nothing changed does no work at all.

Kept light on purpose (standard library only): it runs before any heavy import, and a no-change
rebuild is this check plus Python's start-up.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from .errors import Diagnostic, SourceLoc
from .paths import Paths

PACKAGE = Path(__file__).resolve().parent
STAMP_NAME = ".sello-compilacion.json"
FOLDERS_NAME = ".carpetas-publicadas.json"  # the key each edition folder of the site was built from
# The tools whose version changes the bytes of the output; their installed metadata is stat'ed.
TOOLS = ("vl-convert-python", "weasyprint", "altair", "pydyf", "fonttools", "babel", "pagefind", "jinja2",
         "markdown-it-py", "mdit-py-plugins", "linkify-it-py")


def _stamp_path(paths: Paths) -> Path:
    return paths.output / STAMP_NAME


def inputs_digest(paths: Paths, options: dict) -> str | None:
    """Hash of every byte the build reads (content, data, templates, the code) and its options.

    Contents are hashed, not modification times, so an edit can never be missed; the inputs are
    a few megabytes, which takes milliseconds. None when a file cannot be read.
    """
    from .cache import fingerprint_files, fingerprint_tree
    from .fonts import has_harfbuzz_subset

    # Installing HarfBuzz-Subset changes the PDF's bytes (and ends the notice that asks for it).
    h = hashlib.sha256(json.dumps([options, os.environ.get("SOURCE_DATE_EPOCH"), sys.version,
                                   has_harfbuzz_subset()], sort_keys=True).encode())
    try:
        h.update(fingerprint_tree(paths.content, paths.data, paths.templates).encode())
        h.update(fingerprint_files(PACKAGE.rglob("*.py")).encode())  # subpackages too (charts/)
    except OSError:
        return None
    return h.hexdigest()


def _outputs(paths: Paths) -> list:
    """Name, size and modification time of every published file: a touched output is rebuilt."""
    return _listing(paths.site)


def _tools() -> list:
    """Where each drawing tool's metadata lives, with its size and time (an upgrade changes them)."""
    from importlib import metadata

    found = []
    for dist in TOOLS:
        try:
            meta = Path(metadata.distribution(dist)._path) / "METADATA"  # type: ignore[attr-defined]
            st = meta.stat()
        except (metadata.PackageNotFoundError, AttributeError, OSError):
            continue
        found.append([str(meta), st.st_size, st.st_mtime_ns])
    return found


def _same_tools(recorded: list) -> bool:
    for path, size, mtime in recorded:
        try:
            st = os.stat(path)
        except OSError:
            return False
        if (st.st_size, st.st_mtime_ns) != (size, mtime):
            return False
    return True


def up_to_date(paths: Paths, digest: str | None) -> list[tuple[str, str]] | None:
    """The diagnostics of the last build, as (level, line), when its inputs, tools and outputs are all
    unchanged, else None."""
    if digest is None:
        return None
    try:
        recorded = json.loads(_stamp_path(paths).read_text(encoding="utf-8"))
        if (recorded["entradas"] == digest and paths.site.is_dir() and _same_tools(recorded["herramientas"])
                and recorded["salidas"] == _outputs(paths)):
            return [(str(level), str(line)) for level, line in recorded["avisos"]]
    except (OSError, ValueError, KeyError, TypeError):  # also a stamp written in an older format
        pass
    return None


def record(paths: Paths, digest: str | None, warnings: list[tuple[str, str]]) -> None:
    """Write the stamp of a successful build (the digest of the inputs it started from) and its
    diagnostics as (level, line), to repeat them when nothing changed."""
    if digest is None:
        return
    data = {"entradas": digest, "herramientas": _tools(), "avisos": warnings, "salidas": _outputs(paths)}
    tmp = _stamp_path(paths).with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, _stamp_path(paths))


def _listing(folder: Path) -> list:
    """Name, size and modification time of every file in `folder` (os.scandir: thousands in the corpus)."""
    found = []

    def scan(path: str, prefix: str) -> None:
        with os.scandir(path) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.is_dir(follow_symlinks=False):
                    scan(entry.path, f"{prefix}{entry.name}/")
                else:
                    st = entry.stat()
                    found.append([prefix + entry.name, st.st_size, st.st_mtime_ns])

    scan(str(folder), "")
    return found


def _to_json(d: Diagnostic) -> list:
    return [d.loc.path, d.loc.line, d.loc.col, d.message, d.level]


def _from_json(item: list) -> Diagnostic:
    path, line, col, message, level = item
    return Diagnostic(SourceLoc(path, line, col), message, level)


def reusable_folders(paths: Paths, keys: dict[int, str]) -> dict[int, tuple[Diagnostic, ...]]:
    """Editions whose folder in the live site was built from the same key and is untouched since,
    with what making that folder reported (a PDF's warnings and notices): a reused folder repeats them."""
    try:
        recorded = json.loads((paths.output / FOLDERS_NAME).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    reusable = {}
    for year, key in keys.items():
        entry = recorded.get(str(year)) if isinstance(recorded, dict) else None
        folder = paths.site / str(year)
        try:
            if entry and entry["clave"] == key and folder.is_dir() and entry["archivos"] == _listing(folder):
                reusable[year] = tuple(_from_json(item) for item in entry["diagnosticos"])
        except (OSError, KeyError, TypeError, ValueError):
            continue
    return reusable


def record_folders(paths: Paths, keys: dict[int, str], reported: dict[int, tuple[Diagnostic, ...]]) -> None:
    """Remember what each edition folder of the site just published was built from, its files and
    what making it reported."""
    data = {str(y): {"clave": k, "archivos": _listing(paths.site / str(y)),
                     "diagnosticos": [_to_json(d) for d in reported.get(y, ())]}
            for y, k in sorted(keys.items())}
    tmp = paths.output / f"{FOLDERS_NAME}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, paths.output / FOLDERS_NAME)
