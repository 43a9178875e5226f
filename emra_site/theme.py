"""Palette, font and formats shared by the charts, the site and the PDF.

Numbers, amounts and dates follow the active language (`i18n.active`): es-CL «47,5 %», «$4.222.529»,
«16 de junio de 2025»; English «47.5%», «CLP 4,222,529», «16 June 2025».
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, localcontext

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from .i18n import N_, active, gettext, pgettext
from .schema import MONTHS

LOCALE = "es_CL"  # the Spanish edition's; a formatter uses the active language's (`i18n.Language.locale`)
NO_DATA = N_("sin dato")  # what the Spanish report prints for a missing value; `no_data()` in the active language


def no_data() -> str:
    """«sin dato» in the active language."""
    return gettext(NO_DATA)

FONT_FAMILY = "Source Sans 3"
FONT_STACK = "'Source Sans 3', 'Helvetica Neue', Arial, sans-serif"

# Colours checked for ≥ 4.5:1 contrast on white where they carry text.
INK = "#1d2a33"
MUTED = "#52606d"
GRID = "#d9dee3"
NO_DATA_FILL = "#c5ccd3"
PRIMARY = "#0b4f6c"
PRIMARY_DARK = "#083a50"  # the cover, the site header and the social card
ACCENT = "#a4471b"
DIMENSION_COLORS = {
    "ambiental": "#1e7145",
    "social": "#a4471b",
    "economica": "#0b4f6c",
    "institucional": "#6a4c93",
}
EXTRA_COLORS = ("#0b4f6c", "#a4471b", "#1e7145", "#6a4c93", "#8a6d0b", "#2f6f8f")
HORIZON_COLORS = {"corto": "#0b4f6c", "mediano": "#7fb2c9"}
ROUTE_COLORS = {"pública": "#0b4f6c", "privada": "#a4471b"}
CALENDAR_COLORS = {"canal": "#0b4f6c", "campaña": "#a4471b", "hito": "#1e7145"}

# One scale for every chart's width and text. Each SVG is exactly as wide as the column that shows
# it (Vega-Lite autosize "fit-x": axes, labels and legend included), so its text renders at the
# size written here: rendered size = font size × displayed width / SVG width, and the ratio is 1.
CHART_WIDTH_WIDE = 768  # px: `.chart-svg { max-width: 48rem }` in site.css, at every desktop width
# px: the phone drawing's column on a 360 px phone, the commonest Android width (360 − 2 × 16 `.wrap` padding
# + 2 × 8 bleed − 2 × 8 padding − 2 × 1 border): 13 px text there, 14.2 px at 390, ≥ 12 px down to 302 px.
CHART_WIDTH_NARROW = 326
CHART_TEXT_MIN = 12  # px: no chart text may render smaller, on a desktop or on a phone from 360 px
CHART_PADDING = 8  # px of white around every chart drawing (Vega's `padding`)
CHART_FONT_SIZE = 13  # px: axis labels and titles, legends, values on the marks, stage names
CHART_FONT_SIZE_EMPHASIS = 14  # px: numbers inside the process chart's dots
CHART_LINE_HEIGHT = 15  # px between the lines of a wrapped label (≥ 1.15 × CHART_FONT_SIZE)

# Calendar bars whose dates the source does not give: a light tint of their colour inside an
# outline in the colour itself (≥ 3:1 on white, tested), dashed, and a legend entry that says so.
UNDATED_FILL_OPACITY = 0.18
UNDATED_STROKE_WIDTH = 2
UNDATED_DASH = (5, 3)
# Both in Spanish (the catalog's msgids): a chart shows `gettext(UNDATED_LABEL)`, translated once and used
# both as the legend's label and in the Vega expression that picks the undated entry.
UNDATED_LABEL = N_("Fecha no informada")
DATED_LABEL = N_("Fecha informada")


def undated_tint(colour: str) -> str:
    """The opaque colour a bar of `colour` shows with UNDATED_FILL_OPACITY on white (#rrggbb)."""
    channels = (int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return "#" + "".join(f"{round(255 - (255 - c) * UNDATED_FILL_OPACITY):02x}" for c in channels)


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #rrggbb colour."""
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours (1 to 21)."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# d3-format locale for vl-convert: it rejects the name "es-CL", so the rules are spelled out.
D3_FORMAT_LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["$", ""]}
D3_TIME_LOCALE = {
    "dateTime": "%A, %e de %B de %Y, %X",
    "date": "%d-%m-%Y",
    "time": "%H:%M:%S",
    "periods": ["AM", "PM"],
    "days": ["domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"],
    "shortDays": ["dom", "lun", "mar", "mié", "jue", "vie", "sáb"],
    "months": list(MONTHS),
    "shortMonths": ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"],
}
# The English edition's: d3's en-GB rules (4,222,529.5; 16/06/2025), Chilean pesos as «CLP».
D3_FORMAT_LOCALE_EN = {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["CLP ", ""]}
D3_TIME_LOCALE_EN = {
    "dateTime": "%a %e %b %X %Y",
    "date": "%d/%m/%Y",
    "time": "%H:%M:%S",
    "periods": ["AM", "PM"],
    "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
    "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
    "months": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December"],
    "shortMonths": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}
# Each language's (format, time format) locales, by `i18n.Language.code`.
D3_LOCALES = {"es": (D3_FORMAT_LOCALE, D3_TIME_LOCALE), "en": (D3_FORMAT_LOCALE_EN, D3_TIME_LOCALE_EN)}


def d3_locales() -> tuple[dict, dict]:
    """The d3 number and time locales of the active language, for vl-convert's `format_locale` and
    `time_format_locale`. KeyError for a language with none here: a chart is never drawn with another
    language's decimal separator."""
    return D3_LOCALES[active().code]


# An amount as each language writes it: the Spanish prefix, the English ISO code (`{n}` is the number).
AMOUNT_PATTERNS = {"pesos": N_("${n}"), "miles de pesos": N_("M${n}")}


def fmt_percent(value: Decimal | None) -> str:
    """`47%`, `47,5%` or «sin dato»; halves round up, as readers expect (21,25 → 21,3)."""
    if value is None:
        return no_data()
    with localcontext(rounding=ROUND_HALF_UP):
        return format_percent(Decimal(value) / 100, format="#,##0.#%", locale=active().locale)


def fmt_number(value) -> str:
    """`4.222.529`, `47,5` or «sin dato» (English: `4,222,529`, `47.5`, «no data»)."""
    if value is None:
        return no_data()
    with localcontext(rounding=ROUND_HALF_UP):
        return format_decimal(value, format="#,##0.##", locale=active().locale)


def fmt_amount(value, unit: str, on_chart: bool = False) -> str:
    """An amount with its unit always visible: `M$4.222.529` (English: `CLP 4,222,529 thousand`).

    `on_chart`: the label on a bar, whose axis title gives the unit in words: the language's short form
    (English `CLP 4,222,529k`, which fits inside a bar on a phone as the Spanish `M$4.222.529` does)."""
    if value is None:
        return no_data()
    unit = unit if unit in AMOUNT_PATTERNS else "pesos"
    written = CHART_AMOUNT_PATTERNS[unit]() if on_chart else gettext(AMOUNT_PATTERNS[unit])
    return written.replace("{n}", fmt_number(value))


# The short forms, each call written out so that `pybabel extract` finds it with its context.
CHART_AMOUNT_PATTERNS = {"pesos": lambda: pgettext("gráfico", "${n}"),
                         "miles de pesos": lambda: pgettext("gráfico", "M${n}")}


def end_sentence(text: str) -> str:
    """`text` closed with a period, unless it already ends in one: «Gobierno Regional.» or «Minera S.A.» get no
    second one (a template writes «Responsable: {{ organismo | end_sentence }}»)."""
    text = text.strip()
    return text if text.endswith((".", "?", "!", "…")) else text + "."


def fmt_date(value: dt.date | None) -> str:
    """`16 de junio de 2025` or «sin dato» (English: `16 June 2025`)."""
    if value is None:
        return no_data()
    return format_date(value, format="long", locale=active().locale)


def fmt_date_range(start: dt.date | None, end: dt.date | None) -> str:
    """`11 de abril de 2025` or `16 al 18 de junio de 2025` (English: `16 to 18 June 2025`)."""
    if start is None or end is None or end == start:
        return fmt_date(start)
    first = str(start.day) if (start.year, start.month) == (end.year, end.month) else fmt_date(start)
    return gettext("{inicio} al {fin}").format(inicio=first, fin=fmt_date(end))


def month_name(number: int | None) -> str:
    """The month's name for 1–12 («junio», «June»), or «sin dato»."""
    if not number:
        return no_data()
    if active().code == "es":
        return MONTHS[number - 1]
    from babel.dates import get_month_names

    return get_month_names("wide", locale=active().locale)[number]


def fmt_value(value, column_type: str, unit: str | None = None) -> str:
    """Format one table cell by its schema type."""
    from . import schema as S

    if value is None:
        return no_data() if column_type != S.TEXTO else ""
    if column_type == S.PORCENTAJE:
        return fmt_percent(value)
    if column_type == S.MONTO:
        return fmt_amount(value, unit or "pesos")
    if column_type == S.ENTERO:
        return fmt_number(value)
    if column_type == S.NUMERO:  # a number in an editor's new table: every decimal it was written with
        return format_decimal(value, format="#,##0.###############", locale=active().locale)
    if column_type == S.FECHA:
        return fmt_date(value)
    if column_type == S.MES:
        return month_name(value)
    if column_type == S.OPCION:  # one of the schema's choices: a word of the catalog
        return gettext(str(value))
    return str(value)


def altair_config() -> dict:
    """The Vega-Lite config every chart uses: font, sizes, colours, quiet axes."""
    return {
        "font": FONT_STACK,
        "background": "#ffffff",
        "padding": CHART_PADDING,
        "view": {"stroke": None},
        "axis": {
            "labelFont": FONT_STACK, "titleFont": FONT_STACK, "labelFontSize": CHART_FONT_SIZE,
            "titleFontSize": CHART_FONT_SIZE, "labelColor": INK, "titleColor": INK, "titleFontWeight": 600,
            "gridColor": GRID,
            "domainColor": MUTED, "tickColor": MUTED, "labelLimit": 320,
        },
        "legend": {
            "labelFont": FONT_STACK, "titleFont": FONT_STACK, "labelFontSize": CHART_FONT_SIZE,
            "titleFontSize": CHART_FONT_SIZE, "labelColor": INK, "titleColor": INK, "orient": "bottom",
            "direction": "horizontal",
            "labelLimit": 400, "symbolType": "square",
        },
        "text": {"font": FONT_STACK, "fontSize": CHART_FONT_SIZE, "color": INK},
        "title": {"font": FONT_STACK, "color": INK, "fontSize": CHART_FONT_SIZE},
        "bar": {"color": PRIMARY},
    }
