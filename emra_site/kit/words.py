"""Words the kit (and the «¿Qué cambió?» chapter) compose sentences with, in the active language.

Data choices are codes (`plazo` «corto»/«mediano», `via` «pública»/«privada»): they stay Spanish in the
data and are worded here, with a context of their own (`pgettext`), so a sentence such as «18 de corto
plazo» (English «18 short-term») never depends on how a table cell shows the same code.
"""

from __future__ import annotations

from ..i18n import SOURCE, active, gettext, pgettext


def join_es(items: list[str]) -> str:
    """«a, b y c», with «e» before a word that starts with the sound «i» («social e institucional»)."""
    if len(items) < 2:
        return "".join(items)
    last = items[-1]
    word = last.split(" ", 1)[0].casefold()
    conj = "e" if word.startswith(("i", "hi")) and not word.startswith(("hia", "hie", "hio", "hiu")) else "y"
    return ", ".join(items[:-1]) + f" {conj} " + last


def join_list(items: list[str]) -> str:
    """`items` as a list in a sentence of the active language: «a, b y c» (Spanish, `join_es`),
    «a, b and c» (English, Babel's `format_list` in the language's locale)."""
    if active().code == SOURCE.code:
        return join_es(items)
    from babel.lists import format_list

    return format_list(list(items), locale=active().locale)


def capital(text: str) -> str:
    """`text` with a capital first letter, the rest untouched («short term» → «Short term»)."""
    return text[:1].upper() + text[1:]


# The codes' words, each call written out so `pybabel extract` finds it; a code the data adds later is
# looked up all the same (and shown in Spanish until the catalog has it).
TERMS = {"corto": lambda: pgettext("plazo", "corto"), "mediano": lambda: pgettext("plazo", "mediano")}
ROUTES = {"pública": lambda: pgettext("vía", "pública"), "privada": lambda: pgettext("vía", "privada")}


def term(code: str) -> str:
    """A `plazo` code as the word that goes with «plazo»: «corto» (English «short»)."""
    return TERMS[code]() if code in TERMS else pgettext("plazo", code)


def term_label(code: str) -> str:
    """A `plazo` code as a label: «Corto plazo» (English «Short term»)."""
    return capital(gettext("{plazo} plazo").format(plazo=term(code)))


def route(code: str) -> str:
    """A `via` code as the word that goes with «vía»: «pública» (English «public»)."""
    return ROUTES[code]() if code in ROUTES else pgettext("vía", code)
