"""Build the EMRA progress report: `python build.py` (site + PDF) or `python build.py check`."""

from emra_site.cli import main

raise SystemExit(main())
