"""Altair pieces the builders share: the per-chart context that names datasets, and common axes.

Altair is imported inside the functions: a build whose charts all come from the cache never loads it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import theme as T
from ..text_metrics import text_width
from .base import SHIPPED_FONTS, WIDE, Layout, char_px, wrap

if TYPE_CHECKING:
    from ..model import Data


class ChartContext:
    """One builder call: its layout, the editions it may look back on, and the rows its spec names.

    A builder hands its rows to `values` (which returns a reference by name) and its chart to
    `finish`, which puts the rows it referred to in the spec's `datasets`. The rows live in this
    object, not in a module, so two charts built at once can never take each other's rows.
    """

    def __init__(self, layout: Layout = WIDE, history: tuple[tuple[int, Data], ...] = (), fonts: Path = SHIPPED_FONTS):
        self.layout = layout
        self.history = history  # ((year, Data), …) up to this edition, for the charts across editions
        self.fonts = fonts  # the folder of the fonts the chart is drawn in: labels are measured in them
        self._datasets: dict[str, list[dict]] = {}

    @property
    def narrow(self) -> bool:
        return self.layout.narrow

    def wrap(self, text: str, wide_chars: int, narrow_chars: int, max_lines: int | None = None) -> str:
        """Break a label into lines of at most that many average characters (`base.char_px`) for this
        chart's layout, shortened past `max_lines` (see `base.wrap`)."""
        chars = narrow_chars if self.narrow else wide_chars
        return self.wrap_px(text, chars * char_px(self.fonts), max_lines)

    def wrap_px(self, text: str, width: float, max_lines: int | None = None, weight: int = 400) -> str:
        """Break a label into lines no wider than `width` px, measured in the chart's fonts (see `base.wrap`)."""
        return wrap(text, width, max_lines, self.fonts, weight)

    def text_px(self, text: str, weight: int = 400) -> float:
        """The width (px) of one line of `text` at the charts' text size in the chart's fonts."""
        return text_width(text, T.CHART_FONT_SIZE, weight, self.fonts)

    def band_labels(self, texts: list[str], wide_chars: int, narrow_chars: int) -> list[str]:
        """The labels of a `wrapped_axis`, one per text: wrapped, and shortened past `MAX_LABEL_LINES`
        unless two different texts would then read alike (a band axis would draw both in one band)."""
        short = [self.wrap(t, wide_chars, narrow_chars, MAX_LABEL_LINES) for t in texts]
        sources: dict[str, set[str]] = {}
        for text, label in zip(texts, short, strict=True):
            sources.setdefault(label, set()).add(text)
        return [label if len(sources[label]) == 1 else self.wrap(text, wide_chars, narrow_chars)
                for text, label in zip(texts, short, strict=True)]

    def values(self, chart_rows: list[dict]):
        """A reference to the rows by name; `finish` puts the rows themselves in the spec's `datasets`.

        Altair deep-copies and hashes inline rows at every layer and encoding; a name costs nothing.
        The name is a digest of the rows, so the same rows always get the same name (and spec).
        """
        import altair as alt

        digest = hashlib.sha256(json.dumps(chart_rows, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        name = "datos-" + digest[:16]
        self._datasets[name] = chart_rows
        return alt.NamedData(name=name)

    def finish(self, chart, height: int) -> dict:
        """The chart as a Vega-Lite dict with the shared theme; validated in the tests, not per build.

        `height` is the plot's height in pixels. The width is the layout's, for the whole drawing
        (autosize "fit-x": the plot takes what the axes and the legend leave), so the SVG is as wide
        as the column that shows it and its text renders at `theme`'s sizes.
        """
        layout = self.layout
        spec = chart.properties(width=layout.width, height=height).to_dict(validate=False)
        spec["autosize"] = {"type": "fit-x", "contains": "padding"}
        spec["datasets"] = {name: self._datasets[name] for name in sorted(data_names(spec))}
        spec["config"] = T.altair_config()
        if layout.narrow:
            spec["config"]["legend"]["columns"] = 1  # stack legend entries: a phone has no room for a row
        return spec


def data_names(node: Any) -> set[str]:
    """Names of the datasets a spec (or any part of it) refers to."""
    names = set()
    if isinstance(node, dict):
        data = node.get("data")
        if isinstance(data, dict) and "name" in data:
            names.add(data["name"])
        for value in node.values():
            names |= data_names(value)
    elif isinstance(node, list):
        for value in node:
            names |= data_names(value)
    return names


LABEL_LINE_HEIGHT = T.CHART_LINE_HEIGHT  # px between the lines of a wrapped band label
# A longer band label is shortened with «…» (`base.wrap`); the chart's description and data table give it whole.
MAX_LABEL_LINES = 3
LABEL_GAP = 8  # px at least between the labels of two bands


def wrapped_axis(alt, title: str | None = None):
    """A band axis whose labels break on \\n (see `base.wrap`), with room for long names."""
    return alt.Axis(title=title, labelExpr="split(datum.label, '\\n')", labelLineHeight=LABEL_LINE_HEIGHT,
                    labelPadding=8, labelLimit=420)


def band_step(labels: list[str], minimum: int) -> int:
    """The height of each band (px) of a `wrapped_axis` whose labels are `labels`: at least
    `minimum`, and tall enough that the label with most lines never reaches the next band's."""
    lines = max([label.count("\n") + 1 for label in labels] or [1])
    return max(minimum, LABEL_LINE_HEIGHT * lines + LABEL_GAP)

