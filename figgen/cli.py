"""The `figgen` command line: argument parsing only; the work lives in figgen.commands.

Started through figgen.launcher, which reports errors and skips this module (and click) for
the option-less `figgen build` and `figgen check`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from figgen.errors import EXIT_BAD_INPUT
from figgen.lock import DEFAULT_LOCK_TIMEOUT
from figgen.training.device import DEVICE_CHOICES



@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="figgen", prog_name="figgen", message="%(prog)s %(version)s")
@click.option("-C", "--project", "project", type=click.Path(file_okay=False, path_type=Path), default=".",
              help="Project folder (or any folder below it). Default: the current folder.")
@click.pass_context
def cli(context: click.Context, project: Path) -> None:
    """Keep a Hugo site's figures in sync with the code that trains and draws them."""
    context.obj = project


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--force", is_flag=True, help="Rebuild the figures (and retrain their models) even if fresh.")
@click.option("--device", type=click.Choice(DEVICE_CHOICES), default="auto", show_default=True,
              help="Where to train: auto picks cuda, then mps, then cpu.")
@click.option("--jobs", "-j", type=int, default=None, help="Worker processes. Default: one per CPU core.")
@click.option("--keep-going/--fail-fast", default=True, show_default=True,
              help="On a failure, build the rest (default) or stop at once.")
@click.option("--lock-timeout", type=float, default=DEFAULT_LOCK_TIMEOUT, show_default=True,
              help="Seconds to wait for another build of this project; -1 waits forever.")
@click.option("--no-push", is_flag=True, help="Pull from the remote cache but push nothing (as FIGGEN_CACHE_READONLY=1).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where tasks run: local worker processes, or a Dask cluster.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler (tcp://host:8786). Default: a local cluster of --jobs worker processes.")
@click.option("--verify", is_flag=True, help="Then draw the figures again in a scratch copy and name each whose "
                                             "bytes differ (figgen/commands/verify.py).")
@click.pass_obj
def build(project: Path, names, force, device, jobs, keep_going, lock_timeout, no_push, executor, scheduler,
          verify) -> None:
    """Train stale models and draw stale figures (all, or the NAMES given).

    A NAME is a figure as `figgen list` shows it (module3/cnn, or cnn.png), or model:NAME for
    every figure that reads that model."""
    from figgen.commands.build import build as run

    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler needs --executor dask")
    if verify:
        from figgen.commands.verify import verify as run_and_verify

        run_and_verify(project, names, jobs=jobs, device=device)
        return
    run(project, names, force=force, device=device, jobs=jobs, fail_fast=not keep_going, lock_timeout=lock_timeout,
        no_push=no_push, executor=executor, scheduler=scheduler)


@cli.command()
@click.pass_obj
def check(project: Path) -> None:
    """Fail unless every image the pages show exists and is fresh."""
    from figgen.commands.check import check as run

    run(project)


@cli.command()
@click.option("--lock-timeout", type=float, default=DEFAULT_LOCK_TIMEOUT, show_default=True)
@click.pass_obj
def push(project: Path, lock_timeout: float) -> None:
    """Push the fresh figures and the models they read to the remote cache."""
    from figgen.commands.push import push as run

    run(project, lock_timeout)


@cli.command(name="list")
@click.pass_obj
def list_(project: Path) -> None:
    """One row per figure: models, fresh/stale/missing, last build time and device."""
    from figgen.commands.listing import list_figures

    list_figures(project)


@cli.command()
@click.argument("name")
@click.pass_obj
def why(project: Path, name: str) -> None:
    """Say which inputs of figure NAME (or of model:NAME's figures) changed since its build."""
    from figgen.commands.why import why as run

    run(project, name)


@cli.command()
@click.option("--lock-timeout", type=float, default=DEFAULT_LOCK_TIMEOUT, show_default=True)
@click.pass_obj
def clean(project: Path, lock_timeout: float) -> None:
    """Remove the generated images, figgen.json and the cache."""
    from figgen.commands.clean import clean as run

    run(project, lock_timeout)


@cli.command()
@click.argument("output", required=False)
@click.option("--alt", help="What the image shows, for readers who cannot see it (its alt text, kept in figgen.yaml).")
@click.option("--model", "models", multiple=True, help="A trained model the figure reads (repeatable).")
@click.option("--recipe", metavar="NAME", help="Scaffold a model NAME instead: its class, its training recipe, "
                                               "its declaration.")
@click.pass_obj
def new(project: Path, output: str | None, alt: str | None, models, recipe: str | None) -> None:
    """Scaffold a figure (OUTPUT --alt): its drawing module, its declaration, the Markdown line to paste.

    With --recipe NAME: a model class and its training recipe, declared as the model NAME."""
    from figgen.commands.new import new_figure, new_recipe

    if recipe:
        if output or alt or models:
            raise click.UsageError("--recipe scaffolds a model alone: give no OUTPUT, --alt or --model with it")
        new_recipe(project, recipe)
        return
    if not output or not alt:
        raise click.UsageError("give the figure's OUTPUT and --alt (or --recipe NAME for a model)")
    new_figure(project, output, alt, tuple(models))


@cli.command()
@click.pass_obj
def init(project: Path) -> None:
    """Make the Hugo site in the project folder a figgen project, with one example figure."""
    from figgen.commands.init import init as run

    run(project)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of figgen.yaml (editors complete and check keys with it)."""
    from figgen.commands.schema import schema as run

    run()


@cli.command()
@click.option("--debounce", type=int, default=800, show_default=True, help="Milliseconds to wait for edits to settle.")
@click.pass_obj
def watch(project: Path, debounce: int) -> None:
    """Rebuild stale figures whenever figgen/, figgen.yaml or content/ change."""
    from figgen.commands.watch import watch as run

    run(project, debounce)


def run_cli() -> None:
    """Parse the arguments and run the command; FiggenError propagates to the launcher."""
    try:
        cli.main(prog_name="figgen", standalone_mode=False)
    except click.exceptions.Abort:  # click turns Ctrl-C into Abort
        raise KeyboardInterrupt from None
    except click.ClickException as error:
        error.show()
        sys.exit(EXIT_BAD_INPUT if isinstance(error, click.UsageError) else error.exit_code)
