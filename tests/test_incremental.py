"""Stateful property: after any sequence of valid edits, an incremental build equals a clean build.

A hypothesis state machine edits a copy of the three-edition fixture the way editors do (a
progress value, a sentence, a template line that shows the latest edition's figures, a subtitle,
a colour, a font, a new or a dropped edition). After every step the working project is built
incrementally (warm `.cache/emra`, unchanged edition folders taken from the live site), a copy
without `.cache` and `output` is built clean, and the two `output/site` trees must be the same
files with the same bytes. An invalid edit must fail both ways with the same diagnostics and
publish nothing.

Cost: a clean build of the fixture takes ~10 s on 2 cores, so the default run is one short
sequence. `EMRA_PROPIEDADES=<n>` runs n sequences of up to 5 steps, random rather than
derandomized (hypothesis prints a `@reproduce_failure` blob when one fails), e.g.
`EMRA_PROPIEDADES=20 pytest tests/test_incremental.py` (~20-40 min).
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import REPO, copy_built
from helpers import FIXTURES, run_cli
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule, run_state_machine_as_test
from test_cache import digest

from emra_site.app import build
from emra_site.errors import BuildError
from emra_site.pipeline import Paths

# Hypothesis keeps its files outside the work tree (as in test_fuzz.py); no example database.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "emra-hypothesis")

TRES = FIXTURES / "tres-ediciones"

LONG_RUN = int(os.environ.get("EMRA_PROPIEDADES", "0") or 0)
SETTINGS = settings(
    # Default: one derandomized sequence of one step (the session's warm build of the fixture,
    # then an incremental and a clean build per step). Long runs: n random sequences of up to 5.
    max_examples=LONG_RUN or 1,
    stateful_step_count=5 if LONG_RUN else 1,
    derandomize=not LONG_RUN,
    print_blob=bool(LONG_RUN),
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                           HealthCheck.function_scoped_fixture],
)

# Words a sentence, a subtitle or a description is made of: all in the shipped fonts' coverage,
# none a YAML keyword (a value always starts with a capitalised word from OPENINGS).
OPENINGS = ("Informe", "Avance", "Edición", "Según", "Durante")
WORDS = ("de", "la", "el", "avance", "región", "minería", "año", "acuerdos", "según", "fuente", "pública",
         "información", "comunidades", "sustentable", "2030", "47,5%", "ñandú", "Antofagasta", "más")
sentence = st.builds(lambda first, rest: " ".join((first, *rest)), st.sampled_from(OPENINGS),
                     st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))

# A progress value as editors type it: whole, with a decimal comma, with %, or blank (sin dato).
percent_text = st.one_of(
    st.integers(0, 100).map(str),
    st.tuples(st.integers(0, 99), st.integers(1, 9)).map(lambda t: f"{t[0]},{t[1]}"),
    st.integers(0, 100).map(lambda n: f"{n}%"),
    st.just(""),
)
# Each is refused by validation (see tests/fixtures/broken/porcentaje-*).
bad_percent = st.sampled_from(["101", "250", "-1", "cuarenta"])

# Numeric progress columns an editor fills in: (table, column).
PROGRESS = (("acuerdos", "avance"), ("dimensiones", "avance_reportado"))

# Lines put into templates/base.html before </footer>: every page of every edition shows them,
# some with another edition's data (templates reach other editions only through latest/shell).
FOOTER_LINES = (
    '<p id="cifra{n}">{{{{ latest.data.dimensiones[0].avance_reportado | percent }}}}</p>',
    '<p id="cifra{n}">{{{{ latest.data.acuerdos[0].avance | percent }}}}</p>',
    '<p id="cifra{n}">{{{{ shell.editions[0].subtitulo }}}}</p>',
    '<p id="cifra{n}">{{{{ shell.editions | length }}}} ediciones: '
    '{{{{ shell.editions | map(attribute="anio") | join(", ") }}}}</p>',
    '<p id="cifra{n}">Nota de pie {n}.</p>',
)
# A print-only edit: the PDF's table of contents title.
TOC_TITLE = '<p class="toc-title">Índice'

CSS_FILES = ("static/css/site.css", "print/print.css")
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\b")
FONT_WEIGHTS = ("regular", "semibold", "bold")


# --- Files -----------------------------------------------------------------------------------------

def read_text(path: Path) -> tuple[str, bool]:
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    return raw.decode("utf-8-sig"), bom


def write_text(path: Path, text: str, bom: bool = False) -> None:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))


def set_cell(path: Path, column: str, row_index: int, value: str) -> str:
    """Set one cell of a CSV (row chosen modulo the data rows); keep its delimiter and BOM; return the old value."""
    text, bom = read_text(path)
    delimiter = ";" if text.split("\n", 1)[0].count(";") >= text.split("\n", 1)[0].count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header = rows[0]
    data = [r for r in rows[1:] if any(c.strip() for c in r)]
    row = data[row_index % len(data)]
    j = header.index(column)
    row += [""] * (len(header) - len(row))
    old, row[j] = row[j], value
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    write_text(path, buf.getvalue(), bom)
    return old


def paragraph_lines(text: str) -> list[int]:
    """Indexes of the lines of running text in a Markdown section (not front matter, fences, headings, lists)."""
    lines = text.split("\n")
    found, fenced, i = [], False, 0
    if lines and lines[0].strip() == "---":
        i = next(k for k in range(1, len(lines)) if lines[k].strip() == "---") + 1
    for k in range(i, len(lines)):
        s = lines[k].strip()
        if s.startswith("```"):
            fenced = not fenced
            continue
        if fenced or not s or s[0] in "#|-*>+<:[" or re.match(r"\d+[.)] ", s):
            continue
        found.append(k)
    return found


def tree_key(root: Path) -> str:
    """Digest of a project's inputs (content, data, templates): the same key, the same clean build."""
    h = hashlib.sha256()
    for part in ("content", "data", "templates"):
        for path in sorted((root / part).rglob("*")):
            if path.is_file():
                h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def first_difference(incremental: dict[str, str], clean: dict[str, str], inc_site: Path, clean_site: Path) -> str:
    """A readable account of how two site digests differ, starting with the first differing file."""
    only_inc = sorted(set(incremental) - set(clean))
    only_clean = sorted(set(clean) - set(incremental))
    changed = sorted(k for k in set(incremental) & set(clean) if incremental[k] != clean[k])
    first = sorted(only_inc + only_clean + changed)[0]
    lines = [f"first differing file: {first}",
             f"{len(changed)} file(s) differ: {changed[:10]}",
             f"only in the incremental build: {only_inc[:10]}",
             f"only in the clean build: {only_clean[:10]}"]
    if first in changed and first.endswith((".html", ".css", ".json", ".csv", ".svg", ".xml", ".txt", ".js")):
        a = (inc_site / first).read_text(encoding="utf-8", errors="replace").splitlines()
        b = (clean_site / first).read_text(encoding="utf-8", errors="replace").splitlines()
        diff = list(difflib.unified_diff(b, a, "clean/" + first, "incremental/" + first, n=1, lineterm=""))
        lines += [line[:300] for line in diff[:30]]
    return "\n".join(lines)


def cli_build(project: Path, *flags: str) -> None:
    """A build in its own process, as editors run it: vl-convert loads fonts once per process."""
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "-C", str(project), *flags],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"build.py -C {project.name} {' '.join(flags)} failed:\n{done.stderr[-3000:]}"


# --- The workspace: one warm project per session, restored before every sequence ----------------------

class Workspace:
    """Fixed folders for the whole session: `work` (the edited project), `clean` (its clean copy), `seed`.

    Fixed paths let the in-process builds reuse vl-convert's registered fonts, and keep the edition
    cache keys (which include the project's path) valid when `work` is restored from `seed`.
    """

    def __init__(self, base: Path, three_build):
        self.base = base
        self.work, self.clean, self.seed = base / "proyecto", base / "limpio", base / "semilla"
        self.clean_builds: dict[str, tuple[dict[str, str], list]] = {}  # tree_key -> (site digest, diagnostics)
        self.sequences = 0
        self.steps = 0
        self.rules: Counter[str] = Counter()  # steps per rule, for the summary
        self.seconds = {"incremental": 0.0, "clean": 0.0}
        start = time.perf_counter()
        # Warm: the session's build of the fixture as it ships (.cache/emra, output/site, its own templates).
        build(copy_built(three_build, self.work))
        self.seconds["warm-up"] = time.perf_counter() - start
        shutil.copytree(self.work, self.seed, symlinks=True)

    def restore(self) -> None:
        # New files (new inodes): fonts vl-convert may still map in memory are never overwritten.
        shutil.rmtree(self.work)
        shutil.copytree(self.seed, self.work, symlinks=True)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, three_build) -> Workspace:
    return Workspace(tmp_path_factory.mktemp("incremental"), three_build)


# --- The machine ---------------------------------------------------------------------------------

class IncrementalEqualsClean(RuleBasedStateMachine):
    """Edits on a warm project; after each, the incremental site must equal a clean build's."""

    def __init__(self, ws: Workspace):
        super().__init__()
        self.ws = ws
        ws.restore()
        ws.sequences += 1
        self.root = ws.work
        self.templates = self.root / "templates"
        self.serial = 0
        self.in_subprocess = False  # after a font change: this process's vl-convert keeps the old fonts

    # Helpers ---------------------------------------------------------------------------------

    def years(self) -> list[int]:
        return sorted(int(p.name) for p in (self.root / "content").iterdir() if p.is_dir() and p.name.isdigit())

    def year(self, index: int) -> int:
        years = self.years()
        return years[index % len(years)]

    def clean_copy(self) -> Path:
        shutil.rmtree(self.ws.clean, ignore_errors=True)
        shutil.copytree(self.root, self.ws.clean, ignore=shutil.ignore_patterns(".cache", "output"))
        return self.ws.clean

    def build_and_compare(self) -> None:
        """The property: incremental build of the working project == clean build of a copy of it."""
        self.ws.steps += 1
        self.ws.rules[sys._getframe(1).f_code.co_name] += 1
        paths = Paths.of(self.root)
        start = time.perf_counter()
        if self.in_subprocess:
            cli_build(self.root)
            diags = None
        else:
            diags = build(paths)
        self.ws.seconds["incremental"] += time.perf_counter() - start
        incremental = digest(paths.site)

        key = tree_key(self.root)
        clean_dir = self.ws.clean
        clean, clean_diags = self.ws.clean_builds.get(key, (None, None))
        if clean != incremental:  # not built clean before in this session, or (to show the files) a mismatch
            self.clean_copy()
            start = time.perf_counter()
            if self.in_subprocess:
                cli_build(clean_dir, "--sin-cache")
                clean_diags = None
            else:
                clean_diags = build(Paths.of(clean_dir), use_cache=False)
            self.ws.seconds["clean"] += time.perf_counter() - start
            assert not (clean_dir / ".cache").exists(), "a clean build wrote a cache"
            clean = digest(clean_dir / "output" / "site")
            self.ws.clean_builds[key] = (clean, clean_diags)
        assert incremental == clean, "incremental build != clean build\n" + first_difference(
            incremental, clean, paths.site, clean_dir / "output" / "site")
        if diags is not None and clean_diags is not None:
            assert [str(d) for d in diags] == [str(d) for d in clean_diags], "the builds reported different diagnostics"
        self.progress(sys._getframe(1).f_code.co_name)

    def progress(self, step: str) -> None:
        if LONG_RUN:  # long runs take an hour: say how far they got (visible with pytest -s)
            print(f"[{time.strftime('%H:%M:%S')}] sequence {self.ws.sequences}, step {self.ws.steps}: {step} ok",
                  flush=True)

    # Rules -----------------------------------------------------------------------------------

    @rule(edition=st.integers(0, 9), table=st.sampled_from(PROGRESS), row=st.integers(0, 9), value=percent_text)
    def edit_progress_cell(self, edition, table, row, value):
        name, column = table
        set_cell(self.root / "data" / str(self.year(edition)) / f"{name}.csv", column, row, value)
        self.build_and_compare()

    @rule(edition=st.integers(0, 9), section=st.integers(0, 9), line=st.integers(0, 20), text=sentence)
    def append_sentence(self, edition, section, line, text):
        files = sorted((self.root / "content" / str(self.year(edition))).glob("*.md"))
        md = files[section % len(files)]
        source, bom = read_text(md)
        candidates = paragraph_lines(source)
        lines = source.split("\n")
        if candidates:
            k = candidates[line % len(candidates)]
            lines[k] = lines[k].rstrip() + " " + text + "."
        else:  # no paragraph to extend: a new one at the end
            lines += ["", text + ".", ""]
        write_text(md, "\n".join(lines), bom)
        self.build_and_compare()

    @rule(choice=st.integers(0, len(FOOTER_LINES)))
    def edit_template_line(self, choice):
        self.serial += 1
        if choice == len(FOOTER_LINES):  # the PDF only
            path = self.templates / "print" / "report.html"
            text = path.read_text(encoding="utf-8")
            assert TOC_TITLE in text
            path.write_text(text.replace(TOC_TITLE, f"{TOC_TITLE} {self.serial}", 1), encoding="utf-8")
        else:
            path = self.templates / "base.html"
            text = path.read_text(encoding="utf-8")
            assert "</footer>" in text
            line = FOOTER_LINES[choice].format(n=self.serial)
            path.write_text(text.replace("</footer>", line + "\n</footer>", 1), encoding="utf-8")
        self.build_and_compare()

    @rule(edition=st.integers(0, 9), key=st.sampled_from(["subtitulo", "descripcion"]), text=sentence)
    def edit_edition_yml(self, edition, key, text):
        path = self.root / "content" / str(self.year(edition)) / "edition.yml"
        source, bom = read_text(path)
        new, count = re.subn(rf"(?m)^{key}:.*$", f"{key}: {text}", source, count=1)
        assert count == 1, f"no «{key}:» line in {path}"
        write_text(path, new, bom)
        self.build_and_compare()

    @rule(css=st.sampled_from(CSS_FILES), which=st.integers(0, 30), colour=st.integers(0, 0xFFFFFF))
    def edit_css_colour(self, css, which, colour):
        path = self.templates / css
        text = path.read_text(encoding="utf-8")
        found = list(HEX_COLOUR.finditer(text))
        m = found[which % len(found)]
        path.write_text(text[:m.start()] + f"#{colour:06x}" + text[m.end():], encoding="utf-8")
        self.build_and_compare()

    @precondition(lambda self: not self.in_subprocess)
    @rule(pair=st.sampled_from([(a, b) for a in FONT_WEIGHTS for b in FONT_WEIGHTS if a != b]))
    def copy_font_over_another_weight(self, pair):
        source, target = pair
        fonts = self.templates / "fonts"
        src, dst = fonts / f"source-sans-3-{source}.ttf", fonts / f"source-sans-3-{target}.ttf"
        # A new file moved into place: never overwrite a font this process may have mapped.
        tmp = fonts / "cambio.tmp"
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
        # vl-convert keeps the fonts it loaded for the life of the process: build in new ones from now on.
        self.in_subprocess = True
        self.build_and_compare()

    # A fourth edition doubles what a clean build costs: only in long runs (EMRA_PROPIEDADES).
    @precondition(lambda self: len(self.years()) < (5 if LONG_RUN else 3))
    @rule()
    def add_edition(self):
        year = self.years()[-1] + 1
        code, out = run_cli(["-C", str(self.root), "new-edition", str(year)])
        assert code == 0, out
        # new-edition marks every copied section «revisar: …» in its front matter; an editor removes it.
        for md in sorted((self.root / "content" / str(year)).glob("*.md")):
            text, bom = read_text(md)
            cleaned = re.sub(r"(?m)^revisar:.*\n", "", text)
            assert cleaned != text, f"new-edition did not mark {md}"
            write_text(md, cleaned, bom)
        self.build_and_compare()

    @precondition(lambda self: len(self.years()) > 1)
    @rule()
    def remove_latest_edition(self):
        year = str(self.years()[-1])
        shutil.rmtree(self.root / "content" / year)
        shutil.rmtree(self.root / "data" / year)
        self.build_and_compare()

    @precondition(lambda self: not self.in_subprocess)
    @rule(edition=st.integers(0, 9), table=st.sampled_from(PROGRESS), row=st.integers(0, 9), value=bad_percent)
    def invalid_progress_cell_fails_both_ways(self, edition, table, row, value):
        """An invalid value: both builds refuse it with the same diagnostics; nothing is published."""
        self.ws.steps += 1
        self.ws.rules["invalid_progress_cell_fails_both_ways"] += 1
        name, column = table
        path = self.root / "data" / str(self.year(edition)) / f"{name}.csv"
        before = path.read_bytes()
        set_cell(path, column, row, value)
        paths = Paths.of(self.root)
        published = digest(paths.site)
        with pytest.raises(BuildError) as incremental:
            build(paths)
        assert digest(paths.site) == published, "a failed incremental build changed output/site"
        clean_dir = self.clean_copy()
        with pytest.raises(BuildError) as clean:
            build(Paths.of(clean_dir), use_cache=False)
        assert not (clean_dir / "output" / "site").exists(), "a failed clean build published a site"
        assert incremental.value.diagnostics == clean.value.diagnostics
        assert any(d.loc.path == f"data/{path.parent.name}/{name}.csv" for d in incremental.value.diagnostics)
        path.write_bytes(before)  # back to a valid project; the next step builds after this failure
        self.progress("invalid_progress_cell_fails_both_ways")


def test_incremental_build_always_equals_a_clean_build(workspace):
    try:
        run_state_machine_as_test(lambda: IncrementalEqualsClean(workspace), settings=SETTINGS)
    finally:
        print(f"\n{workspace.sequences} sequence(s), {workspace.steps} step(s) built and compared; "
              f"{len(workspace.clean_builds)} distinct clean build(s); seconds building: "
              + ", ".join(f"{k} {v:.0f}" for k, v in workspace.seconds.items())
              + "\nsteps per rule: " + ", ".join(f"{k} {v}" for k, v in sorted(workspace.rules.items())))
