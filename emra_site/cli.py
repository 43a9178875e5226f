"""Command line: `build` (default), `check`; exit 0 ok, 1 content errors, 2 usage."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click

from .errors import BuildError, Diagnostic, doubtful, has_errors, summary

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    """Print every diagnostic on its own line, then a Spanish summary."""
    for d in diagnostics:
        click.echo(str(d), err=True)
    if diagnostics:
        click.echo(summary([d.level for d in diagnostics]), err=True)


def _project(ctx: click.Context) -> Path:
    return ctx.obj["project"]


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-C", "--proyecto", "project", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="Carpeta del proyecto (la que contiene content/ y data/).")
@click.option("--site-url", default=None, help="URL pública del sitio, p. ej. https://org.github.io/emra/.")
@click.option("--strict", is_flag=True, help="Tratar los avisos como errores.")
@click.option("--timings", is_flag=True, help="Mostrar el tiempo de cada etapa.")
@click.option("--sin-cache", "no_cache", is_flag=True, help="No usar ni guardar resultados en .cache/emra.")
@click.pass_context
def main_group(ctx: click.Context, project: Path, site_url: str | None, strict: bool, timings: bool,
               no_cache: bool) -> None:
    """Publica el informe de avance de la EMRA: sitio web y PDF en output/site/."""
    ctx.ensure_object(dict)
    ctx.obj.update(project=project, site_url=site_url, strict=strict, timings=timings, no_cache=no_cache)
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
        return

    from .app import build
    from .pipeline import Timings

    timings = Timings()
    try:
        diags = build(paths, opts["site_url"], timings, strict=opts["strict"], use_cache=not opts["no_cache"])
    except BuildError as exc:
        print_diagnostics(exc.diagnostics)
        click.echo("No se publicó nada: output/site/ conserva la última versión correcta.", err=True)
        ctx.exit(EXIT_CONTENT)
    stamp.record(paths, digest, [(d.level, str(d)) for d in diags])
    print_diagnostics(diags)
    if opts["timings"]:
        for stage, seconds in timings.stages:
            click.echo(f"  {stage:<22} {seconds:6.2f} s", err=True)
    click.echo(f"Listo: sitio y PDF en {paths.site}", err=True)


@main_group.command("check")
@click.pass_context
def check_command(ctx: click.Context) -> None:
    """Valida contenido y datos sin escribir nada."""
    from .paths import Paths
    from .pipeline import read_report

    report, diags = read_report(Paths.of(_project(ctx)))
    print_diagnostics(diags)
    if report is not None:
        from .completeness import completeness_lines

        click.echo("Informe de completitud:")
        for edition in report.editions:
            for line in completeness_lines(edition):
                click.echo(line)
    if has_errors(diags) or (ctx.obj["strict"] and doubtful(diags)):
        ctx.exit(EXIT_CONTENT)
    click.echo("Sin errores: el contenido y los datos están listos para publicar.", err=True)


@main_group.command("serve")
@click.option("--puerto", "port", type=int, default=8000, show_default=True, help="Puerto local (0 = uno libre).")
@click.pass_context
def serve_command(ctx: click.Context, port: int) -> None:
    """Vista previa en vivo: reconstruye al guardar y recarga el navegador."""
    from .paths import Paths
    from .serve import serve

    serve(Paths.of(_project(ctx)), port, lambda line: click.echo(line, err=True))


@main_group.command("new-edition")
@click.argument("anio", metavar="AÑO")
@click.pass_context
def new_edition_command(ctx: click.Context, anio: str) -> None:
    """Crea una nueva edición (content/AÑO y data/AÑO) a partir de la más reciente."""
    from .editions import EditionExists, new_edition

    if not re.fullmatch(r"20\d\d", anio):
        raise click.UsageError(f"«{anio}» no es un año; se esperaba por ejemplo 2026")
    try:
        todo = new_edition(_project(ctx).resolve(), anio)
    except EditionExists as exc:
        click.echo(f"No se creó la edición: {exc}.", err=True)
        ctx.exit(EXIT_CONTENT)
    for line in todo:
        click.echo(line)


def main(argv: list[str] | None = None) -> int:
    """Entry point for `python build.py` and the `emra-site` script; never shows a traceback."""
    try:
        # Click 8.2+ returns ctx.exit()'s code in non-standalone mode; older versions raise Exit.
        code = main_group.main(args=argv, prog_name="emra-site", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.UsageError as exc:
        click.echo(f"Uso incorrecto: {exc.format_message()}", err=True)
        click.echo("Ejecute «python build.py --help» para ver las opciones.", err=True)
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
