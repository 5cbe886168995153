"""flake8 plugin: `flake8 --select TKL` reports what `tokenlint check` reports, through the same engine.

flake8 hands over one file at a time; the project around it (the nearest pyproject.toml or .git)
is indexed once per process, so clients and wrappers defined in other modules still resolve.
Options come from [tool.tokenlint]; the flake8 options below override them.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any, ClassVar, Iterator, Optional

from tokenlint import __version__


class TokenlintChecker:
    name = "tokenlint"
    version = __version__
    feature_key: ClassVar[Optional[str]] = None
    config_file: ClassVar[Optional[str]] = None
    _sessions: ClassVar[dict[Path, Any]] = {}

    def __init__(self, tree: ast.AST, filename: str) -> None:
        self.tree = tree  # flake8 parsed it already; tokenlint's resolver reads the file itself
        self.filename = filename

    @classmethod
    def add_options(cls, manager: Any) -> None:
        manager.add_option("--tokenlint-feature-key", parse_from_config=True,
                           help="tokenlint: the attribution key looked for in tags (default: feature)")
        manager.add_option("--tokenlint-config", parse_from_config=True,
                           help="tokenlint: read [tool.tokenlint] from this file")

    @classmethod
    def parse_options(cls, options: Any) -> None:
        cls.feature_key = getattr(options, "tokenlint_feature_key", None)
        cls.config_file = getattr(options, "tokenlint_config", None)
        cls._sessions = {}

    def _session(self, path: Path):  # type: ignore[no-untyped-def]
        from tokenlint.config import ConfigError, find_root, load_config
        from tokenlint.engine import Session

        root = find_root(path)
        got = self._sessions.get(root)
        if got is None:
            try:
                cfg = load_config(Path(self.config_file), explicit=True) if self.config_file else load_config(start=path)
            except ConfigError:
                cfg = None
            if cfg is None:
                from tokenlint.config import Config

                cfg = Config()
            cfg = cfg.with_overrides(feature_key=self.feature_key, root=root)
            got = Session(root, cfg)
            self._sessions[root] = got
        return got

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        if self.filename in ("-", "stdin", ""):
            return
        path = Path(self.filename).absolute()
        if not path.is_file():
            return
        for f in self._session(path).check_file(path):
            if f.code == "TKL000":
                continue  # flake8 reports unparsable files itself (E999)
            yield f.row, f.column - 1, f"{f.code} {f.message}", type(self)
