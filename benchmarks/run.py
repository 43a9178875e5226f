"""Time whole builds (each one a new process, as editors run them) and report medians and peak memory.

    python benchmarks/run.py [--repeticiones 5] [--corpus 27x100|no] [--salida FICHERO.md]

Scenarios on a copy of the shipped edition: cold build (no cache, no output), the PDF alone cold
(benchmarks/solo_pdf.py), no-change rebuild, one Markdown edit, one CSV edit, and save → reload in
the live preview (benchmarks/serve_reload.py); then, on the synthetic corpus (benchmarks/generate.py),
a cold build, a change in the latest edition and a no-change rebuild.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from generate import generate
from serve_reload import measure as measure_reload


def run_build(project: Path) -> tuple[float, dict]:
    """One build in a new process: wall seconds and the --timings stages."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, str(REPO / "build.py"), "-C", str(project), "--timings"],
                         capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - start
    stages = {m.group(1).strip(): float(m.group(2).replace(",", "."))
              for m in re.finditer(r"^\s{2}(.+?)\s+([\d.,]+) s$", out.stderr, re.MULTILINE)}
    return seconds, stages


def reset(project: Path) -> None:
    shutil.rmtree(project / ".cache", ignore_errors=True)
    shutil.rmtree(project / "output", ignore_errors=True)


def copy_shipped(dest: Path) -> Path:
    for name in ("content", "data"):
        shutil.copytree(REPO / name, dest / name)
    return dest


def median_of(n: int, prepare, project: Path) -> tuple[float, list[float], dict]:
    times, stages = [], []
    for _ in range(n):
        prepare()
        seconds, st = run_build(project)
        times.append(seconds)
        stages.append(st)
    return statistics.median(times), times, stages[len(stages) // 2]


def edit_markdown(project: Path, k=[0]):  # noqa: B006 - a counter: each edit differs
    k[0] += 1
    doc = project / "content" / "2025" / "varios.md"
    doc.write_text(doc.read_text(encoding="utf-8") + f"\nLínea agregada {k[0]}.\n", encoding="utf-8")


def edit_csv(project: Path, k=[0]):  # noqa: B006
    k[0] += 1
    path = project / "data" / "2025" / "acuerdos.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = re.sub(r";(\d+);", lambda m: f";{(int(m.group(1)) + 1) % 100};", lines[1], count=1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


QUARTO_COLD = 10.9  # s: Quarto 1.7 site + Typst PDF of a comparable corpus on this machine (issue 15)
# Issue 15's targets, by the start of a row's name: seconds, and what the ratio is taken against.
TARGETS = {
    "Edición publicada: compilación en frío": (0.35 * QUARTO_COLD, "× Quarto (10,9 s)", QUARTO_COLD),
    "Edición publicada: solo el PDF": (2.5, "× meta", 2.5),
    "Edición publicada: recompilación sin cambios": (0.3, "× meta", 0.3),
    "Edición publicada: un cambio en un Markdown": (1.5, "× meta", 1.5),
    "Vista previa (`serve`): guardar un Markdown → evento de recarga": (0.2, "× meta", 0.2),
    "Vista previa (`serve`): guardar un Markdown → PDF actualizado": (1.5, "× meta", 1.5),
    "Corpus 27 × 100: compilación en frío": (150.0, "× meta", 150.0),
    "Corpus 27 × 100: un cambio en la última edición": (5.0, "× meta", 5.0),
    "Corpus 27 × 100: recompilación sin cambios": (0.3, "× meta", 0.3),
}


def target_lines(rows) -> list[str]:
    """Each measured row that has a target: its median, the target, whether it is met, and the ratio."""
    lines = ["| meta | medido | meta | estado | razón |", "|---|---:|---:|---|---:|"]
    for name, value, _ in rows:
        for start, (goal, unit, base) in TARGETS.items():
            if name.startswith(start):
                state = "se cumple" if value <= goal else "no se cumple"
                lines.append(f"| {name} | {value:.2f} s | ≤ {goal:.2f} s | {state} | {value / base:.2f} {unit} |")
    return lines


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeticiones", type=int, default=5)
    parser.add_argument("--corpus", default="27x100", help="ediciones x acuerdos, o «no» para omitirlo")
    parser.add_argument("--salida", type=Path, default=None)
    args = parser.parse_args()
    n = args.repeticiones
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_shipped(Path(tmp) / "edicion")
        cold, cold_all, _ = median_of(n, lambda: reset(project), project)
        rows.append(("Edición publicada: compilación en frío", cold, cold_all))
        pdf_all = []
        for _ in range(n):
            dest = Path(tmp) / "solo-pdf"
            shutil.rmtree(dest, ignore_errors=True)
            start = time.perf_counter()
            subprocess.run([sys.executable, str(REPO / "benchmarks" / "solo_pdf.py"), str(project), str(dest)], check=True)
            pdf_all.append(time.perf_counter() - start)
        rows.append(("Edición publicada: solo el PDF, en frío (benchmarks/solo_pdf.py)", statistics.median(pdf_all), pdf_all))
        run_build(project)
        rows.append(("Edición publicada: recompilación sin cambios", *median_of(n, lambda: None, project)[:2]))
        rows.append(("Edición publicada: un cambio en un Markdown",
                     *median_of(n, lambda: edit_markdown(project), project)[:2]))
        rows.append(("Edición publicada: un cambio en un CSV", *median_of(n, lambda: edit_csv(project), project)[:2]))
        reloads, refreshed = measure_reload(n, wait=True)
        rows.append(("Vista previa (`serve`): guardar un Markdown → evento de recarga", statistics.median(reloads), reloads))
        rows.append(("Vista previa (`serve`): guardar un Markdown → PDF actualizado", statistics.median(refreshed),
                     refreshed))
        memory = peak_memory_mb()
        if args.corpus != "no":
            eds, agr = (int(x) for x in args.corpus.split("x"))
            corpus = generate(Path(tmp) / "corpus", eds, agr)
            seconds, _ = run_build(corpus)
            rows.append((f"Corpus {eds} × {agr}: compilación en frío (1 vez)", seconds, [seconds]))
            latest = corpus / "data" / str(2025 + eds - 1) / "acuerdos.csv"
            changed = []
            for k in range(3):
                text = latest.read_text(encoding="utf-8")
                latest.write_text(text.replace("Acuerdo sintético AMB", f"Acuerdo sintético {k} AMB", 1), encoding="utf-8")
                changed.append(run_build(corpus)[0])
            rows.append((f"Corpus {eds} × {agr}: un cambio en la última edición", statistics.median(changed), changed))
            rows.append((f"Corpus {eds} × {agr}: recompilación sin cambios", *median_of(n, lambda: None, corpus)[:2]))
            memory = peak_memory_mb()
    lines = [f"| {name} | {value:.2f} s | {', '.join(f'{t:.2f}' for t in all_)} |" for name, value, all_ in rows]
    report = "\n".join([
        (f"Medido el {dt.date.today().isoformat()} en {platform.node() or 'esta máquina'}: {os.cpu_count()} núcleos, "
         f"Python {platform.python_version()}, {platform.system()} {platform.machine()}. Mediana de {n} "
         "procesos completos (`python build.py`), salvo donde se indica."),
        "",
        "| escenario | mediana | mediciones |",
        "|---|---:|---|",
        *lines,
        "",
        f"Memoria máxima de un proceso (el mayor de todos los procesos medidos, hijos incluidos): {memory:.0f} MB.",
        "",
        *target_lines(rows),
    ])
    print(report)
    if args.salida:
        args.salida.write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
