"""Build the EMRA progress report: `python build.py` (site + PDF) or `python build.py check`."""

from pathlib import Path

from emra_site.cli import main

# This file's folder is the project when the command runs from another folder (a shortcut, a new terminal).
raise SystemExit(main(home=Path(__file__).resolve().parent))
