"""The project's tree: every Python file and every `pyproject.toml` below the root, from one walk a run.

Two things need the whole tree before anything is analysed: the config hierarchy (the nested
`[tool.tokenlint]` tables, `tokenlint.hierarchy`) and the engine (every Python file is context for
imports, even when pre-commit names two files). Both come from the same walk, with the same skips
and the same git view (`tokenlint.discovery`). With a cache folder, the walk is kept in the walk
cache (`replay.WalkCache`) and reused while no folder it listed and no ignore file it consulted has
changed: a file edited in place changes neither, and one added, removed or renamed (a nested config
too) changes its folder.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Optional, Union

from tokenlint.discovery import WalkRecord, discover


class Tree:
    """`files`: every Python file under the root (no config excludes: they are context too);
    `configs`: every pyproject.toml under the root, in walk order (the root's own included);
    `walk`: what the listing depends on (for the run record); `start_ns`: when the walk began (or was
    checked), so anything changed after it shows in a later run."""

    def __init__(self, root: Path, files: Union[list[Path], list[str]], configs: list[Path],
                 walk: WalkRecord, start_ns: int) -> None:
        self.root, self.configs, self.walk, self.start_ns = root, configs, walk, start_ns
        self._files = files

    @property
    def files(self) -> list[Path]:
        # a replayed run never looks at them: made Paths only when asked (5,000 of them cost 50 ms)
        if self._files and isinstance(self._files[0], str):
            self._files = [Path(f) for f in self._files]
        return self._files  # type: ignore[return-value]


def walk_tree(root: Path, respect_gitignore: bool, cache_dir: Optional[Path] = None) -> Tree:
    """The tree under `root` (a folder), from the walk cache in `cache_dir` when it is still valid,
    else walked (and then saved there)."""
    root = root.absolute()
    start_ns = time.time_ns()
    walks = None
    if cache_dir is not None:
        from tokenlint.cachedir import mark
        from tokenlint.replay import WalkCache

        mark(cache_dir)  # before the walk: creating it after would change the listing just recorded

        walks = WalkCache(cache_dir, root, respect_gitignore)
        got = walks.load()
        if got is not None and walks.walk is not None:
            return Tree(root, got[0], got[1], walks.walk, start_ns)
    walk = WalkRecord()
    configs: list[Path] = []
    files = discover([root], root, (), respect_gitignore, record=walk, configs=configs)
    if walks is not None:
        walks.save(walk, files, configs, start_ns)
    return Tree(root, files, configs, walk, start_ns)
