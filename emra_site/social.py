"""The preview image shown when a page of the report is shared (Open Graph, 1200 × 630)."""

from __future__ import annotations

from . import theme as T
from .layout import LAYOUT

WIDTH, HEIGHT = 1200, 630
# Lighter than the page palette: these bars sit on the dark card background.
CARD_COLORS = {"ambiental": "#5cc28c", "social": "#ec9a66", "economica": "#6fb6e0", "institucional": "#b39ddf"}


def card_spec(edition) -> dict:
    """A Vega spec that draws the card: title, edition and each dimension's reported progress."""
    texts = [
        {"x": 70, "y": 90, "t": edition.organismo.upper(), "size": 26, "weight": 600, "color": "#cfe3ec"},
        {"x": 70, "y": 190, "t": edition.titulo_corto, "size": 72, "weight": 700, "color": "#ffffff"},
        {"x": 70, "y": 260, "t": edition.subtitulo, "size": 44, "weight": 600, "color": "#f0a77f"},
    ]
    marks = [{"type": "text", "encode": {"enter": {
        "x": {"value": t["x"]}, "y": {"value": t["y"]}, "text": {"value": t["t"]}, "fontSize": {"value": t["size"]},
        "fontWeight": {"value": t["weight"]}, "fill": {"value": t["color"]}, "font": {"value": T.FONT_STACK}}}}
        for t in texts]
    for i, dim in enumerate(edition.data.dimensiones):
        y = 350 + i * 62
        value = float(dim.avance_reportado) if dim.avance_reportado is not None else 0
        marks += [
            {"type": "text", "encode": {"enter": {"x": {"value": 70}, "y": {"value": y + 30}, "text": {"value": dim.nombre},
                                                  "fontSize": {"value": 30}, "fill": {"value": "#ffffff"},
                                                  "font": {"value": T.FONT_STACK}}}},
            {"type": "rect", "encode": {"enter": {"x": {"value": 330}, "y": {"value": y + 8}, "width": {"value": 600},
                                                  "height": {"value": 28}, "fill": {"value": "#24536b"}}}},
            {"type": "rect", "encode": {"enter": {"x": {"value": 330}, "y": {"value": y + 8}, "width": {"value": 6 * value},
                                                  "height": {"value": 28},
                                                  "fill": {"value": CARD_COLORS.get(dim.id, "#7fb2c9")}}}},
            {"type": "text", "encode": {"enter": {"x": {"value": 950}, "y": {"value": y + 32},
                                                  "text": {"value": T.fmt_percent(dim.avance_reportado)},
                                                  "fontSize": {"value": 30}, "fontWeight": {"value": 700},
                                                  "fill": {"value": "#ffffff"}, "font": {"value": T.FONT_STACK}}}},
        ]
    return {"$schema": "https://vega.github.io/schema/vega/v5.json", "width": WIDTH, "height": HEIGHT, "padding": 0,
            "background": T.PRIMARY_DARK, "marks": marks}


def render_card(edition, font_dir) -> bytes:
    """The card as PNG bytes."""
    from .charts import vl_convert_with_fonts

    return vl_convert_with_fonts(font_dir).vega_to_png(card_spec(edition), scale=1)


def card_name(edition) -> str:
    """File name of the edition's card, inside the edition folder."""
    return LAYOUT.card_name(edition.anio)
