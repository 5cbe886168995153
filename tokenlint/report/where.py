"""Where a reported file is shown: from the working directory when the file is under it (as ruff
shows it: a terminal or editor opens `path:line` as printed, `git apply` takes the diff, and CI
annotations land on the repository's file when the project root is a sub-folder), else from the
project root, as analysed. Fingerprints and baselines keep the project-root path."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Optional


def shown_paths(root: Path, cwd: Optional[Path] = None) -> Callable[[str], str]:
    """A function turning a project-root-relative path (with `/`) into the path to print."""
    try:
        here = Path(os.path.realpath(cwd or Path.cwd()))
        top = Path(os.path.realpath(root))
    except (OSError, ValueError):
        return _same
    if top == here:
        return _same
    if here in top.parents:  # the project is a folder below the working directory
        prefix = top.relative_to(here).as_posix() + "/"
        return lambda rel: prefix + rel
    if top in here.parents:  # the working directory is a folder inside the project
        strip = here.relative_to(top).as_posix() + "/"
        return lambda rel: rel[len(strip):] if rel.startswith(strip) else rel
    return _same


def _same(rel: str) -> str:
    return rel
