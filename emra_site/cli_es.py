"""The command line in Spanish: help, usage lines, usage errors and Spanish command names.

Click writes its own texts in English. Its extension points are used instead of editing its
output: a help formatter and context (`Uso:`), command classes that name their sections,
their help option and their leftover words in Spanish, a group that resolves Spanish aliases
(`revisar`, `vista-previa`, `nueva-edicion`) and answers an unknown command with a Spanish
«¿Quiso decir …?», parameter types that fail in Spanish, and `usage_message`, which words
click's parser errors from their fields (the option, the parameter), never from their text.
"""

from __future__ import annotations

import unicodedata

import click

from .errors import suggest

HELP_TEXT = "Muestra esta ayuda y termina."


def plain_word(word: str) -> str:
    """A command name as typed, without accents or capitals (`Nueva-Edición` → `nueva-edicion`)."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)).casefold()


class SpanishFormatter(click.HelpFormatter):
    """Help text with a Spanish usage line."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "Uso: " if prefix is None else prefix)


class SpanishContext(click.Context):
    """A context whose help is formatted in Spanish."""

    formatter_class = SpanishFormatter


class _SpanishHelp:
    """What a Spanish command and group share: their help sections and the leftover-word check."""

    context_class: type[click.Context] = SpanishContext

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_TEXT
        return option

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        records = [p.get_help_record(ctx) for p in self.get_params(ctx) if isinstance(p, click.Option)]  # type: ignore[attr-defined]
        rows = [r for r in records if r is not None]
        if rows:
            with formatter.section("Opciones"):
                formatter.write_dl(rows)

    def format_arguments(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pass  # the usage line and the command's own help name its one argument

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # Click refuses leftover words itself, in English; this takes them first and says it in Spanish.
        allowed, ctx.allow_extra_args = ctx.allow_extra_args, True
        try:
            rest = super().parse_args(ctx, args)  # type: ignore[misc]
        except click.UsageError as exc:
            # The parser raises some errors without their context; `usage_message` needs the command's options.
            exc.ctx = exc.ctx or ctx
            raise
        finally:
            ctx.allow_extra_args = allowed
        if rest and not allowed and not ctx.resilient_parsing:
            raise SpanishUsageError(
                f"sobra «{' '.join(rest)}»: el comando «{ctx.command_path}» no lleva más palabras", ctx)
        return rest


class SpanishCommand(_SpanishHelp, click.Command):
    """A command whose help and usage errors are Spanish."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[OPCIONES]")
        super().__init__(*args, **kwargs)


class SpanishGroup(_SpanishHelp, click.Group):
    """A group of Spanish commands that also answers to each command's Spanish name.

    `aliases` maps a Spanish name to the command it stands for (`revisar` → `check`).
    """

    command_class = SpanishCommand

    def __init__(self, *args, aliases: dict[str, str] | None = None, **kwargs):
        kwargs.setdefault("options_metavar", "[OPCIONES]")
        kwargs.setdefault("subcommand_metavar", "[COMANDO] [ARGUMENTOS]...")
        super().__init__(*args, **kwargs)
        self.aliases = dict(aliases or {})

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, self.hoist_own_options(ctx, args))

    def hoist_own_options(self, ctx: click.Context, args: list[str]) -> list[str]:
        """`args` with this group's options written after the command moved before it.

        `python build.py check --strict` is read as `python build.py --strict check`: an editor
        cannot be expected to know which options belong to the group. An option the command takes
        itself, anything after «--», and the help option stay where they are.
        """
        own = {name: p for p in self.params if isinstance(p, click.Option) for name in p.opts}

        def option_at(words: list[str], i: int) -> tuple[click.Option | None, int]:
            """The group option that starts at words[i] and how many words it takes (with its value)."""
            word = words[i]
            name = word.split("=", 1)[0] if word.startswith("--") else word[:2]
            option = own.get(name) if word.startswith("-") else None
            if option is None:
                return None, 1
            attached = "=" in word or (not word.startswith("--") and len(word) > 2)  # --x=v, -Cv
            return option, 1 if option.is_flag or attached else 2

        i = 0
        while i < len(args) and args[i] != "--" and args[i].startswith("-"):
            i += option_at(args, i)[1]
        command = self.get_command(ctx, args[i]) if i < len(args) else None
        if command is None:
            return args
        theirs = {name for p in command.params if isinstance(p, click.Option) for name in p.opts}
        moved, kept, j, rest = [], [], 0, args[i + 1:]
        while j < len(rest):
            if rest[j] == "--":
                kept += rest[j:]
                break
            option, width = option_at(rest, j)
            if option is None or rest[j].split("=", 1)[0] in theirs:
                kept.append(rest[j])
                j += 1
                continue
            if j + width > len(rest):  # «check -C»: the value is missing; the group would take the command as it
                metavar = option.metavar or "VALOR"
                raise SpanishUsageError(f"a la opción «{rest[j]}» le falta su valor: {rest[j]} {metavar}", ctx)
            moved += rest[j:j + width]
            j += width
        return args[:i] + moved + [args[i]] + kept

    def names(self) -> dict[str, str]:
        """Every name a command answers to (its own and its Spanish alias) → the command's name."""
        return {**{name: name for name in self.commands}, **self.aliases}

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        name = self.names().get(plain_word(cmd_name))
        return self.commands.get(name) if name else None

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name = args[0]
        command = self.get_command(ctx, name)
        if command is None and not ctx.resilient_parsing:
            if name.startswith("-"):
                self.parse_args(ctx, args)  # an option after the command name: its own message
            raise SpanishUsageError(
                f"no existe el comando «{name}»; los comandos son: {', '.join(self.shown_names())}."
                + suggest(plain_word(name), self.names()), ctx)
        return (command.name if command else None), command, args[1:]

    def shown_names(self) -> list[str]:
        """Each command with its Spanish alias, as the help lists them: «check (revisar)»."""
        spanish = {command: alias for alias, command in self.aliases.items()}
        return [f"{name} ({spanish[name]})" if name in spanish else name for name in self.list_commands(None)]  # type: ignore[arg-type]

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)  # in the order they are declared: build first

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(shown, self.commands[name].get_short_help_str(80))
                for name, shown in zip(self.list_commands(ctx), self.shown_names(), strict=True)]
        if rows:
            with formatter.section("Comandos"):
                formatter.write_dl(rows)


class SpanishUsageError(click.UsageError):
    """A usage error already worded in Spanish."""


class Port(click.ParamType):
    """A local TCP port, 0-65535 (0: the system picks a free one)."""

    name = "puerto"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if not text.isdigit() or int(text) > 65535:
            self.fail(f"«{value}» no es un puerto; se esperaba un número entre 1 y 65535, por ejemplo 8001", param, ctx)
        return int(text)


def usage_message(exc: click.UsageError) -> str:
    """The Spanish words for a usage error, made from what it is about (option, parameter), not its text."""
    ctx = exc.ctx
    options = _options(ctx)
    if isinstance(exc, SpanishUsageError):
        return exc.message
    if isinstance(exc, click.NoSuchOption):
        owner = _owner(ctx, exc.option_name)
        if owner:  # `python build.py --puerto 8001`: an option of `serve` written before the command
            return (f"la opción «{exc.option_name}» es del comando «{owner}»; escríbala después de él: "
                    f"{ctx.command_path} {owner} {exc.option_name} …")  # type: ignore[union-attr]
        return f"la opción «{exc.option_name}» no existe." + suggest(exc.option_name, options)
    if isinstance(exc, click.BadOptionUsage):
        option = options.get(exc.option_name)
        if option is not None and option.is_flag:
            return f"la opción «{exc.option_name}» no lleva valor; escriba solo {exc.option_name}"
        metavar = (option.metavar if option is not None else None) or "VALOR"
        return f"a la opción «{exc.option_name}» le falta su valor: {exc.option_name} {metavar}"
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        if isinstance(exc.param, click.Argument) and ctx is not None:
            metavar = exc.param.make_metavar(ctx)
            return f"falta {metavar}: escriba {ctx.command_path} {metavar}"
        return f"falta la opción «{exc.param.opts[0]}»"
    if isinstance(exc, click.BadParameter) and exc.param is not None:
        # Every parameter type of this command line fails with Spanish words (see `Port`).
        return f"«{exc.param.opts[0]}»: {exc.message}"
    return "el comando no se entiende"


def _options(ctx: click.Context | None) -> dict[str, click.Option]:
    """The options the command of `ctx` takes, by each of their names."""
    if ctx is None:
        return {}
    return {name: p for p in ctx.command.get_params(ctx) if isinstance(p, click.Option) for name in p.opts}


def _owner(ctx: click.Context | None, option: str) -> str | None:
    """The subcommand of a group that takes `option`, if one does."""
    if ctx is None or not isinstance(ctx.command, click.Group):
        return None
    for name, command in ctx.command.commands.items():
        if any(option in p.opts for p in command.params if isinstance(p, click.Option)):
            return name
    return None
