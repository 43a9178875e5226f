"""Where a project keeps its inputs and where the build writes (light: read before any heavy import)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class Paths:
    """Where a project keeps its inputs and where the build writes."""

    root: Path
    templates: Path

    @classmethod
    def of(cls, root: Path) -> Paths:
        """Paths of the project at `root`; templates fall back to the ones shipped with the code."""
        root = root.resolve()
        templates = root / "templates"
        return cls(root, templates if templates.is_dir() else PACKAGE_TEMPLATES)

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def output(self) -> Path:
        return self.root / "output"

    @property
    def site(self) -> Path:
        """The published site: only ever replaced whole, by a build."""
        return self.output / "site"

    @property
    def cache(self) -> Path:
        """The build cache (content-addressed results, compiled templates): never published."""
        return self.root / ".cache" / "emra"

    @property
    def preview(self) -> Path:
        """The live preview's own folder (`serve`), so it never touches the published site."""
        return self.output / "vista-previa"
