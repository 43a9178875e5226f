"""Full-text search: index the built pages with Pagefind, offline, at build time."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .layout import LAYOUT

# Pagefind ships several UIs; the site uses its small JS API with its own search page.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
          "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")


class SearchIndexError(Exception):
    """Pagefind failed; the message is for the editor."""


def index_site(site: Path) -> Path:
    """Run Pagefind over `site` and return the index folder.

    One index per language, by each page's `<html lang>` (Pagefind's multilingual mode): the Spanish
    pages with Spanish stemming, the English ones (`en/`) with English; each search page loads the index
    of its own language. Accents are folded in both.
    """
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"no se pudo ejecutar Pagefind: {exc}") from exc
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise SearchIndexError("Pagefind falló: " + (detail[-1] if detail else f"código {result.returncode}"))
    bundle = site / LAYOUT.SEARCH_INDEX
    _sort_entry(bundle / "pagefind-entry.json")
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    shutil.rmtree(bundle / "__pycache__", ignore_errors=True)
    return bundle


def _sort_entry(entry: Path) -> None:
    """Pagefind lists its languages in `pagefind-entry.json` in hash-map order, which changes from run to run:
    written again with sorted keys, the same site gives the same bytes (the script reads it as JSON)."""
    import json

    if entry.is_file():
        data = json.loads(entry.read_text(encoding="utf-8"))
        entry.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")), encoding="utf-8")
