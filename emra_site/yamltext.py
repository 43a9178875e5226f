"""YAML as editors write it (front matter, `edition.yml`, `grafico`/`tabla` blocks).

Every scalar stays text (no YAML 1.1 `NO` → false traps); top-level keys are matched without
regard to accents, capitals or ñ (`Título`, `dimensión`, `año` are `titulo`, `dimension`,
`anio`); a key written twice is an error. Syntax errors are worded in Spanish and placed where
the editor has to fix them (the opening of an unclosed quote, not the next line where the
parser noticed it): no PyYAML text ever reaches an editor.
"""

from __future__ import annotations

import re
import unicodedata

import yaml

from .errors import Diagnostic, SourceLoc, error

EXPECTED = "se esperaba «clave: valor», una por línea"

UNCLOSED_QUOTE = "unas comillas se abren aquí y no se cierran en la misma línea; ciérrelas al final del valor"
TEXT_AFTER_QUOTE = ("hay texto después de las comillas que cierran el valor; si el valor lleva comillas adentro, "
                    "escriba todo el valor entre comillas simples: 'Programa \"Minería Abierta\" 2026'")
MISSING_COLON = "falta «:» entre la clave y su valor en esta línea"
INDENTED_KEY = ("esta línea empieza con espacios y se lee como continuación de la anterior; "
                "escriba la clave al inicio de la línea, sin espacios")
QUOTE_IT = "si el valor empieza con ese carácter, escríbalo entre comillas"

# PyYAML's problem texts (scanner, parser, composer, constructor), each with its Spanish
# explanation; `{char}` is the character PyYAML names. Matched by prefix, in order.
PROBLEMS: tuple[tuple[str, str], ...] = (
    ("mapping values are not allowed here",
     "hay dos puntos («:») donde no corresponde; si el valor lleva «:», escríbalo entre comillas"),
    ("found unexpected end of stream", "unas comillas se abren aquí y no se cierran"),
    ("could not find expected ':'", "falta «:» entre la clave y su valor"),
    ("found character '\\t' that cannot start any token", "hay un tabulador; use espacios para la sangría"),
    ("found character", "un valor empieza con «{char}», que no se admite al inicio; " + QUOTE_IT),
    ("expected <block end>, but found '<block sequence start>'",
     "la sangría de la lista no coincide con la de la clave"),
    ("expected <block end>, but found '<scalar>'", TEXT_AFTER_QUOTE),
    ("expected <block end>", ("la sangría de esta línea no coincide con la de las anteriores; "
                              "escriba cada clave al inicio de la línea")),
    ("expected '<document start>'", ("la sangría de esta línea no coincide con la de las anteriores; "
                                     "escriba cada clave al inicio de la línea, sin espacios antes")),
    ("found undefined alias", "«*» al inicio de un valor; escriba el valor entre comillas"),
    ("found duplicate anchor", "«&» al inicio de un valor; escriba el valor entre comillas"),
    ("expected alphabetic or numeric character", "«*» o «&» al inicio de un valor; escriba el valor entre comillas"),
    ("found unknown escape character",
     "una barra invertida («\\») entre comillas dobles; use comillas simples o escriba «\\\\»"),
    ("expected escape sequence",
     "una barra invertida («\\») entre comillas dobles; use comillas simples o escriba «\\\\»"),
    ("sequence entries are not allowed here",
     "un «- » de lista en medio de una línea; escriba cada elemento en su propia línea «  - …», o el valor entre comillas"),
    ("mapping keys are not allowed here", "un «?» al inicio de un valor; " + QUOTE_IT),
    ("invalid indentation or unclosed", "se abre «[» o «{» y no se cierra; " + QUOTE_IT),
    ("expected ',' or ']'", "se abre «[» y no se cierra; " + QUOTE_IT),
    ("expected ',' or '}'", "se abre «{» y no se cierra; " + QUOTE_IT),
    ("expected the node content", "un «{char}» donde se esperaba un valor; " + QUOTE_IT),
    ("expected chomping or indentation indicators", "un valor que empieza con «|» o «>»; " + QUOTE_IT),
    ("expected a comment or a line break", "un valor que empieza con «|», «>» o «%»; " + QUOTE_IT),
    ("expected indentation indicator", "un valor que empieza con «|» o «>»; " + QUOTE_IT),
    ("but found another document", "hay una línea «---» o «...» de más; quítela"),
    ("found unexpected document separator", "hay una línea «---» o «...» de más; quítela"),
    ("found unhashable key", "una clave escrita como lista o entre llaves; escriba la clave como texto"),
    ("found duplicate key", "una clave repetida; deje solo una"),
)
# Anything PyYAML may say that the table does not know: still Spanish, still at its place.
GENERIC = "esta línea no sigue la forma «clave: valor»; revise las comillas, los dos puntos y la sangría"


def canonical_key(key: str) -> str:
    """The name a key is matched by: `Título` → `titulo`, `Año` → `anio`, `fecha publicación` → `fecha_publicacion`.

    Editors type a key as they would write the word; they mean the plain key, so it is matched,
    never ignored.
    """
    key = key.replace("ñ", "ni").replace("Ñ", "Ni")  # `año` → `anio`, the project's spelling
    plain = "".join(c for c in unicodedata.normalize("NFKD", key) if not unicodedata.combining(c))
    return re.sub(r"[\s\-]+", "_", plain.strip()).casefold()


def parse_yaml(text: str, shown: str, offset: int) -> tuple[object, dict, list[Diagnostic]]:
    """Parse YAML keeping every scalar as text; return (data, {key: file line}, diagnostics).

    `offset` is the file line of the text's first line; errors point into the file. A mapping's
    keys come back canonical (`canonical_key`); data is None when the text is not valid YAML.
    """
    try:
        data, node = _parse_fast(text)
    except (yaml.YAMLError, RecursionError):
        # Parsed again by the pure-Python loader, whose messages and marks the diagnostics use.
        try:
            node = yaml.compose(text, Loader=yaml.BaseLoader)
            data = yaml.load(text, Loader=yaml.BaseLoader)
        except yaml.MarkedYAMLError as exc:
            return None, {}, [_syntax_error(text, exc, shown, offset)]
        except yaml.reader.ReaderError as exc:
            line = text[: exc.position].count("\n") + offset
            return None, {}, [error(SourceLoc(shown, line), (
                f"YAML no válido: un carácter de control (U+{exc.character:04X}) que no se ve; bórrelo; {EXPECTED}"))]
        except yaml.YAMLError:
            return None, {}, [error(SourceLoc(shown, offset), f"YAML no válido: {GENERIC}; {EXPECTED}")]
        except RecursionError:
            return None, {}, [error(SourceLoc(shown, offset), (
                f"YAML no válido: listas o llaves anidadas demasiadas veces; {EXPECTED}"))]
    return _canonical(data, node, shown, offset)


def _parse_fast(text: str) -> tuple[object, yaml.Node | None]:
    """Parse valid YAML once, with libyaml when PyYAML has it (the front matter of every section)."""
    loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, node


def _canonical(data: object, node: yaml.Node | None, shown: str, offset: int) -> tuple[object, dict, list[Diagnostic]]:
    """Top-level keys made canonical, with their lines; a key given twice (in any spelling) is an error."""
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return data, {}, []
    keyed: dict[str, object] = {}
    lines: dict[str, int] = {}
    diags: list[Diagnostic] = []
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        key, line = canonical_key(key_node.value), key_node.start_mark.line + offset
        if key in lines:
            diags.append(error(SourceLoc(shown, line, key_node.start_mark.column + 1), (
                f"la clave «{key}» ya está en la línea {lines[key]}; deje una sola")))
            continue
        lines[key] = line
        keyed[key] = data[key_node.value]
    return keyed, lines, diags


def _syntax_error(text: str, exc: yaml.MarkedYAMLError, shown: str, offset: int) -> Diagnostic:
    """The Spanish diagnostic for a PyYAML syntax error, at the place the editor has to fix."""
    problem = exc.problem or exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    words = None
    culprit = _culprit(text, problem, mark)
    if culprit is not None:
        mark, words = culprit
    elif "end of stream" in problem and exc.context_mark:
        mark = exc.context_mark  # an unclosed quote is noticed at the end; its opening is what to fix
    if words is None:
        words = next((w for prefix, w in PROBLEMS if problem.startswith(prefix)), GENERIC)
        found = re.search(r"found (?:character )?'(.+?)'", problem)
        char = found.group(1) if found else "?"
        words = words.replace("{char}", {"\\n": "fin de línea", "\\t": "tabulador"}.get(char, char))
    loc = SourceLoc(shown, mark.line + offset, mark.column + 1) if mark else SourceLoc(shown, offset)
    return error(loc, f"YAML no válido: {words}; {EXPECTED}")


def _culprit(text: str, problem: str, mark) -> tuple[yaml.Mark, str] | None:
    """A value running over a line break explains most errors found on a later line.

    A quoted value whose closing quote is missing swallows the next line up to its first quote;
    a key without «:» runs into the next key. Returns where the fix goes and what it is.
    """
    if mark is None:
        return None
    tokens: list = []
    try:
        for token in yaml.scan(text, Loader=yaml.BaseLoader):
            tokens.append(token)  # noqa: PERF402 - one at a time: the scan stops at the error, keeping these
    except (yaml.YAMLError, RecursionError):
        pass  # the tokens before the error are what explains it
    for before, token in zip([None, *tokens], tokens, strict=False):
        if not isinstance(token, yaml.ScalarToken) or token.start_mark.line > mark.line:
            continue
        if token.end_mark.line == token.start_mark.line or token.end_mark.line != mark.line:
            continue
        if token.style in ("'", '"'):
            return token.start_mark, UNCLOSED_QUOTE
        if problem.startswith("mapping values are not allowed"):
            if isinstance(before, yaml.ValueToken):
                line_start = yaml.Mark("", 0, mark.line, 0, None, 0)  # type: ignore[arg-type]
                return line_start, INDENTED_KEY
            return token.start_mark, MISSING_COLON
    return None
