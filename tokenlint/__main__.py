"""`python -m tokenlint`: the CLI, importing nothing else from the working directory.

`python -m` puts the working directory first on sys.path (and `PYTHONPATH=.` puts it there again);
in a checkout with a `click.py`, a `pathspec/` or a module named like the standard library's, that
module would be imported, and run, before tokenlint reads a file. tokenlint never executes the code
it reads, so every entry that is the working directory goes before anything else is imported.

What no package can do: when the working directory holds its own `tokenlint/` package or a
`tokenlint.py`, `python -m tokenlint` imports and runs *that*, and this file never runs (Python
finds the name before any of tokenlint's code). In CI, run the console script `tokenlint` (its
sys.path starts at its own folder) or `python -P -m tokenlint` (Python 3.11+: no working directory
on sys.path); tests/security/test_entrypoint.py runs both in a hostile checkout.
"""

import os
import sys


def _outside_working_directory(path: list) -> list:
    try:
        here = os.path.realpath(os.getcwd())
    except OSError:  # the working directory is gone: nothing can be imported from it
        return [p for p in path if p]
    return [p for p in path if p and os.path.realpath(p) != here]


sys.path[:] = _outside_working_directory(sys.path)

from tokenlint.cli import run  # noqa: E402

run()
