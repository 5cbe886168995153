"""`python -m tokenlint`: the CLI, without letting the checked project shadow tokenlint's imports.

`python -m` puts the current folder first on sys.path; in a project that has a `click.py` (or any
module named like one of tokenlint's dependencies) that module would be imported, and run, before
tokenlint reads a single file. tokenlint never executes the code it reads, so that entry goes.
"""

import os
import sys

if sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from tokenlint.cli import main  # noqa: E402

main()
