"""What the English edition costs: cold builds of the shipped edition with and without its `en/` folders.

    python benchmarks/languages.py [--repeticiones 5]

Issue 17 asks for a build of both languages in at most 1.6 × the Spanish-only build (the charts' data and
layout are shared; only their texts differ). Builds alternate (Spanish only, both, Spanish only, …), each a
new process with no cache and no output, so a slower moment of the machine weighs on both alike.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from run import copy_shipped, reset, run_build


def spanish_only(project: Path) -> Path:
    """`project` without its translations (every `en/` folder under content/ and data/)."""
    for folder in sorted((project / "content").glob("*/en")) + sorted((project / "data").glob("*/en")):
        shutil.rmtree(folder)
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeticiones", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        both = copy_shipped(Path(tmp) / "ambos")
        spanish = spanish_only(copy_shipped(Path(tmp) / "es"))
        times: dict[str, list[float]] = {"es": [], "es+en": []}
        for _ in range(args.repeticiones):
            for name, project in (("es", spanish), ("es+en", both)):
                reset(project)
                times[name].append(run_build(project)[0])
    es, en = statistics.median(times["es"]), statistics.median(times["es+en"])
    ratios = [b / a for a, b in zip(times["es"], times["es+en"], strict=True)]
    print(f"compilación en frío, mediana de {args.repeticiones}: solo español {es:.2f} s; español e inglés {en:.2f} s; "
          f"razón {en / es:.2f} (mediana de las razones por par {statistics.median(ratios):.2f}; objetivo ≤ 1,6)")
    print("  solo español:", ", ".join(f"{t:.2f}" for t in times["es"]))
    print("  español e inglés:", ", ".join(f"{t:.2f}" for t in times["es+en"]))


if __name__ == "__main__":
    main()
