"""What every chart builder makes and is given: layouts, the chart plan and text helpers.

Every text a builder writes (titles, axes, legends, descriptions, table headers) is Spanish looked up in the
active language's catalog (`i18n.gettext`); data values that key colours stay codes, only their labels are
translated.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import theme as T
from ..fonts import font_dir
from ..i18n import gettext
from ..paths import PACKAGE_TEMPLATES
from ..text_metrics import text_width, wrap_text

# The fonts a chart's labels are measured in when no project's are given (tests, the code's own templates).
SHIPPED_FONTS = font_dir(PACKAGE_TEMPLATES)
# A label's room is given in characters of an average Spanish label (`char_px`), measured in the font: a
# line of English or of wide letters («Recommendation») gets fewer characters than one of narrow ones.
REFERENCE_LABEL = "Recomendación y priorización del diseño de la etapa de ejecución"


@dataclass(frozen=True)
class Layout:
    """How wide a chart is drawn: the wide one serves desktops and the PDF, the narrow one phones.

    `width` is the whole drawing's width in CSS pixels, axes and legend included (the chart is
    drawn with autosize "fit-x"): the width of the column that shows it, from `theme`'s scale.
    """

    width: int
    narrow: bool


WIDE = Layout(T.CHART_WIDTH_WIDE, False)
NARROW = Layout(T.CHART_WIDTH_NARROW, True)


@dataclass(frozen=True)
class ChartPlan:
    """What a chart shows: its spec, its text alternative and its data as a table.

    `spec` is a Vega-Lite dict for the wide layout, `narrow_spec` the phone one (set by
    `plan_chart`); every row of `rows` has one cell per entry of `columns`, already formatted.
    """

    spec: dict
    title: str
    description: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    narrow_spec: dict | None = None


def char_px(fonts: Path = SHIPPED_FONTS) -> float:
    """The advance (px) of an average character of a Spanish label at the charts' text size."""
    return text_width(REFERENCE_LABEL, T.CHART_FONT_SIZE, 400, fonts) / len(REFERENCE_LABEL)


def wrap(text: str, width: float, max_lines: int | None = None, fonts: Path = SHIPPED_FONTS,
         weight: int = 400) -> str:
    """Break a label into lines no wider than `width` px at the charts' text size, for a Vega axis or
    text mark (split on \\n by labelExpr or lineBreak).

    The lines are measured with the font's advance widths, so they fit in any language. With `max_lines`,
    a longer label is shortened to that many lines ending in «…»: its chart's description and data table
    keep the full text.
    """
    lines = wrap_text(text, width, T.CHART_FONT_SIZE, weight, fonts)
    if max_lines is not None and len(lines) > max_lines:
        words = lines[max_lines - 1].split()
        while words and text_width(" ".join([*words, "…"]), T.CHART_FONT_SIZE, weight, fonts) > width:
            words.pop()
        lines = [*lines[:max_lines - 1], " ".join([*words, "…"])]
    return "\n".join(lines) or text


def sentence_list(items: list[str]) -> str:
    """«a, b y c» in the active language («a, b and c»); `items` must not be empty."""
    if len(items) == 1:
        return items[0]
    # Translators: the end of a list, «a, b y c»: {primeros} is «a, b», {ultimo} is «c».
    return gettext("{primeros} y {ultimo}").format(primeros=", ".join(items[:-1]), ultimo=items[-1])


def vega_string(text: str) -> str:
    """`text` as a single-quoted string of a Vega expression: a translated label may hold a quote."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
