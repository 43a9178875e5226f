"""Charts: one builder per chart kind (data → Vega-Lite spec, Spanish description, data table), then SVG.

Modules: `registry` (the one list of kinds and `plan_chart`), `base` (layouts, `ChartPlan`),
`altair_helpers` (the per-chart `ChartContext`, shared axes), the builders by family
(`progress`, `counts`, `plan`, `projects`) and `drawing` (vl-convert, cache keys, both cores).
The names below are what the rest of the publisher imports from `emra_site.charts`.
"""

from __future__ import annotations

from .altair_helpers import ChartContext
from .base import NARROW, WIDE, ChartPlan, Layout
from .drawing import (
    VEGA,
    ChartJob,
    RenderedChart,
    chart_jobs,
    data_digest,
    draw_narrow,
    draw_wide,
    draw_wide_all,
    finish_charts,
    register_fonts,
    render_svg,
    svg_size,
    vl_convert_with_fonts,
)
from .registry import BUILDERS, CHART_KINDS, HISTORY_KINDS, ChartKind, ChartParam, plan_chart

__all__ = [
    "BUILDERS", "CHART_KINDS", "HISTORY_KINDS", "NARROW", "VEGA", "WIDE", "ChartContext", "ChartJob", "ChartKind",
    "ChartParam", "ChartPlan", "Layout", "RenderedChart", "chart_jobs", "data_digest", "draw_narrow", "draw_wide", "draw_wide_all",
    "finish_charts", "plan_chart", "register_fonts", "render_svg", "svg_size", "vl_convert_with_fonts",
]
