"""What every chart builder makes and is given: layouts, the chart plan and text helpers.

Every text a builder writes (titles, axes, legends, descriptions, table headers) is Spanish looked up in the
active language's catalog (`i18n.gettext`); data values that key colours stay codes, only their labels are
translated.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from .. import theme as T
from ..i18n import gettext


@dataclass(frozen=True)
class Layout:
    """How wide a chart is drawn: the wide one serves desktops and the PDF, the narrow one phones.

    `width` is the whole drawing's width in CSS pixels, axes and legend included (the chart is
    drawn with autosize "fit-x"): the width of the column that shows it, from `theme`'s scale.
    """

    width: int
    narrow: bool

    def wrap(self, text: str, wide_chars: int, narrow_chars: int, max_lines: int | None = None) -> str:
        """Break a label into lines sized for this layout (at most that many characters a line,
        and at most `max_lines` lines: see `wrap`)."""
        return wrap(text, narrow_chars if self.narrow else wide_chars, max_lines)


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


def wrap(text: str, width: int = 34, max_lines: int | None = None) -> str:
    """Break a long label into lines for a Vega axis (split on \\n by labelExpr).

    With `max_lines`, a longer label is shortened to that many lines ending in «…»: its chart's
    description and data table keep the full text.
    """
    return "\n".join(textwrap.wrap(text, width, max_lines=max_lines, placeholder=" …")) or text


def sentence_list(items: list[str]) -> str:
    """«a, b y c» in the active language («a, b and c»); `items` must not be empty."""
    if len(items) == 1:
        return items[0]
    # Translators: the end of a list, «a, b y c»: {primeros} is «a, b», {ultimo} is «c».
    return gettext("{primeros} y {ultimo}").format(primeros=", ".join(items[:-1]), ultimo=items[-1])


def vega_string(text: str) -> str:
    """`text` as a single-quoted string of a Vega expression: a translated label may hold a quote."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
