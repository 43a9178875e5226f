"""The reader's language: the editions' languages, the message catalogs and the active language.

Every string a reader sees is written in the code and the templates in Spanish (es-CL, the report's
own language) and looked up with `gettext` in the active language's catalog,
`emra_site/locale/<code>/LC_MESSAGES/messages.po` (GNU gettext PO, read with Babel; Spanish needs
none). The active language is a context variable that `use_language` sets around everything that
makes one language's version of an edition (pages, charts, tables, PDF): formatters and generated
texts follow it without a parameter threaded through every call, as Django's `translation.override`
does. Light module: Babel is imported when a catalog is first read.

Catalog upkeep (docs/traduccion.md): `pybabel extract -F babel.cfg -o emra_site/locale/messages.pot .`
then `pybabel update -i emra_site/locale/messages.pot -d emra_site/locale`; the tests fail while a
message has no English.
"""

from __future__ import annotations

import contextvars
import functools
import gettext as _gettext
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"


@dataclass(frozen=True)
class Language:
    """One language the report is published in.

    `code` names its content folder (`content/<año>/en/`) and its site folder (`prefix`); `tag` is the
    BCP 47 tag of `lang` attributes, `hreflang` and the PDF's `/Lang`; `locale` is the Babel locale of
    its numbers and dates (en_GB writes «16 June 2025», as the OECD's English does).
    """

    code: str
    tag: str
    locale: str
    prefix: str  # the language's folder in the site, with its slash ('' for Spanish)
    name: str  # the language's name in itself, for the language switcher


SPANISH = Language("es", "es-CL", "es_CL", "", "Español")
ENGLISH = Language("en", "en", "en_GB", "en/", "English")
LANGUAGES: dict[str, Language] = {SPANISH.code: SPANISH, ENGLISH.code: ENGLISH}
SOURCE = SPANISH  # the language of the code's strings, the Spanish content and the data
TRANSLATIONS = (ENGLISH,)  # the languages an edition may add under content/<año>/<code>/

_active: contextvars.ContextVar[Language] = contextvars.ContextVar("emra_language", default=SPANISH)


def active() -> Language:
    """The language being rendered now (Spanish outside `use_language`)."""
    return _active.get()


@contextmanager
def use_language(language: Language | str) -> Iterator[Language]:
    """Render in `language` (a Language or its code) inside the block."""
    lang = LANGUAGES[language] if isinstance(language, str) else language
    token = _active.set(lang)
    try:
        yield lang
    finally:
        _active.reset(token)


@functools.cache
def catalog(code: str) -> _gettext.NullTranslations:
    """The compiled message catalog of language `code` (Spanish: the identity).

    The PO file is compiled in memory (Babel's `write_mo`), so no binary `.mo` is kept in git.
    """
    if code == SOURCE.code:
        return _gettext.NullTranslations()
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    po = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    with po.open("rb") as handle:
        parsed = read_po(handle, locale=LANGUAGES[code].locale)
    compiled = io.BytesIO()
    write_mo(compiled, parsed, use_fuzzy=False)  # a fuzzy entry is unreviewed: shown in Spanish, listed by the tests
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def gettext(message: str) -> str:
    """`message` (Spanish) in the active language."""
    return catalog(active().code).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, in the active language."""
    return catalog(active().code).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in the active language, told apart from the same Spanish word elsewhere by `context`."""
    return catalog(active().code).pgettext(context, message)


def N_(message: str) -> str:
    """Mark `message` for the catalog where it is defined (a schema label, a table title); it is
    translated where it is shown, with `gettext`."""
    return message


_ = gettext
