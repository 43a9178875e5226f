"""Write the site into a temporary folder and swap it into place only when everything succeeded."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
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


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text as it is (no newline translation), atomically like write_bytes."""
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> None:
    """Write bytes through a temporary file and a rename, so no reader sees a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
