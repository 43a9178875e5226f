"""Generate a synthetic corpus like the shipped report: N editions x M agreements (default 27 x 100).

    python benchmarks/generate.py DESTINO [--ediciones 27] [--acuerdos 100]

Every edition copies the shipped 2025 text and tables, with M agreements spread over the four
dimensions and deterministic pseudo-random progress values, so builds are comparable run to run.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PREFIX = {"ambiental": "AMB", "social": "SOC", "economica": "ECO", "institucional": "INS"}


def generate(dest: Path, editions: int, agreements: int, first_year: int = 2025) -> Path:
    """Write content/ and data/ for the synthetic corpus into `dest` (a new project folder)."""
    rng = random.Random(2050)
    if dest.exists():
        shutil.rmtree(dest)
    dims = list(PREFIX)
    per_dim = {d: agreements // 4 + (1 if i < agreements % 4 else 0) for i, d in enumerate(dims)}
    values = {f"{PREFIX[d]}-{n:03d}": rng.randint(0, 40) for d in dims for n in range(1, per_dim[d] + 1)}
    for k in range(editions):
        year = first_year + k
        content, data = dest / "content" / str(year), dest / "data" / str(year)
        shutil.copytree(REPO / "content" / "2025", content)
        shutil.copytree(REPO / "data" / "2025", data)
        yml = content / "edition.yml"
        text = yml.read_text(encoding="utf-8")
        text = text.replace("anio: 2025", f"anio: {year}").replace("avance 2025", f"avance {year}")
        yml.write_text(text.replace("fecha_publicacion: 2025-06-30", f"fecha_publicacion: {year}-06-30"),
                       encoding="utf-8")
        rows = ["id;dimension;acuerdo;avance;origen_avance"]
        for d in dims:
            for n in range(1, per_dim[d] + 1):
                key = f"{PREFIX[d]}-{n:03d}"
                values[key] = min(100, values[key] + rng.randint(0, 6))
                blank = rng.random() < 0.05
                rows.append(f"{key};{d};Acuerdo sintético {key} de la dimensión {d};"
                            f"{'' if blank else values[key]};{'' if blank else 'fuente'}")
        (data / "acuerdos.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        dim_rows = ["id;nombre;acuerdos_declarados;avance_reportado"]
        names = {"ambiental": "Ambiental", "social": "Social", "economica": "Económica", "institucional": "Institucional"}
        for d in dims:
            mean = sum(v for key, v in values.items() if key.startswith(PREFIX[d])) // per_dim[d]
            dim_rows.append(f"{d};{names[d]};{per_dim[d]};{mean}")
        (data / "dimensiones.csv").write_text("\n".join(dim_rows) + "\n", encoding="utf-8")
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("destino", type=Path)
    parser.add_argument("--ediciones", type=int, default=27)
    parser.add_argument("--acuerdos", type=int, default=100)
    args = parser.parse_args()
    generate(args.destino, args.ediciones, args.acuerdos)
    print(f"Corpus sintético en {args.destino}: {args.ediciones} ediciones × {args.acuerdos} acuerdos")


if __name__ == "__main__":
    main()
