"""What the PDF/UA post-processing costs: the shipped edition's PDFs written with and without `pdf_tags`.

    python benchmarks/pdf_tags.py [--repeticiones 3]

Issue 18 allows the structure fixes made after WeasyPrint writes (table header scope, unique identifiers
and their ID tree, the contents as /TOC) at most 5 % of the PDF's write time. Each round lays out and
writes the Spanish report and its chapter PDFs in this process, cold (no cache, no fork), once with
`pdf_tags.finish_structure`/`set_id_tree` as they are and once with them doing nothing, alternating; it also
times the two functions themselves on every call. Medians of CPU seconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from emra_site import pdf_assemble, pdf_tags
from emra_site import render_pdf as R
from emra_site.cache import Cache
from emra_site.charts import draw_wide, finish_charts
from emra_site.paths import Paths
from emra_site.pipeline import require_report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeticiones", type=int, default=3)
    args = parser.parse_args()
    paths = Paths.of(REPO)
    report, _ = require_report(paths, Cache(None))
    edition = report.edition(2025)
    wide = draw_wide(edition, paths.templates / "fonts", report.history(2025), Cache(None))
    charts = finish_charts([(j.block, j.key, plan, svg, "") for j, plan, svg in wide])
    R.import_weasyprint(paths.templates)
    spent = [0.0]

    def timed(function):
        def run(*a, **k):
            start = time.process_time()
            try:
                return function(*a, **k)
            finally:
                spent[0] += time.process_time() - start
        return run

    real = (pdf_assemble.finish_structure, pdf_assemble.set_id_tree)
    variants = {"con": (timed(real[0]), timed(real[1])), "sin": (lambda top, prefix="": {}, lambda pdf, ids: None)}
    times: dict[str, list[float]] = {"con": [], "sin": []}
    own: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "2025"
        R.write_print_folder(folder, edition, charts, paths.content)
        for _ in range(args.repeticiones):
            for name, (mark, tree) in variants.items():
                pdf_assemble.finish_structure, pdf_assemble.set_id_tree = mark, tree
                spent[0] = 0.0
                start = time.process_time()
                R.render_pdf(edition, charts, paths.templates, folder, [Path(tmp)], paths.root, paths.content,
                             Cache(None), None, fork=False)
                times[name].append(time.process_time() - start)
                if name == "con":
                    own.append(spent[0])
    pdf_assemble.finish_structure, pdf_assemble.set_id_tree = real
    assert pdf_tags.finish_structure is real[0]
    with_, without = statistics.median(times["con"]), statistics.median(times["sin"])
    print(f"PDF del informe y sus capítulos (CPU, mediana de {args.repeticiones}): sin pdf_tags {without:.2f} s, "
          f"con pdf_tags {with_:.2f} s; pdf_tags mismo {statistics.median(own):.3f} s "
          f"= {100 * statistics.median(own) / without:.1f} % (límite 5 %)")


if __name__ == "__main__":
    main()
