"""Command line: `build` (default), `check`, `serve`, `new-edition` and their Spanish names; exit 0 ok,
1 content errors, 2 usage. Everything it prints is Spanish (`cli_es` words click's own texts)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click

from .cli_es import Port, SpanishGroup, SpanishUsageError, usage_message
from .errors import ERROR, WARNING, BuildError, Diagnostic, has_errors, summary

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
# Spanish names a command also answers to (`python build.py revisar`); the help lists them.
ALIASES = {"compilar": "build", "revisar": "check", "vista-previa": "serve", "nueva-edicion": "new-edition"}


def print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    """Print every diagnostic on its own line, then a Spanish summary."""
    for d in diagnostics:
        click.echo(str(d), err=True)
    if diagnostics:
        click.echo(summary([d.level for d in diagnostics]), err=True)


def verdict(levels: list[str], strict: bool) -> tuple[bool, str]:
    """Whether the input can be published, and the closing sentence that says so and how GitHub Pages sees it.

    The Pages workflow builds with `--strict`, where warnings count as errors; notices never do.
    """
    warnings = levels.count(WARNING)
    if ERROR in levels:
        return False, "No se puede publicar: corrija los errores de arriba y vuelva a ejecutar el comando."
    if warnings and strict:
        return False, (f"Con --strict los avisos cuentan como errores (así publica GitHub Pages): corrija los "
                       f"{warnings} aviso(s) de arriba.")
    if warnings:
        return True, (f"Sin errores, pero con {warnings} aviso(s): el sitio se puede generar en este equipo, pero "
                      "GitHub Pages no lo publicará, porque compila con --strict y ahí los avisos cuentan como "
                      "errores. Corrija los avisos antes de subir el cambio.")
    return True, "Sin errores ni avisos: listo para publicar, también en GitHub Pages (--strict)."


def locate_project(given: Path | None, cwd: Path, home: Path | None) -> tuple[Path | None, str | None]:
    """The project folder (the one holding content/), and a sentence when it is not the obvious one.

    `-C` names it; otherwise the current folder, else `home`, the folder of build.py (a shortcut
    or a terminal opened in another folder runs it from there). Returns (folder, note about the
    choice or None), or (None, the Spanish reason, saying where it looked).
    """
    if given is not None:
        if (given / "content").is_dir():
            return given, None
        return None, (f"no encontré la carpeta content/ en {given.resolve()}; con -C indique la carpeta del "
                      "proyecto, la que contiene content/ y data/")
    if (cwd / "content").is_dir():
        return cwd, None
    if home is not None and (home / "content").is_dir():
        return home, f"La carpeta actual ({cwd}) no tiene content/: se usa el proyecto de build.py, {home}."
    beside = f" ni junto a build.py ({home})" if home is not None and home.resolve() != cwd.resolve() else ""
    return None, (f"no encontré la carpeta content/ en la carpeta actual ({cwd}){beside}; ejecute el comando "
                  "dentro de la carpeta del proyecto (la que contiene content/ y data/) o indíquela con -C")


def _project(ctx: click.Context) -> Path:
    """The project folder, found once, when a command needs it (so `--help` works anywhere)."""
    opts = ctx.obj
    if "project" not in opts:
        project, message = locate_project(opts["given"], Path.cwd(), opts.get("home"))
        if project is None:
            click.echo(message, err=True)
            ctx.exit(EXIT_CONTENT)
        if message:
            click.echo(message, err=True)
        opts["project"] = project
    return opts["project"]


@click.group(cls=SpanishGroup, aliases=ALIASES, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-C", "--proyecto", "project", metavar="CARPETA", default=None,
              help="Carpeta del proyecto (la que contiene content/ y data/). Por omisión, la carpeta actual "
                   "o, si no es un proyecto, la de build.py.")
@click.option("--site-url", metavar="URL", default=None, help="URL pública del sitio, p. ej. https://org.github.io/emra/.")
@click.option("--strict", is_flag=True, help="Tratar los avisos como errores.")
@click.option("--timings", is_flag=True, help="Mostrar el tiempo de cada etapa.")
@click.option("--sin-cache", "no_cache", is_flag=True, help="No usar ni guardar resultados en .cache/emra.")
@click.pass_context
def main_group(ctx: click.Context, project: str | None, site_url: str | None, strict: bool, timings: bool,
               no_cache: bool) -> None:
    """Publica el informe de avance de la EMRA: sitio web y PDF en output/site/.

    Sin comando, compila (build). Los comandos también se pueden escribir en español.
    """
    ctx.ensure_object(dict)
    ctx.obj.update(given=Path(project) if project else None, site_url=site_url, strict=strict, timings=timings,
                   no_cache=no_cache)
    if ctx.invoked_subcommand is None:
        ctx.invoke(build_command)


@main_group.command("build")
@click.pass_context
def build_command(ctx: click.Context) -> None:
    """Valida el contenido y genera el sitio y el PDF."""
    from . import stamp
    from .paths import Paths

    opts = ctx.obj
    paths = Paths.of(_project(ctx))
    # Digest of the inputs as they are now: a file saved during the build makes the next one run.
    digest = stamp.inputs_digest(paths, {"site_url": opts["site_url"], "strict": opts["strict"]})
    replayed = None if opts["no_cache"] else stamp.up_to_date(paths, digest)
    if replayed is not None:
        for _, line in replayed:
            click.echo(line, err=True)
        if replayed:
            click.echo(summary([level for level, _ in replayed]), err=True)
        click.echo(f"Sin cambios desde la última compilación: {paths.site} está al día.", err=True)
        if WARNING in (levels := [level for level, _ in replayed]):
            click.echo(verdict(levels, strict=False)[1], err=True)
        return

    from .app import build
    from .pipeline import Timings

    timings = Timings()
    try:
        diags = build(paths, opts["site_url"], timings, strict=opts["strict"], use_cache=not opts["no_cache"])
    except BuildError as exc:
        print_diagnostics(exc.diagnostics)
        if not has_errors(exc.diagnostics):  # only --strict refuses warnings: say so, the count says «0 error(es)»
            click.echo(verdict([d.level for d in exc.diagnostics], strict=True)[1], err=True)
        click.echo("No se publicó nada: output/site/ conserva la última versión correcta.", err=True)
        ctx.exit(EXIT_CONTENT)
    stamp.record(paths, digest, [(d.level, str(d)) for d in diags])
    print_diagnostics(diags)
    if opts["timings"]:
        for stage, seconds in timings.stages:
            click.echo(f"  {stage:<22} {seconds:6.2f} s", err=True)
    click.echo(f"Listo: sitio y PDF en {paths.site}", err=True)
    if WARNING in (levels := [d.level for d in diags]):
        click.echo(verdict(levels, strict=False)[1], err=True)


@main_group.command("check")
@click.pass_context
def check_command(ctx: click.Context) -> None:
    """Valida contenido y datos sin escribir nada, y dice si GitHub Pages publicaría."""
    from .paths import Paths
    from .pipeline import read_report

    report, diags = read_report(Paths.of(_project(ctx)))
    print_diagnostics(diags)
    if report is not None:
        from .completeness import completeness_lines

        click.echo("Informe de completitud:")
        from .kit.posts import shortened_lines
        from .kit.write import edition_posts

        for edition in report.editions:
            for line in completeness_lines(edition):
                click.echo(line)
            for line in shortened_lines(edition_posts(edition, ctx.obj["site_url"])):
                click.echo(line)
    publishable, sentence = verdict([d.level for d in diags], ctx.obj["strict"])
    if publishable:  # check lays nothing out: what only the composed PDF shows is found by the build
        sentence = sentence.removesuffix(".") + (", salvo el PDF: que nada se salga de la página se revisa al "
                                                 "compilar; ejecute «python build.py» antes de publicar.")
    click.echo(sentence, err=True)
    if not publishable:
        ctx.exit(EXIT_CONTENT)


@main_group.command("serve")
@click.option("--puerto", "port", type=Port(), default=8000, metavar="N",
              help="Puerto local (por omisión 8000; si está ocupado, se usa el siguiente libre).")
@click.pass_context
def serve_command(ctx: click.Context, port: int) -> None:
    """Vista previa en vivo: reconstruye al guardar y recarga el navegador."""
    from .paths import Paths
    from .serve import NoPort, serve

    try:
        serve(Paths.of(_project(ctx)), port, lambda line: click.echo(line, err=True))
    except NoPort as exc:
        click.echo(str(exc), err=True)
        ctx.exit(EXIT_CONTENT)
    except KeyboardInterrupt:
        click.echo("Vista previa terminada.", err=True)


@main_group.command("new-edition")
@click.argument("anio", metavar="AÑO")
@click.pass_context
def new_edition_command(ctx: click.Context, anio: str) -> None:
    """Crea una nueva edición (content/AÑO y data/AÑO) a partir de la más reciente."""
    from .editions import EditionExists, new_edition

    if not re.fullmatch(r"20\d\d", anio):
        raise SpanishUsageError(f"«{anio}» no es un año; se esperaba por ejemplo 2026", ctx)
    try:
        todo = new_edition(_project(ctx).resolve(), anio)
    except EditionExists as exc:
        click.echo(f"No se creó la edición: {exc}.", err=True)
        ctx.exit(EXIT_CONTENT)
    for line in todo:
        click.echo(line)


def main(argv: list[str] | None = None, home: Path | None = None) -> int:
    """Entry point for `python build.py` and the `emra-site` script; never shows a traceback.

    `home` is the folder of build.py: the project used when the current folder is not one.
    """
    prog = "python build.py" if home is not None else "emra-site"
    try:
        # Click 8.2+ returns ctx.exit()'s code in non-standalone mode; older versions raise Exit.
        code = main_group.main(args=argv, prog_name=prog, standalone_mode=False, obj={"home": home})
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.UsageError as exc:
        click.echo(f"Uso incorrecto: {usage_message(exc)}", err=True)
        where = exc.ctx.command_path if exc.ctx is not None else prog
        click.echo(f"Ejecute «{where} --help» para ver las opciones.", err=True)
        return EXIT_USAGE
    except click.Abort:
        click.echo("Interrumpido; output/site/ no cambió.", err=True)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        click.echo("Interrumpido; output/site/ no cambió.", err=True)
        return EXIT_CONTENT
    except Exception as exc:
        if os.environ.get("EMRA_DEBUG"):
            raise
        click.echo(f"Error interno del publicador ({type(exc).__name__}: {exc}).", err=True)
        click.echo("output/site/ no cambió. Avise al equipo técnico; con EMRA_DEBUG=1 se ve el detalle.", err=True)
        return EXIT_CONTENT
    return code if isinstance(code, int) else EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
