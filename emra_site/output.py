"""Write the site into a temporary folder and swap it into place only when everything succeeded."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

STAGING_PREFIX = ".site-nuevo-"
OLD_PREFIX = ".site-anterior-"
PRINT_PREFIX = ".impresion-"


def clean_leftovers(output: Path) -> None:
    """Remove staging folders a killed build may have left behind."""
    if output.is_dir():
        for p in output.iterdir():
            if p.name.startswith((STAGING_PREFIX, OLD_PREFIX, PRINT_PREFIX)) and p.is_dir():
                shutil.rmtree(p, ignore_errors=True)


@contextmanager
def staged_site(site: Path):
    """Yield an empty folder next to `site`; on success swap it in, on any failure delete it."""
    output = site.parent
    output.mkdir(parents=True, exist_ok=True)
    clean_leftovers(output)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=output))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_into_place(staging, site)


def swap_into_place(staging: Path, site: Path) -> None:
    """Replace `site` with `staging` using renames, so readers never see a half-written site."""
    os.chmod(staging, 0o755)  # mkdtemp makes it 0700; a web server needs to read it
    old = None
    if site.exists():
        old = site.parent / f"{OLD_PREFIX}{os.getpid()}"
        shutil.rmtree(old, ignore_errors=True)
        os.replace(site, old)
    os.replace(staging, site)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


class DuplicateOutput(RuntimeError):
    """Two stages of one build wrote the same file: a bug (one would silently overwrite the other)."""


class Writer:
    """The record of every file one build puts into its site folder (Pelican's rule).

    Every write into the folder goes through `write_bytes`, `copy_file` or `link_tree` while
    the writer is current (`writing`), and a second write of the same file raises
    DuplicateOutput instead of letting the last stage win unnoticed.
    """

    def __init__(self, root: Path):
        self.root = root.resolve()
        self.written: set[str] = set()

    def claim(self, path: Path) -> None:
        """Record that `path` is written now; raise DuplicateOutput if it already was in this build."""
        try:
            rel = path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return  # outside the site folder (a temporary print folder): not this writer's business
        if rel in self.written:
            raise DuplicateOutput(f"{rel} se escribió dos veces en la misma compilación")
        self.written.add(rel)


_writer: ContextVar[Writer | None] = ContextVar("emra_writer", default=None)


@contextmanager
def writing(root: Path):
    """Make a new Writer for `root` current in this thread (each build and each preview pass has one)."""
    token = _writer.set(Writer(root))
    try:
        yield _writer.get()
    finally:
        _writer.reset(token)


def _claim(path: Path) -> None:
    writer = _writer.get()
    if writer is not None:
        writer.claim(path)


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text as it is (no newline translation), atomically like write_bytes."""
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> None:
    """Write bytes through a temporary file and a rename, so no reader sees a half-written file."""
    _claim(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def copy_file(source: Path, target: Path) -> None:
    """Copy a file into the site (an image, an asset), recorded like any other write."""
    _claim(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def copy_tree(source: Path, target: Path, link: bool = False) -> None:
    """Copy a folder into the site file by file (hard links with `link`: instant, no extra space)."""
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        dest = target / path.relative_to(source)
        if link:
            _claim(dest)
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, dest)
            except OSError:  # another file system: a plain copy
                shutil.copy2(path, dest)
        else:
            copy_file(path, dest)
