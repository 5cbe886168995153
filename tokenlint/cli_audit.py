"""`tokenlint audit` and `tokenlint inventory compare|merge`."""

from __future__ import annotations

import click

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.command(context_settings=CONTEXT)
def audit() -> None:
    """Write an HTML and Markdown audit report."""
    raise click.UsageError("not implemented yet")


@click.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1)
@click.option("--format", "fmt", default="text")
@click.option("--output", "-o")
def inventory_merge(files, fmt, output) -> None:
    """Merge inventories of many repositories."""
    raise click.UsageError("not implemented yet")


@click.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1)
@click.option("--format", "fmt", default="text")
@click.option("--output", "-o")
def inventory_compare(files, fmt, output) -> None:
    """Compare two inventories."""
    raise click.UsageError("not implemented yet")
