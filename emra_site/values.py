"""Parse the text of one CSV cell into a typed value, as Chilean spreadsheets write it."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from . import schema as S
from .schema import MONTHS

COMMA = ","
POINT = "."

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_COMMA_DECIMAL = re.compile(r"\d,\d")
_POINT_DECIMAL = re.compile(r"^-?\d+\.\d{1,2}$|^-?\d+\.\d{4,}$")
_SIGNED_NUMBER = re.compile(r"^[+-]\s*[\d.,\s]+%?$")


# What spreadsheet users type for "no data": a lone dash (any of its typographic forms, up to
# three), «s/d», «n/d», «N/A», «sin dato(s)». Compared after folding case and removing spaces.
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_NO_DATA = re.compile(rf"[{_DASHES}]{{1,3}}|s/d|n/d|n/a|s\.d\.?|n\.d\.?|n\.a\.?|sindatos?")


class ValueProblem(ValueError):
    """A cell that cannot be read as its column's type; the message is for editors."""


def is_no_data(text: str) -> bool:
    """Tell whether a cell means «sin dato»: blank, or a marker such as `-`, `—`, `s/d`, `N/A`, `sin dato`.

    Such a cell is read as no value (shown «sin dato»), never as 0 and never as a formula.
    """
    folded = _SPACES.sub("", text).lower()
    return not folded or bool(_NO_DATA.fullmatch(folded))


def clean(text: str) -> str:
    """Remove the spaces Excel and pasted text put around and inside numbers."""
    return _SPACES.sub("", text)


def looks_like_formula(text: str) -> bool:
    """Tell whether a cell would run as a spreadsheet formula when the data is opened in Excel.

    Anything starting with = or @, and + or - unless a plain signed number follows (the OWASP
    rule for CSV injection): such a cell would be published in the downloads as it is.
    """
    t = text.strip()
    if not t:
        return False
    return t[0] in "=@" or (t[0] in "+-" and not _SIGNED_NUMBER.match(t))


def decimal_hint(text: str) -> str | None:
    """Which decimal separator a number cell reveals, if any."""
    t = clean(text).rstrip("%").lstrip("$")
    if "," in t and "." in t:
        # With both present, the last one separates the decimals: 1.234,5 or 1,234.5.
        return COMMA if t.rfind(",") > t.rfind(".") else POINT
    if _COMMA_DECIMAL.search(t) and not re.fullmatch(r"-?\d{1,3}(,\d{3})+", t):
        return COMMA
    if _POINT_DECIMAL.match(t):
        return POINT
    return None


def parse_number(text: str, decimal: str = COMMA) -> Decimal:
    """Read `47,5`, `1.234.567`, `47.5` or `1,234.5` under the file's decimal convention."""
    t = clean(text).replace("$", "")
    if t.upper().startswith("M"):
        t = t[1:]
    if len(t) > 40:
        raise ValueProblem("el número es demasiado largo; revise que no haya cifras de más")
    thousands = POINT if decimal == COMMA else COMMA
    if not re.fullmatch(rf"-?\d{{1,3}}(\{thousands}\d{{3}})*(\{decimal}\d+)?|-?\d+(\{decimal}\d+)?", t):
        sample = "47,5 o 1.234.567" if decimal == COMMA else "47.5 o 1,234,567"
        raise ValueProblem(f"se esperaba un número como {sample}")
    t = t.replace(thousands, "").replace(decimal, ".")
    try:
        return Decimal(t)
    except InvalidOperation as exc:  # pragma: no cover - the regex above rules this out
        raise ValueProblem("se esperaba un número") from exc


def parse_integer(text: str, decimal: str = COMMA) -> int:
    """Read a whole number, allowing thousands separators."""
    value = parse_number(text, decimal)
    if value != value.to_integral_value():
        raise ValueProblem("se esperaba un número entero, sin decimales")
    if abs(value) >= 10**15:
        raise ValueProblem("el número es demasiado grande; revise que no haya cifras de más")
    return int(value)


def parse_percent(text: str, decimal: str = COMMA) -> Decimal:
    """Read `47`, `47,5`, `47%` or `47 %` as a percentage between 0 and 100."""
    value = parse_number(clean(text).rstrip("%"), decimal)
    if not 0 <= value <= 100:
        raise ValueProblem("se esperaba un porcentaje entre 0 y 100")
    return value


def parse_amount(text: str, decimal: str = COMMA) -> Decimal:
    """Read an amount of money such as `4.222.529` or `$4.222.529`; never negative."""
    value = parse_number(text, decimal)
    if value < 0:
        raise ValueProblem("se esperaba un monto positivo")
    return value


def parse_date(text: str) -> dt.date:
    """Read `2025-06-16`, `16-06-2025` or `16/06/2025`."""
    t = clean(text)
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", t)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = re.fullmatch(r"(\d{1,2})[-/](\d{1,2})[-/](\d{4})", t)
        if not m:
            raise ValueProblem("se esperaba una fecha AAAA-MM-DD (por ejemplo 2025-06-16) o DD-MM-AAAA")
        d, mo, y = (int(g) for g in m.groups())
    try:
        return dt.date(y, mo, d)
    except ValueError as exc:
        raise ValueProblem("esa fecha no existe en el calendario") from exc


def fold(text: str) -> str:
    """Lower-case text without accents, to compare what editors type."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def parse_month(text: str) -> int:
    """Read a Spanish month name (`abril`, `Septiembre`, `sept.`) or its number."""
    t = fold(text).rstrip(".")
    if t.isascii() and t.isdigit() and len(t) <= 2 and 1 <= int(t) <= 12:
        return int(t)
    for number, name in enumerate(MONTHS, start=1):
        if len(t) >= 3 and name.startswith(t) or (t == "setiembre" and number == 9):
            return number
    raise ValueProblem("se esperaba el nombre de un mes (enero, febrero, …) o su número")


def parse_typed(kind: str, text: str, decimal: str = COMMA):
    """Read one filled cell of a column of schema type `kind`: a number, a date or a month.

    Returns int (entero, mes), Decimal (número, porcentaje, monto) or date (fecha); text types
    (texto, opción) are returned stripped. Raises ValueProblem with the editor's wording.
    """
    if kind == S.ENTERO:
        return parse_integer(text, decimal)
    if kind == S.NUMERO:
        return parse_number(text, decimal)
    if kind == S.PORCENTAJE:
        return parse_percent(text, decimal)
    if kind == S.MONTO:
        return parse_amount(text, decimal)
    if kind == S.FECHA:
        return parse_date(text)
    if kind == S.MES:
        return parse_month(text)
    return text.strip()
