"""A workbook cell as the text an editor sees in Excel (es-CL), whatever its number format.

A number's stored value is not what the editor typed or sees: 47,5 % is stored 0.475, `#,##0`
hides decimals, `#,##0,` shows thousands. The reader publishes what Excel shows, so this module
applies the parts of a number format that change the number (the section for its sign, percent,
scaling by a trailing comma, decimals shown) and writes it the Chilean way: decimal comma, no
thousands separator (so the cell parsers read it back exactly). Colours, literals, padding and
locale tags change how the number looks, not which number it is, and are dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

# Parts of a format section that are no digit placeholders: "quoted text", \x, _x (a space as
# wide as x), *x (fill with x), [Red] / [$-es-CL] / [$€-x] / [>=100] (colour, locale, condition).
_DECORATION = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')
_PLACEHOLDERS = "0#?"
_PESO = re.compile(r'"\$|\\\$|\[\$\$')
GENERAL_DIGITS = 15  # Excel keeps 15 significant digits; beyond them a float shows only noise


def _sections(number_format: str) -> list[str]:
    """The `;`-separated sections of a format, with quoted text kept whole."""
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in number_format:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _section_for(value: Decimal, number_format: str) -> str:
    """The section Excel uses for `value`: positive;negative;zero;text."""
    sections = _sections(number_format)
    if value < 0 and len(sections) > 1:
        return sections[1]
    if value == 0 and len(sections) > 2:
        return sections[2]
    return sections[0]


def _localized(code: str) -> str:
    """`#.##0,00` (typed in a Spanish Excel) as the stored code `#,##0.00`; other codes unchanged."""
    if re.fullmatch(r"[#0?]*\.[#0?]{3}(?:\.[#0?]{3})*(?:,[#0?]+)?%?", code) and code.startswith("#"):
        return code.replace(".", "\0").replace(",", ".").replace("\0", ",")
    return code


def shown_number(value: float, number_format: str | None) -> str:
    """`value` as Excel shows it under `number_format`, written `47,5%`, `4222529` or `0,3`.

    `General`, text (`@`) and sections without digit placeholders (`"-"` for zero in accounting
    formats) show the stored value, to 15 significant digits.
    """
    exact = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)
    if not exact.is_finite():
        return str(value)
    with localcontext() as context:
        context.prec = 400  # every digit of any number a sheet holds (up to 1e308), with its decimals
        return _shown(value, exact, number_format)


def _shown(value: float, exact: Decimal, number_format: str | None) -> str:
    # A negative section writes its own sign («-», parentheses); the number read keeps its sign.
    section = _section_for(exact, number_format or "General")
    code = _localized(_DECORATION.sub("", section).strip())
    # «$» as text ("$", \$, [$$-340A]) or bare: a peso amount, written `$4222529` as in a CSV.
    peso = "$" if _PESO.search(section) or "$" in code else ""
    code = code.replace("$", "")
    general = not any(p in code for p in _PLACEHOLDERS) or "/" in code or re.search(r"[eE][+-]", code)
    if general:  # General, @, literal-only sections, fractions and scientific notation
        return _signed(peso, _plain(Decimal(f"{float(value):.{GENERAL_DIGITS}g}") if isinstance(value, float) else exact))
    percent = "%" in code
    if percent:
        exact *= 100
    integer, _, fraction = code.replace("%", "").partition(".")
    # Each comma right after the last integer placeholder divides by a thousand (#,##0, → miles).
    exact /= Decimal(1000) ** (len(integer) - len(integer.rstrip(",")))
    decimals = sum(1 for ch in fraction if ch in _PLACEHOLDERS)
    shown = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return _signed(peso, _plain(shown)) + ("%" if percent else "")


def _signed(peso: str, number: str) -> str:
    return f"-{peso}{number[1:]}" if number.startswith("-") else peso + number


def _plain(value: Decimal) -> str:
    """A decimal written with a decimal comma and no exponent or thousands separator (`2,50`, `65`)."""
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))  # 65,00 is 65: an id or a count stays a whole number
    return format(value, "f").replace(".", ",")


def cell_text(value, number_format: str | None) -> str:
    """A workbook cell's value (as openpyxl reads it) as the text the CSV of the same table would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sí" if value else "no"
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")  # any date format: the parsers read ISO dates
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, (int, float)):
        return shown_number(value, number_format)
    return str(value)
