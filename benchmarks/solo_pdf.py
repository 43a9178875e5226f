"""The PDF alone, cold, in one process: read the edition, draw the wide charts, lay out and write the PDFs.

    python benchmarks/solo_pdf.py PROYECTO DESTINO

What `python build.py` does for the PDF, without the site: the figure to compare with a tool that
only makes a PDF. No cache is read or written; the PDFs (report and chapters) go to DESTINO.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from emra_site.cache import Cache
from emra_site.charts import draw_wide, finish_charts
from emra_site.paths import Paths
from emra_site.pdf_jobs import PdfJobs, start_worker
from emra_site.pipeline import require_report


def main() -> None:
    paths, dest = Paths.of(Path(sys.argv[1])), Path(sys.argv[2])
    cache = Cache(None)
    report, _ = require_report(paths, cache)
    fonts = paths.templates / "fonts"
    with PdfJobs(paths, cache, worker=start_worker(paths)) as jobs:
        for edition in report.editions:
            wide = draw_wide(edition, fonts, report.history(edition.anio), cache)
            jobs.start(edition, finish_charts([(j.block, j.key, plan, svg, "") for j, plan, svg in wide]))
        for year, rendered in jobs.finish().items():
            for name, pdf in rendered.files.items():
                (dest / str(year)).mkdir(parents=True, exist_ok=True)
                (dest / str(year) / name).write_bytes(pdf)


if __name__ == "__main__":
    main()
