"""Which [tool.tokenlint] applies where: the project root, and nested tables governing their folders.

The project root does not depend on which file a run names first, so `tokenlint check`, pre-commit
(named files) and the flake8 plugin agree:

- the search starts at the folder common to every path named (a file counts by its folder; no
  path: the working directory). The flake8 plugin, handed one file at a time, starts at the
  working directory when the file lies inside it, so `flake8 .` reports what `tokenlint check .`
  reports from the same folder;
- the root is the folder of the nearest `pyproject.toml` at or above the start that has a
  `[tool.tokenlint]` table, else the git top level, else the start itself; the search never goes
  above the git top level, and a `pyproject.toml` without the table changes nothing.

Below the root, configs are hierarchical as in ruff: a `pyproject.toml` with a `[tool.tokenlint]`
table in a sub-folder governs the files under that folder (the closest one wins; settings are not
merged with the root's), with its globs relative to its own folder. It never applies to a file
outside its folder. Only the keys that say what is checked and reported per file are honoured there
(`PER_FOLDER`); the others (`feature-key`, `sdk`, `cache-dir`, ...) shape the whole project's
analysis and are read from the root config alone, with a warning naming what was not applied.
`--config FILE` turns the hierarchy off: that file governs every file, as in ruff.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Optional

from tokenlint.config import KEYS, Config, ConfigError, find_pyproject, find_root, has_table, load_config

# settings a nested [tool.tokenlint] may set for the files under its folder
PER_FOLDER = {"select", "extend-select", "ignore", "per-file-ignores", "exclude", "extend-exclude"}


def search_start(paths: Iterable[Path], cwd: Optional[Path] = None) -> Path:
    """Where the root search starts: the folder common to every path (a file counts by its folder),
    or the working directory when no path is given."""
    folders = []
    for p in paths:
        ap = os.path.abspath(p)
        folders.append(ap if os.path.isdir(ap) else os.path.dirname(ap))
    if not folders:
        return Path(os.path.abspath(cwd or Path.cwd()))
    try:
        return Path(os.path.commonpath(folders))
    except ValueError:  # different drives: the first path's folder
        return Path(folders[0])


def load_project(paths: Iterable[Path] = (), config_file: Optional[Path] = None,
                 cwd: Optional[Path] = None) -> Config:
    """The run's config: the root config (or `config_file`), its root, and the nested configs."""
    cfg = load_root(paths, config_file, cwd)
    return cfg if config_file is not None else with_nested(cfg)


def load_root(paths: Iterable[Path] = (), config_file: Optional[Path] = None,
              cwd: Optional[Path] = None) -> Config:
    """The root config (or `config_file`) and its root, without the nested configs (`with_nested`
    adds them, from a walk of the tree the caller may already have: `tokenlint.tree`)."""
    start = search_start(list(paths), cwd)
    if config_file is not None:
        return load_config(config_file, explicit=True).with_overrides(root=find_root(start))
    found = find_pyproject(start)
    return load_config(found) if found is not None else Config(root=find_root(start))


def with_nested(config: Config, config_files: Optional[Iterable[Path]] = None) -> Config:
    """`config` with the nested [tool.tokenlint] tables found below its root. `config_files`: every
    pyproject.toml under the root, as a walk of it found them (else the root is walked here)."""
    root = config.root
    if root is None or not root.is_dir():
        return config
    nested = []
    notes = list(config.notes)
    if config_files is None:
        config_files = _config_files(root, config.respect_gitignore)
    for pyproject in config_files:
        if pyproject.parent == root:
            continue
        try:
            if not has_table(pyproject):
                continue
            cfg = load_config(pyproject)
        except ConfigError as exc:  # another project's broken file must not stop this one's run
            notes.append(f"{exc}; not applied to the files under {pyproject.parent}")
            continue
        # a key that says what the root config says changes nothing: no warning
        ignored = sorted(k for k, (attr, _) in KEYS.items()
                         if k not in PER_FOLDER and getattr(cfg, attr) != getattr(config, attr))
        if ignored:
            notes.append(f"{pyproject}: {', '.join(repr(k) for k in ignored)} apply to the whole project and "
                         f"are read from the root config only ({config.source or root}); not applied")
        cfg = Config(**{KEYS[k][0]: getattr(cfg, KEYS[k][0]) for k in PER_FOLDER},
                     source=pyproject, root=pyproject.parent)
        nested.append((pyproject.parent.relative_to(root).as_posix(), cfg))
    nested.sort(key=lambda kv: kv[0])
    return replace(config, nested=tuple(nested), notes=tuple(notes))


def _config_files(root: Path, respect_gitignore: bool) -> list[Path]:
    """Every pyproject.toml under `root` that discovery would walk past (same skips, same git view)."""
    from tokenlint.tree import walk_tree

    return walk_tree(root, respect_gitignore).configs


def scope(config: Config, relpath: str) -> tuple[Config, str]:
    """The config governing `relpath` (relative to the root) and the path relative to its folder."""
    for folder, cfg in reversed(config.nested):  # sorted, so deeper folders come after their parents
        if relpath.startswith(folder + "/"):
            return cfg, relpath[len(folder) + 1:]
    return config, relpath


def nested_excludes(config: Config) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(absolute folder, exclude globs) of each nested config, for discovery."""
    root = config.root or Path.cwd()
    return tuple((str(root / folder), cfg.exclude + cfg.extend_exclude) for folder, cfg in config.nested)


def override_rules(config: Config, select: tuple[str, ...], extend_select: tuple[str, ...],
                   ignore: tuple[str, ...]) -> Config:
    """Command-line rule selection overrides every config of the hierarchy, as in ruff."""

    def one(cfg: Config) -> Config:
        return cfg.with_overrides(select=select or None,
                                  extend_select=(cfg.extend_select + extend_select) if extend_select else None,
                                  ignore=(cfg.ignore + ignore) if ignore else None)

    return replace(one(config), nested=tuple((folder, one(cfg)) for folder, cfg in config.nested))
