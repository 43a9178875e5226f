"""EMRA report publisher: Markdown + CSV to a static site and a PDF."""

__version__ = "0.1.0"
