"""Shared fixtures: one full build of the shipped edition per test session."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import sys
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/helpers.py


# Fixtures that build a whole site (or start a browser or a preview server): a test that uses one
# is `slow`, so `pytest -m "not slow"` is the quick run of unit tests.
BUILDING_FIXTURES = {"shipped_build", "url_build", "last_good", "three", "three_build", "workspace", "browser", "server", "preview", "hostile", "pdf_path"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BUILDING_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


PINNED = "2025"  # the shipped edition the tests check; later editions added by new-edition are left out
TRANSLATION_FOLDERS = ("en",)  # an edition's folders of its other languages (emra_site.i18n.TRANSLATIONS)


def copy_inputs(dst: Path, translations: bool = False) -> Path:
    """Copy the shipped 2025 edition (content/ and data/) into `dst`, a project folder of its own.

    Its English edition (`content/2025/en/`, `data/2025/en/`) only with `translations`: a test about
    something else builds the Spanish edition alone, in about half the time.
    """
    ignore = None if translations else shutil.ignore_patterns(*TRANSLATION_FOLDERS)
    shutil.copytree(REPO / "content" / PINNED, dst / "content" / PINNED, ignore=ignore)
    shutil.copytree(REPO / "data" / PINNED, dst / "data" / PINNED, ignore=ignore)
    if translations:
        shutil.copyfile(REPO / "content" / "glosario.csv", dst / "content" / "glosario.csv")
    return dst


def need_tool(name: str) -> str:
    """Path of a system tool; skip when absent, except in CI where it must be installed."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required in CI but is not installed")
        pytest.skip(f"{name} not installed")
    return path


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory, worker_id):
    """The shipped edition (both languages) built once into a temporary project; returns its Paths.

    Read only. Under pytest-xdist the workers share one build (pytest-xdist's documented recipe: a file
    lock in the run's common temporary folder): the first worker builds while the other waits, instead
    of both building the same site at once on the same two cores.
    """
    def prepare(base: Path) -> None:
        copy_inputs(base, translations=True)

    return shared_build(tmp_path_factory, worker_id, "shipped", prepare)


# Which shared build each xdist worker starts with, when the run has slow tests: the first tests of both
# workers need the shipped build, so one of them used to wait for it with a core idle; now that worker
# builds the three-edition fixture meanwhile (about 15 s of the suite's time).
FIRST_BUILD = {"gw0": "shipped_build", "gw1": "three_build"}


@pytest.fixture(scope="session", autouse=True)
def start_the_shared_builds(request, worker_id):
    name = FIRST_BUILD.get(worker_id)
    if name and any(item.get_closest_marker("slow") for item in request.session.items):
        request.getfixturevalue(name)


def shared_build(tmp_path_factory, worker_id: str, name: str, prepare, site_url: str | None = None):
    """Build the project that `prepare(folder)` writes (with `site_url`, if given), once per run: under
    pytest-xdist, in the run's common temporary folder behind a file lock, so the first worker builds and
    the others wait and read it. Returns its Paths; errors in the build fail the fixture."""
    import fcntl

    from emra_site.app import build
    from emra_site.pipeline import Paths

    if worker_id == "master":  # not distributed: a folder of this session
        base = tmp_path_factory.mktemp(name)
    else:
        base = tmp_path_factory.getbasetemp().parent / name
    with open(str(base) + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        paths = Paths.of(base)
        done = Path(str(base) + ".hecho")  # not output/site: a copy of another build already has one
        if not done.exists():
            prepare(base)
            diagnostics = build(paths, site_url=site_url)
            assert not [d for d in diagnostics if d.level == "error"]
            done.touch()
    return paths


@pytest.fixture(scope="session")
def shipped_report():
    """The model built from the repository's own content/ and data/."""
    from emra_site.pipeline import Paths, read_report

    report, diagnostics = read_report(Paths.of(REPO))
    assert report is not None, "\n".join(map(str, diagnostics))
    return report


@pytest.fixture(scope="session", params=["publicado", "con-2026"])
def report_2025(request, shipped_report, tmp_path_factory):
    """The shipped report as published, and as it stands after the yearly `new-edition 2026`.

    Tests of the 2025 edition use this and `report.edition(2025)`: the yearly step must never
    change what they see, so they run against both.
    """
    if request.param == "publicado":
        return shipped_report
    from emra_site.editions import new_edition
    from emra_site.pipeline import Paths, read_report

    root = copy_inputs(tmp_path_factory.mktemp("con-2026"))  # the pinned 2025 edition only
    following = str(int(PINNED) + 1)
    new_edition(root, following)
    report, diagnostics = read_report(Paths.of(root))
    assert report is not None, "\n".join(map(str, diagnostics))
    assert [e.anio for e in report.editions] == [int(PINNED), int(following)]
    return report


@pytest.fixture(scope="session")
def three_build(tmp_path_factory, worker_id):
    """The synthetic three-edition project (2023, 2024, 2025; English for 2025) with its own copy of the
    templates, built once per run (`shared_build`). Read it as it is, or `copy_built` it before changing anything."""
    def prepare(root: Path) -> None:
        shutil.copytree(REPO / "tests" / "fixtures" / "tres-ediciones", root, dirs_exist_ok=True)
        shutil.copytree(REPO / "templates", root / "templates")  # the same files: the same site

    return shared_build(tmp_path_factory, worker_id, "tres", prepare)


SITE_URL = "https://org.github.io/emra"  # where the tests that need a site address publish


@pytest.fixture(scope="session")
def url_build(tmp_path_factory, worker_id, shipped_build):
    """The shipped build built again with `SITE_URL` (warm: only what depends on the address changes), once
    per run for every test that reads what a site address adds (canonical links, embed codes, cards)."""
    def prepare(root: Path) -> None:
        shutil.copytree(shipped_build.root, root, symlinks=True, dirs_exist_ok=True)

    return shared_build(tmp_path_factory, worker_id, "con-url", prepare, site_url=SITE_URL)


def copy_built(paths, dst: Path):
    """A copy of a built project (inputs, warm cache and site, times kept) to edit: its builds are incremental."""
    from emra_site.pipeline import Paths

    shutil.copytree(paths.root, dst, symlinks=True)
    return Paths.of(dst)


@pytest.fixture()
def last_good(shipped_build, tmp_path):
    """A fresh copy of the shipped project whose output/site is the session's good build (and warm cache)."""
    from emra_site.pipeline import Paths

    root = copy_inputs(tmp_path / "proyecto")
    shutil.copytree(shipped_build.site, root / "output" / "site")
    shutil.copytree(shipped_build.root / ".cache", root / ".cache")  # warm: faults come fast
    return Paths.of(root)


# The browser tests' (test_browser.py, test_phone.py and others): Debian's Chromium driven by Playwright, and the built site served.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(shipped_build):
    """Serve output/ so the site lives at /site/, a sub-path like GitHub Pages' /repo/."""
    handler = functools.partial(QuietHandler, directory=str(shipped_build.output))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    chromium = need_tool("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()
