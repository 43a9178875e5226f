"""A content-addressed build cache in .cache/emra: same inputs and same code, same bytes, no work.

Every key includes a hash of the publisher's own source, its templates' fonts and the versions
of the tools that draw (vl-convert, WeasyPrint), so a cached result can never outlive what made it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from functools import lru_cache
from importlib import metadata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of the package's source, its message catalogs and the drawing tools' versions."""
    h = hashlib.sha256()
    # Subpackages too (charts/), and the catalogs (locale/): an edited translation is a changed program.
    for path in sorted([*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.po")]):
        h.update(path.relative_to(PACKAGE).as_posix().encode())
        h.update(path.read_bytes())
    for dist in ("vl-convert-python", "weasyprint", "altair", "pydyf", "fonttools", "babel", "pagefind", "pillow", "pikepdf", "uharfbuzz"):
        h.update(f"{dist}={_version(dist)}".encode())
    return h.hexdigest()


@lru_cache(maxsize=256)
def _file_digest(path: str, inode: int, size: int, mtime_ns: int) -> str:
    # Keyed by the file's stat: an edited file is read again, an unchanged one is not
    # (fonts are fingerprinted before every chart drawing).
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def fingerprint_files(paths) -> str:
    """Hash of files' names and bytes (fonts, stylesheets, templates).

    Names without their folder: a project moved or cloned elsewhere keeps its cache (the bytes
    decide, and a renamed file changes the document that loads it).
    """
    h = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        st = path.stat()
        h.update(path.name.encode("utf-8", "surrogateescape") + b"\0")
        h.update(_file_digest(str(path), st.st_ino, st.st_size, st.st_mtime_ns).encode())
    return h.hexdigest()


def fingerprint_tree(*folders: Path) -> str:
    """Hash of every file under `folders`: names relative to their folder, bytes and where symlinks point.

    Relative names: the same tree elsewhere (a moved project, a CI checkout) has the same fingerprint.
    """
    h = hashlib.sha256()
    for index, folder in enumerate(folders):
        h.update(f"\0carpeta {index}\0".encode())
        if not folder.is_dir():
            h.update(b"\0sin carpeta\0")
            continue
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            for name in sorted(filenames):
                path = Path(dirpath) / name
                h.update(b"\0" + path.relative_to(folder).as_posix().encode("utf-8", "surrogateescape") + b"\0")
                if path.is_symlink():
                    h.update(os.readlink(path).encode("utf-8", "surrogateescape"))
                try:
                    st = path.stat()
                    h.update(_file_digest(str(path), st.st_ino, st.st_size, st.st_mtime_ns).encode())
                except OSError:
                    h.update(b"ilegible")
    return h.hexdigest()


class Cache:
    """Values stored under a key derived from everything that determines them."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(*parts) -> str:
        """Digest of `parts`, the code and the active language (`i18n.active`): whatever is made in
        another language (a chart's texts, a page of the PDF) is never taken for the Spanish one."""
        from .i18n import active

        h = hashlib.sha256(code_fingerprint().encode())
        h.update(b"\0" + active().code.encode())
        for part in parts:
            h.update(b"\0")
            h.update(part if isinstance(part, bytes) else repr(part).encode("utf-8"))
        return h.hexdigest()

    def _path(self, kind: str, key: str) -> Path:
        assert self.folder is not None, "only called for an enabled cache"
        return self.folder / kind / key[:2] / f"{key}.pickle"

    def get(self, kind: str, key: str):
        """The stored value, or None."""
        if self.folder is None:
            return None
        path = self._path(kind, key)
        try:
            with path.open("rb") as f:
                value = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, kind: str, key: str, value) -> None:
        """Store a value atomically (a killed build never leaves a half-written entry)."""
        if self.folder is None:
            return
        path = self._path(kind, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)

    def through(self, kind: str, key: str, compute):
        """Return the cached value for `key`, computing and storing it when missing."""
        value = self.get(kind, key)
        if value is None:
            value = compute()
            self.put(kind, key, value)
        return value
