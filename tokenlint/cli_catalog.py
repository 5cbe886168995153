"""`tokenlint models` and `tokenlint catalog refresh`: the model catalog as data people can read and renew."""

from __future__ import annotations

import click

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.command(context_settings=CONTEXT)
def models() -> None:
    """List the model catalog."""
    raise click.UsageError("not implemented yet")


@click.group(context_settings=CONTEXT)
def catalog() -> None:
    """Maintain the model catalog."""
